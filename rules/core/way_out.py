"""For an ineligible doctor: the same calculation with the blocking conditions lifted."""

from __future__ import annotations

from collections.abc import Callable

from rules.core import formatting as fmt
from rules.core.context import Calcul
from rules.core.result import (
    Condition,
    Piste,
    Resultat,
)
from rules.core.situation import (
    OPTIONS,
    Situation,
    SituationInvalide,
)


def _levee(ctx: Calcul, condition: Condition) -> tuple[dict[str, object], str] | None:
    """How the doctor could lift one blocking condition: (situation changes, in words)."""
    s = ctx.situation
    if condition.code == "secteur" and s.secteur == "2":
        return {"secteur": "2_optam"}, "en adhérant à l’OPTAM (ou à l’OPTAM-CO)"
    if condition.code == "option" and s.option not in ctx.regime.options:
        option = "mi_temps" if "mi_temps" in ctx.regime.options else ctx.regime.options[0]
        return {
            "option": option
        }, f"avec l’option {OPTIONS[option][:1].lower()}{OPTIONS[option][1:]}"
    if condition.code == "exercice_coordonne":
        return (
            {"exercice_coordonne": True},
            "en vous engageant à rejoindre un exercice coordonné (CPTS, MSP, ESP…) sous 2 ans",
        )
    if condition.code == "exercice_groupe":
        return {"exercice": "groupe"}, "en exerçant en groupe (au moins 2 médecins)"
    if condition.code == "patientele_minimum":
        generaliste = ctx.faits.specialite.generaliste
        p = ctx.percentiles.get("patientele_mt" if generaliste else "file_active")
        if p is None or p.p30 is None:
            return None
        if generaliste:
            return (
                {"patientele_mt": p.p30, "file_active": max(s.file_active, p.p30)},
                f"avec une patientèle médecin traitant de {fmt.nombre(p.p30)} (seuil P30)",
            )
        return {"file_active": p.p30}, f"avec une file active de {fmt.nombre(p.p30)} (seuil P30)"
    return None


def piste_chercher(
    ctx: Calcul, conditions: list[Condition], *, calculer: Callable[[Situation], Resultat]
) -> Piste | None:
    """The same calculation with every blocking condition lifted, when each can be.
    ``calculer`` runs the core on a situation (same facts and parameters, no way out)."""
    changements: dict[str, object] = {}
    libelles: list[str] = []
    for condition in conditions:
        if condition.statut != "ko":
            continue
        levee = _levee(ctx, condition)
        if levee is None:
            return None
        changements.update(levee[0])
        libelles.append(levee[1])
    situation = ctx.situation.model_copy(update=changements)
    try:
        autre = calculer(situation)
    except SituationInvalide:
        return None
    if autre.eligibilite.statut == "non_eligible":
        return None
    return Piste(
        changements=libelles,
        statut=autre.eligibilite.statut,
        total_5_ans=autre.aide.total_5_ans,
        annee_1=autre.aide.annees[0].montant,
        situation=situation,
    )
