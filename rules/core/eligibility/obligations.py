"""Contract obligations: shown, never blocking."""

from __future__ import annotations

from functools import lru_cache

from rules.core.context import Calcul
from rules.core.result import (
    Obligation,
)

# Contract obligations: shown, never blocking. (code, message, source key, regimes or None = all)
OBLIGATIONS: tuple[tuple[str, str, str, frozenset[str] | None], ...] = (
    (
        "missions",
        "Confier à l'assistant des missions administratives, de préparation de la "
        "consultation ou de coordination, librement choisies.",
        "seed_004",
        None,
    ),
    (
        "locaux",
        "Disposer de locaux adaptés à l'accueil de l'assistant (le télétravail partiel ou "
        "le télésecrétariat sont possibles).",
        "seed_001",
        frozenset({"reglement_arbitral_2023", "convention_2024"}),
    ),
    (
        "formation",
        "L'assistant commence sa formation dans les 2 ans suivant l'embauche (CQP "
        "d'environ 384 à 386 h, ou FAE d'environ 100 à 112 h pour un infirmier, aide-soignant ou "
        "auxiliaire de puériculture).",
        "seed_001",
        None,
    ),
    (
        "secretaire",
        "Un(e) secrétaire devenu(e) assistant(e) médical(e) doit être remplacé(e) dans les 6 mois.",
        "seed_001",
        None,
    ),
    (
        "soins_non_programmes",
        "Participer à la prise en charge des soins non programmés via "
        "l'organisation territoriale (CPTS…) s'il en existe une.",
        "seed_003",
        frozenset({"avenant_7"}),
    ),
)


@lru_cache(maxsize=64)
def _obligations(regime: str, sources: tuple[tuple[str, str], ...]) -> tuple[Obligation, ...]:
    titres = dict(sources)
    return tuple(
        Obligation(code=code, message=message, source=titres[cle])
        for code, message, cle, regimes in OBLIGATIONS
        if regimes is None or regime in regimes
    )


def obligations_lister(ctx: Calcul) -> list[Obligation]:
    cles = sorted({cle for _, _, cle, _ in OBLIGATIONS})
    sources = tuple((cle, ctx.parametres.source_titre(cle)) for cle in cles)
    return list(_obligations(ctx.regime.code, sources))
