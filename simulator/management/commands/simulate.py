"""``python manage.py simulate FILE`` — the command-line door of docs/contrat.md."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.core.management.base import BaseCommand, CommandParser

from rules.files import FichierInvalide, texte_ouvrir
from rules.services import Resultat, SituationInvalide, lot_preparer
from simulator.batch import (
    csv_lignes,
    csv_lire_flux,
    erreurs_en_texte,
    lot_calculer,
)
from simulator.runtime import ramasse_miettes_regler

ERREURS_AFFICHEES = 20
# A JSON list is held in memory with every result's trace: past this, --csv streams.
JSON_LISTE_MAX = 10_000


class EntreeInvalide(Exception):
    pass


def json_lire(fichier: TextIO) -> Any:
    """The JSON document, or EntreeInvalide with a French message (never a traceback)."""
    try:
        return json.load(fichier)
    except json.JSONDecodeError as exc:
        raise EntreeInvalide(
            f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : un objet situation ou "
            "une liste de situations est attendu."
        ) from None
    except UnicodeDecodeError:
        raise EntreeInvalide("Le fichier n'est pas du texte UTF-8.") from None
    except RecursionError:
        raise EntreeInvalide("JSON invalide : imbrication trop profonde.") from None
    except ValueError:
        # Python refuses integers of more than 4 300 digits.
        raise EntreeInvalide("JSON invalide : nombre démesuré.") from None


class Command(BaseCommand):
    help = (
        "Simule une situation (objet JSON), une liste de situations (liste JSON) ou, avec --csv, "
        "un fichier CSV d'une situation par ligne. FILE est un chemin, ou « - » pour l'entrée "
        "standard. En cas de saisie invalide : code de sortie 2 et message en français sur la "
        "sortie d'erreur."
    )
    # Django's system checks (URLs, admin, templates) say nothing of a calculation and
    # took 0.09 s of each run: a quarter of a one-row batch (`make bench`).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "fichier", metavar="FILE", help="fichier JSON ou CSV, ou - pour l'entrée standard"
        )
        parser.add_argument(
            "--csv", action="store_true", help="lit et écrit du CSV (traitement par lot)"
        )
        parser.add_argument(
            "--processus",
            type=int,
            default=os.cpu_count() or 1,
            help="nombre de processus de calcul pour un lot CSV (par défaut : un par cœur)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""  # JSON and CSV writers handle their own line ends
        ramasse_miettes_regler()
        try:
            self._executer(
                options["fichier"], csv_mode=options["csv"], processus=options["processus"]
            )
        except EntreeInvalide as exc:
            self.stderr.write(str(exc))
            sys.exit(2)

    def _ouvrir(self, chemin: str) -> TextIO:
        if chemin == "-":
            return sys.stdin
        try:
            return Path(chemin).open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise EntreeInvalide(f"Fichier illisible : {chemin} ({exc.strerror}).") from None

    def _executer(self, chemin: str, *, csv_mode: bool, processus: int) -> None:
        if csv_mode:
            # Bytes first: a spreadsheet's CSV may be UTF-16 or Windows-1252 (the encoding
            # is found by a first pass, block by block; standard input is spooled to disk).
            try:
                binaire = self._binaire_ouvrir(chemin)
            except OSError as exc:
                raise EntreeInvalide(f"Fichier illisible : {chemin} ({exc.strerror}).") from None
            with binaire:
                try:
                    texte = texte_ouvrir(binaire)
                except FichierInvalide as exc:
                    raise EntreeInvalide(str(exc)) from None
                self._csv(texte, processus=processus)
            return
        with self._ouvrir(chemin) as fichier:
            self._json(fichier)

    def _json(self, fichier: TextIO) -> None:
        donnees = json_lire(fichier)
        liste = isinstance(donnees, list)
        if liste and len(donnees) > JSON_LISTE_MAX:
            raise EntreeInvalide(
                f"Liste de {len(donnees)} situations : au-delà de {JSON_LISTE_MAX}, utilisez "
                "--csv (traitement par lot, sans le détail du calcul)."
            )
        lot = lot_preparer(donnees if liste else [donnees])
        # The same document as the API and the page: with the way out and the renewal.
        sorties: list[Resultat | SituationInvalide] = list(
            lot.resultats(piste=True, avec_renouvellement=True)
        )
        invalides = [(i, r) for i, r in enumerate(sorties) if isinstance(r, SituationInvalide)]
        if not liste:
            if invalides:
                raise EntreeInvalide(self._erreurs_decrire(invalides, 1, None))
            self._json_ecrire(sorties[0].model_dump(mode="json"))  # type: ignore[union-attr]
            return
        # One item per input, in order: a result, or the French errors of that input.
        self._json_ecrire(
            [
                {"erreurs": r.erreurs}
                if isinstance(r, SituationInvalide)
                else r.model_dump(mode="json")
                for r in sorties
            ]
        )
        if invalides:
            self.stderr.write(self._erreurs_decrire(invalides, 1, "Situation n°"))
            sys.exit(2)

    def _json_ecrire(self, document: Any) -> None:
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")

    @staticmethod
    def _binaire_ouvrir(chemin: str) -> BinaryIO:
        if chemin != "-":
            return Path(chemin).open("rb")
        copie = tempfile.TemporaryFile()  # noqa: SIM115 (returned open, closed by the caller)
        shutil.copyfileobj(sys.stdin.buffer, copie)
        copie.seek(0)
        return copie

    def _csv(self, fichier: TextIO, *, processus: int) -> None:
        """Streamed: the rows are computed chunk by chunk (every core) into a temporary
        file, so that memory holds a few chunks whatever the length; the results are
        written out only if every row is valid (else exit status 2 and the rows named)."""
        erreurs: list[tuple[int, SituationInvalide]] = []
        nombre_erreurs = 0
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as resultats:
            try:
                extra, lignes = csv_lire_flux(fichier)
                resultats.write("".join(csv_lignes(extra, [])))  # the header
                for tranche in lot_calculer(lignes, extra=extra, processus=processus):
                    nombre_erreurs += len(tranche.erreurs)
                    for index, champs in tranche.erreurs[: ERREURS_AFFICHEES - len(erreurs)]:
                        erreurs.append((index, SituationInvalide(champs)))
                    if not nombre_erreurs:
                        resultats.write(tranche.texte)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise EntreeInvalide(f"CSV illisible : {exc}") from None
            if nombre_erreurs:
                # Row 1 is the header: the first situation is on row 2.
                raise EntreeInvalide(self._erreurs_decrire(erreurs, 2, "Ligne", nombre_erreurs))
            resultats.seek(0)
            while bloc := resultats.read(1 << 20):
                self.stdout.write(bloc)

    @staticmethod
    def _erreurs_decrire(
        erreurs: list[tuple[int, SituationInvalide]],
        premier: int,
        prefixe: str | None,
        nombre: int | None = None,
    ) -> str:
        lignes = []
        for index, exc in erreurs[:ERREURS_AFFICHEES]:
            message = erreurs_en_texte(exc.erreurs)
            lignes.append(f"{prefixe} {index + premier} : {message}" if prefixe else message)
        nombre = len(erreurs) if nombre is None else nombre
        if nombre > ERREURS_AFFICHEES:
            lignes.append(f"… et {nombre - ERREURS_AFFICHEES} autres erreurs.")
        return "Saisie invalide :\n" + "\n".join(lignes)
