"""Follow-up of a signed contract: for a year ≥ 3, what is paid given the patientèle reached.

Rules (the 2023 URPS sheet, table « Atteinte de l'objectif individuel »; the 2023
Assurance Maladie brochure for the payment):
- both targets met → 100 %;
- one met, the other not met but not below its initial value → 100 %;
- neither met, neither below its initial value → prorated on the indicator with the
  higher achievement rate (progress made / progress owed);
- any indicator below its initial value → nothing for that year.
Since 2023 the year is paid as a 50 % advance on the anniversary and a balance once the
achievement is known; a balance below zero means the advance is recovered (estimate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from rules.core import formatting as fmt
from rules.core.families import regles_obtenir
from rules.core.parameters import CONFIANCE_LIBELLES, Parametres
from rules.core.result import Etape, Objectif, Resultat, Suivi
from rules.core.situation import PATIENTS_MAX, SituationInvalide, _entier


class SuiviSaisie(BaseModel):
    """What the doctor reached, for one contract year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    annee: Annotated[int, BeforeValidator(_entier), Field(ge=3, le=5, title="Année du contrat")]
    # Constraints before the validator (as in Situation): after it, pydantic applies
    # them to None too and raised a TypeError instead of a French message.
    patientele_mt_atteinte: Annotated[
        int | None, Field(ge=0, le=PATIENTS_MAX), BeforeValidator(_entier)
    ] = Field(default=None, title="Patientèle médecin traitant atteinte")
    file_active_atteinte: Annotated[
        int, BeforeValidator(_entier), Field(ge=0, le=PATIENTS_MAX, title="File active atteinte")
    ]


def suivi_valider(donnees: Any) -> SuiviSaisie:
    if isinstance(donnees, SuiviSaisie):
        return donnees
    try:
        return SuiviSaisie.model_validate(donnees)
    except ValidationError as exc:
        erreurs = SituationInvalide.depuis_pydantic(exc).erreurs
        if "annee" in erreurs:
            erreurs["annee"] = [
                "Le suivi porte sur les années 3 à 5\u00a0: les deux premières années, l’aide est "
                "versée en totalité."
            ]
        raise SituationInvalide(erreurs) from None


def _taux_atteinte(objectif: Objectif, atteinte: int) -> Decimal:
    if objectif.cible <= objectif.initiale:
        return Decimal(1) if atteinte >= objectif.initiale else Decimal(0)
    taux = Decimal(atteinte - objectif.initiale) / Decimal(objectif.cible - objectif.initiale)
    return max(Decimal(0), min(Decimal(1), taux))


def _plancher_decrire(objectif: Objectif, plancher: int) -> str:
    """The floor below which nothing is due: a tolerated decrease (65 and over) is said as
    such; otherwise the floor is the initial patientèle, not a tolerance."""
    if plancher < objectif.initiale:
        return f" (baisse tolérée jusqu’à {fmt.nombre(plancher)}, 65\u00a0ans et plus)"
    if plancher < objectif.cible:
        return (
            f"\u00a0; en dessous de la situation initiale ({fmt.nombre(plancher)}), rien n’est dû"
        )
    return ""


