"""Apply and undo of a national zonage file (every commune), against the 10 s goal.

``python bench/import_zonage.py [--profil]``: on the database the settings name (SQLite by default,
PostgreSQL with DATABASE_URL; ``bench/import_zonage_postgresql.sh`` starts a throwaway
server), builds a file naming every commune with a varied zone, then times:

- the preview (``zonage_planifier``);
- the apply of a new arrêté (one new vintage per commune);
- the apply of a correction of that arrêté (every vintage corrected), then its undo
  (previous values restored), then the undo of the arrêté (the vintages deleted).

Everything runs in one transaction rolled back at the end: the database is left as it
was. Prints the seconds of each step and whether apply and undo stay under 10 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from rules.imports import plan_appliquer, zonage_planifier  # noqa: E402
from rules.models import Commune  # noqa: E402
from rules.undo import import_annuler  # noqa: E402

OBJECTIF_SECONDES = 10.0
ZONES = ["ZIP", "ZAC", "HZ", "ZAR"]


def fichier_national(graine: int) -> str:
    hasard = random.Random(graine)
    codes = Commune.objects.order_by("code_insee").values_list("code_insee", flat=True)
    return "code_insee;zonage\n" + "".join(f"{c};{hasard.choice(ZONES)}\n" for c in codes)


def chronometrer(nom: str, fonction: Callable[[], Any], mesures: dict[str, float]) -> Any:
    debut = time.perf_counter()
    resultat = fonction()
    mesures[nom] = time.perf_counter() - debut
    print(f"  {nom:<38} {mesures[nom]:6.2f} s", flush=True)
    return resultat


class _Retour(Exception):
    """Rolls the whole measure back."""


def main() -> None:
    jour, source = dt.date(2026, 1, 1), "Banc d'essai : arrêté national fictif"
    mesures: dict[str, float] = {}
    moteur = connection.vendor
    print(f"Import national de zonage sur {moteur} ({Commune.objects.count()} communes)")
    try:
        with transaction.atomic():
            arrete, correction = fichier_national(1), fichier_national(2)
            plan = chronometrer(
                "aperçu (arrêté)",
                lambda: zonage_planifier(texte=arrete, date_zonage=jour, source=source),
                mesures,
            )
            print(f"    {plan.resume()}")
            premier = chronometrer(
                "application (nouveaux millésimes)",
                lambda: plan_appliquer(
                    plan=plan, nom_fichier="national.csv", date_zonage=jour, source=source
                ),
                mesures,
            )
            plan2 = zonage_planifier(texte=correction, date_zonage=jour, source=source + " (c)")
            second = chronometrer(
                "application (correction)",
                lambda: plan_appliquer(
                    plan=plan2,
                    nom_fichier="correction.csv",
                    date_zonage=jour,
                    source=source + " (c)",
                ),
                mesures,
            )
            faite = chronometrer(
                "annulation (correction)",
                lambda: import_annuler(journal=second),
                mesures,
            )
            print(f"    {faite.message()}")
            faite = chronometrer(
                "annulation (nouveaux millésimes)",
                lambda: import_annuler(journal=premier),
                mesures,
            )
            print(f"    {faite.message()}")
            raise _Retour
    except _Retour:
        pass
    pire_application = max(v for k, v in mesures.items() if k.startswith("application"))
    pire_annulation = max(v for k, v in mesures.items() if k.startswith("annulation"))
    for nom, valeur in (("application", pire_application), ("annulation", pire_annulation)):
        verdict = "sous" if valeur < OBJECTIF_SECONDES else "AU-DESSUS de"
        print(f"{moteur} : {nom} {valeur:.1f} s, {verdict} l'objectif de {OBJECTIF_SECONDES:.0f} s")


if __name__ == "__main__":
    if "--profil" in sys.argv:
        import cProfile
        import pstats

        profil = cProfile.Profile()
        profil.runcall(main)
        pstats.Stats(profil).sort_stats("tottime").print_stats(20)
    else:
        main()
