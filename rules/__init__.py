"""The rules of the aide à l'emploi d'un assistant médical: calculation core + reference data.

``rules.simulate(situation)`` is the public Python door (docs/contrat.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rules.core.result import Resultat
    from rules.core.situation import Situation


def simulate(
    situation: Situation | dict[str, Any], *, piste: bool = False, renouvellement: bool = False
) -> Resultat:
    """Simulate one situation; raises ``rules.core.situation.SituationInvalide`` on bad input.

    ``piste`` adds the way out of an ineligible doctor, ``renouvellement`` the estimate of
    a renewal after year 5: each is one more calculation, done only when asked."""
    # Imported here (services imports the Django models); ``import rules.services`` rather
    # than ``from rules import services``, whose from-list is handled in Python each call.
    import rules.services

    return rules.services.simulate(situation, piste=piste, renouvellement=renouvellement)
