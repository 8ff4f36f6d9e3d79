"""Calendar helpers of the contract: anniversaries."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def annees_ajouter(jour: dt.date, annees: int) -> dt.date:
    """Anniversary ``annees`` years later (29 February → 28 February)."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


@lru_cache(maxsize=8192)
def annees_contrat(signature: dt.date, duree: int) -> tuple[dt.date, ...]:
    """The first day of each of the ``duree`` contract years (signing day, then each
    anniversary). Every calculation asks it of its signing day: kept per day, a few
    thousand days at most (−2 µs a calculation, bench/instructions.py)."""
    return tuple(annees_ajouter(signature, k) for k in range(duree))
