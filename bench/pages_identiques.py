"""Are the result pages the same before and after a change? Dump, then compare.

    python bench/pages_identiques.py ecrire DOSSIER     # renders every page into DOSSIER
    python bench/pages_identiques.py comparer AVANT APRES

The pages: the result URLs of ``bench.page_resultat.adresses`` (300 varied figures),
a few more that reach the other branches of the template (cost assumptions typed right
or wrong, a doctor who cannot sign, the optional answers, an invalid URL) and the
summary and comparison pages that share its parts, each rendered
whole (the page without JavaScript) and as the htmx fragment (``HX-Request: true``).
The CSRF token's value is the only thing normalised; the status code is written on the
first line. ``comparer`` prints the first differing line of each page that differs and
exits 1 when any does.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

from bench import LIMITES_LEVEES  # noqa: E402

os.environ.update(LIMITES_LEVEES)

JETON = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
BASE = "/resultat?date_signature=2025-03-10&specialite=01&secteur=1&commune=45234"

AUTRES = [
    # The cost estimate with typed assumptions: a position, a salary, both, wrong values.
    f"{BASE}&patientele_mt=1200&file_active=1800&option=temps_plein&position=7",
    f"{BASE}&patientele_mt=1200&file_active=1800&option=temps_plein&position=8",
    f"{BASE}&patientele_mt=1200&file_active=1800&option=mi_temps&salaire_brut=2100",
    f"{BASE}&patientele_mt=1200&file_active=1800&option=mi_temps&salaire_brut=abc",
    f"{BASE}&patientele_mt=1200&file_active=1800&option=mi_temps&position=4&salaire_brut=9",
    f"{BASE}&patientele_mt=1200&file_active=1800&option=tiers_temps&salaire_brut=25000",
    # Patientèle under the minimum: not eligible, with or without a way out.
    f"{BASE}&patientele_mt=200&file_active=300&option=mi_temps",
    f"{BASE}&patientele_mt=10&file_active=20&option=temps_plein",
    # The optional answers that change the rules and the summary line.
    f"{BASE}&patientele_mt=900&file_active=1300&option=mi_temps&primo_installe=true",
    f"{BASE}&patientele_mt=900&file_active=1300&option=mi_temps&age_65_ans_ou_plus=true"
    "&rqth_ald=true&part_activite_liberale=60",
    f"{BASE}&patientele_mt=900&file_active=1300&option=mi_temps&tranche_percentile=p30_p50",
    # Another specialty (no MT patientèle), another sector, a date far back, the renewal.
    "/resultat?date_signature=2024-11-02&specialite=03&secteur=2&commune=75109"
    "&file_active=1500&option=mi_temps",
    "/resultat?date_signature=2019-09-01&specialite=01&secteur=1&commune=18279"
    "&patientele_mt=1500&file_active=2100&option=temps_plein",
    "/resultat?date_signature=2021-02-01&specialite=01&secteur=1&commune=18279"
    "&patientele_mt=1500&file_active=2100&option=temps_plein&date_contrat_temps_plein="
    "2019-09-01&objectifs_atteints=true",
    # Answers missing or invalid: the page that says what to correct.
    "/resultat?specialite=01&secteur=1",
    f"{BASE}&patientele_mt=abc&file_active=1800&option=mi_temps",
    # The pages that share the summary of answers and the situation's line.
    f"/recapitulatif?{BASE[10:]}&patientele_mt=1200&file_active=1800&option=mi_temps",
    f"/comparaison?{BASE[10:]}&patientele_mt=1200&file_active=1800&option=mi_temps",
    "/recapitulatif?date_signature=2024-11-02&specialite=03&secteur=2&commune=75109"
    "&file_active=1500&option=mi_temps&primo_installe=true&part_activite_liberale=60",
]


def _adresses() -> list[str]:
    from bench.page_resultat import adresses

    return [*adresses(300), *AUTRES]


def ecrire(dossier: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    dossier.mkdir(parents=True, exist_ok=True)
    for i, adresse in enumerate(_adresses()):
        for variante, entetes in (("page", {}), ("htmx", {"HX-Request": "true"})):
            reponse = client.get(adresse, headers=entetes)
            texte = JETON.sub(r"\1…\2", reponse.content.decode())
            (dossier / f"{i:03d}-{variante}.html").write_text(
                f"{reponse.status_code} {adresse}\n{texte}", encoding="utf-8"
            )
    print(f"{len(list(dossier.glob('*.html')))} pages écrites dans {dossier}")


def comparer(avant: Path, apres: Path) -> int:
    noms = sorted({p.name for p in avant.glob("*.html")} | {p.name for p in apres.glob("*.html")})
    differentes = 0
    for nom in noms:
        a, b = avant / nom, apres / nom
        if not a.exists() or not b.exists():
            print(f"{nom} : absente d’un des dossiers")
            differentes += 1
            continue
        ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        if ta != tb:
            differentes += 1
            diff = difflib.unified_diff(ta.splitlines(), tb.splitlines(), lineterm="", n=0)
            print(f"{nom} :", *list(diff)[2:6], sep="\n  ")
    print(f"{len(noms)} pages comparées, {differentes} différentes")
    return 1 if differentes else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "ecrire":
        ecrire(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "comparer":
        sys.exit(comparer(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
