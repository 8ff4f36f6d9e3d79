"""Benchmark of the calculation (``make bench``): prints figures beside their goals,
asserts nothing.

0. The machine: its cores, and a fixed pure-Python loop timed in the same run (the
   baseline: figures of two runs compare through it; this shared machine varies ±30 %).
1. Simulations per second of the pure core, one process, over a mixed set of situations
   (three regimes, every option, GPs and specialists, every band).
2. ``rules.simulate`` (the Python door every other door uses: validation, reference
   data from the in-process snapshot, core), one process: without extras (goal
   ≥ 20 000/s), and with the way out and the renewal as the result page and the API ask
   (goal ≥ 7 000/s).
3. Wall time of ``python manage.py simulate --csv`` on a generated 100 000-row file,
   end to end (CSV read, validation, facts from the database, core, CSV write), on every
   core (goal < 5 s), and its peak memory (the parent and its workers).

Each rate is the best of several rounds (noise on a shared machine only slows down).
The process is set up as the doors set theirs (simulator.runtime: garbage collector).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

import django  # noqa: E402

django.setup()

import rules  # noqa: E402
from rules.catalogue import Catalogue  # noqa: E402
from rules.core.parameters import parametres_obtenir  # noqa: E402
from rules.core.simulation import simulation_calculer  # noqa: E402
from rules.core.situation import situation_valider  # noqa: E402
from simulator.runtime import ramasse_miettes_regler  # noqa: E402

OBJECTIF_SIMULATIONS_PAR_SECONDE = 20_000
OBJECTIF_AVEC_EXTRAS_PAR_SECONDE = 7_000
OBJECTIF_LOT_SECONDES = 5.0
TOURS = 5
LIGNES_LOT = 100_000
COMMUNES = ["18279", "45234", "75109", "36088", "69266", "13001", "45232", "02003", "01003"]
# Signing days drawn over the whole life of the scheme: no cache sees the same day twice often.
PREMIER_JOUR = dt.date(2019, 8, 21)
JOURS = (dt.date(2026, 11, 24) - PREMIER_JOUR).days
SPECIALITES = ["01", "01", "01", "01", "22", "03", "12", "15", "04", "06"]
OPTIONS = ["tiers_temps", "mi_temps", "mi_temps", "temps_plein", "second_1_5"]


def situations_melangees(n: int, graine: int = 1) -> list[dict[str, str]]:
    hasard = random.Random(graine)
    lignes = []
    for i in range(n):
        specialite = hasard.choice(SPECIALITES)
        ligne = {
            "identifiant": f"dr-{i}",
            "date_signature": (
                PREMIER_JOUR + dt.timedelta(days=hasard.randrange(JOURS))
            ).isoformat(),
            "specialite": specialite,
            "secteur": hasard.choice(["1", "1", "2_optam", "2"]),
            "commune": hasard.choice(COMMUNES),
            "patientele_mt": str(hasard.randint(300, 2600))
            if specialite in {"01", "22", "12"}
            else "",
            "file_active": str(hasard.randint(400, 4000)),
            "option": hasard.choice(OPTIONS),
            "exercice": hasard.choice(["groupe", "isole", ""]),
            "exercice_coordonne": hasard.choice(["true", "false", ""]),
            "primo_installe": hasard.choice(["false"] * 9 + ["true"]),
            "part_honoraires_cliniques": "85" if specialite == "04" else "",
        }
        lignes.append(ligne)
    return lignes


def _meilleur_debit(calculer: Callable[[], int], *, duree: float = 1.0) -> float:
    """Best rate (items per second) over TOURS rounds of about ``duree`` seconds."""
    meilleur = 0.0
    for _ in range(TOURS):
        n, debut = 0, time.perf_counter()
        while time.perf_counter() - debut < duree:
            n += calculer()
        meilleur = max(meilleur, n / (time.perf_counter() - debut))
    return meilleur


def mesurer_reference() -> float:
    """Seconds of a fixed pure-Python loop (10 million additions): the machine's speed."""
    meilleur = float("inf")
    for _ in range(3):
        debut, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        meilleur = min(meilleur, time.perf_counter() - debut)
    return meilleur


