"""Where a result page's tail comes from, inside one process: each page's time and each
garbage collection's pause, as a gunicorn worker serves them.

    python bench/pauses.py [SEUIL]

The WSGI application is loaded as gunicorn's master loads it (simulator.wsgi: the
warm-up, then the collector set by simulator.runtime) and called directly, without the
test client (which connects signals on every request and skews the collector). 800
result pages with varied figures; prints the pages' p50, p99 and max, and per
generation the collections, their longest pause and their total. ``SEUIL`` replaces
the young-generation threshold (CPython's default is 700) to compare. Times vary with
the machine's load: compare two settings in the same minute. Asserts nothing.
"""

from __future__ import annotations

import gc
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

from simulator.wsgi import application  # noqa: E402  (warm-up and collector, as in gunicorn)

PAGES = 800


def appeler(adresse: str) -> None:
    chemin, _, requete = adresse.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": chemin,
        "QUERY_STRING": requete,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    corps: Any = application(environ, lambda *_: None)  # type: ignore[arg-type]
    b"".join(corps)
    corps.close()


def main() -> None:
    from django.conf import settings

    from bench.page_resultat import adresses

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    if len(sys.argv) > 1:
        seuil = int(sys.argv[1])
        gc.set_threshold(seuil, *gc.get_threshold()[1:])
    liste = adresses(PAGES + 100, graine=4)
    for adresse in liste[:100]:  # new communes read, caches filled
        appeler(adresse)
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    debut = [0.0]

    def noter(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            debut[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(1000 * (time.perf_counter() - debut[0]))

    gc.callbacks.append(noter)
    durees = []
    for adresse in liste[100:]:
        t = time.perf_counter()
        appeler(adresse)
        durees.append(1000 * (time.perf_counter() - t))
    gc.callbacks.remove(noter)
    durees.sort()
    print(
        f"Seuils du ramasse-miettes {gc.get_threshold()} ; {len(durees)} pages de résultat : "
        f"p50 {durees[len(durees) // 2]:.1f} ms, p99 {durees[len(durees) * 99 // 100]:.1f} ms, "
        f"max {durees[-1]:.1f} ms"
    )
    for generation, liste_pauses in pauses.items():
        if liste_pauses:
            print(
                f"  génération {generation} : {len(liste_pauses)} collectes, la plus longue "
                f"{max(liste_pauses):.1f} ms, {sum(liste_pauses):.0f} ms en tout"
            )


if __name__ == "__main__":
    main()
