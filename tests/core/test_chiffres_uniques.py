"""Every regulatory figure is written once, in its dated parameter (rules/parameters/*.yaml).

A figure copied into code or a page goes stale the day the parameter changes. This test
reads every module's syntax tree (numeric literals, and the strings a user reads: messages,
formulas; not docstrings) and every template's text, and fails when one holds the value of
a parameter as a number or as French prose writes it (« 19 000 », « 7,5 % », « 109 »).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rules.core import formatting
from rules.core.parameters import parametres_obtenir

RACINE = Path(__file__).resolve().parents[2]

# Figures too common to mean a parameter when written alone: 0 % and 100 % (nothing, all
# of it), and counts below 10 (years 2 and 3, flags 0 and 1) that prose uses everywhere.
# A percentage is still checked whatever its size (« 5 % », « 10 % »).
SEUIL_NOMBRE = Decimal(10)
TAUX_BANALS = {Decimal(0), Decimal(1)}

# Known, on purpose (file relative to the root, figure as French writes it): reason.
AUTORISES: dict[tuple[str, str], str] = {}

ESPACE = "[ \u00a0\u202f]"


def _francais(valeur: Decimal) -> str:
    """19000 → « 19 000 », 7.5 → « 7,5 », written as the pages write it (the site's own
    formatting; the patterns accept any space between digit groups)."""
    return formatting.nombre(valeur).replace(formatting.ESPACE_MILLIERS, " ")


def _chiffres() -> dict[str, tuple[re.Pattern[str], set[Decimal], str]]:
    """French writing of each figure → (its pattern, its values as numbers, a parameter)."""
    chiffres: dict[str, tuple[re.Pattern[str], set[Decimal], str]] = {}
    for nom, parametre in parametres_obtenir().tous():
        for valeur in (v.valeur for v in parametre.valeurs.values()):
            if valeur is None:
                continue
            # As a number in code: amounts, counts and rates; not a bare percentage (20, 80),
            # which code uses for many other things (lengths, sizes).
            nombres: set[Decimal] = set()
            if parametre.unite == "taux":
                if valeur in TAUX_BANALS:
                    continue
                ecrit = f"{_francais(valeur * 100)} %"
                nombres = {valeur} if valeur != Decimal("0.5") else set()
            elif parametre.unite == "pourcentage":
                ecrit = f"{_francais(valeur)} %"
            elif valeur >= SEUIL_NOMBRE or valeur != valeur.to_integral_value():
                ecrit, nombres = _francais(valeur), {valeur}
            else:
                continue
            morceaux = [re.escape(m) for m in ecrit.split(" ")]
            motif = ESPACE.join(morceaux).replace(ESPACE + "%", ESPACE + "?%")
            compile_ = re.compile(rf"(?<![\d,.]){motif}(?![\d]|,\d)")
            ancien = chiffres.get(ecrit)
            chiffres[ecrit] = (compile_, nombres | (ancien[1] if ancien else set()), nom)
    return chiffres


def _docstrings(arbre: ast.AST) -> set[int]:
    ids = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            premier = noeud.body[0] if noeud.body else None
            if isinstance(premier, ast.Expr) and isinstance(premier.value, ast.Constant):
                ids.add(id(premier.value))
    return ids


def _modules() -> list[Path]:
    return [
        chemin
        for dossier in ("rules", "simulator")
        for chemin in sorted((RACINE / dossier).rglob("*.py"))
        if "migrations" not in chemin.parts
    ]


def _fautes_python(
    chemin: Path, chiffres: dict[str, tuple[re.Pattern[str], set[Decimal], str]]
) -> Iterator[str]:
    relatif = str(chemin.relative_to(RACINE))
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    docstrings = _docstrings(arbre)
    nombres = {n: ecrit for ecrit, (_, valeurs, _) in chiffres.items() for n in valeurs}
    for noeud in ast.walk(arbre):
        if not isinstance(noeud, ast.Constant) or id(noeud) in docstrings:
            continue
        if isinstance(noeud.value, str):
            for ecrit, (motif, _, nom) in chiffres.items():
                if motif.search(noeud.value) and (relatif, ecrit) not in AUTORISES:
                    yield f"{relatif}:{noeud.lineno} : « {ecrit} » ({nom})"
        elif isinstance(noeud.value, int | float) and not isinstance(noeud.value, bool):
            trouve = nombres.get(Decimal(repr(noeud.value)))
            if trouve is not None and (relatif, trouve) not in AUTORISES:
                yield f"{relatif}:{noeud.lineno} : {noeud.value!r} ({chiffres[trouve][2]})"


def test_aucun_chiffre_reglementaire_recopie_dans_le_code_ou_les_pages() -> None:
    chiffres = _chiffres()
    fautes = [faute for chemin in _modules() for faute in _fautes_python(chemin, chiffres)]
    for chemin in sorted((RACINE / "templates").rglob("*")):
        if chemin.suffix not in {".html", ".jinja"}:
            continue
        relatif = str(chemin.relative_to(RACINE))
        texte = chemin.read_text(encoding="utf-8")
        for ecrit, (motif, _, nom) in chiffres.items():
            for m in motif.finditer(texte):
                if (relatif, ecrit) not in AUTORISES:
                    ligne = texte.count("\n", 0, m.start()) + 1
                    fautes.append(f"{relatif}:{ligne} : « {ecrit} » ({nom})")
    assert not fautes, "\n".join(fautes)


def test_le_test_reconnait_un_chiffre_recopie(tmp_path: Path) -> None:
    chiffres = _chiffres()
    module = tmp_path / "module.py"
    module.write_text(
        '"""Docstring: 19 000 € is fine here."""\n'
        'MESSAGE = f"au moins {x} — plafond de 109\u00a0patients, 7,5 %, 19 000 €"\n'
        "PLAFOND = 109\n"
        "LARGEUR = 360\n",
        encoding="utf-8",
    )
    global RACINE
    racine, RACINE = RACINE, tmp_path
    try:
        fautes = list(_fautes_python(module, chiffres))
    finally:
        RACINE = racine
    assert len(fautes) == 4, fautes  # 109, 7,5 %, 19 000 in the string; 109 as a number
