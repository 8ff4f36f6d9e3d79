"""Avenant 7 practice conditions: grouping (or its exemptions) and coordinated practice."""

from __future__ import annotations

from rules.core import formatting as fmt
from rules.core.context import Calcul, _condition
from rules.core.place import sous_dense_situer
from rules.core.result import (
    Condition,
    LieuApplique,
    StatutCondition,
)


def exercice_2019_evaluer(ctx: Calcul, lieu: LieuApplique) -> list[Condition]:
    s = ctx.situation
    statut_groupe, message_groupe, source_groupe = _regroupement_evaluer(ctx, lieu)
    statut, message = EXERCICE_COORDONNE[s.exercice_coordonne]
    return [
        _condition(
            ctx,
            "exercice_groupe",
            "Exercice regroupé",
            statut_groupe,
            message_groupe,
            source_groupe,
        ),
        _condition(ctx, "exercice_coordonne", "Exercice coordonné", statut, message, "seed_000"),
    ]


def _regroupement_evaluer(ctx: Calcul, lieu: LieuApplique) -> tuple[StatutCondition, str, str]:
    """Grouping or one of its exemptions (the URPS Centre-Val de Loire sheet): status,
    message and source."""
    s = ctx.situation
    if s.exercice == "groupe":
        return "ok", "Exercice en groupe (au moins 2 médecins)\u00a0: critère rempli.", "seed_000"
    if s.exercice == "isole":
        sous_dense, precision = sous_dense_situer(lieu.zone)
        if sous_dense:
            return (
                "ok",
                "Médecin seul en zone sous-dense\u00a0: dispensé du regroupement.",
                "seed_000",
            )
        return (
            "a_verifier",
            f"Un médecin seul est dispensé du regroupement en zone sous-dense\u00a0; {precision}\u00a0: "
            "la CPAM le confirme. Sinon, il faut exercer en groupe (au moins 2 médecins) "
            "ou en coordination renforcée.",
            "seed_000",
        )
    if s.exercice == "coordination_renforcee":
        p = ctx.parametres.conditions
        fa_min = ctx.parametre(p.coordination_renforcee_file_active_min)
        mt_min = ctx.parametre(p.coordination_renforcee_mt_min)
        fa_txt, mt_txt = fmt.nombre(fa_min.valeur), fmt.nombre(mt_min.valeur)
        if s.file_active > fa_min.valeur or (s.patientele_mt or 0) > mt_min.valeur:
            return (
                "ok",
                f"Coordination renforcée\u00a0: file active supérieure à {fa_txt} ou patientèle MT "
                f"supérieure à {mt_txt}\u00a0: critère rempli.",
                fa_min.source,
            )
        return (
            "ko",
            f"La coordination renforcée suppose une file active supérieure à {fa_txt} ou une "
            f"patientèle MT supérieure à {mt_txt}.",
            fa_min.source,
        )
    return (
        "a_verifier",
        "Sous l’avenant 7, il faut exercer en groupe, ou seul en zone sous-dense, ou en "
        "coordination renforcée\u00a0: précisez votre mode d’exercice.",
        "seed_000",
    )


# Coordinated practice (the URPS Centre-Val de Loire sheet): the answer (yes, no, not
# given) → status and message.
EXERCICE_COORDONNE: dict[bool | None, tuple[StatutCondition, str]] = {
    True: (
        "ok",
        "Membre (ou engagé à le devenir sous 2 ans) d’une CPTS, MSP, ESP ou d’un centre de "
        "santé\u00a0: critère rempli.",
    ),
    False: (
        "ko",
        "Il faut participer à un exercice coordonné (CPTS, MSP, ESP, centre de santé…) ou "
        "s’engager à le faire dans les 2 ans\u00a0: cet engagement suffit.",
    ),
    None: (
        "a_verifier",
        "Il faut participer à un exercice coordonné (CPTS, MSP, ESP…) ou s’y engager sous "
        "2 ans\u00a0: précisez-le.",
    ),
}
