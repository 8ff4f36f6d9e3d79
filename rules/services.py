"""Entry points that load the facts from the database and call the pure core."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from rules.core.engine import simulation_calculer
from rules.core.followup import SuiviSaisie, suivi_calculer
from rules.core.parameters import Parametres, parametres_charger
from rules.core.result import Resultat, Suivi
from rules.core.situation import Situation, SituationInvalide, situation_valider
from rules.facts import Catalogue


@functools.cache
def parametres_obtenir() -> Parametres:
    """Regime parameters, read and validated once per process (they ship with the code)."""
    return parametres_charger()


def simulation_executer(situation: Situation | dict[str, Any]) -> Resultat:
    """One situation (dict or Situation) → its result. Raises SituationInvalide."""
    s = situation_valider(situation)
    catalogue = Catalogue.pour([s])
    return simulation_calculer(
        situation=s, faits=catalogue.faits(s), parametres=parametres_obtenir()
    )


def simulations_executer(
    donnees: Sequence[Situation | dict[str, Any]],
) -> list[Resultat | SituationInvalide]:
    """A batch: each item gives its result, or the SituationInvalide that explains it."""
    parametres = parametres_obtenir()
    valides: list[Situation | SituationInvalide] = []
    for item in donnees:
        try:
            valides.append(situation_valider(item))
        except SituationInvalide as exc:
            valides.append(exc)
    catalogue = Catalogue.pour(s for s in valides if isinstance(s, Situation))
    sorties: list[Resultat | SituationInvalide] = []
    for s in valides:
        if isinstance(s, SituationInvalide):
            sorties.append(s)
            continue
        try:
            sorties.append(
                simulation_calculer(situation=s, faits=catalogue.faits(s), parametres=parametres)
            )
        except SituationInvalide as exc:
            sorties.append(exc)
    return sorties


def suivi_executer(
    situation: Situation | dict[str, Any], saisie: SuiviSaisie | dict[str, Any]
) -> tuple[Resultat, Suivi]:
    """Follow-up of a signed contract: what is paid for a year ≥ 3, given what was reached."""
    resultat = simulation_executer(situation)
    return resultat, suivi_calculer(
        resultat=resultat, saisie=saisie, parametres=parametres_obtenir()
    )
