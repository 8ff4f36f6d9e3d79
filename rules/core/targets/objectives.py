"""Year-3 targets: which indicators carry one, and the regime that computes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rules.core import formatting as fmt
from rules.core.context import (
    ESTIMATION,
    INDICATEUR_LIBELLES,
    OPTIONS_SECOND_ASSISTANT,
    Calcul,
    _valeurs_indicateurs,
)
from rules.core.dates import annees_ajouter
from rules.core.parameters import ValeurDatee
from rules.core.result import (
    IndicateurObjectif,
    Objectif,
    Objectifs,
)
from rules.core.situation import (
    TRANCHES_PERCENTILE,
    SituationInvalide,
)
from rules.core.targets.avenant_7 import objectif_avenant_7_calculer
from rules.core.targets.since_2023 import objectif_2023_calculer

# How each family computes a target (rules/core/families.py names the one it uses).
CALCULS: dict[str, Callable[[Calcul, IndicateurObjectif, int, list[str]], Objectif | None]] = {
    "pourcentage_de_la_tranche": objectif_avenant_7_calculer,
    "formule_2023": objectif_2023_calculer,
}


def objectifs_calculer(ctx: Calcul, *, eligible: bool = True) -> Objectifs:
    """The year-3 targets; none for a doctor who cannot sign (the contract's ``null``, with
    the reason in ``explication``)."""
    s, regime = ctx.situation, ctx.regime
    annees = ctx.parametre(ctx.parametres.conditions.annees_objectif)
    echeance = annees_ajouter(s.date_signature, int(annees.valeur))
    explication: str | None
    if not eligible:
        return Objectifs(
            patientele_mt=None,
            file_active=None,
            echeance=None,
            explication="Pas d'objectif : en l'état, les conditions de l'aide ne sont pas "
            "remplies, et un contrat ne peut pas être signé. Ce qui changerait la réponse est "
            "décrit avec le résultat.",
            estimation=False,
        )
    if s.option in OPTIONS_SECOND_ASSISTANT or s.option not in regime.options:
        explication = (
            "Objectifs du second assistant\u00a0: fixés par la CPAM (non publiés)."
            if s.option in OPTIONS_SECOND_ASSISTANT and s.option in regime.options
            else "Pas d’objectif\u00a0: l’option choisie n’est pas ouverte sous ce régime."
        )
        return Objectifs(
            patientele_mt=None,
            file_active=None,
            echeance=None,
            explication=explication,
            estimation=False,
        )
    resultats: dict[str, Objectif | None] = {"patientele_mt": None, "file_active": None}
    manquants: list[str] = []
    remarques: list[str] = []
    for indicateur in ctx.indicateurs:
        valeur = _valeurs_indicateurs(ctx)[indicateur]
        assert valeur is not None
        objectif = CALCULS[ctx.regles.objectifs](ctx, indicateur, valeur, remarques)
        if objectif is None:
            manquants.append(INDICATEUR_LIBELLES[indicateur].lower())
        resultats[indicateur] = objectif
    explication = None
    if manquants and s.tranche_percentile is not None and not ctx.regles.tranches_conjointes:
        # The doctor stated his band, yet from 2023 it does not give the target: say why,
        # and what the band did count for.
        explication = (
            f"Votre CPAM vous situe {TRANCHES_PERCENTILE[s.tranche_percentile]}. Depuis 2023, "
            "l’objectif se calcule à partir du P50 et du P95 de votre spécialité, que la CNAM ne "
            "publie pas\u00a0: c’est votre CPAM qui le fixe. Votre tranche compte ici pour le "
            "seuil minimal (P30) et pour la très forte patientèle (au-delà du P95, l’objectif "
            "est de garder sa patientèle)."
        )
    elif manquants:
        explication = (
            f"Objectif de {' et de '.join(manquants)} non calculé\u00a0: les percentiles CNAM de votre "
            "spécialité ne sont pas connus ici. Demandez à votre CPAM (délégué de l’Assurance "
            "Maladie) votre objectif, ou les P50 et P95 de votre spécialité"
            + (
                " ; sous les règles de 2019, la tranche de patientèle qu’elle vous indique suffit "
                "à le calculer ici."
                if ctx.regles.tranches_conjointes
                else "."
            )
        )
    elif ctx.faits.specialite.generaliste is False and "patientele_mt" not in ctx.indicateurs:
        explication = "Votre spécialité n’a qu’un objectif, sur la file active."
    if _objectif_mt_du(ctx) and "patientele_mt" not in ctx.indicateurs:
        remarques.append(
            "Un objectif de patientèle médecin traitant s’ajoute si vous êtes médecin traitant "
            "de patients\u00a0: indiquez cette patientèle pour le calculer."
        )
    if ctx.regles.risque_deux_objectifs:
        remarques.append(
            "Attention\u00a0: pour les contrats de 2019 à 2023, les CPAM ont souvent exigé les deux "
            "objectifs et retenu l’acompte de 3ᵉ année quand l’un manquait (courriers "
            "syndicaux et presse, 2025)."
        )
    if remarques:
        explication = " ".join(filter(None, [explication, *remarques]))
    estimation = any(o.estimation for o in resultats.values() if o is not None)
    if estimation:
        ctx.avertir(ESTIMATION)
    ctx.decrire(_etape_echeance, echeance, annees, s.date_signature)
    return Objectifs(
        patientele_mt=resultats["patientele_mt"],
        file_active=resultats["file_active"],
        echeance=echeance,
        explication=explication,
        estimation=estimation,
    )


def _etape_echeance(
    echeance: dt.date, annees: ValeurDatee, signature: dt.date
) -> tuple[str, str, dict[str, Any]]:
    formule = f"signature le {fmt.date_fr(signature)} + {fmt.nombre(annees.valeur)} ans"
    return (
        "Échéance des objectifs",
        fmt.date_fr(echeance),
        {"parametre": annees, "formule": formule},
    )


def _objectif_mt_du(ctx: Calcul) -> bool:
    regle = ctx.faits.specialite.regles.get(ctx.regime.code)
    return regle.objectif_mt if regle is not None else ctx.faits.specialite.generaliste


def indicateurs_determiner(ctx: Calcul) -> tuple[IndicateurObjectif, ...]:
    """The indicators that carry a target (and place the doctor in a band).

    GPs owe an MT target and must give their MT; other specialties with an MT target
    (paediatricians since 2023) get it only when they give an MT figure."""
    objectif_mt = _objectif_mt_du(ctx)
    if objectif_mt and ctx.situation.patientele_mt is None:
        if ctx.faits.specialite.generaliste:
            raise SituationInvalide(
                {
                    "patientele_mt": [
                        "Pour votre spécialité, l’objectif porte aussi sur la patientèle médecin "
                        "traitant\u00a0: indiquez-la."
                    ]
                }
            )
        objectif_mt = False
    return ("patientele_mt", "file_active") if objectif_mt else ("file_active",)
