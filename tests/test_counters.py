"""The limiter's counters (simulator.counters and the stores LIMITES_STOCKAGE can name):
atomic, shared by processes, expiring.

The local file and the database always; Redis when LIMITES_REDIS names a server
(scripts/tests_redis.sh starts Debian's redis-server for this file, as CI does)."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils.module_loading import import_string

from simulator.settings import limites_cache
from tests.cas import CAS_1

SITUATION = {**CAS_1, "commune": "45234"}
REDIS = os.environ.get("LIMITES_REDIS", "")
PARTAGES = ["fichier", *(["redis"] if REDIS else [])]  # shared by separate processes
TOUS = ["fichier", "base", *(["redis"] if REDIS else [])]


def _configuration(stockage: str, dossier: Path) -> dict[str, Any]:
    if stockage == "redis":
        return limites_cache(REDIS)
    configuration = limites_cache(stockage)
    if stockage == "fichier":
        configuration["LOCATION"] = str(dossier / "limites.sqlite3")
    return configuration


def _ouvrir(configuration: dict[str, Any]) -> Any:
    compteurs = import_string(configuration["BACKEND"])(configuration.get("LOCATION", ""), {})
    return compteurs


def _compter(configuration: dict[str, Any], fois: int) -> None:
    compteurs = _ouvrir(configuration)
    for _ in range(fois):
        if not compteurs.add("appels", 1, 60):
            compteurs.incr("appels")


@pytest.fixture(params=TOUS)
def stockage(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    configuration = _configuration(request.param, tmp_path)
    compteurs = _ouvrir(configuration)
    compteurs.clear()
    yield configuration
    compteurs.clear()


@pytest.mark.parametrize("nom", PARTAGES)
def test_quatre_processus_comptent_chaque_appel(nom: str, tmp_path: Path) -> None:
    configuration = _configuration(nom, tmp_path)
    _ouvrir(configuration).clear()
    contexte = multiprocessing.get_context("spawn")
    processus = [contexte.Process(target=_compter, args=(configuration, 150)) for _ in range(4)]
    for p in processus:
        p.start()
    for p in processus:
        p.join(60)
        assert p.exitcode == 0
    assert _ouvrir(configuration).get("appels") == 600


def test_un_compteur_expire_et_repart_de_zero(stockage: dict[str, Any]) -> None:
    compteurs = _ouvrir(stockage)
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


def test_l_api_limite_avec_les_compteurs_de_production(stockage: dict[str, Any]) -> None:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limites": stockage,
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
