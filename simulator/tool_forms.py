"""Forms outside the simulation steps: the follow-up of a signed contract (from the result
or straight from the home page) and the staff CSV batch."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from rules.services import OPTIONS
from rules.services import formatting as fmt
from simulator.fields import DATE_FORMATS, AccessibleForm, NombrePatientsField, SpecialiteSelect
from simulator.forms import MedecinForm
from simulator.parcours import Contexte


class SuiviForm(AccessibleForm):
    """Follow-up: the patientèle reached in a contract year ≥ 3."""

    annee = forms.TypedChoiceField(
        label="Année du contrat",
        choices=[(3, "3ᵉ année"), (4, "4ᵉ année"), (5, "5ᵉ année")],
        coerce=int,
        error_messages={"required": "Choisissez l'année.", "invalid_choice": "Année 3, 4 ou 5."},
    )
    patientele_mt_atteinte = NombrePatientsField(
        label="Patientèle médecin traitant atteinte",
        required=False,
    )
    file_active_atteinte = NombrePatientsField(
        label="File active atteinte",
        error_messages={"required": "Indiquez la file active atteinte."},
    )

    def __init__(self, *args: Any, demande_mt: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fields are set before anything validates (full_clean runs on first access to
        # errors): validating first let an empty MT through to the calculation.
        if demande_mt:
            self.fields["patientele_mt_atteinte"].required = True
            self.fields["patientele_mt_atteinte"].error_messages["required"] = (
                "Indiquez la patientèle médecin traitant atteinte."
            )
        else:
            del self.fields["patientele_mt_atteinte"]
        self._decrire()


class ContratEnCoursForm(AccessibleForm):
    """« J'ai déjà un contrat » from the home page: the contract's own figures, without
    walking the simulation's steps first."""

    specialite = forms.ChoiceField(
        label="Spécialité",
        widget=SpecialiteSelect,
        error_messages={"required": "Choisissez votre spécialité."},
    )
    date_signature = forms.DateField(
        label="Date de signature du contrat",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de signature du contrat.",
            "invalid": "Date invalide : format attendu JJ/MM/AAAA.",
        },
    )
    option = forms.ChoiceField(
        label="Option du contrat",
        choices=[(o, OPTIONS[o]) for o in ("tiers_temps", "mi_temps", "temps_plein")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez l'option de votre contrat."},
    )
    patientele_mt = NombrePatientsField(
        label="Patientèle médecin traitant à la signature",
        help_text="Celle de votre contrat. Généraliste : obligatoire. Pédiatre : si vous "
        "êtes médecin traitant d’enfants. Autre spécialité : laissez vide.",
        error_messages={"required": "Indiquez la patientèle médecin traitant de votre contrat."},
    )
    file_active = NombrePatientsField(
        label="File active à la signature",
        error_messages={"required": "Indiquez la file active de votre contrat."},
    )
    age_65_ans_ou_plus = forms.BooleanField(
        label="J’ai 65 ans ou plus",
        required=False,
        help_text="À 65 ans et plus, l’objectif est de garder sa patientèle : une baisse "
        "limitée est tolérée.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modele = cast(forms.ChoiceField, MedecinForm(contexte=Contexte({})).fields["specialite"])
        cast(forms.ChoiceField, self.fields["specialite"]).choices = modele.choices
        # A GP's contract always has an MT target: the field is required (never marked
        # « facultatif »); other specialties may leave it empty.
        if self.is_bound:
            specialite = Contexte({"specialite": str(self.data.get("specialite") or "")}).specialite
            if specialite is not None and not specialite.generaliste:
                self.fields["patientele_mt"].required = False


class LotForm(AccessibleForm):
    """Staff batch: a CSV of doctors, one situation per row (the contract's keys)."""

    fichier = forms.FileField(
        label="Fichier CSV des médecins",
        help_text="Une ligne par médecin, avec une ligne d'en-tête portant les clés du contrat "
        "(specialite, secteur, commune, patientele_mt, file_active, option, date_signature…). "
        "Les colonnes en plus (identifiant, nom) sont recopiées dans le résultat.",
        error_messages={"required": "Choisissez un fichier CSV."},
    )

    def clean_fichier(self) -> tuple[list[str], list[dict[str, str]]]:
        import csv
        import io

        from django.conf import settings

        from rules.files import FichierInvalide, texte_decoder
        from simulator.batch import csv_lire

        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.LOT_TAILLE_MAX:
            raise ValidationError(
                f"Fichier trop volumineux ({settings.LOT_TAILLE_MAX // (1024 * 1024)} Mo au plus)."
            )
        try:
            extra, lignes = csv_lire(io.StringIO(texte_decoder(fichier.read())))
        except FichierInvalide as exc:
            raise ValidationError(str(exc)) from None
        except csv.Error as exc:
            raise ValidationError(f"CSV illisible : {exc}") from None
        if not lignes:
            raise ValidationError("Le fichier ne contient aucune ligne de médecin.")
        if len(lignes) > settings.LOT_LIGNES_MAX:
            # Refused up front: a batch that cannot finish before the worker's timeout
            # would end as a cut download after a 200.
            raise ValidationError(
                f"{fmt.nombre(len(lignes))} lignes : la page en traite "
                f"{fmt.nombre(settings.LOT_LIGNES_MAX)} au plus. Découpez le fichier, ou "
                "utilisez la ligne de commande (manage.py simulate --csv), sans limite."
            )
        return extra, lignes
