"""Targets since 2023: the derived formula (objectifs_2023.yaml), very high patientèle,
the 65-and-over maintain rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rules.core import formatting as fmt
from rules.core.context import INDICATEUR_LIBELLES, Calcul, objectif_creer
from rules.core.facts import Percentiles
from rules.core.parameters import (
    Parametres,
    ValeurDatee,
)
from rules.core.result import (
    IndicateurObjectif,
    Objectif,
)


def _maintien_65_ans(ctx: Calcul, valeur: int) -> tuple[int, str, ValeurDatee] | None:
    """Convention 2024, 65 and over: keep the patientèle, a 10 % decrease tolerated."""
    if not ctx.situation.age_65_ans_ou_plus:
        return None
    tolerance = ctx.facultatif(ctx.parametres.conditions.baisse_toleree_65_ans)
    if tolerance is None:
        return None
    plancher = fmt.patients_arrondir(Decimal(valeur) * (1 - tolerance.valeur))
    formule = (
        f"65 ans et plus\u00a0: maintien de {fmt.nombre(valeur)} "
        f"(baisse de {fmt.taux(tolerance.valeur)} tolérée, soit au moins {fmt.nombre(plancher)})"
    )
    return plancher, formule, tolerance


def objectif_2023_calculer(
    ctx: Calcul, indicateur: IndicateurObjectif, valeur: int, remarques: list[str]
) -> Objectif | None:
    s, spe, params = ctx.situation, ctx.faits.specialite, ctx.parametres.objectifs_2023
    libelle = INDICATEUR_LIBELLES[indicateur]
    maintien = _maintien_65_ans(ctx, valeur)
    if maintien is not None and not s.primo_installe:
        _, formule, tolerance = maintien
        ctx.etape(
            f"Objectif {libelle.lower()}\u00a0: maintien",
            "+\u00a00\u00a0patient",
            parametre=tolerance,
            formule=formule,
            estimation=True,
        )
        return objectif_creer(
            indicateur=indicateur,
            libelle=libelle,
            initiale=valeur,
            hausse=0,
            tranche="maintien (65 ans et plus)",
            formule=formule,
            estimation=True,
        )
    position = ctx.position
    p = ctx.percentiles.get(indicateur)
    if position is not None and position.tres_forte:
        return _objectif_tres_forte_patientele(ctx, indicateur, valeur, p)
    if p is None or p.p50 is None or p.p95 is None:
        return None
    plateau = ctx.parametre(getattr(params.plateau[s.option], indicateur))  # type: ignore[index]
    k = plateau.valeur
    estimation = True  # the formula is derived from worked examples (docs/regles.md §4)
    echelle = ""
    if not spe.generaliste:
        reference = ctx.parametre(getattr(params.reference_p50, indicateur))
        k = k * Decimal(p.p50) / reference.valeur
        echelle = (
            f"plateau des généralistes {fmt.nombre(plateau.valeur)} × P50 de la spécialité "
            f"{fmt.nombre(p.p50)} / P50 des généralistes {fmt.nombre(reference.valeur)} = "
            f"{fmt.nombre(k, 2)}\u00a0; "
        )
    if valeur <= p.p50:
        forme = Decimal(1)
        forme_txt = f"{fmt.nombre(valeur)} ≤ P50 ({fmt.nombre(p.p50)})\u00a0: hausse entière"
        tranche = "jusqu’au P50"
    elif valeur >= p.p95:
        forme = Decimal(0)
        forme_txt = f"{fmt.nombre(valeur)} ≥ P95 ({fmt.nombre(p.p95)})\u00a0: pas de hausse sur cet indicateur"
        tranche = "au moins P95"
    else:
        forme = Decimal(p.p95 - valeur) / Decimal(p.p95 - p.p50)
        forme_txt = (
            f"coefficient = (P95 − x) / (P95 − P50) = ({fmt.nombre(p.p95)} − {fmt.nombre(valeur)}) "
            f"/ ({fmt.nombre(p.p95)} − {fmt.nombre(p.p50)}) = {fmt.nombre(forme, 4)}"
        )
        tranche = "entre P50 et P95"
    brut = k * forme
    calcul = f"{fmt.nombre(k, 2) if echelle else fmt.nombre(k)} × {fmt.nombre(forme, 4)}"
    if indicateur == "patientele_mt" and s.option == "temps_plein":
        part = ctx.parametre(params.part_fixe_mt_temps_plein)
        plafond = ctx.parametre(params.plafond_part_fixe_mt_temps_plein)
        fixe = min(Decimal(valeur) * part.valeur, plafond.valeur)
        brut += fixe
        calcul += f" + {fmt.taux(part.valeur)} × {fmt.nombre(valeur)}"
        if fixe == plafond.valeur:
            calcul += f" (plafonné à {fmt.nombre(plafond.valeur)})"
    hausse = fmt.patients_arrondir(brut)
    formule = f"{echelle}{forme_txt}\u00a0; {calcul} = {fmt.nombre(brut, 2)} → {fmt.nombre(hausse)}"
    cible = valeur + hausse
    if s.primo_installe and cible < p.p50:
        formule += f" ; nouvellement installé\u00a0: objectif porté au P50 ({fmt.nombre(p.p50)})"
        cible = p.p50
        hausse = cible - valeur
    if maintien is not None:
        _, formule_65, _ = maintien
        remarques.append(
            f"Autre lecture ({INDICATEUR_LIBELLES[indicateur].lower()}), à 65 ans et plus\u00a0: "
            f"{formule_65.removeprefix('65 ans et plus : ')}. La CPAM dit laquelle s’applique."
        )
    ctx.etape(
        f"Objectif {libelle.lower()}\u00a0: hausse",
        f"+\u00a0{fmt.patients(hausse)}",
        parametre=plateau,
        formule=formule,
        estimation=estimation,
    )
    return objectif_creer(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        tranche=tranche,
        formule=formule,
        estimation=estimation,
    )


def _objectif_tres_forte_patientele(
    ctx: Calcul, indicateur: IndicateurObjectif, valeur: int, p: Percentiles | None
) -> Objectif:
    """The 2023 URPS sheet: every indicator that counts ≥ P95 → keep the patientèle at 1/2 ETP; at
    1 ETP, + 5 % of the MT, at most 109 patients, and no FA increase."""
    s, params = ctx.situation, ctx.parametres.objectifs_2023
    libelle = INDICATEUR_LIBELLES[indicateur]
    p95 = f"P95 ({fmt.nombre(p.p95)})" if p is not None and p.p95 else "P95 (selon votre CPAM)"
    base = f"très forte patientèle ({fmt.nombre(valeur)} ≥ {p95}, sur chaque indicateur)"
    part = ctx.parametre(params.part_fixe_mt_temps_plein)
    if indicateur == "patientele_mt" and s.option == "temps_plein":
        plafond = ctx.parametre(params.plafond_part_fixe_mt_temps_plein)
        brut = Decimal(valeur) * part.valeur
        hausse = min(fmt.patients_arrondir(brut), int(plafond.valeur))
        formule = (
            f"{base}\u00a0; temps plein\u00a0: {fmt.taux(part.valeur)} × {fmt.nombre(valeur)} = "
            f"{fmt.nombre(brut, 2)}, au plus {fmt.nombre(plafond.valeur)} → {fmt.nombre(hausse)}"
        )
        ctx.etape(
            f"Objectif {libelle.lower()}\u00a0: hausse",
            f"+\u00a0{fmt.patients(hausse)}",
            parametre=plafond,
            formule=formule,
        )
    else:
        hausse = 0
        formule = f"{base}\u00a0; maintien de la patientèle"
        ctx.etape(
            f"Objectif {libelle.lower()}\u00a0: maintien",
            "+\u00a00\u00a0patient",
            formule=formule,
            source=ctx.source("seed_001"),
        )
    return objectif_creer(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        tranche="au-delà du P95 (très forte patientèle)",
        formule=formule,
        estimation=False,
    )


def formule_2023_decrire(*, parametres: Parametres, jour: dt.date) -> dict[str, str]:
    """The derived formula's constants in force on ``jour``, in French, for the pages that
    explain it (the sources page): each figure read from its parameter."""
    o = parametres.objectifs_2023
    return {
        "mi_temps_mt": fmt.nombre(o.plateau["mi_temps"].patientele_mt.a_la_date(jour).valeur),
        "mi_temps_fa": fmt.nombre(o.plateau["mi_temps"].file_active.a_la_date(jour).valeur),
        "temps_plein_mt": fmt.nombre(o.plateau["temps_plein"].patientele_mt.a_la_date(jour).valeur),
        "temps_plein_fa": fmt.nombre(o.plateau["temps_plein"].file_active.a_la_date(jour).valeur),
        "part_fixe_mt": fmt.taux(o.part_fixe_mt_temps_plein.a_la_date(jour).valeur),
        "plafond_mt": fmt.nombre(o.plafond_part_fixe_mt_temps_plein.a_la_date(jour).valeur),
        "p50_mt": fmt.nombre(o.reference_p50.patientele_mt.a_la_date(jour).valeur),
        "p50_fa": fmt.nombre(o.reference_p50.file_active.a_la_date(jour).valeur),
    }
