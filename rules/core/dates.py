"""Calendar helpers of the contract: anniversaries."""

from __future__ import annotations

import datetime as dt


def annees_ajouter(jour: dt.date, annees: int) -> dt.date:
    """Anniversary ``annees`` years later (29 February → 28 February)."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)
