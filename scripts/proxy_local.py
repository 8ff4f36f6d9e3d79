"""The documented proxy, on loopback: Debian's nginx with deploy/nginx/simulateur.conf.template
in front of gunicorn started as deploy/start.sh does (gunicorn.conf.py).

``python scripts/proxy_local.py`` shows that the real client address is kept: clients
on distinct loopback addresses (127.0.0.2, 127.0.0.3) reach the API through nginx, each
is limited on its own, and a forged X-Forwarded-For does not help. Exit status 0 when it
holds, 1 otherwise.

``python scripts/proxy_local.py --url http://127.0.0.1:8000`` checks a running
deployment (``docker compose up``) the same way, as the TLS proxy of the host would
reach it: each client's address in X-Forwarded-For. Its API limit is read from
``--limite`` (120 by default, API_LIMITE).

The tests use ``proxy_local`` (tests/test_service_reel.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

from scripts.serveur_local import port_libre, serveur_local  # noqa: E402

MODELE = RACINE / "deploy" / "nginx" / "simulateur.conf.template"
SITUATION = {
    "date_signature": "2025-03-01",
    "specialite": "01",
    "secteur": "1",
    "commune": "45234",
    "patientele_mt": 920,
    "file_active": 1350,
    "option": "mi_temps",
}


def nginx_trouver() -> str | None:
    return shutil.which("nginx") or next(
        (c for c in ("/usr/sbin/nginx",) if os.access(c, os.X_OK)), None
    )


def nginx_configurer(*, amont: str, ecoute: str, dossier: Path) -> Path:
    """The repository's template, filled as the nginx image fills it, in a whole nginx.conf
    that keeps every file of nginx in ``dossier``."""
    serveur = MODELE.read_text().replace("${SIMULATEUR_AMONT}", amont)
    serveur = serveur.replace("${SIMULATEUR_ECOUTE}", ecoute)
    (dossier / "simulateur.conf").write_text(serveur)
    temporaires = "\n".join(
        f"    {nom}_temp_path {dossier / nom};"
        for nom in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    for nom in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (dossier / nom).mkdir(exist_ok=True)
        (dossier / nom).chmod(0o777)  # nginx's workers drop to « nobody » under root
    dossier.chmod(0o755)
    conf = dossier / "nginx.conf"
    conf.write_text(
        f"""daemon off;
worker_processes 1;
pid {dossier / "nginx.pid"};
error_log {dossier / "erreurs.log"} warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
{temporaires}
    include {dossier / "simulateur.conf"};
}}
"""
    )
    return conf


@contextmanager
def proxy_local(url_amont: str) -> Iterator[str]:
    """nginx on a free loopback port in front of ``url_amont``; yields its URL."""
    nginx = nginx_trouver()
    if nginx is None:
        raise RuntimeError("nginx absent : apt-get install nginx-light")
    amont = url_amont.removeprefix("http://").rstrip("/")
    port = port_libre()
    with tempfile.TemporaryDirectory(prefix="proxy-local-") as nom:
        dossier = Path(nom)
        conf = nginx_configurer(amont=amont, ecoute=f"127.0.0.1:{port}", dossier=dossier)
        processus = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(dossier), "-e", str(dossier / "erreurs.log")]
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if processus.poll() is not None:
                        journal = (dossier / "erreurs.log").read_text(errors="replace")
                        raise RuntimeError(f"nginx n'a pas démarré :\n{journal}") from None
                    time.sleep(0.05)
            yield url
        finally:
            processus.terminate()
            processus.wait(timeout=10)


def api_appeler(url: str, *, depuis: str = "127.0.0.1", transmis: str | None = None) -> int:
    """POST a situation to the API from the loopback address ``depuis``; the status."""
    hote, _, port = url.removeprefix("http://").partition(":")
    corps = json.dumps(SITUATION).encode()
    entetes = {"Content-Type": "application/json", "Host": "127.0.0.1"}
    if transmis:
        entetes["X-Forwarded-For"] = transmis
    import http.client

    connexion = http.client.HTTPConnection(
        hote, int(port or 80), timeout=30, source_address=(depuis, 0)
    )
    try:
        connexion.request("POST", "/api/simulation", body=corps, headers=entetes)
        return connexion.getresponse().status
    finally:
        connexion.close()


def demontrer(url: str, *, limite: int, par_entete: bool) -> bool:
    """Client A goes past the limit, client B is not affected, A's forged header fails."""

    def appel(client: str, faux: str | None = None) -> int:
        if par_entete:  # as the host's TLS proxy: the client's address in X-Forwarded-For
            transmis = f"{faux}, {client}" if faux else client
            return api_appeler(url, transmis=transmis)
        return api_appeler(url, depuis=client, transmis=faux)

    a, b = ("198.51.100.7", "203.0.113.9") if par_entete else ("127.0.0.2", "127.0.0.3")
    statuts_a = [appel(a) for _ in range(limite + 1)]
    b_passe = appel(b)
    a_forge = appel(a, faux="192.0.2.77")
    print(f"client A ({a}) : {limite} appels acceptés puis {statuts_a[-1]}")
    print(f"client B ({b}) : {b_passe}")
    print(f"client A avec un X-Forwarded-For forgé : {a_forge}")
    tenu = statuts_a == [200] * limite + [429] and b_passe == 200 and a_forge == 429
    print(
        "L'adresse réelle du client est gardée derrière le proxy."
        if tenu
        else "ÉCHEC : les clients ne sont pas distingués derrière le proxy."
    )
    return tenu


def main() -> int:
    analyse = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyse.add_argument("--url", help="un déploiement qui tourne (docker compose up)")
    analyse.add_argument("--limite", type=int, default=120, help="API_LIMITE du déploiement")
    options = analyse.parse_args()
    if options.url:
        return 0 if demontrer(options.url, limite=options.limite, par_entete=True) else 1
    limite = 3
    env = {
        "DJANGO_PROXIES": "127.0.0.1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "API_LIMITE": f"{limite}/m",
        "LIMITES_STOCKAGE": "fichier",
    }
    with tempfile.TemporaryDirectory() as dossier:
        env["LIMITES_FICHIER"] = str(Path(dossier) / "limites.sqlite3")
        base = Path(dossier) / "simulateur.sqlite3"
        if (RACINE / "db.sqlite3").exists():  # make setup's: only what is missing is applied
            shutil.copyfile(RACINE / "db.sqlite3", base)
        with (
            serveur_local(
                database_url=f"sqlite:///{base}", env_extra=env, configuration_production=True
            ) as amont,
            proxy_local(amont) as url,
        ):
            print(f"gunicorn {amont}, nginx {url} (deploy/nginx/simulateur.conf.template)")
            urllib.request.urlopen(url + "/sante", timeout=10).read()
            return 0 if demontrer(url, limite=limite, par_entete=False) else 1


if __name__ == "__main__":
    sys.exit(main())
