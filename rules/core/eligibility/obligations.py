"""Contract obligations: shown, never blocking."""

from __future__ import annotations

from functools import lru_cache

from rules.core.context import Calcul
from rules.core.families import regles_obtenir
from rules.core.result import (
    Obligation,
)

# Contract obligations: shown, never blocking. (code, message, source key, and None for
# every family of regimes, or the name of the family rule (families.Regles) it belongs to).
OBLIGATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    (
        "missions",
        "Confier à l’assistant des missions administratives, de préparation de la "
        "consultation ou de coordination, librement choisies.",
        "seed_004",
        None,
    ),
    (
        "locaux",
        "Disposer de locaux adaptés à l’accueil de l’assistant (le télétravail partiel ou "
        "le télésecrétariat sont possibles).",
        "seed_001",
        "locaux_adaptes",
    ),
    (
        "formation",
        "L’assistant commence sa formation dans les 2 ans suivant l’embauche (CQP "
        "d’environ 384 à 386 h, ou FAE d’environ 100 à 112 h pour un infirmier, aide-soignant ou "
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
        "l’organisation territoriale (CPTS…) s’il en existe une.",
        "seed_003",
        "conditions_d_exercice",
    ),
)


@lru_cache(maxsize=64)
def _obligations(famille: str, sources: tuple[tuple[str, str], ...]) -> tuple[Obligation, ...]:
    titres, regles = dict(sources), regles_obtenir(famille)
    return tuple(
        Obligation(code=code, message=message, source=titres[cle])
        for code, message, cle, propre_a in OBLIGATIONS
        if propre_a is None or getattr(regles, propre_a)
    )


_CLES = tuple(sorted({cle for _, _, cle, _ in OBLIGATIONS}))


def obligations_lister(ctx: Calcul) -> list[Obligation]:
    titre = ctx.parametres.source_titre
    return list(_obligations(ctx.regime.famille, tuple((cle, titre(cle)) for cle in _CLES)))
