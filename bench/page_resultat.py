"""In-process cost of the result page against a bare page (test client, varied figures).

``python bench/page_resultat.py [--pages N] [--profil]``: prints the milliseconds per
page of N (300) result URLs that are all different (signing dates, communes, patientèle, options) and of
/sante (best of three passes each: this shared machine varies); with --profil, the 25
most expensive calls. Asserts nothing. Under load, ``make loadtest`` is the measure.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

from bench import LIMITES_LEVEES  # noqa: E402

os.environ.update(LIMITES_LEVEES)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http.response import HttpResponseBase  # noqa: E402
from django.test import Client  # noqa: E402

from simulator.runtime import ramasse_miettes_regler  # noqa: E402

COMMUNES = ["45234", "18279", "75109", "69381", "13201", "33063", "59350", "18033"]


def adresses(n: int, graine: int = 2) -> list[str]:
    hasard = random.Random(graine)
    liste = []
    for _ in range(n):
        mt = hasard.randint(500, 2600)
        fa = mt + hasard.randint(0, 1600)
        jour = f"20{hasard.randint(23, 26)}-{hasard.randint(1, 12):02d}-{hasard.randint(1, 28):02d}"
        option = hasard.choice(["mi_temps", "temps_plein"])
        liste.append(
            f"/resultat?date_signature={jour}&specialite=01&secteur=1&commune="
            f"{hasard.choice(COMMUNES)}&patientele_mt={mt}&file_active={fa}&option={option}"
        )
    return liste


def page_verifier(reponse: HttpResponseBase, adresse: str) -> None:
    """A page that is not the one measured (a 429, an error page) stops the benchmark."""
    if reponse.status_code != 200:
        raise SystemExit(f"{adresse} : statut {reponse.status_code}, pas la page mesurée")


def main() -> None:
    # The test client without the test environment (which instruments Django templates
    # only, not Jinja2), and the process set up as the server's workers are.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    ramasse_miettes_regler()
    client = Client()
    n = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 300
    liste = adresses(n)
    for adresse in liste[:30]:
        client.get(adresse)  # warm-up: snapshot, templates

    def par_page(adresses: list[str]) -> float:
        debut = time.perf_counter()
        for adresse in adresses:
            page_verifier(client.get(adresse), adresse)
        return 1000 * (time.perf_counter() - debut) / len(adresses)

    page = min(par_page(liste) for _ in range(3))
    sante = min(par_page(["/sante"] * n) for _ in range(3))
    print(f"Machine : {os.cpu_count()} cœurs")
    print(f"page de résultat (chiffres variés) : {page:.1f} ms ; /sante : {sante:.1f} ms")
    print(
        f"rapport en processus : {sante / page:.0%} (l'objectif de 50 % se mesure sous charge, make loadtest)"
    )
    if "--profil" in sys.argv:
        cProfile.runctx("for a in liste[:150]: client.get(a)", globals(), locals(), "page.prof")
        pstats.Stats("page.prof").sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
