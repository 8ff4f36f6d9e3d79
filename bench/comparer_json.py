"""Results before and after a change, compared field by field.

    python bench/comparer_json.py ecrire avant.json       # on the old commit
    python bench/comparer_json.py ecrire apres.json       # on the new one
    python bench/comparer_json.py comparer avant.json apres.json

``ecrire`` dumps, for 1 000 seeded random situations (every regime, option, sector,
specialty class, band, declared zone, the 2019 practice questions, some invalid input),
the JSON of ``rules.simulate`` with the way out and the renewal, or the French errors.
``comparer`` prints every path whose value differs (exit status 1), or that all match.
The same seed gives the same situations on any commit: run it on both and compare.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
GRAINE = 21
NOMBRE = 1_000
COMMUNES = ["18279", "45234", "75109", "36088", "69266", "13001", "45232", "02003", "01003"]
SPECIALITES = ["01"] * 8 + ["22", "03", "12", "15", "04", "06", "02", "79", "35"]
OPTIONS = [
    "tiers_temps",
    "mi_temps",
    "mi_temps",
    "temps_plein",
    "temps_plein",
    "second_1_5",
    "second_2",
]
PREMIER_JOUR = dt.date(2019, 6, 1)
JOURS = (dt.date(2027, 1, 31) - PREMIER_JOUR).days


def _jour(hasard: random.Random) -> str:
    return (PREMIER_JOUR + dt.timedelta(days=hasard.randrange(JOURS))).isoformat()


def situations_tirer(n: int = NOMBRE, graine: int = GRAINE) -> list[dict[str, Any]]:
    """``n`` situations as a door receives them (strings and numbers, some fields absent)."""
    hasard = random.Random(graine)
    situations = []
    for _ in range(n):
        specialite = hasard.choice(SPECIALITES)
        s: dict[str, Any] = {
            "date_signature": _jour(hasard),
            "specialite": specialite,
            "secteur": hasard.choice(["1"] * 6 + ["2_optam", "2_optam", "2", "non_conventionne"]),
            "file_active": hasard.randint(300, 4500),
            "option": hasard.choice(OPTIONS),
        }
        if hasard.random() < 0.9:
            s["commune"] = hasard.choice(COMMUNES)
        if hasard.random() < 0.2:
            s["zone"] = hasard.choice(["zip", "zac", "hors_zone"])
        if specialite in {"01", "22", "12"} or hasard.random() < 0.1:
            s["patientele_mt"] = hasard.randint(300, 2800)
        for champ, probabilite in (
            ("primo_installe", 0.15),
            ("rqth_ald", 0.05),
            ("age_65_ans_ou_plus", 0.05),
            ("centre_de_sante", 0.02),
        ):
            if hasard.random() < probabilite:
                s[champ] = True
        _facultatifs_tirer(hasard, s)
        situations.append(s)
    return situations


def _facultatifs_tirer(hasard: random.Random, s: dict[str, Any]) -> None:
    """The practice questions, shares, second-assistant answers, band, bad input."""
    if hasard.random() < 0.5:
        s["exercice"] = hasard.choice(["isole", "groupe", "coordination_renforcee"])
    if hasard.random() < 0.5:
        s["exercice_coordonne"] = hasard.choice([True, False])
    if hasard.random() < 0.1:
        s["part_activite_liberale"] = hasard.choice([40, 75, "90,5"])
    if hasard.random() < 0.1:
        s["part_patients_moins_16_ans"] = hasard.choice([5, 25])
    if s["specialite"] == "04" or hasard.random() < 0.05:
        s["part_honoraires_cliniques"] = hasard.choice([30, 85])
    if s["option"].startswith("second"):
        if hasard.random() < 0.7:
            s["date_contrat_temps_plein"] = _jour(hasard)
        if hasard.random() < 0.7:
            s["objectifs_atteints"] = hasard.choice([True, False])
    if hasard.random() < 0.1:
        s["tranche_percentile"] = hasard.choice(["p30_p50", "p50_p70", "p70_p90", "p95"])
    if hasard.random() < 0.02:
        s["file_active"] = hasard.choice([-3, "beaucoup", 99_999])


def _simuler_complet(situation: dict[str, Any]) -> Any:
    """``rules.simulate`` with the way out and the renewal, on this commit or an older one
    (where every call computed both)."""
    import rules
    from rules import services

    if "piste" in inspect.signature(services.simulate).parameters:
        return services.simulate(situation, piste=True, renouvellement=True)
    return rules.simulate(situation)


def documents_calculer(situations: list[dict[str, Any]]) -> list[Any]:
    from rules.core.situation import SituationInvalide

    documents: list[Any] = []
    for s in situations:
        try:
            documents.append(_simuler_complet(s).model_dump(mode="json"))
        except SituationInvalide as exc:
            documents.append({"erreurs": exc.erreurs})
    return documents


def ecarts(avant: Any, apres: Any, chemin: str = "") -> list[str]:
    """Every path where the two JSON documents differ (value, type, missing key)."""
    if isinstance(avant, dict) and isinstance(apres, dict):
        trouves = []
        for cle in sorted(set(avant) | set(apres)):
            sous = f"{chemin}.{cle}" if chemin else str(cle)
            if cle not in avant or cle not in apres:
                trouves.append(f"{sous} : présent d'un seul côté")
            else:
                trouves.extend(ecarts(avant[cle], apres[cle], sous))
        return trouves
    if isinstance(avant, list) and isinstance(apres, list):
        if len(avant) != len(apres):
            return [f"{chemin} : {len(avant)} éléments contre {len(apres)}"]
        trouves = []
        for i, (a, b) in enumerate(zip(avant, apres, strict=True)):
            trouves.extend(ecarts(a, b, f"{chemin}[{i}]"))
        return trouves
    if type(avant) is not type(apres) or avant != apres:
        return [f"{chemin} : {avant!r} contre {apres!r}"]
    return []


def _django() -> None:
    sys.path.insert(0, str(RACINE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")
    import django

    django.setup()


def main(arguments: list[str]) -> int:
    if len(arguments) == 2 and arguments[0] == "ecrire":
        _django()
        situations = situations_tirer()
        documents = documents_calculer(situations)
        Path(arguments[1]).write_text(
            json.dumps(
                [
                    {"situation": s, "resultat": d}
                    for s, d in zip(situations, documents, strict=True)
                ],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        erreurs = sum(1 for d in documents if "erreurs" in d)
        print(f"{len(documents)} situations écrites dans {arguments[1]} ({erreurs} invalides)")
        return 0
    if len(arguments) == 3 and arguments[0] == "comparer":
        avant = json.loads(Path(arguments[1]).read_text(encoding="utf-8"))
        apres = json.loads(Path(arguments[2]).read_text(encoding="utf-8"))
        trouves = ecarts(avant, apres)
        for ligne in trouves[:50]:
            print(ligne)
        if trouves:
            print(f"{len(trouves)} écarts.")
            return 1
        print(f"{len(avant)} situations : identiques champ par champ.")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
