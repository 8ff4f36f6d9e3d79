"""The core's facts straight from the shipped data files (rules/data), with no database:
the golden cases run the real core in a few seconds (make test-rapide). The database
path (rules.catalogue) is checked by the same cases in tests/test_golden.py."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from rules.core import facts as core
from rules.reference_data import (
    REMARQUE_ORL_2019,
    ZONAGE_DATE,
    ZONAGE_FICHIER,
    ZONAGE_SOURCE,
    lignes_lire,
)


@cache
def _tables() -> dict[str, Any]:
    generalistes = {r["code"]: r for r in lignes_lire("specialites_medecine_generale.csv")}
    regles: dict[str, list[dict[str, str]]] = {}
    for r in lignes_lire("specialites_regles.csv"):
        regles.setdefault(r["code"], []).append(r)
    return {
        "specialites": {r["code"]: r for r in lignes_lire("specialites_assurance_maladie.csv")},
        "generalistes": generalistes,
        "regles": regles,
        "percentiles": list(lignes_lire("percentiles_cnam.csv")),
        "communes": {r["code_insee"]: r for r in lignes_lire("communes.csv")},
        "departements": {r["code_departement"]: r for r in lignes_lire("departements.csv")},
        "zonage": {r["code_insee_cog2026"]: r["zonage"] for r in lignes_lire(ZONAGE_FICHIER)},
        "anciens": {
            r["code_insee"]: r["code_insee_commune_actuelle"]
            for r in lignes_lire("communes_deleguees_et_anciens_codes.csv")
        },
        "listes": {
            (r["departement"], r["specialite"])
            for r in lignes_lire("specialites_departements_2019.csv")
        },
    }


def _percentiles(ligne: dict[str, Any], source: str) -> core.Percentiles:
    return core.Percentiles(
        indicateur=ligne["indicateur"],
        date_donnees=dt.date.fromisoformat(str(ligne["date_donnees"])),
        **{
            p: int(ligne[p]) if ligne.get(p) not in (None, "") else None
            for p in ("p30", "p50", "p70", "p90", "p95")
        },
        source=source,
    )


def codes_connus(*, specialite: str, commune: str | None) -> bool:
    """Unknown codes are the database adapter's to refuse (tests/test_golden.py)."""
    t = _tables()
    return specialite.zfill(2) in t["specialites"] and (
        not commune or commune in t["communes"] or commune in t["anciens"]
    )


def faits_construire(
    *, specialite: str, commune: str | None, percentiles_en_plus: list[dict[str, Any]]
) -> core.Faits:
    t = _tables()
    s = t["specialites"][specialite.zfill(2)]
    code = s["code"]
    generaliste = code in t["generalistes"]
    code_percentiles = (t["generalistes"].get(code) or {}).get("percentiles_de") or code
    regles = {
        r["regime"]: core.RegleSpecialite(
            regime=r["regime"],
            classe=r["classe"],
            objectif_mt=r["objectif_mt"] == "1",
            source=r["source"],
            remarque=REMARQUE_ORL_2019 if r["classe"] == "a_confirmer" else "",
        )
        for r in t["regles"].get(code, [])
    }
    percentiles = [
        _percentiles(p, p["source"])
        for p in t["percentiles"]
        if p["specialite"] == code_percentiles
    ] + [
        _percentiles(p, "Percentiles fictifs du cas de test")
        for p in percentiles_en_plus
        if p["specialite"] == code_percentiles
    ]
    lieu, listee = None, False
    if commune:
        commune = commune if commune in t["communes"] else t["anciens"][commune]
        c = t["communes"][commune]
        zonage = t["zonage"].get(commune) or None
        lieu = core.Lieu(
            commune_code=commune,
            commune_nom=c["nom"],
            departement_code=c["code_departement"],
            departement_nom=t["departements"][c["code_departement"]]["nom"],
            zonage=zonage,
            zonage_date=ZONAGE_DATE if zonage else None,
            zonage_source=ZONAGE_SOURCE if zonage else "",
            millesimes=(
                (core.MillesimeZonage(zonage=zonage, date=ZONAGE_DATE, source=ZONAGE_SOURCE),)
                if zonage
                else ()
            ),
        )
        listee = (c["code_departement"], code) in t["listes"]
    return core.Faits(
        specialite=core.Specialite(
            code=code,
            libelle=s["libelle"],
            medicale=s["famille"] == "medecin",
            generaliste=generaliste,
            regles=regles,
        ),
        percentiles=tuple(percentiles),
        lieu=lieu,
        specialite_listee_dans_departement=listee,
    )
