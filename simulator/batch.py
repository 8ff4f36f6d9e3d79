"""CSV batches (the command line and the staff page): flat one-row results, CSV in and out
with formulas neutralised, and the batch computed by forked workers."""

from __future__ import annotations

import csv
import io
import itertools
import multiprocessing
import re
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from rules.files import separateur_deviner
from rules.services import Resultat, Situation

SITUATION_COLONNES = list(Situation.model_fields)
_SITUATION_CLES = frozenset(SITUATION_COLONNES)


class Ecrivable(Protocol):
    def write(self, s: str, /) -> Any: ...


ANNEES_COLONNES = 5  # aide_annee_1 … aide_annee_5
RESULTAT_COLONNES = [
    "regime",
    "eligibilite",
    "conditions_non_remplies",
    "conditions_a_verifier",
    "zone",
    *[f"aide_annee_{k}" for k in range(1, ANNEES_COLONNES + 1)],
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
    if valeur is True:
        return "true"
    if valeur is False:
        return "false"
    return str(valeur)


def resultat_en_cellules(resultat: Resultat) -> list[str]:
    """The result's cells, in the order of RESULTAT_COLONNES (« erreurs » last, empty)."""
    o = resultat.objectifs
    conditions = resultat.eligibilite.conditions
    zone = resultat.lieu.zone
    total = resultat.aide.total_5_ans
    cellules = [
        resultat.regime.code,
        resultat.eligibilite.statut,
        " | ".join([c.code for c in conditions if c.statut == "ko"]),
        " | ".join([c.code for c in conditions if c.statut == "a_verifier"]),
        "" if zone is None else zone,
    ]
    annees = resultat.aide.annees
    cellules += ["" if a.montant is None else str(a.montant) for a in annees]
    cellules += [""] * (ANNEES_COLONNES - len(annees))
    cellules.append("" if total is None else str(total))
    for objectif in (o.patientele_mt, o.file_active):
        if objectif is None:
            cellules += ["", "", ""]
        else:
            cellules += [str(objectif.initiale), str(objectif.hausse), str(objectif.cible)]
    cellules += [_texte(o.estimation), ""]
    return cellules


# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
_DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
# One of them starting a cell, cells joined by newlines (a cell's own newline first: a
# cell that only looks so inside is neutralised one by one, which checks each properly).
_FORMULE = re.compile(f"(?:^|\n)[{re.escape(''.join(_DEBUTS_DE_FORMULE))}]")


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


def csv_lire_flux(fichier: TextIO) -> tuple[list[str], Iterator[dict[str, str]]]:
    """``csv_lire``, the rows read as they are used (a file of any length)."""
    premiere = fichier.readline().lstrip("\ufeff")
    lecteur = csv.DictReader(
        itertools.chain([premiere], fichier), delimiter=separateur_deviner(premiere)
    )
    colonnes = [c.strip() for c in (lecteur.fieldnames or [])]
    lecteur.fieldnames = colonnes
    return [c for c in colonnes if c not in SITUATION_COLONNES], lecteur


def situation_depuis_ligne(ligne: dict[str, str]) -> dict[str, str]:
    """Keep the contract keys; an empty cell means "not given"."""
    return {k: v for k, v in ligne.items() if k in _SITUATION_CLES and v}


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


# The reference tables a forked worker computes from (inherited, never pickled); each
# chunk brings the communes it names, read by the parent: workers never query the database.
_REFERENTIEL_EN_COURS: Any = None
TRANCHE_LIGNES = 2000


def colonnes_sortie(extra: list[str]) -> list[str]:
    return [*extra, *SITUATION_COLONNES, *RESULTAT_COLONNES]


@dataclass(frozen=True)
class TrancheCalculee:
    """One chunk of a batch, computed: its CSV lines, and the French errors of its
    invalid rows as (0-based index in the whole file, errors by field)."""

    texte: str
    erreurs: list[tuple[int, dict[str, list[str]]]]


def _tranche_calculer(
    travail: tuple[int, list[dict[str, str]], list[str], dict[str, Any]],
) -> TrancheCalculee:
    from rules.services import SituationInvalide, TablesLues, lot_preparer

    debut, lignes, extra, communes = travail
    tables = TablesLues(_REFERENTIEL_EN_COURS, communes)
    lot = lot_preparer((situation_depuis_ligne(ligne) for ligne in lignes), tables=tables)
    tampon = io.StringIO()
    ecrire = csv.writer(tampon).writerow
    # The cells that echo the file (its own columns, the situation) may hold a formula:
    # one search over the row finds whether any does (a call of cellule_neutraliser a
    # cell was a quarter of a row's work). The result's own cells are codes and numbers
    # we write, but « erreurs » quotes the file's values. A file column named like a
    # result column shows the result, as the header repeats it.
    echo = [*extra, *SITUATION_COLONNES]
    doublons = [i for i, c in enumerate(echo) if c in RESULTAT_COLONNES]
    rang = {c: i for i, c in enumerate(RESULTAT_COLONNES)}
    erreurs = []
    for i, (ligne, sortie) in enumerate(zip(lignes, lot.resultats(detail=False), strict=True)):
        if isinstance(sortie, SituationInvalide):
            erreurs.append((debut + i, sortie.erreurs))
            resultat = [""] * (len(RESULTAT_COLONNES) - 1) + [erreurs_en_texte(sortie.erreurs)]
        else:
            resultat = resultat_en_cellules(sortie)
        valeurs = list(map(ligne.get, echo))
        for j in doublons:
            valeurs[j] = resultat[rang[echo[j]]]
        if _FORMULE.search("\n".join(filter(None, valeurs))):  # rare: a cell to neutralise
            valeurs = [cellule_neutraliser(v) for v in valeurs]
        resultat[-1] = cellule_neutraliser(resultat[-1])
        ecrire(valeurs + resultat)
    return TrancheCalculee(tampon.getvalue(), erreurs)


def _tranches(
    lignes: Iterable[dict[str, str]], taille: int
) -> Iterator[tuple[int, list[dict[str, str]]]]:
    debut, tranche = 0, []
    for ligne in lignes:
        tranche.append(ligne)
        if len(tranche) == taille:
            yield debut, tranche
            debut, tranche = debut + taille, []
    if tranche:
        yield debut, tranche


def _travail(
    debut: int, lignes: list[dict[str, str]], extra: list[str]
) -> tuple[int, list[dict[str, str]], list[str], dict[str, Any]]:
    """A chunk and the communes it names (read here, in the parent, from its snapshot)."""
    from rules.services import communes_lire

    codes = {c.strip().upper() for ligne in lignes if (c := ligne.get("commune") or "").strip()}
    return debut, lignes, extra, communes_lire(codes)


def lot_calculer(
    lignes: Iterable[dict[str, str]],
    *,
    extra: list[str],
    processus: int = 1,
    tranche: int | None = None,
) -> Generator[TrancheCalculee, None, None]:
    """A CSV batch streamed: rows are read, computed and handed back chunk by chunk, in
    order, so that memory holds a few chunks whatever the file's length.

    With ``processus`` > 1 the chunks are computed by as many forked workers (every core),
    at most two chunks ahead per worker. The workers inherit the reference tables; the
    parent reads the communes a chunk names and sends them with it, so a worker never
    touches the database.
    """
    global _REFERENTIEL_EN_COURS
    from rules.services import referentiel_lire

    _REFERENTIEL_EN_COURS = referentiel_lire()
    morceaux = _tranches(lignes, tranche or TRANCHE_LIGNES)
    premiers = list(itertools.islice(morceaux, 2))
    if processus <= 1 or len(premiers) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for debut, morceau in itertools.chain(premiers, morceaux):
            yield _tranche_calculer(_travail(debut, morceau, extra))
        return
    # The children inherit the parent's database connection but never use it (and leave
    # by os._exit, without closing it): the parent's stays usable.
    with multiprocessing.get_context("fork").Pool(processus) as pool:
        en_cours: deque[Any] = deque()
        for debut, morceau in itertools.chain(premiers, morceaux):
            en_cours.append(pool.apply_async(_tranche_calculer, (_travail(debut, morceau, extra),)))
            if len(en_cours) >= 2 * processus:
                yield en_cours.popleft().get()
        while en_cours:
            yield en_cours.popleft().get()
