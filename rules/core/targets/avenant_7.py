"""Avenant 7 targets: the rate of the doctor's band × the initial value (the 2019 « mode
d'emploi » sheet)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rules.core import formatting as fmt
from rules.core.context import INDICATEUR_PERCENTILE_LIBELLES, Calcul, objectif_creer
from rules.core.facts import Percentiles
from rules.core.parameters import ValeurDatee
from rules.core.position import (
    TRANCHE_LIBELLES,
    bornes_decrire,
)
from rules.core.result import (
    IndicateurObjectif,
    Objectif,
)


def _etape_hausse(
    libelle: str,
    hausse: int,
    taux: ValeurDatee,
    formule: str,
    estimation: bool,
    valeur: int,
    propre: str | None,
    p: Percentiles | None,
    tranche: str,
) -> tuple[str, str, dict[str, Any]]:
    if p is not None and propre is not None:
        place = bornes_decrire(valeur, propre, p)
    else:
        place = f"tranche {TRANCHE_LIBELLES[tranche]}, indiquée par votre CPAM"
    return (
        f"Objectif {libelle.lower()}\u00a0: hausse",
        f"+\u00a0{fmt.patients(hausse)}",
        {"parametre": taux, "formule": f"{place}\u00a0; {formule}", "estimation": estimation},
    )


def objectif_avenant_7_calculer(
    ctx: Calcul, indicateur: IndicateurObjectif, valeur: int, remarques: list[str]
) -> Objectif | None:
    """The 2019 « mode d'emploi » sheet: the rate of the doctor's band (one band for both
    indicators) × the value."""
    s, position = ctx.situation, ctx.position
    if position is None or position.tranche is None:
        return None
    tranche = position.tranche
    sous_p30 = tranche == "sous_p30"
    estimation = sous_p30 or position.divergentes
    taux_param = getattr(
        ctx.parametres.objectifs_avenant_7.taux[s.option],  # type: ignore[index]
        "p30_p50" if sous_p30 else tranche,
    )
    taux = ctx.parametre(taux_param)
    brut = Decimal(valeur) * taux.valeur
    hausse = fmt.patients_arrondir(brut)
    p = ctx.percentiles.get(indicateur)
    propre = position.tranches.get(indicateur)
    formule = f"{fmt.nombre(valeur)} × {fmt.taux(taux.valeur)} = {fmt.nombre(brut)} → {fmt.nombre(hausse)}"
    if sous_p30:
        formule += " (sous le P30\u00a0: taux de la tranche P30–P50, aucun texte ne le précise)"
    if position.divergentes and propre != tranche:
        formule += (
            f" ; taux de la tranche {TRANCHE_LIBELLES[tranche]}, la plus haute atteinte par l’un "
            "des deux indicateurs (une seule tranche par médecin)\u00a0: estimation"
        )
    serie = ctx.regime.indicateur_mt if indicateur == "patientele_mt" else "file_active"
    libelle = INDICATEUR_PERCENTILE_LIBELLES[serie]
    ctx.decrire(
        _etape_hausse, libelle, hausse, taux, formule, estimation, valeur, propre, p, tranche
    )
    if position.divergentes:
        ctx.avertir(
            "Vos deux indicateurs ne sont pas dans la même tranche de patientèle\u00a0: le taux de la "
            "plus haute s’applique aux deux (lecture de la fiche de 2019 et d’un contrat réel), "
            "à confirmer avec la CPAM."
        )
    return objectif_creer(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        tranche=TRANCHE_LIBELLES[tranche],
        formule=formule,
        estimation=estimation,
    )
