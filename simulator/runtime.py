"""Settings of a long-lived simulator process: the server's workers, the batch command.

One result allocates tens of thousands of short-lived objects (trace steps, strings,
dates). With CPython's default threshold (a young-generation collection every 700
allocations) the collector ran dozens of times per result page, and each older
collection rescanned everything loaded at start (Django, the parameters, the reference
snapshot). Measured with the collector off, the core ran 20 to 35 % faster (docs/deployment.md).
"""

from __future__ import annotations

import gc

# Young-generation threshold: allocations between two collections (CPython: 700).
SEUIL_JEUNE_GENERATION = 50_000


def ramasse_miettes_regler() -> None:
    """Freeze what is loaded at start (never scanned again; with gunicorn's preload,
    shared by the forked workers without copy-on-write), and collect less often."""
    gc.freeze()
    gc.set_threshold(SEUIL_JEUNE_GENERATION, 20, 20)