def _bilan_etablir(
    objectifs: list[tuple[Objectif, int | None]],
    *,
    tolere: Decimal,
    trace: list[Etape],
    parametres: Parametres,
) -> tuple[str, Decimal, str]:
    """The 2023 URPS sheet's achievement table: (case, share of the year's aid due, explanation)."""
    bilans = []
    for objectif, atteinte in objectifs:
        assert atteinte is not None
        plancher = (
            objectif.initiale
            if not tolere
            else fmt.patients_arrondir(Decimal(objectif.initiale) * (1 - tolere))
        )
        baisse = atteinte < plancher
        # 65 and over: the target is to keep the patientèle, a tolerated decrease included.
        atteint = atteinte >= (plancher if objectif.cible <= objectif.initiale else objectif.cible)
        taux = Decimal(1) if atteint else _taux_atteinte(objectif, atteinte)
        bilans.append((objectif, atteinte, baisse, atteint, taux))
        etat = "baisse" if baisse else "objectif atteint" if atteint else "objectif non atteint"
        trace.append(
            Etape(
                libelle=f"{objectif.libelle}\u00a0: {etat}",
                # The floor is said where it matters: an objective met has no floor to fear.
                valeur=f"{fmt.nombre(atteinte)} pour un objectif de {fmt.nombre(objectif.cible)}"
                + ("" if atteint else _plancher_decrire(objectif, plancher)),
                formule=(
                    f"taux d’atteinte = ({fmt.nombre(atteinte)} − {fmt.nombre(objectif.initiale)}) / "
                    f"({fmt.nombre(objectif.cible)} − {fmt.nombre(objectif.initiale)}) = {fmt.taux(taux.quantize(Decimal('0.0001')))}"
                    if objectif.cible > objectif.initiale
                    else "objectif de maintien"
                ),
                source=parametres.source_titre("seed_001"),
            )
        )

    if any(b[2] for b in bilans):
        baisses = [b[0].libelle.lower() for b in bilans if b[2]]
        return (
            "baisse",
            Decimal(0),
            f"Baisse de la {' et de la '.join(baisses)} par rapport à la situation "
            "initiale\u00a0: aucune aide n’est due pour cette année.",
        )
    if all(b[3] for b in bilans):
        return (
            "objectifs_atteints",
            Decimal(1),
            "Objectif(s) atteint(s)\u00a0: 100 % de l’aide est due.",
        )
    if any(b[3] for b in bilans):
        return (
            "un_atteint_sans_baisse",
            Decimal(1),
            "Un objectif est atteint et l’autre, sans être atteint, ne baisse pas\u00a0: "
            "100 % de l’aide est due.",
        )
    meilleur = max(bilans, key=lambda b: b[4])
    part = meilleur[4]
    return (
        "proratisation",
        part,
        f"Aucun objectif atteint, sans baisse\u00a0: l’aide est proratisée sur le "
        f"meilleur taux d’atteinte ({meilleur[0].libelle.lower()}, {fmt.taux(part.quantize(Decimal('0.0001')))}).",
    )


def suivi_calculer(
    *, resultat: Resultat, saisie: SuiviSaisie | dict[str, Any], parametres: Parametres
) -> Suivi:
    s = suivi_valider(saisie)
    situation = resultat.situation
    trace: list[Etape] = []
    annee = resultat.aide.annees[s.annee - 1]
    objectifs = [
        (o, atteinte)
        for o, atteinte in (
            (resultat.objectifs.patientele_mt, s.patientele_mt_atteinte),
            (resultat.objectifs.file_active, s.file_active_atteinte),
        )
        if o is not None
    ]
    if resultat.objectifs.patientele_mt is not None and s.patientele_mt_atteinte is None:
        raise SituationInvalide(
            {"patientele_mt_atteinte": ["Indiquez la patientèle médecin traitant atteinte."]}
        )

    def sans_objet(explication: str) -> Suivi:
        return Suivi(
            annee=s.annee,
            patientele_mt_atteinte=s.patientele_mt_atteinte,
            file_active_atteinte=s.file_active_atteinte,
            montant_annuel=annee.montant,
            taux_versement="—",
            montant_du=None,
            acompte=None,
            solde=None,
            cas="sans_objet",
            explication=explication,
            trace=trace,
        )

    if resultat.eligibilite.statut == "non_eligible":
        return sans_objet("Situation non éligible\u00a0: aucune aide n’est versée.")
    if annee.montant is None or not objectifs:
        return sans_objet(
            "Les objectifs ou le montant de cette situation sont fixés par la CPAM\u00a0: elle calcule "
            "ce qui est versé."
        )

    tolerance = parametres.conditions.baisse_toleree_65_ans.en_vigueur(situation.date_signature)
    tolere = (
        tolerance.valeur if tolerance is not None and situation.age_65_ans_ou_plus else Decimal(0)
    )
    deux_lectures = bool(tolere) and situation.primo_installe
    cas, part, explication = _bilan_etablir(
        objectifs,
        tolere=Decimal(0) if deux_lectures else tolere,
        trace=trace,
        parametres=parametres,
    )
    regime = parametres.regime_a_la_date(situation.date_signature)
    if (
        cas == "un_atteint_sans_baisse"
        and regime is not None
        and regles_obtenir(regime.famille).risque_deux_objectifs
    ):
        explication += (
            " Attention\u00a0: pour les contrats de 2019 à 2023, des CPAM ont exigé les deux "
            "objectifs et retenu l’acompte de 3ᵉ\u00a0année quand l’un manquait (courriers "
            "syndicaux et presse, 2025)\u00a0: ce versement peut vous être refusé. Demandez à "
            "votre CPAM, par écrit, comment elle applique la règle."
        )
    if deux_lectures:
        # No source says whether the newly installed rule (reach P50) or the 65-and-over
        # rule (keep the patientèle, 10 % decrease tolerated) wins: show both.
        maintien = [(replace(o, hausse=0, cible=o.initiale), a) for o, a in objectifs]
        _, part_65, _ = _bilan_etablir(maintien, tolere=tolere, trace=[], parametres=parametres)
        du_65 = fmt.euros_arrondir(Decimal(annee.montant) * part_65)
        explication += (
            f" Autre lecture, à 65 ans et plus (maintien de la patientèle, baisse de "
            f"{fmt.taux(tolere)} tolérée)\u00a0: {fmt.euros(du_65)} dus. Aucune source ne dit laquelle "
            "l’emporte pour un médecin nouvellement installé\u00a0: la CPAM tranche."
        )

    montant = annee.montant
    du = fmt.euros_arrondir(Decimal(montant) * part)
    part_acompte = parametres.conditions.part_acompte.en_vigueur(situation.date_signature)
    acompte = solde = None
    if part_acompte is not None:
        acompte = fmt.euros_arrondir(Decimal(montant) * part_acompte.valeur)
        solde = du - acompte
        if solde < 0:
            explication += (
                f" L’acompte de {fmt.euros(acompte)} versé à la date anniversaire "
                f"dépasse la somme due\u00a0: {fmt.euros(-solde)} seraient à rembourser (estimation)."
            )
        trace.append(
            Etape(
                libelle="Acompte à la date anniversaire",
                valeur=fmt.euros(acompte),
                parametre=part_acompte.nom,
                source=parametres.source_titre(part_acompte.source),
                formule=f"{fmt.euros(montant)} × {fmt.taux(part_acompte.valeur)}",
                confiance=CONFIANCE_LIBELLES[part_acompte.confiance],
            )
        )
    trace.append(
        Etape(
            libelle=f"Aide due pour l’année {s.annee}",
            valeur=fmt.euros(du),
            formule=f"{fmt.euros(montant)} × {fmt.taux(part.quantize(Decimal('0.0001')))}",
            source=parametres.source_titre("seed_001"),
        )
    )
    if solde is not None:
        trace.append(
            Etape(
                libelle="Solde",
                valeur=fmt.euros(solde),
                formule=f"{fmt.euros(du)} − {fmt.euros(acompte or 0)}",
            )
        )
    return Suivi(
        annee=s.annee,
        patientele_mt_atteinte=s.patientele_mt_atteinte,
        file_active_atteinte=s.file_active_atteinte,
        montant_annuel=montant,
        taux_versement=fmt.taux(part.quantize(Decimal("0.0001"))),
        montant_du=du,
        acompte=acompte,
        solde=solde,
        cas=cas,
        explication=explication,
        trace=trace,
    )


