"""The rate limiter's counters (simulator.counters): atomic, shared by processes, expiring."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from django.test import Client, override_settings

from simulator.counters import CompteursSQLite

SITUATION = {
    "date_signature": "2023-09-01",
    "specialite": "01",
    "secteur": "1",
    "commune": "45234",
    "patientele_mt": 920,
    "file_active": 1350,
    "option": "mi_temps",
}


def _compter(chemin: str, fois: int) -> None:
    compteurs = CompteursSQLite(chemin, {})
    for _ in range(fois):
        if not compteurs.add("appels", 1, 60):
            compteurs.incr("appels")


def test_quatre_processus_comptent_chaque_appel(tmp_path: Path) -> None:
    chemin = str(tmp_path / "limites.sqlite3")
    contexte = multiprocessing.get_context("spawn")
    processus = [contexte.Process(target=_compter, args=(chemin, 150)) for _ in range(4)]
    for p in processus:
        p.start()
    for p in processus:
        p.join(60)
        assert p.exitcode == 0
    assert CompteursSQLite(chemin, {}).get("appels") == 600


def test_un_compteur_expire_et_repart_de_zero(tmp_path: Path) -> None:
    compteurs = CompteursSQLite(str(tmp_path / "c.sqlite3"), {})
    assert compteurs.add("k", 1, 60) is True
    assert compteurs.add("k", 1, 60) is False  # a live counter is left alone
    assert compteurs.incr("k") == 2
    compteurs.set("vieux", 7, -1)  # already expired
    assert compteurs.get("vieux") is None
    with pytest.raises(ValueError):
        compteurs.incr("vieux")
    assert compteurs.add("vieux", 1, 60) is True  # an expired counter is replaced
    assert compteurs.get("vieux") == 1
    assert compteurs.touch("k", 60) and compteurs.delete("k") and not compteurs.has_key("k")


def test_l_api_limite_avec_les_compteurs_de_production(tmp_path: Path) -> None:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limites": {
            "BACKEND": "simulator.counters.CompteursSQLite",
            "LOCATION": str(tmp_path / "limites.sqlite3"),
        },
    }
    with override_settings(CACHES=caches, API_LIMITE="3/m"):
        client = Client()
        statuts = [
            client.post(
                "/api/simulation", json.dumps(SITUATION), content_type="application/json"
            ).status_code
            for _ in range(4)
        ]
    assert statuts == [200, 200, 200, 429]
