"""Eligibility: every condition of the regime, each with its status, message and source."""

from __future__ import annotations

from rules.core import formatting as fmt
from rules.core.context import OPTIONS_SECOND_ASSISTANT, Calcul, _condition
from rules.core.eligibility.minimum import minimum_evaluer
from rules.core.eligibility.option import options_evaluer
from rules.core.eligibility.practice_2019 import exercice_2019_evaluer
from rules.core.eligibility.sector import secteur_condition
from rules.core.eligibility.specialty import specialite_evaluer
from rules.core.facts import RegleSpecialite
from rules.core.result import (
    Condition,
    LieuApplique,
)


def conditions_evaluer(
    ctx: Calcul, *, regle: RegleSpecialite | None, lieu: LieuApplique
) -> list[Condition]:
    s, spe = ctx.situation, ctx.faits.specialite
    conditions: list[Condition] = []
    ajouter = conditions.append

    # Centres de santé have their own scheme (national accord): out of this simulator's scope.
    if s.centre_de_sante:
        ajouter(
            _condition(
                ctx,
                "centre_de_sante",
                "Exercice en centre de santé",
                "ko",
                "Les médecins salariés d’un centre de santé relèvent d’un autre dispositif, prévu "
                "par l’accord national des centres de santé\u00a0: ce simulateur ne le calcule pas. "
                "Le centre s’adresse à sa CPAM.",
                "accord_centres_sante",
            )
        )
    # Who: a doctor of an eligible specialty.
    if not spe.medicale:
        ajouter(
            _condition(
                ctx,
                "specialite",
                "Spécialité",
                "ko",
                f"«\u00a0{spe.libelle}\u00a0» n’est pas une spécialité médicale\u00a0: l’aide est réservée aux "
                "médecins libéraux.",
                "seed_001",
            )
        )
    elif regle is None:
        ajouter(
            _condition(
                ctx,
                "specialite",
                "Spécialité",
                "a_verifier",
                f"Aucune règle n’est renseignée pour «\u00a0{spe.libelle}\u00a0» sous ce régime\u00a0: la CPAM "
                "confirme l’éligibilité.",
                None,
            )
        )
    else:
        ajouter(specialite_evaluer(ctx, regle, lieu))

    ajouter(secteur_condition(ctx))
    conditions.extend(options_evaluer(ctx, lieu))
    if s.option not in OPTIONS_SECOND_ASSISTANT:
        ajouter(minimum_evaluer(ctx, lieu))
    if ctx.regles.conditions_d_exercice:
        conditions.extend(exercice_2019_evaluer(ctx, lieu))
    if s.rqth_ald:
        ajouter(
            _condition(
                ctx,
                "rqth_ald",
                "RQTH ou ALD",
                "a_verifier",
                "Reconnaissance de travailleur handicapé ou affection de longue durée\u00a0: vous êtes "
                "éligible, la CPAM adapte les engagements du contrat.",
                "seed_001",
            )
        )
    if s.age_65_ans_ou_plus:
        tolerance = ctx.facultatif(ctx.parametres.conditions.baisse_toleree_65_ans)
        if tolerance is not None:
            ajouter(
                _condition(
                    ctx,
                    "age_65_ans",
                    "65 ans et plus",
                    "ok",
                    f"À 65 ans et plus, l’engagement porte sur le maintien de la patientèle "
                    f"(baisse de {fmt.taux(tolerance.valeur)} tolérée).",
                    tolerance.source,
                )
            )
            ctx.avertir(
                "Règle des médecins de 65 ans et plus\u00a0: une seule source publique, à confirmer "
                "avec la CPAM."
            )
            if s.primo_installe:
                ajouter(
                    _condition(
                        ctx,
                        "age_65_ans_primo_installe",
                        "65 ans et plus, nouvellement installé",
                        "a_verifier",
                        "Aucune source ne dit quelle règle l’emporte pour un médecin à la fois "
                        "nouvellement installé (atteindre le P50 en 3ᵉ année) et âgé de 65 ans ou "
                        "plus (maintenir sa patientèle)\u00a0: les deux lectures sont montrées, la "
                        "CPAM tranche.",
                        tolerance.source,
                    )
                )
    return conditions
