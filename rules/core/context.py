"""What one calculation accumulates (the trace, the warnings) and the small helpers every
rule module shares: trace steps and conditions, built once and shared (frozen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rules.core import formatting as fmt
from rules.core.facts import Faits, Percentiles
from rules.core.families import Regles, regles_obtenir
from rules.core.parameters import (
    CONFIANCE_LIBELLES,
    Parametre,
    Parametres,
    Regime,
    ValeurDatee,
)
from rules.core.position import (
    Position,
)
from rules.core.result import (
    Condition,
    Etape,
    IndicateurObjectif,
    Objectif,
    StatutCondition,
    TraceDifferee,
)
from rules.core.situation import (
    Situation,
)

ESTIMATION = "Estimation — la CPAM fixe l’objectif."


OPTIONS_SECOND_ASSISTANT = {"second_1_5", "second_2"}


INDICATEUR_LIBELLES = {"patientele_mt": "Patientèle médecin traitant", "file_active": "File active"}
# The CNAM percentile series (IndicateurPercentile), named after the indicator they measure.
INDICATEUR_PERCENTILE_LIBELLES = {
    "mt": INDICATEUR_LIBELLES["patientele_mt"],
    "mt_adultes": f"{INDICATEUR_LIBELLES['patientele_mt']} adulte",
    "file_active": INDICATEUR_LIBELLES["file_active"],
}


# Output models are frozen: identical steps and conditions (same text, same source) can be
# shared between simulations. Caching their construction keeps a batch fast.
@lru_cache(maxsize=16384)
def _etape_creer(
    libelle: str,
    valeur: str,
    parametre: str | None,
    source: str | None,
    formule: str | None,
    confiance: str | None,
    estimation: bool,
    regle: str | None = None,
) -> Etape:
    return Etape(
        libelle=libelle,
        valeur=valeur,
        parametre=parametre,
        source=source,
        formule=formule,
        confiance=confiance,
        estimation=estimation,
        regle=regle,
    )


@lru_cache(maxsize=16384)
def _condition_creer(
    code: str, libelle: str, statut: StatutCondition, message: str, source: str | None
) -> Condition:
    return Condition(code=code, libelle=libelle, statut=statut, message=message, source=source)


@lru_cache(maxsize=4096)
def _parametre_decrire(nom: str, depuis: dt.date) -> str:
    return f"{nom} (en vigueur depuis le {fmt.date_fr(depuis)})"


@dataclass(slots=True)
class Calcul:
    """What one calculation accumulates: the trace and the warnings, in order."""

    situation: Situation
    faits: Faits
    parametres: Parametres
    regime: Regime
    detail: bool = True
    # Kept as data, worded when read (TraceDifferee): etape() and decrire() only note.
    trace: TraceDifferee = field(default_factory=TraceDifferee)
    avertissements: list[str] = field(default_factory=list)
    # Set once the percentiles are chosen: the CNAM snapshot of each indicator, the
    # indicators that count for the specialty (targets, bands) and the doctor's place.
    percentiles: dict[str, Percentiles | None] = field(default_factory=dict)
    indicateurs: tuple[IndicateurObjectif, ...] = ("file_active",)
    position: Position | None = None
    # What the contract's family of regimes does its own way (read a dozen times).
    regles: Regles = field(init=False)

    _noter: Callable[[tuple[Callable[..., Etape], tuple[Any, ...]]], None] = field(init=False)

    def __post_init__(self) -> None:
        self.regles = regles_obtenir(self.regime.famille)
        self._noter = self.trace.noteur()

    def source(self, cle: str | None) -> str | None:
        return self.parametres.source_titre(cle) if cle else None

    def etape(
        self,
        libelle: str,
        valeur: str,
        *,
        parametre: ValeurDatee | None = None,
        formule: str | None = None,
        source: str | None = None,
        estimation: bool = False,
    ) -> None:
        if self.detail:
            self._noter(
                (self._etape_rediger, (libelle, valeur, parametre, formule, source, estimation))
            )

    def decrire(self, rediger: Callable[..., tuple[str, str, dict[str, Any]]], *args: Any) -> None:
        """A step whose words cost something to build: ``rediger(*args)`` returns
        (label, value, etape()'s options), called only if the trace is read."""
        if self.detail:
            self._noter((self._decrire_rediger, (rediger, args)))

    def etape_prete(self, etape: Etape) -> None:
        """A step already built (and shared between calculations)."""
        if self.detail:
            self._noter((_identite, (etape,)))

    def _decrire_rediger(
        self, rediger: Callable[..., tuple[str, str, dict[str, Any]]], args: tuple[Any, ...]
    ) -> Etape:
        libelle, valeur, options = rediger(*args)
        return self._etape_rediger(
            libelle,
            valeur,
            options.get("parametre"),
            options.get("formule"),
            options.get("source"),
            options.get("estimation", False),
        )

    def _etape_rediger(
        self,
        libelle: str,
        valeur: str,
        parametre: ValeurDatee | None,
        formule: str | None,
        source: str | None,
        estimation: bool,
    ) -> Etape:
        if parametre is not None:
            return _etape_creer(
                libelle,
                valeur,
                _parametre_decrire(parametre.nom, parametre.depuis),
                self.source(parametre.source),
                formule,
                CONFIANCE_LIBELLES[parametre.confiance],
                estimation or parametre.estimation,
                parametre.nom,
            )
        return _etape_creer(libelle, valeur, None, source, formule, None, estimation)

    def avertir(self, message: str) -> None:
        if message not in self.avertissements:
            self.avertissements.append(message)

    def parametre(self, parametre: Parametre) -> ValeurDatee:
        """Value in force on the signing day (eligibility and targets are fixed at signing)."""
        return parametre.a_la_date(self.situation.date_signature)

    def facultatif(self, parametre: Parametre) -> ValeurDatee | None:
        return parametre.en_vigueur(self.situation.date_signature)


def _identite(etape: Etape) -> Etape:
    return etape


def _condition(
    ctx: Calcul,
    code: str,
    libelle: str,
    statut: StatutCondition,
    message: str,
    source: str | None,
) -> Condition:
    return _condition_creer(code, libelle, statut, message, ctx.source(source))


def objectif_creer(
    *,
    indicateur: IndicateurObjectif,
    libelle: str,
    initiale: int,
    hausse: int,
    tranche: str,
    formule: str,
    estimation: bool,
) -> Objectif:
    """A year-3 target of either regime family: the target is the starting figure plus
    the increase (one place for that sum)."""
    return Objectif(
        indicateur=indicateur,
        libelle=libelle,
        initiale=initiale,
        hausse=hausse,
        cible=initiale + hausse,
        tranche=tranche,
        formule=formule,
        estimation=estimation,
    )


def _valeurs_indicateurs(ctx: Calcul) -> dict[str, int | None]:
    s = ctx.situation
    return {"patientele_mt": s.patientele_mt, "file_active": s.file_active}
