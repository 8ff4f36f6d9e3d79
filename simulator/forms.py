"""One Django form per step: French labels, help and messages; answers back as URL values.

The forms only collect and check what a person types. The rules (eligibility, amounts,
targets) stay in the core: the result page hands the answers to ``rules.simulate``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from rules.communes import commune_trouver, communes_chercher, recherche_normaliser
from rules.models import Commune, Specialite
from rules.services import (
    EXERCICES,
    SECTEURS,
    TRANCHES_PERCENTILE,
    ZONES,
    date_signature_trop_lointaine,
    option_second_assistant,
    parametres_obtenir,
)
from rules.services import formatting as fmt
from simulator.contract_options import options_offrir
from simulator.fields import (
    DATE_FORMATS,
    OUI_NON,
    AccessibleForm,
    NombrePatientsField,
    PourcentageField,
    SpecialiteSelect,
    booleen_en_reponse,
)
from simulator.parcours import Contexte, requete_construire
from simulator.specialites import EN_TETE, LIBELLES


class EtapeForm(AccessibleForm):
    """Common: the context from earlier answers, and the answers this step gives."""

    def __init__(self, *args: Any, contexte: Contexte, **kwargs: Any) -> None:
        self.contexte = contexte
        super().__init__(*args, **kwargs)

    def reponses(self) -> dict[str, str | None]:
        """Cleaned values as the URL keeps them (None removes a key)."""
        return {
            nom: None if valeur in (None, "") else str(valeur)
            for nom, valeur in self.cleaned_data.items()
        }


class MedecinForm(EtapeForm):
    specialite = forms.ChoiceField(
        label="Spécialité",
        widget=SpecialiteSelect,
        help_text="Votre spécialité d’exercice à l’Assurance Maladie. Avec JavaScript, tapez "
        "au-dessus pour filtrer la liste («\u00a0généraliste\u00a0», «\u00a0cardiologue\u00a0», «\u00a0ORL\u00a0»…). "
        "Généraliste\u00a0: «\u00a0Médecine générale\u00a0»\u00a0; les deux libellés voisins suivent les mêmes "
        "règles.",
        error_messages={
            "required": "Choisissez votre spécialité.",
            "invalid_choice": "Spécialité inconnue\u00a0: choisissez-la dans la liste.",
        },
    )
    secteur = forms.ChoiceField(
        label="Secteur conventionnel",
        choices=list(SECTEURS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez votre secteur.",
            "invalid_choice": "Secteur non reconnu\u00a0: choisissez dans la liste.",
        },
    )
    primo_installe = forms.BooleanField(
        label="Je suis nouvellement installé(e)",
        required=False,
        help_text="Installé(e) en libéral depuis peu (la CPAM apprécie). Vous êtes éligible "
        "quelle que soit votre patientèle, mais vous vous engagez à atteindre la médiane (le "
        "P50) de votre spécialité en 3\u00a0ans\u00a0: le résultat en donne le chiffre.",
    )
    rqth_ald = forms.BooleanField(
        label="J’ai une reconnaissance de travailleur handicapé (RQTH) ou une affection de "
        "longue durée (ALD)",
        required=False,
    )
    age_65_ans_ou_plus = forms.BooleanField(label="J’ai 65 ans ou plus", required=False)
    centre_de_sante = forms.BooleanField(
        label="J’exerce comme salarié(e) d’un centre de santé",
        required=False,
        help_text="Les centres de santé ont leur propre aide (accord national des centres de "
        "santé)\u00a0: ce simulateur ne la calcule pas, le centre s’adresse à sa CPAM.",
    )
    part_activite_liberale = PourcentageField(
        label="Part libérale de votre activité (%)",
        help_text="100 si vous exercez uniquement en libéral. En activité mixte (salariée et "
        "libérale), l’aide est proratisée.",
        min_value=Decimal("0.01"),
        initial=100,
        required=False,  # empty means 100: links stay short for the common case
        error_messages={"min_value": "La part libérale doit être supérieure à 0."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialites = sorted(
            Specialite.objects.filter(famille="medecin"),
            key=lambda s: (
                s.code not in EN_TETE,
                EN_TETE.index(s.code) if s.code in EN_TETE else 0,
                s.libelle,
            ),
        )
        cast(forms.ChoiceField, self.fields["specialite"]).choices = [("", "— Choisissez —")] + [
            (s.code, LIBELLES.get(s.code, s.libelle)) for s in specialites
        ]

    def clean_specialite(self) -> str:
        return str(self.cleaned_data["specialite"]).zfill(2)

    def reponses(self) -> dict[str, str | None]:
        reponses = super().reponses()
        for nom in ("primo_installe", "rqth_ald", "age_65_ans_ou_plus", "centre_de_sante"):
            reponses[nom] = booleen_en_reponse(self.cleaned_data.get(nom))
        if self.cleaned_data.get("part_activite_liberale") in (None, 100):
            reponses["part_activite_liberale"] = None  # the default: keep links short
        return reponses


# Matches listed without JavaScript: one more than shown tells that the list is cut.
PROPOSITIONS_MAX = 31


class LieuForm(EtapeForm):
    commune_texte = forms.CharField(
        label="Commune d’exercice",
        help_text="Nom de la commune ou code postal, par exemple «\u00a0Orléans\u00a0» ou «\u00a045000\u00a0».",
        required=False,
        max_length=120,
    )
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    zone = forms.ChoiceField(
        label="Zonage",
        choices=[("", "Celui de ma commune"), *list(ZONES.items())],
        required=False,
        widget=forms.RadioSelect,
        help_text="Le zonage médecins de l’ARS. Corrigez-le si votre ARS a classé votre "
        "commune (ou votre quartier) autrement.",
        error_messages={"invalid_choice": "Zone non reconnue\u00a0: choisissez dans la liste."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commune_trouvee: Commune | None = None
        self.propositions: list[Commune] = []
        self.fields["commune_texte"].widget.attrs["data-suggestions"] = reverse("communes")
        code = (self.initial.get("commune") or "") if not self.is_bound else ""
        if code:
            commune = commune_trouver(code=code)
            if commune is not None:
                self.commune_trouvee = commune
                self.initial["commune_texte"] = f"{commune.nom} ({commune.departement_id})"

    def clean(self) -> dict[str, Any]:
        super().clean()
        donnees = self.cleaned_data
        code = (donnees.get("commune") or "").strip()
        texte = (donnees.get("commune_texte") or "").strip()
        choisie = str(self.data.get("commune_choisie") or "").strip()
        if choisie:  # picked in the list of matches (pages without JavaScript)
            commune = commune_trouver(code=choisie)
            if commune is not None:
                self.commune_trouvee = commune
                donnees["commune"] = commune.code_insee
                return donnees
        commune = commune_trouver(code=code) if code else None
        if commune is not None and texte and not _texte_correspond(texte, commune):
            commune = None  # the person typed another commune after picking one
        if commune is None and texte:
            commune = commune_trouver(code=texte)
            if commune is None:
                # Enough for Paris (20 arrondissements) and Marseille (16), all listed.
                self.propositions = communes_chercher(texte=texte, limite=PROPOSITIONS_MAX)
                exactes = [c for c in self.propositions if _texte_correspond(texte, c, exact=True)]
                if len(exactes) == 1:
                    commune = exactes[0]
                elif len(self.propositions) == 1:
                    commune = self.propositions[0]
                elif len(self.propositions) == PROPOSITIONS_MAX:
                    self.add_error(
                        "commune_texte",
                        f"Plus de {PROPOSITIONS_MAX - 1} communes correspondent\u00a0: les plus "
                        "peuplées sont ci-dessous. Si la vôtre n’y est pas, ajoutez le code postal "
                        "ou le numéro du département (« Saint-Denis 93 »).",
                    )
                    self.propositions = self.propositions[: PROPOSITIONS_MAX - 1]
                elif self.propositions:
                    self.add_error(
                        "commune_texte",
                        f"{len(self.propositions)} communes correspondent\u00a0: choisissez la "
                        "vôtre ci-dessous.",
                    )
                else:
                    self.add_error(
                        "commune_texte",
                        "Aucune commune trouvée\u00a0: vérifiez l’orthographe ou saisissez le code "
                        "postal.",
                    )
        if commune is None and not texte and not donnees.get("zone"):
            self.add_error(
                "commune_texte", "Indiquez votre commune (ou, à défaut, choisissez votre zone)."
            )
        self.commune_trouvee = commune
        donnees["commune"] = commune.code_insee if commune else ""
        return donnees

    def reponses(self) -> dict[str, str | None]:
        return {
            "commune": self.cleaned_data.get("commune") or None,
            "zone": self.cleaned_data.get("zone") or None,
        }


def _texte_correspond(texte: str, commune: Commune, exact: bool = False) -> bool:

    t = recherche_normaliser(re.sub(r"\(.*\)", "", texte))
    if exact:
        return t == commune.nom_recherche
    return (
        t == commune.nom_recherche
        or t.startswith(commune.nom_recherche)
        or texte.strip().upper() == commune.code_insee
        or texte.strip() in commune.codes_postaux.split("|")
    )


class PatienteleForm(EtapeForm):
    patientele_mt = NombrePatientsField(
        label="Patientèle médecin traitant",
        help_text="Patients (adultes et enfants) qui vous ont déclaré comme médecin traitant.",
        error_messages={"required": "Indiquez votre patientèle médecin traitant."},
    )
    file_active = NombrePatientsField(
        label="File active",
        help_text="Patients différents vus au moins une fois au cours des 12 derniers mois.",
        error_messages={"required": "Indiquez votre file active."},
    )
    part_honoraires_cliniques = PourcentageField(
        label="Part des honoraires cliniques (%)",
        required=False,
    )

    tranche_percentile = forms.ChoiceField(
        label="Votre tranche de patientèle (votre CPAM vous l’indique)",
        choices=[("", "Je ne sais pas"), *TRANCHES_PERCENTILE.items()],
        required=False,
        widget=forms.RadioSelect,
        help_text="La CNAM classe les médecins de chaque spécialité selon leur file active. "
        "« P30 » est le chiffre sous lequel se trouvent les trois médecins sur dix qui voient le "
        "moins de patients, « P50 » le chiffre du milieu, « P95 » celui que seuls cinq médecins "
        "sur cent dépassent. En dessous du P30, l’aide n’est pas ouverte (sauf nouvelle "
        "installation, RQTH ou ALD)\u00a0; au-delà du P95, l’objectif est de garder sa "
        "patientèle. Pour un contrat signé avant 2023, la tranche donne aussi la hausse demandée "
        "en 3ᵉ\u00a0année. Ces chiffres ne sont pas publiés pour votre spécialité\u00a0: votre "
        "délégué(e) de l’Assurance Maladie vous dit où vous vous situez.",
        error_messages={"invalid_choice": "Tranche non reconnue\u00a0: choisissez dans la liste."},
    )

    chiffres_verifies = forms.BooleanField(
        label="J’ai vérifié\u00a0: ma file active est bien plus petite que ma patientèle médecin "
        "traitant",
        required=False,
    )

    def __init__(self, *args: Any, verifier_coherence: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verifier_coherence = verifier_coherence
        self.demande_verification = False
        if not self.contexte.demande_tranche:
            del self.fields["tranche_percentile"]
        if not self.contexte.demande_mt:
            del self.fields["patientele_mt"]
        elif self.contexte.specialite is not None and not self.contexte.specialite.generaliste:
            # Paediatricians: an MT target only if they are médecin traitant of patients.
            self.fields["patientele_mt"].required = False
        if not self.contexte.demande_honoraires_cliniques:
            del self.fields["part_honoraires_cliniques"]
        else:
            jour = self.contexte.date_signature or dt.date.today()
            seuil = parametres_obtenir().conditions.honoraires_cliniques_min.en_vigueur(jour)
            exigence = f"il en faut au moins {fmt.nombre(seuil.valeur)} %" if seuil else ""
            self.fields["part_honoraires_cliniques"].help_text = (
                "Part des honoraires cliniques (consultations) dans vos honoraires des 12 derniers "
                f"mois{' : ' + exigence if exigence else ''} pour votre spécialité."
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        mt, fa = donnees.get("patientele_mt"), donnees.get("file_active")
        if (
            self.verifier_coherence
            and mt is not None
            and fa is not None
            and fa < mt
            and not donnees.get("chiffres_verifies")
        ):
            # Possible (patients who have not come this year) but rare: usually a slip.
            self.demande_verification = True
            self.add_error(
                "file_active",
                f"Votre file active ({fmt.nombre(fa)}) est plus petite que votre patientèle "
                f"médecin traitant ({fmt.nombre(mt)})\u00a0: la file active compte tous les patients "
                "vus dans l’année, médecin traitant ou non. Vérifiez les deux chiffres sur "
                "amelipro, puis cochez la case ci-dessous s’ils sont justes.",
            )
        return donnees

    def reponses(self) -> dict[str, str | None]:
        reponses = super().reponses()
        reponses.pop("chiffres_verifies", None)  # a check of this page, not an answer
        return reponses


class ContratForm(EtapeForm):
    date_signature = forms.DateField(
        label="Date de signature du contrat",
        help_text="Aujourd’hui par défaut. Elle détermine les règles applicables.",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de signature (aujourd’hui si vous simulez un contrat "
            "à signer).",
            "invalid": "Date invalide\u00a0: format attendu JJ/MM/AAAA.",
        },
    )
    option = forms.ChoiceField(
        label="Option",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une option."},
    )
    date_contrat_temps_plein = forms.DateField(
        label="Date de signature de votre contrat 1 ETP en cours",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date invalide\u00a0: format attendu JJ/MM/AAAA."},
    )
    objectifs_atteints = forms.ChoiceField(
        label="Les objectifs de ce contrat 1 ETP sont-ils atteints\u00a0?",
        choices=OUI_NON,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without JavaScript the options cannot follow the date being typed: until a date
        # is known, every option is offered with the dates it could be signed.
        date_connue = self.is_bound or bool(self.initial.get("date_signature"))
        if not self.initial.get("date_signature") and not self.is_bound:
            self.initial["date_signature"] = dt.date.today()
        # The earlier answers go with the refresh: the zone decides the second assistant.
        autres = {
            c: v for c, v in self.contexte.reponses.items() if c not in ("date_signature", "option")
        }
        self.fields["date_signature"].widget.attrs["data-options"] = (
            f"{reverse('options_contrat')}?{requete_construire(autres)}"
        )
        parametres = parametres_obtenir()
        self.premier_jour = parametres.premier_jour
        self.regime = parametres.regime_a_la_date(self._jour()) or parametres.regime_a_la_date(
            dt.date.today()
        )
        assert self.regime is not None
        self.toutes_dates = not date_connue
        choix, self.options_fermees = options_offrir(
            regime=self.regime,
            jour=self._jour(),
            toutes_dates=self.toutes_dates,
            contexte=self.contexte,
        )
        cast(forms.ChoiceField, self.fields["option"]).choices = choix
        self.fields["option"].error_messages["invalid_choice"] = (
            f"Cette option n’est pas ouverte pour un contrat signé à cette date "
            f"({self.regime.libelle})\u00a0: choisissez parmi les options proposées."
        )
        self.propose_second = any(option_second_assistant(o) for o, _ in choix)
        if not self.propose_second:
            del self.fields["date_contrat_temps_plein"]
            del self.fields["objectifs_atteints"]

    def _jour(self) -> dt.date:
        brut = (
            self.data.get("date_signature") if self.is_bound else self.initial.get("date_signature")
        )
        if isinstance(brut, dt.date):
            return brut
        for format_ in DATE_FORMATS:
            try:
                return dt.datetime.strptime(str(brut), format_).date()
            except ValueError:
                continue
        return dt.date.today()

    def clean_date_signature(self) -> dt.date:
        jour: dt.date = self.cleaned_data["date_signature"]
        if jour < self.premier_jour:
            raise ValidationError(
                f"Aucun dispositif d’aide à l’emploi d’un assistant médical avant le "
                f"{fmt.date_fr(self.premier_jour)}\u00a0: choisissez une date à partir de celle-ci."
            )
        if message := date_signature_trop_lointaine(jour):
            raise ValidationError(message)
        return jour

    def clean(self) -> dict[str, Any]:
        super().clean()
        donnees = self.cleaned_data
        if option_second_assistant(donnees.get("option", "")):
            if not donnees.get("date_contrat_temps_plein"):
                self.add_error(
                    "date_contrat_temps_plein",
                    "Indiquez la date de signature de votre contrat 1 ETP en cours.",
                )
            if not donnees.get("objectifs_atteints"):
                self.add_error("objectifs_atteints", "Répondez par oui ou par non.")
        else:
            donnees.pop("date_contrat_temps_plein", None)
            donnees.pop("objectifs_atteints", None)
        return donnees

    def reponses(self) -> dict[str, str | None]:
        reponses = super().reponses()
        reponses.setdefault("date_contrat_temps_plein", None)
        reponses.setdefault("objectifs_atteints", None)
        return reponses


class ExerciceForm(EtapeForm):
    exercice = forms.ChoiceField(
        label="Vous exercez",
        choices=list(EXERCICES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre mode d’exercice."},
    )
    exercice_coordonne = forms.ChoiceField(
        label="Participez-vous à un exercice coordonné (CPTS, MSP, ESP, centre de santé…), ou "
        "vous engagez-vous à le faire dans les 2 ans\u00a0?",
        choices=OUI_NON,
        widget=forms.RadioSelect,
        error_messages={"required": "Répondez par oui ou par non."},
    )
    part_patients_moins_16_ans = PourcentageField(
        label="Part de vos patients de moins de 16 ans (%)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialite = self.contexte.specialite
        if specialite is None or not specialite.generaliste:
            del self.fields["part_patients_moins_16_ans"]
            return
        # The figures come from the dated parameters of the contract's day.
        conditions = parametres_obtenir().conditions
        jour = self.contexte.date_signature or dt.date.today()
        part = conditions.moins_16_ans_part_min.en_vigueur(jour)
        file_active = conditions.moins_16_ans_file_active_min.en_vigueur(jour)
        if part is not None and file_active is not None:
            self.fields["part_patients_moins_16_ans"].help_text = (
                f"Au-delà de {fmt.nombre(part.valeur)} % (avec une file active d’au moins "
                f"{fmt.nombre(file_active.valeur)}), un généraliste est dispensé du seuil minimal "
                "de patientèle."
            )


FORMULAIRES: dict[str, type[EtapeForm]] = {
    "medecin": MedecinForm,
    "lieu": LieuForm,
    "patientele": PatienteleForm,
    "contrat": ContratForm,
    "exercice": ExerciceForm,
}
