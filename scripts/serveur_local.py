"""Start the site with gunicorn on a free loopback port, for browser tests and captures."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out of a closed network.
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# What a fresh database needs before the site can serve: its tables, the cache table
# (load_reference announces new data through the cache), the shipped reference data. Each
# command is idempotent; one process runs them all (Django starts once, not three times).
PREPARATION = (
    ["migrate", "--noinput", "-v", "0"],
    ["createcachetable"],
    ["load_reference", "-v", "0"],
)
_PREPARER = (
    "import django; django.setup(); from django.core.management import call_command\n"
    "for commande in {commandes!r}: call_command(*commande)"
)


def base_preparer(*, database_url: str | None = None, env: dict[str, str] | None = None) -> None:
    """Run ``PREPARATION`` on ``database_url`` (the settings' database when None)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "simulator.settings", **(env or {})}
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "-c", _PREPARER.format(commandes=[list(c) for c in PREPARATION])],
        cwd=RACINE,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def base_reference_construire(chemin: Path) -> Path:
    """A SQLite file with the tables and the reference data: built once (a minute on two
    cores, mostly the 35 000 communes and their history), then copied by whoever needs a
    fresh database — the test database, each test server."""
    base_preparer(database_url=f"sqlite:///{chemin}")
    return chemin


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serveur_local(
    *,
    database_url: str | None = None,
    migrer: bool = True,
    modele: Path | None = None,
    env_extra: dict[str, str] | None = None,
    workers: int = 2,
    configuration_production: bool = False,
) -> Iterator[str]:
    """Yield the base URL of a gunicorn serving the project; stop it afterwards.

    ``migrer``: prepare the database first (``PREPARATION``). ``modele``: a SQLite file
    already prepared (``base_reference_construire``), copied to ``database_url``'s path
    instead — a copy takes a second where a preparation takes a minute.
    ``configuration_production``: gunicorn reads gunicorn.conf.py, as deploy/start.sh runs
    it (worker class, timeouts, recycling), with ``workers`` processes on this port."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        # One browser (or wrk) on 127.0.0.1 opens result pages faster than a person: the
        # per-client page limit is tested elsewhere (tests/test_service_public.py).
        "PAGES_LIMITE": "1000000/m",
        **(env_extra or {}),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if modele is not None:
        if not (database_url and database_url.startswith("sqlite:///")):
            raise ValueError("modele : une base SQLite (database_url=sqlite:///…) à remplir")
        shutil.copyfile(modele, urllib.parse.urlparse(database_url).path)
    elif migrer:
        base_preparer(env=env)
    port = port_libre()
    if configuration_production:
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_LOG_LEVEL="warning",
        )
        commande = ["-c", "gunicorn.conf.py", "simulator.wsgi:application"]
    else:
        commande = [
            "simulator.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ]
    processus = subprocess.Popen([sys.executable, "-m", "gunicorn", *commande], cwd=RACINE, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("le serveur local n'a pas démarré")
        yield url
    finally:
        processus.terminate()
        processus.wait(timeout=10)
