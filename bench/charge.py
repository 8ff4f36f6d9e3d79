"""Load benchmark (``make loadtest``): prints figures, asserts nothing.

gunicorn with the production settings on 127.0.0.1, then bounded runs of wrk (Debian's
package; installed by ``make loadtest`` when missing) at 50 concurrent connections:
the trivial baseline view (/sante), the result page of a share link, and the JSON API.
Goals: no error, the result page at ≥ 50 % of the baseline's throughput, p99 < 100 ms.
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

from scripts.serveur_local import serveur_local  # noqa: E402

CONNEXIONS = int(os.environ.get("CHARGE_CONNEXIONS", "50"))
DUREE = os.environ.get("CHARGE_DUREE", "10s")
RESULTAT = (
    "/resultat?date_signature=2023-09-01&specialite=01&secteur=1&commune=45234"
    "&patientele_mt=920&file_active=1350&option=mi_temps"
)
SITUATION = (
    '{"date_signature": "2023-09-01", "specialite": "01", "secteur": "1", "commune": "45234",'
    ' "patientele_mt": 920, "file_active": 1350, "option": "mi_temps"}'
)


def wrk(url: str, *, script: str | None = None) -> dict[str, float]:
    commande = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(CONNEXIONS),
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
            "RATELIMIT_ENABLE": "0",  # measure the API itself, not its rate limiter
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=RACINE,
            env={**os.environ, **env},
            check=True,
        )
        script = Path(dossier) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = [[{SITUATION}]]\n",
            encoding="utf-8",
        )
        workers = (os.cpu_count() or 1) * 2 + 1
        with serveur_local(database_url=f"sqlite:///{base}", env_extra=env, workers=workers) as url:
            print(
                f"gunicorn : {workers} workers, {CONNEXIONS} connexions, {DUREE} par mesure, "
                f"{os.cpu_count()} cœurs (wrk sur la même machine)"
            )
            wrk(url + "/sante")  # warm-up: workers loaded, templates cached
            wrk(url + RESULTAT)
            mesures = {
                "référence /sante": wrk(url + "/sante"),
                "page de résultat (lien de partage)": wrk(url + RESULTAT),
                "API POST /api/simulation": wrk(url + "/api/simulation", script=str(script)),
            }
    reference = mesures["référence /sante"]["rps"]
    for nom, m in mesures.items():
        print(
            f"{nom:38} {m['rps']:8.0f} req/s  p50 {m['p50']:6.1f} ms  p99 {m['p99']:6.1f} ms  "
            f"{m['requetes']:6d} requêtes  {m['erreurs']} erreur(s)  "
            f"({100 * m['rps'] / reference:.0f} % de la référence)"
        )
    page = mesures["page de résultat (lien de partage)"]
    objectifs = [
        ("0 erreur", all(m["erreurs"] == 0 for m in mesures.values())),
        ("page de résultat ≥ 50 % de la référence", page["rps"] >= 0.5 * reference),
        ("p99 < 100 ms à 50 clients", all(m["p99"] < 100 for m in mesures.values())),
    ]
    for nom, atteint in objectifs:
        print(f"objectif {nom} : {'atteint' if atteint else 'NON ATTEINT'}")


if __name__ == "__main__":
    main()
