"""Load benchmark (``make loadtest``): prints figures beside their goals, asserts nothing.

gunicorn as in production (gunicorn.conf.py, production settings, the cache tables created
as deploy/start.sh does) on 127.0.0.1, then bounded runs of wrk (Debian's package;
installed by ``make loadtest`` when missing) at 50 concurrent connections: the trivial
baseline view (/sante), result pages with varied figures (no two URLs alike: signing
dates, communes, patientèle and options drawn by a wrk script), and the JSON API with its
rate limiter on, as in production (a limit high enough not to refuse the benchmark).
Goals: no error, the result page and the API at ≥ 50 % of the baseline at 50
connections, and the result pages' p99 < 100 ms at 10 connections (same varied URLs).

Where a tail comes from: gunicorn's access log (a file for the run) gives each request's
time inside the worker (%(M)s, ms); set against wrk's latency at the client, the rest
is time spent waiting (for a free worker, for a core shared with wrk and the others).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench import LIMITES_LEVEES  # noqa: E402
from scripts.serveur_local import serveur_local  # noqa: E402

CONNEXIONS = int(os.environ.get("CHARGE_CONNEXIONS", "50"))
CONNEXIONS_QUEUE = 10  # the p99 goal: a handful of doctors at once
DUREE = os.environ.get("CHARGE_DUREE", "10s")
RESULTAT = (
    "/resultat?date_signature=2023-09-01&specialite=01&secteur=1&commune=45234"
    "&patientele_mt=920&file_active=1350&option=mi_temps"
)
SCRIPT_RESULTATS_VARIES = """
math.randomseed(os.time())
local communes = {"45234", "18279", "75109", "69381", "13201", "33063", "59350", "18033"}
local options = {"mi_temps", "temps_plein"}
request = function()
  local mt = math.random(500, 2600)
  local fa = mt + math.random(0, 1600)
  local jour = string.format("20%d-%02d-%02d", math.random(23, 26), math.random(1, 12),
    math.random(1, 28))
  local chemin = "/resultat?date_signature=" .. jour .. "&specialite=01&secteur=1&commune="
    .. communes[math.random(#communes)] .. "&patientele_mt=" .. mt .. "&file_active=" .. fa
    .. "&option=" .. options[math.random(#options)]
  return wrk.format("GET", chemin)
end
"""


# The API's bodies vary too: no two situations alike (no cache can serve the benchmark).
SCRIPT_API_VARIEE = """
math.randomseed(os.time() + 1)
local communes = {"45234", "18279", "75109", "69381", "13201", "33063", "59350", "18033"}
local options = {"mi_temps", "temps_plein", "tiers_temps"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local mt = math.random(500, 2600)
  local corps = string.format('{"date_signature": "20%d-%02d-%02d", "specialite": "01", '
    .. '"secteur": "1", "commune": "%s", "patientele_mt": %d, "file_active": %d, '
    .. '"option": "%s"}', math.random(23, 26), math.random(1, 12), math.random(1, 28),
    communes[math.random(#communes)], mt, mt + math.random(0, 1600),
    options[math.random(#options)])
  return wrk.format(nil, nil, nil, corps)
end
"""


def wrk(url: str, *, script: str | None = None, connexions: int = CONNEXIONS) -> dict[str, float]:
    commande = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connexions),
        "-d",
        DUREE,
        "--latency",
        "--timeout",
        "5s",
    ]
    if script:
        commande += ["-s", script]
    sortie = subprocess.run([*commande, url], capture_output=True, text=True, check=True).stdout

    def duree_ms(texte: str) -> float:
        trouve = re.match(r"([\d.]+)(us|ms|s|m)$", texte)
        if trouve is None:
            raise RuntimeError(f"durée illisible dans la sortie de wrk : {texte!r}\n{sortie}")
        valeur, unite = trouve.groups()
        return float(valeur) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unite]

    requetes = int(re.search(r"(\d+) requests in", sortie).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", sortie)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", sortie
    )
    erreurs = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(map(int, sockets.groups())) if sockets else 0
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", sortie).group(1)),  # type: ignore[union-attr]
        "p50": duree_ms(re.search(r"^\s+50%\s+(\S+)", sortie, re.M).group(1)),  # type: ignore[union-attr]
        "p99": duree_ms(re.search(r"^\s+99%\s+(\S+)", sortie, re.M).group(1)),  # type: ignore[union-attr]
        "requetes": requetes,
        "erreurs": erreurs,
    }


def _lignes_journal(journal: Path) -> int:
    if not journal.exists():
        return 0
    with journal.open(encoding="utf-8", errors="replace") as f:
        return sum(1 for _ in f)


def _durees_serveur(journal: Path, deja: int) -> list[int]:
    """Milliseconds inside the worker (the access log's last field, %(M)s) of the result
    pages logged after the first ``deja`` lines."""
    with journal.open(encoding="utf-8", errors="replace") as f:
        lignes = f.readlines()[deja:]
    return [
        int(m.group(1)) for ligne in lignes if (m := re.search(r"/resultat .* (\d+)ms$", ligne))
    ]


def _centile(valeurs: list[int], rang: int) -> int:
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, len(ordonnees) * rang // 100)]


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk introuvable : apt-get install wrk")
    with tempfile.TemporaryDirectory() as dossier:
        base = Path(dossier) / "charge.sqlite3"
        env = {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "mesure-de-charge-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **LIMITES_LEVEES,
            # Each request's time inside the worker, read back after each run.
            "GUNICORN_ACCESS_LOG": str(Path(dossier) / "acces.log"),
        }
        journal = Path(dossier) / "acces.log"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=RACINE,
            env={**os.environ, **env},
            check=True,
        )
        varie = Path(dossier) / "resultats.lua"
        varie.write_text(SCRIPT_RESULTATS_VARIES, encoding="utf-8")
        script = Path(dossier) / "api.lua"
        script.write_text(SCRIPT_API_VARIEE, encoding="utf-8")
        workers = (os.cpu_count() or 1) * 2 + 1
        with serveur_local(
            database_url=f"sqlite:///{base}",
            env_extra=env,
            workers=workers,
            configuration_production=True,
        ) as url:
            print(
                f"Machine : {os.cpu_count()} cœurs ; gunicorn (gunicorn.conf.py) : {workers} "
                f"processus ; wrk sur la même machine : {CONNEXIONS} connexions, {DUREE} par "
                "mesure"
            )
            wrk(url + "/sante")  # warm-up: workers loaded, templates cached
            wrk(url + RESULTAT, script=str(varie))
            mesures = {
                "référence /sante": wrk(url + "/sante"),
                "pages de résultat variées": wrk(url + RESULTAT, script=str(varie)),
                "API POST /api/simulation variée (limiteur actif)": wrk(
                    url + "/api/simulation", script=str(script)
                ),
            }
            deja = _lignes_journal(journal)
            queue = wrk(url + RESULTAT, script=str(varie), connexions=CONNEXIONS_QUEUE)
            serveur = _durees_serveur(journal, deja)
    reference = mesures["référence /sante"]["rps"]
    for nom, m in mesures.items():
        print(
            f"{nom:38} {m['rps']:8.0f} req/s  p50 {m['p50']:6.1f} ms  p99 {m['p99']:6.1f} ms  "
            f"{m['requetes']:6d} requêtes  {m['erreurs']} erreur(s)  "
            f"({100 * m['rps'] / reference:.0f} % de la référence)"
        )
    page = mesures["pages de résultat variées"]
    api = mesures["API POST /api/simulation variée (limiteur actif)"]
    print(
        f"pages de résultat variées, {CONNEXIONS_QUEUE} connexions : {queue['rps']:.0f} req/s  "
        f"p50 {queue['p50']:.1f} ms  p99 {queue['p99']:.1f} ms (client)  {queue['erreurs']} "
        f"erreur(s) ; dans le processus (journal de gunicorn, {len(serveur)} requêtes) : "
        f"p50 {_centile(serveur, 50)} ms, p99 {_centile(serveur, 99)} ms, max {max(serveur)} ms "
        f"— le reste du p99 est de l'attente (un processus libre, un cœur)"
    )
    objectifs = [
        ("0 erreur", all(m["erreurs"] == 0 for m in [*mesures.values(), queue])),
        ("pages de résultat ≥ 50 % de la référence", page["rps"] >= 0.5 * reference),
        ("API ≥ 50 % de la référence", api["rps"] >= 0.5 * reference),
        (f"p99 des pages de résultat < 100 ms à {CONNEXIONS_QUEUE} connexions", queue["p99"] < 100),
    ]
    for nom, atteint in objectifs:
        print(f"objectif {nom} : {'atteint' if atteint else 'NON ATTEINT'}")


if __name__ == "__main__":
    main()
