"""CSV batches (the command line and the staff page): flat one-row results, CSV in and out
with formulas neutralised, and the batch computed by forked workers."""

from __future__ import annotations

import csv
import io
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TextIO

from rules.files import separateur_deviner
from rules.services import Resultat, Situation

SITUATION_COLONNES = list(Situation.model_fields)


class Ecrivable(Protocol):
    def write(self, s: str, /) -> Any: ...


RESULTAT_COLONNES = [
    "regime",
    "eligibilite",
    "conditions_non_remplies",
    "conditions_a_verifier",
    "zone",
    *[f"aide_annee_{k}" for k in range(1, 6)],
    "aide_total_5_ans",
    "objectif_mt_initiale",
    "objectif_mt_hausse",
    "objectif_mt_cible",
    "objectif_file_active_initiale",
    "objectif_file_active_hausse",
    "objectif_file_active_cible",
    "objectifs_estimation",
    "erreurs",
]


def _texte(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    return str(valeur)


def resultat_en_ligne(resultat: Resultat) -> dict[str, str]:
    o = resultat.objectifs
    ligne = {
        "regime": resultat.regime.code,
        "eligibilite": resultat.eligibilite.statut,
        "conditions_non_remplies": " | ".join(
            c.code for c in resultat.eligibilite.conditions if c.statut == "ko"
        ),
        "conditions_a_verifier": " | ".join(
            c.code for c in resultat.eligibilite.conditions if c.statut == "a_verifier"
        ),
        "zone": _texte(resultat.lieu.zone),
        "aide_total_5_ans": _texte(resultat.aide.total_5_ans),
        "objectifs_estimation": _texte(o.estimation),
        "erreurs": "",
    }
    for annee in resultat.aide.annees:
        ligne[f"aide_annee_{annee.annee}"] = _texte(annee.montant)
    for prefixe, objectif in (
        ("objectif_mt", o.patientele_mt),
        ("objectif_file_active", o.file_active),
    ):
        ligne[f"{prefixe}_initiale"] = _texte(objectif.initiale if objectif else None)
        ligne[f"{prefixe}_hausse"] = _texte(objectif.hausse if objectif else None)
        ligne[f"{prefixe}_cible"] = _texte(objectif.cible if objectif else None)
    return ligne


# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
_DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def cellule_neutraliser(valeur: Any) -> Any:
    """Prefix a quote to a text cell a spreadsheet would run as a formula."""
    if isinstance(valeur, str) and valeur.startswith(_DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


def erreurs_en_texte(erreurs: dict[str, list[str]]) -> str:
    return " ; ".join(f"{champ} : {' '.join(messages)}" for champ, messages in erreurs.items())


def csv_lire(fichier: TextIO) -> tuple[list[str], list[dict[str, str]]]:
    """Rows of a CSV; returns also the extra columns (not contract keys), passed through."""
    texte = fichier.read().lstrip("\ufeff")
    premiere = texte.split("\n", 1)[0]
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=separateur_deviner(premiere))
    colonnes = [c.strip() for c in (lecteur.fieldnames or [])]
    lecteur.fieldnames = colonnes
    extra = [c for c in colonnes if c not in SITUATION_COLONNES]
    return extra, list(lecteur)


def situation_depuis_ligne(ligne: dict[str, str]) -> dict[str, str]:
    """Keep the contract keys; an empty cell means "not given"."""
    return {k: v for k, v in ligne.items() if k in SITUATION_COLONNES and v not in (None, "")}


class _Tampon:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, texte: str) -> str:
        return texte


def csv_lignes(
    extra: list[str], lignes: Iterable[tuple[dict[str, str], dict[str, str]]]
) -> Iterator[str]:
    """The output CSV, line by line (header first): every cell that a spreadsheet would
    run as a formula is neutralised, whichever door wrote it (CLI, staff batch page)."""
    ecrivain = csv.DictWriter(
        _Tampon(),
        fieldnames=[*extra, *SITUATION_COLONNES, *RESULTAT_COLONNES],
        extrasaction="ignore",
    )
    yield str(ecrivain.writeheader())
    for entree, resultat in lignes:
        ligne = {cle: cellule_neutraliser(v) for cle, v in {**entree, **resultat}.items()}
        yield str(ecrivain.writerow(ligne))


def csv_ecrire(
    sortie: Ecrivable, extra: list[str], lignes: Iterable[tuple[dict[str, str], dict[str, str]]]
) -> None:
    for ligne in csv_lignes(extra, lignes):
        sortie.write(ligne)


_LOT_EN_COURS: Any = None  # the batch a forked worker computes from (inherited, never pickled)


def _tranche_calculer(bornes: tuple[int, int]) -> list[dict[str, str]]:
    lot = _LOT_EN_COURS
    debut, fin = bornes
    return [_ligne_resultat(r) for r in lot.resultats(detail=False, debut=debut, fin=fin)]


def _ligne_resultat(sortie: Resultat | Exception) -> dict[str, str]:
    from rules.services import SituationInvalide

    if isinstance(sortie, SituationInvalide):
        return {"erreurs": erreurs_en_texte(sortie.erreurs)}
    assert isinstance(sortie, Resultat)
    return resultat_en_ligne(sortie)


def lot_en_lignes(lot: Any, *, processus: int = 1, tranche: int = 5000) -> Iterator[dict[str, str]]:
    """The batch's flat result rows, in order, computed by ``processus`` forked workers.

    The workers inherit the prepared batch (inputs and reference data already in memory),
    so they never touch the database; only the flat rows travel back.
    """
    global _LOT_EN_COURS
    n = len(lot.entrees)
    if processus <= 1 or n <= tranche or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_ligne_resultat(r) for r in lot.resultats(detail=False))
        return
    _LOT_EN_COURS = lot
    try:
        bornes = [(i, min(i + tranche, n)) for i in range(0, n, tranche)]
        with multiprocessing.get_context("fork").Pool(processus) as pool:
            for lignes in pool.imap(_tranche_calculer, bornes):
                yield from lignes
    finally:
        _LOT_EN_COURS = None
