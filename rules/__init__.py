"""The rules of the aide à l'emploi d'un assistant médical: calculation core + reference data.

``rules.simulate(situation)`` is the public Python door (docs/contrat.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rules.core.result import Resultat
    from rules.core.situation import Situation


def simulate(situation: Situation | dict[str, Any]) -> Resultat:
    """Simulate one situation; raises ``rules.core.situation.SituationInvalide`` on bad input."""
    from rules import services

    return services.simulate(situation)
