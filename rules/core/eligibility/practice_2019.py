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


def _avenant_7_exercice_conditions(ctx: Calcul, lieu: LieuApplique) -> list[Condition]:
    s = ctx.situation
    conditions: list[Condition] = []
    libelle = "Exercice regroupé"
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if s.exercice == "groupe":
        conditions.append(
            _condition(
                ctx,
                "exercice_groupe",
                libelle,
                "ok",
                "Exercice en groupe (au moins 2 médecins) : critère rempli.",
                "seed_000",
            )
        )
    elif s.exercice == "isole":
        if sous_dense:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ok",
                    "Médecin seul en zone sous-dense : dispensé du regroupement.",
                    "seed_000",
                )
            )
        else:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "a_verifier",
                    f"Un médecin seul est dispensé du regroupement en zone sous-dense ; {precision} : "
                    "la CPAM le confirme. Sinon, il faut exercer en groupe (au moins 2 médecins) "
                    "ou en coordination renforcée.",
                    "seed_000",
                )
            )
    elif s.exercice == "coordination_renforcee":
        p = ctx.parametres.conditions
        fa_min = ctx.parametre(p.coordination_renforcee_file_active_min)
        mt_min = ctx.parametre(p.coordination_renforcee_mt_min)
        mt = s.patientele_mt or 0
        if s.file_active > fa_min.valeur or mt > mt_min.valeur:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ok",
                    f"Coordination renforcée : file active supérieure à {fmt.nombre(fa_min.valeur)} ou "
                    f"patientèle MT supérieure à {fmt.nombre(mt_min.valeur)} : critère rempli.",
                    fa_min.source,
                )
            )
        else:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ko",
                    f"La coordination renforcée suppose une file active supérieure à "
                    f"{fmt.nombre(fa_min.valeur)} ou une patientèle MT supérieure à "
                    f"{fmt.nombre(mt_min.valeur)}.",
                    fa_min.source,
                )
            )
    else:
        conditions.append(
            _condition(
                ctx,
                "exercice_groupe",
                libelle,
                "a_verifier",
                "Sous l'avenant 7, il faut exercer en groupe, ou seul en zone sous-dense, ou en "
                "coordination renforcée : précisez votre mode d'exercice.",
                "seed_000",
            )
        )
    statut, message = EXERCICE_COORDONNE[s.exercice_coordonne]
    conditions.append(
        _condition(ctx, "exercice_coordonne", "Exercice coordonné", statut, message, "seed_000")
    )
    return conditions


# Coordinated practice (seed 000): the answer (yes, no, not given) → status and message.
EXERCICE_COORDONNE: dict[bool | None, tuple[StatutCondition, str]] = {
    True: (
        "ok",
        "Membre (ou engagé à le devenir sous 2 ans) d'une CPTS, MSP, ESP ou d'un centre de "
        "santé : critère rempli.",
    ),
    False: (
        "ko",
        "Il faut participer à un exercice coordonné (CPTS, MSP, ESP, centre de santé…) ou "
        "s'engager à le faire dans les 2 ans : cet engagement suffit.",
    ),
    None: (
        "a_verifier",
        "Il faut participer à un exercice coordonné (CPTS, MSP, ESP…) ou s'y engager sous "
        "2 ans : précisez-le.",
    ),
}
