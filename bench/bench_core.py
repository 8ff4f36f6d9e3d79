"""Benchmark of the calculation (``make bench``): prints figures, asserts nothing.

1. Simulations per second of the pure core, one process, over a mixed set of situations
   (three regimes, every option, GPs and specialists, every band).
2. Wall time of ``python manage.py simulate --csv`` on a generated 100 000-row file,
   end to end (CSV read, validation, facts from the database, core, CSV write).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

import django  # noqa: E402

django.setup()

from rules.catalogue import Catalogue  # noqa: E402
from rules.core.parameters import parametres_obtenir  # noqa: E402
from rules.core.simulation import simulation_calculer  # noqa: E402
from rules.core.situation import situation_valider  # noqa: E402

OBJECTIF_SIMULATIONS_PAR_SECONDE = 20_000
OBJECTIF_LOT_SECONDES = 10.0
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


def mesurer_coeur(*, detail: bool = True) -> float:
    donnees = situations_melangees(2_000)
    situations = [
        situation_valider({k: v for k, v in d.items() if v and k != "identifiant"}) for d in donnees
    ]
    catalogue = Catalogue.pour(situations)
    parametres = parametres_obtenir()
    paires = [(s, catalogue.faits(s)) for s in situations]
    for s, f in paires[:200]:  # warm-up
        simulation_calculer(situation=s, faits=f, parametres=parametres, detail=detail)
    n = 0
    debut = time.perf_counter()
    while time.perf_counter() - debut < 3.0:
        for s, f in paires:
            simulation_calculer(situation=s, faits=f, parametres=parametres, detail=detail)
        n += len(paires)
    duree = time.perf_counter() - debut
    return n / duree


def mesurer_lot() -> tuple[float, int]:
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
        with sortie.open(encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        return duree, n


def main() -> None:
    print(f"Machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}")
    for detail, libelle in (
        (True, "résultat complet avec trace"),
        (False, "sans trace : mode lot"),
    ):
        debit = mesurer_coeur(detail=detail)
        verdict = "OK" if debit >= OBJECTIF_SIMULATIONS_PAR_SECONDE else "SOUS L'OBJECTIF"
        print(
            f"Cœur de calcul ({libelle}) : {debit:,.0f} simulations/s sur un processus "
            f"(objectif ≥ {OBJECTIF_SIMULATIONS_PAR_SECONDE:,}) — {verdict}".replace(",", " ")
        )
    duree, n = mesurer_lot()
    verdict = "OK" if duree < OBJECTIF_LOT_SECONDES else "SOUS L'OBJECTIF"
    print(
        f"Lot CSV : {n:,} lignes en {duree:.2f} s de bout en bout, soit {n / duree:,.0f} lignes/s "
        f"(objectif < {OBJECTIF_LOT_SECONDES:.0f} s) — {verdict}".replace(",", " ")
    )


if __name__ == "__main__":
    main()
