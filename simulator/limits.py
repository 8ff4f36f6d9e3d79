"""Per-client limits: the API, the pages that compute, the admin login.

Each is a number of requests per minute and per client (an IPv6 client by its /64,
simulator.reseau), counted by django-ratelimit in the ``limites`` cache: where its
counters live is a deployment choice (``LIMITES_STOCKAGE``, docs/deployment.md).

The limit protects the site; it must never take it down. When the counters store fails
(full disk, read-only location, Redis down), the request goes through and a log line
says so, at most once a minute per process.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from simulator.reseau import client_cle_limite

logger = logging.getLogger(__name__)
JOURNAL_TOUTES_LES_SECONDES = 60.0
_journal_ecrit_a = float("-inf")

GROUPE_API = "simulator.api.simulation"
GROUPE_PAGES = "pages"
GROUPE_CONNEXION = "connexion"


def limite_depassee(request: HttpRequest, *, groupe: str, taux: str) -> bool:
    """Count this request for its client; True past ``taux`` ("120/m")."""
    if not settings.RATELIMIT_ENABLE:
        return False
    try:
        usage = get_usage(request, group=groupe, key=client_cle_limite, rate=taux, increment=True)
    except Exception as exc:  # any cache backend, any failure: fail open
        _panne_journaliser(exc)
        return False
    return bool(usage and usage["should_limit"])


def _panne_journaliser(exc: Exception) -> None:
    global _journal_ecrit_a
    maintenant = time.monotonic()
    if maintenant - _journal_ecrit_a >= JOURNAL_TOUTES_LES_SECONDES:
        _journal_ecrit_a = maintenant
        logger.error(
            "Compteurs des limites indisponibles (%s: %s) : requêtes laissées passer.",
            type(exc).__name__,
            exc,
        )


def compteurs_verifier() -> bool:
    """For /sante: can the counters store count right now?"""
    try:
        cache = caches["limites"]
        if not cache.add("sante", 1, 60):
            cache.incr("sante")
    except Exception as exc:
        _panne_journaliser(exc)
        return False
    return True
