"""Instructions per call, counted by valgrind (deterministic: the figure to compare on a
shared machine, where times vary ±30 % from one minute to the next).

    python bench/instructions.py [MESURE ...]

Each measure runs its warm-up, then N calls, under ``valgrind --tool=callgrind`` twice
(N = 0 and N = 200); the difference divided by 200 is the cost of one call, start-up
and warm-up excluded. Measures: ``simulate`` (``rules.simulate``, no extras),
``simulate_complet`` (with the way out and the renewal), ``coeur`` (the core without
trace, a batch row), ``coeur_trace``, ``ligne_lot`` (validation, core and flat CSV
row), ``page`` (a result page through the test client), ``sante``.
Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
APPELS = 200
MESURES = ["simulate", "simulate_complet", "coeur", "coeur_trace", "ligne_lot", "page", "sante"]


def _executer(mesure: str, n: int) -> None:
    """Inside valgrind: set up, warm up, then ``n`` calls of the measure."""
    sys.path.insert(0, str(RACINE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")
    from bench import LIMITES_LEVEES

    os.environ.update(LIMITES_LEVEES)
    import django

    django.setup()
    from bench.bench_core import situations_melangees
    from simulator.runtime import ramasse_miettes_regler

    ramasse_miettes_regler()
    entrees = [
        {k: v for k, v in d.items() if v and k != "identifiant"}
        for d in situations_melangees(APPELS + 50, graine=5)
    ]
    appel = _appel(mesure, entrees)
    for i in range(50):  # warm-up: snapshot, caches, templates
        appel(APPELS + i)
    for i in range(n):
        appel(i)


def _appel(mesure: str, entrees: list[dict[str, str]]) -> Callable[[int], object]:
    import rules
    from rules import services
    from rules.catalogue import Catalogue
    from rules.core.parameters import parametres_obtenir
    from rules.core.simulation import simulation_calculer
    from rules.core.situation import situation_valider

    if mesure == "simulate":
        return lambda i: rules.simulate(entrees[i])
    if mesure == "simulate_complet":
        import inspect

        if "piste" not in inspect.signature(services.simulate).parameters:
            return lambda i: rules.simulate(entrees[i])  # older commits: always both
        return lambda i: services.simulate(entrees[i], piste=True, renouvellement=True)
    if mesure in {"coeur", "coeur_trace"}:
        situations = [situation_valider(e) for e in entrees]
        catalogue = Catalogue.pour(situations)
        paires = [(s, catalogue.faits(s)) for s in situations]
        parametres = parametres_obtenir()
        detail = mesure == "coeur_trace"
        return lambda i: simulation_calculer(
            situation=paires[i][0], faits=paires[i][1], parametres=parametres, detail=detail
        )
    if mesure == "ligne_lot":
        from simulator import batch

        def ligne(i: int) -> None:
            if hasattr(batch, "lot_calculer"):
                list(batch.lot_calculer([entrees[i]], extra=[]))
            else:  # older commits: the batch prepared, then computed
                lot = services.lot_preparer([entrees[i]])
                lignes = list(batch.lot_en_lignes(lot))  # type: ignore[attr-defined]
                list(batch.csv_lignes([], zip([entrees[i]], lignes, strict=True)))

        return ligne
    from django.conf import settings
    from django.test import Client

    from bench.page_resultat import adresses, page_verifier

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    liste = ["/sante"] * (APPELS + 50) if mesure == "sante" else adresses(APPELS + 50, graine=5)
    return lambda i: page_verifier(client.get(liste[i]), liste[i])


def _compter(mesure: str, n: int) -> int:
    sortie = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--interne",
            mesure,
            str(n),
        ],
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=True,
    )
    trouve = re.search(r"Collected : (\d+)", sortie.stderr)
    if trouve is None:
        raise SystemExit(sortie.stderr[-2000:])
    return int(trouve.group(1))


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--interne"]:
        _executer(arguments[1], int(arguments[2]))
        return
    for mesure in arguments or MESURES:
        par_appel = (_compter(mesure, APPELS) - _compter(mesure, 0)) / APPELS
        print(
            f"{mesure} : {par_appel / 1000:,.0f} milliers d'instructions par appel".replace(
                ",", "\u202f"
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
