"""The minimum patientèle (P30) and its derogations."""

from __future__ import annotations

from rules.core import formatting as fmt
from rules.core.context import Calcul, _condition, _condition_creer
from rules.core.place import sous_dense_situer
from rules.core.result import (
    Condition,
    LieuApplique,
)
from rules.core.situation import (
    TRANCHES_PERCENTILE,
)


def minimum_evaluer(ctx: Calcul, lieu: LieuApplique) -> Condition:
    s, spe = ctx.situation, ctx.faits.specialite
    regles = ctx.regles
    libelle = "Patientèle minimale (P30)"
    indicateur = "patientele_mt" if spe.generaliste else "file_active"
    nom = (
        "patientèle médecin traitant" + (" adulte" if regles.mt_adultes else "")
        if spe.generaliste
        else "file active"
    )
    valeur = s.patientele_mt if spe.generaliste else s.file_active
    p = ctx.percentiles.get(indicateur)
    seuil = p.p30 if p is not None else None
    if s.primo_installe:
        message = "Nouvellement installé\u00a0: éligible quelle que soit la patientèle" + (
            " ; objectif\u00a0: atteindre le P50 en 3ᵉ année."
            if regles.primo_objectif_p50
            else " (dérogation au seuil minimal)."
        )
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            message,
            regles.source_primo,
        )
    if (seuil is None or valeur is None) and s.tranche_percentile == "sous_p30":
        return _minimum_sous_p30_declare(ctx, lieu, libelle, nom)
    if (seuil is None or valeur is None) and s.tranche_percentile is not None:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            f"Votre {nom} est, selon votre CPAM, {TRANCHES_PERCENTILE[s.tranche_percentile]}\u00a0: "
            "au moins le seuil P30.",
            "seed_001",
        )
    if seuil is None or valeur is None:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "a_verifier",
            f"Le seuil minimal (P30 de la {nom}) de votre spécialité n’est pas connu ici\u00a0: la "
            "CPAM le vérifie. Si elle vous a indiqué votre tranche de patientèle, précisez-la.",
            "seed_001",
        )
    source_seuil = p.source if p else None
    if valeur >= seuil:
        return _condition_creer(
            "patientele_minimum",
            libelle,
            "ok",
            f"{nom.capitalize()} de {fmt.nombre(valeur)}\u00a0: au moins le seuil P30 "
            f"({fmt.nombre(seuil)}).",
            source_seuil,
        )
    # Below P30: the derogations.
    manque = seuil - valeur
    return _sous_p30_conclure(
        ctx,
        lieu,
        libelle,
        constat=f"{nom.capitalize()} de {fmt.nombre(valeur)}, sous le seuil P30 ({fmt.nombre(seuil)})",
        refus=_condition_creer(
            "patientele_minimum",
            libelle,
            "ko",
            f"{nom.capitalize()} de {fmt.nombre(valeur)}\u00a0: il manque {fmt.patients(manque)} "
            f"pour atteindre le seuil P30 ({fmt.nombre(seuil)}). Les médecins nouvellement "
            "installés et ceux reconnus RQTH ou en ALD en sont dispensés.",
            source_seuil,
        ),
    )


def _minimum_sous_p30_declare(ctx: Calcul, lieu: LieuApplique, libelle: str, nom: str) -> Condition:
    """The CPAM told the doctor his patientèle is below P30 (his specialty's percentiles are
    not known here): the derogations apply as for a counted patientèle."""
    constat = f"Votre {nom} est, selon votre CPAM, en dessous du P30"
    return _sous_p30_conclure(
        ctx,
        lieu,
        libelle,
        constat=constat,
        refus=_condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ko",
            f"{constat}\u00a0: le seuil minimal n’est pas atteint. Les médecins nouvellement "
            "installés et ceux reconnus RQTH ou en ALD en sont dispensés.",
            "seed_001",
        ),
    )


def _sous_p30_conclure(
    ctx: Calcul, lieu: LieuApplique, libelle: str, *, constat: str, refus: Condition
) -> Condition:
    """Below P30, counted or stated by the CPAM: a derogation (RQTH / ALD, then the 2019
    ones), or the refusal the caller worded."""
    if ctx.situation.rqth_ald:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "a_verifier",
            f"{constat}\u00a0: dérogation RQTH / ALD, la CPAM adapte le contrat.",
            "seed_001",
        )
    if ctx.regles.derogations_minimum_2019:
        derogation = _minimum_derogation_avenant_7(ctx, lieu, libelle)
        if derogation is not None:
            return derogation
    return refus


def _minimum_derogation_avenant_7(
    ctx: Calcul, lieu: LieuApplique, libelle: str
) -> Condition | None:
    s, spe = ctx.situation, ctx.faits.specialite
    conditions = ctx.parametres.conditions
    part_min = ctx.facultatif(conditions.moins_16_ans_part_min)
    fa_min = ctx.facultatif(conditions.moins_16_ans_file_active_min)
    if (
        spe.generaliste
        and part_min is not None
        and fa_min is not None
        and s.part_patients_moins_16_ans is not None
        and s.part_patients_moins_16_ans > part_min.valeur
        and s.file_active >= fa_min.valeur
    ):
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            f"Dérogation\u00a0: plus de {fmt.nombre(part_min.valeur)} % de patients de moins de "
            f"16 ans et une file active d’au moins {fmt.nombre(fa_min.valeur)}.",
            part_min.source,
        )
    if s.exercice != "isole":
        return None
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if sous_dense:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            "Dérogation\u00a0: médecin exerçant seul en zone sous-dense.",
            "seed_003",
        )
    return _condition(
        ctx,
        "patientele_minimum",
        libelle,
        "a_verifier",
        f"Sous le seuil, un médecin exerçant seul en est dispensé en zone sous-dense\u00a0; {precision}\u00a0: "
        "la CPAM le confirme.",
        "seed_003",
    )
