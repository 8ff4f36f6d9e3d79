"""Facts the core needs from the reference data (specialties, percentiles, communes).

The Django adapter (``rules.catalogue``) builds these from the models admins edit; the core
never touches the database. Keeping them as plain pydantic models lets the golden tests
and the benchmark run the very same calculation.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rules.core.parameters import IndicateurPercentile, RegimeCode

ClasseSpecialite = Literal[
    "eligible", "exclue", "honoraires_cliniques", "departements_listes", "a_confirmer"
]
Zonage = Literal["ZIP", "ZAC", "HZ", "ZAR", "NA"]


class _Fait(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegleSpecialite(_Fait):
    """How one regime treats one specialty."""

    regime: RegimeCode
    classe: ClasseSpecialite
    objectif_mt: bool
    source: str
    # Shown as the condition's message for « a_confirmer » (e.g. ENT under avenant 7).
    remarque: str = ""


class Specialite(_Fait):
    code: str
    libelle: str
    medicale: bool
    generaliste: bool
    regles: dict[str, RegleSpecialite]


class Percentiles(_Fait):
    """CNAM distribution of one indicator for one specialty on one data date."""

    indicateur: IndicateurPercentile
    date_donnees: dt.date
    p30: int | None = None
    p50: int | None = None
    p70: int | None = None
    p90: int | None = None
    p95: int | None = None
    source: str


class MillesimeZonage(_Fait):
    """The commune's zonage in force from ``date`` (an ARS arrêté) until the next one."""

    zonage: Zonage
    date: dt.date
    source: str


class Lieu(_Fait):
    commune_code: str
    commune_nom: str
    departement_code: str
    departement_nom: str
    # The latest known zonage; ``millesimes`` (oldest first) gives the one in force on a day.
    zonage: Zonage | None
    zonage_date: dt.date | None
    zonage_source: str
    millesimes: tuple[MillesimeZonage, ...] = ()

    def zonage_au(self, jour: dt.date) -> tuple[MillesimeZonage | None, bool]:
        """The vintage in force on ``jour``; when every known one is newer, the oldest and True."""
        en_vigueur = [m for m in self.millesimes if m.date <= jour]
        if en_vigueur:
            return en_vigueur[-1], False
        if self.millesimes:
            return self.millesimes[0], True
        return None, False


class Faits(_Fait):
    specialite: Specialite
    percentiles: tuple[Percentiles, ...] = ()
    lieu: Lieu | None = None
    # Avenant 7: the specialty is on the list of the commune's département (the URPS
    # Centre-Val de Loire sheet).
    specialite_listee_dans_departement: bool = False

    @cached_property
    def series(self) -> dict[str, tuple[Percentiles, ...]]:
        """The snapshots of each CNAM series, oldest first: the facts of a pair are kept
        per process (rules.catalogue), so every calculation reads this sorted once."""
        series: dict[str, list[Percentiles]] = {}
        for p in sorted(self.percentiles, key=lambda p: p.date_donnees):
            series.setdefault(p.indicateur, []).append(p)
        return {indicateur: tuple(liste) for indicateur, liste in series.items()}