@dataclass(frozen=True, slots=True)
class ScenarioAtteinte:
    """One way year 3 can turn out, and what the core pays for it."""

    libelle: str
    patientele_mt_atteinte: int | None
    file_active_atteinte: int
    suivi: Suivi


# How far the patientèle falls in the « recul » scenario: a small fall, below the starting
# point (no aid that year), yet within the 65-and-over tolerance where it applies.
RECUL_SCENARIO = Decimal("0.05")


def atteinte_scenarios(*, resultat: Resultat, parametres: Parametres) -> list[ScenarioAtteinte]:
    """What year 3 pays if the targets are met, half met, or the patientèle falls back:
    three runs of the follow-up calculation itself, so the result page says what the
    follow-up page would compute. Empty where the CPAM sets the targets or the amount."""
    o_mt, o_fa = resultat.objectifs.patientele_mt, resultat.objectifs.file_active
    if (
        resultat.eligibilite.statut == "non_eligible"
        or o_fa is None
        or len(resultat.aide.annees) < 3
        or resultat.aide.annees[2].montant is None
    ):
        return []

    def recul(o: Objectif) -> int:
        return int(o.initiale - (o.initiale * RECUL_SCENARIO).to_integral_value())

    lectures: list[tuple[str, Callable[[Objectif], int]]] = [
        ("Objectifs atteints", lambda o: o.cible)
    ]
    if o_fa.hausse or (o_mt is not None and o_mt.hausse):  # a target to keep has no half-way
        lectures.append(("À mi-chemin des objectifs", lambda o: o.initiale + (o.hausse + 1) // 2))
    lectures.append((f"Patientèle en recul de {fmt.taux(RECUL_SCENARIO)}", recul))
    scenarios = []
    for libelle, atteinte in lectures:
        mt = atteinte(o_mt) if o_mt is not None else None
        fa = atteinte(o_fa)
        suivi = suivi_calculer(
            resultat=resultat,
            saisie={"annee": 3, "patientele_mt_atteinte": mt, "file_active_atteinte": fa},
            parametres=parametres,
        )
        scenarios.append(ScenarioAtteinte(libelle, mt, fa, suivi))
    return scenarios
