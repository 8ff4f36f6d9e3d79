"""The regime a signing date picks, and why an option cannot be signed on a day."""

from __future__ import annotations

import datetime as dt

from rules.core import formatting as fmt
from rules.core.context import OPTIONS_SECOND_ASSISTANT
from rules.core.parameters import (
    Parametres,
    Regime,
)
from rules.core.situation import (
    SituationInvalide,
)


def regime_determiner(*, date_signature: dt.date, parametres: Parametres) -> Regime:
    regime = parametres.regime_a_la_date(date_signature)
    if regime is None:
        premier = parametres.premier_jour
        raise SituationInvalide(
            {
                "date_signature": [
                    f"Aucun dispositif d’aide à l’emploi d’un assistant médical avant le "
                    f"{fmt.date_fr(premier)} (avenant 7)\u00a0: choisissez une date à partir de "
                    "celle-ci."
                ]
            }
        )
    return regime


def option_fermee_raison(*, option: str, jour: dt.date, parametres: Parametres) -> tuple[str, str]:
    """Why an option cannot be signed on ``jour``, from the regimes' dates: (reason, source key)."""
    regimes = [r for r in parametres.regimes.values() if option in r.options]
    if not regimes:
        return "n’existe sous aucun régime", "seed_001"
    premier = min(regimes, key=lambda r: r.debut)
    if jour < premier.debut:
        return (
            f"n’existe que pour les contrats signés à partir du {fmt.date_fr(premier.debut)} "
            f"({premier.libelle})",
            premier.source,
        )
    dernier = max(regimes, key=lambda r: r.debut)
    assert dernier.fin is not None  # open under the last regime otherwise
    suivant = dernier.fin + dt.timedelta(days=1)
    regime_suivant = parametres.regime_a_la_date(suivant)
    source = regime_suivant.source if regime_suivant else dernier.source
    return f"ne peut plus être signée depuis le {fmt.date_fr(suivant)}", source


def option_second_assistant(option: str) -> bool:
    """The 1.5 and 2 ETP options of the convention 2024: a second assistant."""
    return option in OPTIONS_SECOND_ASSISTANT


def options_proposer(*, regime: Regime, generaliste: bool | None) -> list[str]:
    """The options a doctor is offered under ``regime``: the second assistant is for GPs
    only (``generaliste`` None: the specialty is not known yet, every option is shown)."""
    return [o for o in regime.options if generaliste is not False or not option_second_assistant(o)]
