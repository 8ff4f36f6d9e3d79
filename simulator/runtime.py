"""Settings of a long-lived simulator process: the server's workers, the batch command.

One result allocates tens of thousands of short-lived objects (trace steps, strings,
dates). With CPython's default threshold (a young-generation collection every 700
allocations) the collector ran dozens of times per result page, and each older
collection rescanned everything loaded at start (Django, the parameters, the reference
snapshot). Measured with the collector off, the core ran 20 to 35 % faster
(docs/deployment.md); freezing what is loaded at start removes the rescans.

The young-generation threshold was then raised to 50 000; bench/pauses.py showed what
that costs a server: one collection every ~160 result pages, each scanning tens of
thousands of objects in one go — 300 to 600 ms on this loaded machine, the longest
pause a page met, and more collector time in total than smaller, more frequent ones.
At 5 000: the longest pause ~35–55 ms and a third of the total (two interleaved runs).
"""

from __future__ import annotations

import gc

# Young-generation threshold: allocations between two collections (CPython: 700).
SEUIL_JEUNE_GENERATION = 5_000


def ramasse_miettes_regler() -> None:
    """Freeze what is loaded at start (never scanned again; with gunicorn's preload,
    shared by the forked workers without copy-on-write), and collect less often."""
    gc.freeze()
    gc.set_threshold(SEUIL_JEUNE_GENERATION, 20, 20)


# One result page of each kind the warm-up renders (an eligible GP, an ineligible
# specialist: way out, renewal, every block of the page).
ADRESSES_PRECHAUFFAGE = (
    "/resultat?date_signature=2025-03-01&specialite=01&secteur=1&commune=45234"
    "&patientele_mt=920&file_active=1350&option=mi_temps",
    "/resultat?date_signature=2024-09-01&specialite=03&secteur=2&commune=75109"
    "&file_active=1800&option=temps_plein",
    "/sante",
)


def prechauffer() -> None:
    """Render a few pages once in the gunicorn master, before it forks its workers.

    What a process builds on its first result page (the compiled Django and Jinja2
    templates, the reference snapshot, the parameters, resolved URLs, the core's small
    caches: about 0.7 s here) is then inherited by every worker, including those that
    gunicorn starts to replace a recycled one (max_requests): no request pays for it.
    Connections opened meanwhile are closed, so that no worker shares them. Never
    stops the start: if the database is not ready, workers warm up as before."""
    import logging

    from django.conf import settings
    from django.db import connections
    from django.test import Client

    hote = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    try:
        client = Client(HTTP_HOST=hote, raise_request_exception=False)
        for adresse in ADRESSES_PRECHAUFFAGE:
            client.get(adresse, secure=True)
    except Exception:
        logging.getLogger(__name__).warning("préchauffage impossible", exc_info=True)
    finally:
        connections.close_all()
