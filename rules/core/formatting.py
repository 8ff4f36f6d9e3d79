"""French number formats for the messages and the trace: 19 000 €, 12,5 %, 1 045 patients."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, as French typography wants


@lru_cache(maxsize=8192)  # the same amounts and thresholds come back in every simulation
def nombre(valeur: int | Decimal | float, decimales: int | None = None) -> str:
    """``1234.5`` → ``1 234,5``; integers keep no decimals unless asked."""
    if decimales is None and isinstance(valeur, int):
        return f"{valeur:,}".replace(",", ESPACE_MILLIERS).replace("-", "−")
    d = valeur if isinstance(valeur, Decimal) else Decimal(str(valeur))
    if decimales is not None:
        d = d.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    signe = "−" if d < 0 else ""
    d = abs(d)
    texte = format(d.normalize() if decimales is None else d, "f")
    entier, _, fraction = texte.partition(".")
    groupes: list[str] = []
    while len(entier) > 3:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    groupes.insert(0, entier)
    resultat = ESPACE_MILLIERS.join(groupes)
    return f"{signe}{resultat},{fraction}" if fraction else f"{signe}{resultat}"


def euros(valeur: int | Decimal) -> str:
    """``19000`` → ``19 000 €``; an amount with cents keeps both digits: ``2 500,50 €``."""
    if isinstance(valeur, Decimal) and valeur != valeur.to_integral_value():
        return f"{nombre(valeur, 2)}\u00a0€"
    return f"{nombre(valeur)}\u00a0€"


def taux(valeur: Decimal) -> str:
    """``0.075`` → ``7,5 %``."""
    return f"{nombre(valeur * 100)}\u00a0%"


def patients(valeur: int | Decimal) -> str:
    n = nombre(valeur)
    return f"{n}\u00a0patient" if abs(Decimal(valeur)) <= 1 else f"{n}\u00a0patients"


def patients_arrondir(valeur: Decimal) -> int:
    """Nearest patient, ties to even: the URPS Centre-Val de Loire sheet publishes
    1 550 × 15 % = 232,5 as 232."""
    return int(valeur.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def euros_arrondir(valeur: Decimal) -> int:
    return int(valeur.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=8192)
def date_fr(jour: dt.date) -> str:
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year}"