def mesurer_coeur(*, detail: bool = True) -> float:
    donnees = situations_melangees(2_000)
    situations = [
        situation_valider({k: v for k, v in d.items() if v and k != "identifiant"}) for d in donnees
    ]
    catalogue = Catalogue.pour(situations)
    parametres = parametres_obtenir()
    paires = [(s, catalogue.faits(s)) for s in situations]

    def tour() -> int:
        for s, f in paires:
            simulation_calculer(situation=s, faits=f, parametres=parametres, detail=detail)
        return len(paires)

    tour()  # warm-up
    return _meilleur_debit(tour)


def mesurer_porte_python(*, extras: bool = False) -> float:
    """rules.simulate on dicts, as the API and the pages call it (``extras``: with the
    way out and the renewal, as the result page and the API ask)."""
    entrees = [
        {k: v for k, v in d.items() if v and k != "identifiant"}
        for d in situations_melangees(1_000, graine=3)
    ]

    def tour() -> int:
        for e in entrees:
            rules.simulate(e, piste=extras, renouvellement=extras)
        return len(entrees)

    tour()  # warm-up: snapshot loaded
    return _meilleur_debit(tour)


def mesurer_lot() -> tuple[float, int, float]:
    """Seconds, rows written, peak memory in MB (the largest process: parent or worker)."""
    with tempfile.TemporaryDirectory() as dossier:
        entree = Path(dossier) / "lot.csv"
        lignes = situations_melangees(LIGNES_LOT, graine=2)
        with entree.open("w", newline="", encoding="utf-8") as f:
            ecrivain = csv.DictWriter(f, fieldnames=list(lignes[0]))
            ecrivain.writeheader()
            ecrivain.writerows(lignes)
        sortie = Path(dossier) / "resultats.csv"
        debut = time.perf_counter()
        with sortie.open("w", encoding="utf-8") as f:
            subprocess.run(
                [sys.executable, str(RACINE / "manage.py"), "simulate", "--csv", str(entree)],
                stdout=f,
                check=True,
                cwd=RACINE,
            )
        duree = time.perf_counter() - debut
        # ru_maxrss (kB on Linux) of the largest reaped descendant: the parent or a worker.
        memoire = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with sortie.open(encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        return duree, n, memoire


def _ligne(
    libelle: str, debit: float, objectif: int | None = OBJECTIF_SIMULATIONS_PAR_SECONDE
) -> str:
    if objectif is None:
        return f"{libelle} : {_nombre(debit)} simulations/s sur un processus"
    verdict = "OK" if debit >= objectif else "SOUS L'OBJECTIF"
    return (
        f"{libelle} : {_nombre(debit)} simulations/s sur un processus "
        f"(objectif ≥ {_nombre(objectif)}, atteint à {debit / objectif:.0%}) — {verdict}"
    )


def _nombre(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u202f")


def main() -> None:
    ramasse_miettes_regler()
    reference = mesurer_reference()
    print(
        f"Machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]} ; référence : "
        f"boucle Python de 10 millions d'additions en {reference:.2f} s (meilleur de 3)"
    )
    print(_ligne("Cœur de calcul (résultat avec trace)", mesurer_coeur(detail=True), objectif=None))
    print(_ligne("Cœur de calcul (sans trace : une ligne de lot)", mesurer_coeur(detail=False)))
    sans = mesurer_porte_python()
    print(_ligne("rules.simulate sans extras (validation, référentiel, cœur)", sans))
    avec = mesurer_porte_python(extras=True)
    print(
        _ligne(
            "rules.simulate avec piste et renouvellement (page de résultat, API)",
            avec,
            objectif=OBJECTIF_AVEC_EXTRAS_PAR_SECONDE,
        )
    )
    print(f"Rapport dans cette séance : avec extras / sans = {avec / sans:.2f}")
    duree, n, memoire = mesurer_lot()
    verdict = "OK" if duree < OBJECTIF_LOT_SECONDES else "SOUS L'OBJECTIF"
    print(
        f"Lot CSV sur {os.cpu_count()} cœurs : {_nombre(n)} lignes en {duree:.2f} s de bout en "
        f"bout, soit {_nombre(n / duree)} lignes/s (objectif < {OBJECTIF_LOT_SECONDES:.0f} s, "
        f"soit {_nombre(LIGNES_LOT / OBJECTIF_LOT_SECONDES)} lignes/s) — {verdict} ; mémoire au "
        f"plus haut : {memoire:.0f} Mo par processus (lu et calculé par tranches)"
    )


if __name__ == "__main__":
    main()
