"""The serving model for real: gunicorn started as deploy/start.sh does (gunicorn.conf.py,
sync workers), behind Debian's nginx with the repository's configuration
(deploy/nginx/simulateur.conf.template), on loopback (scripts/proxy_local.py).

Liveness, not speed: the bounds are generous; what is checked is that the site answers
at all while slow clients are connected (before, two of them froze both workers until
gunicorn's 60-second timeout)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.proxy_local import SITUATION, api_appeler, nginx_trouver, proxy_local
from scripts.serveur_local import serveur_local

WORKERS = 2
DEV = Path(__file__).resolve().parent.parent / "db.sqlite3"

pytestmark = [
    pytest.mark.serveur,
    pytest.mark.skipif(
        nginx_trouver() is None and not os.environ.get("CI"),
        reason="nginx absent : apt-get install nginx-light (make nginx)",
    ),
]


@pytest.fixture(scope="module")
def pile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    dossier = tmp_path_factory.mktemp("pile")
    base = dossier / "simulateur.sqlite3"
    if DEV.exists():  # migrated by make setup: only what is missing is applied
        shutil.copyfile(DEV, base)
    maison = dossier / "maison"
    maison.mkdir()
    env = {
        # gunicorn would put its control socket under $XDG_RUNTIME_DIR, else under $HOME.
        "HOME": str(maison),
        "XDG_RUNTIME_DIR": "",
        "DJANGO_PROXIES": "127.0.0.1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "API_LIMITE": "2/m",
        "LIMITES_STOCKAGE": "fichier",
        "LIMITES_FICHIER": str(dossier / "limites.sqlite3"),
    }
    with (
        serveur_local(
            database_url=f"sqlite:///{base}",
            env_extra=env,
            workers=WORKERS,
            configuration_production=True,
        ) as amont,
        proxy_local(amont) as url,
    ):
        yield amont, url, maison


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _lent(port: int, debut: bytes, goutte: bytes, arret: threading.Event) -> None:
    """A client that sends ``debut`` then one ``goutte`` a second, never finishing."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(debut)
        while not arret.wait(1.0):
            try:
                s.sendall(goutte)
            except OSError:
                return


def test_des_clients_lents_n_immobilisent_aucun_processus(pile: tuple[str, str, Path]) -> None:
    _, url, _ = pile
    port = _port(url)
    arret = threading.Event()
    entetes = b"GET /sante HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    corps = (
        b"POST /api/simulation HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    lents = [
        threading.Thread(target=_lent, args=(port, entetes, b"X-Lent: 1\r\n", arret))
        for _ in range(WORKERS * 2)
    ] + [
        threading.Thread(target=_lent, args=(port, corps, b" ", arret)) for _ in range(WORKERS * 2)
    ]
    for fil in lents:
        fil.start()
    try:
        time.sleep(1.5)  # every slow client connected and trickling
        statuts = []
        for _ in range(4):
            with urllib.request.urlopen(url + "/sante", timeout=10) as reponse:
                statuts.append(reponse.status)
            time.sleep(0.5)
    finally:
        arret.set()
        for fil in lents:
            fil.join(10)
    assert statuts == [200] * 4


def test_l_adresse_du_client_est_gardee_derriere_nginx(pile: tuple[str, str, Path]) -> None:
    _, url, _ = pile
    assert [api_appeler(url, depuis="127.0.0.2") for _ in range(3)] == [200, 200, 429]
    assert api_appeler(url, depuis="127.0.0.3") == 200
    assert api_appeler(url, depuis="127.0.0.2", transmis="192.0.2.77") == 429


@pytest.mark.parametrize("cote", ["gunicorn", "nginx"])
def test_un_corps_envoye_par_morceaux_est_lu(pile: tuple[str, str, Path], cote: str) -> None:
    amont, url, _ = pile
    cible = amont if cote == "gunicorn" else url
    source = "127.0.0.4" if cote == "gunicorn" else "127.0.0.5"
    connexion = http.client.HTTPConnection(
        "127.0.0.1", _port(cible), timeout=30, source_address=(source, 0)
    )
    corps = json.dumps(SITUATION).encode()
    morceaux = iter([corps[:40], corps[40:]])
    connexion.request(
        "POST",
        "/api/simulation",
        body=morceaux,
        headers={"Content-Type": "application/json", "Host": "127.0.0.1"},
        encode_chunked=True,
    )
    reponse = connexion.getresponse()
    contenu = reponse.read().decode()
    connexion.close()
    assert reponse.status == 200, contenu
    assert json.loads(contenu)["eligibilite"]


def test_gunicorn_n_ouvre_pas_de_socket_de_controle(pile: tuple[str, str, Path]) -> None:
    _, _, maison = pile
    assert not (maison / ".gunicorn").exists()
