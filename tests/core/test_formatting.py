"""French number formats as a reader sees them."""

from __future__ import annotations

from decimal import Decimal

from rules.core import formatting


def test_un_montant_avec_centimes_garde_ses_deux_chiffres() -> None:
    """A typed salary of 2 500,50 € was shown « 2 500,5 € » in the cost table."""
    assert formatting.euros(Decimal("2500.5")) == "2\u202f500,50\u00a0€"
    assert formatting.euros(Decimal("2500")) == "2\u202f500\u00a0€"
    assert formatting.euros(19000) == "19\u202f000\u00a0€"
