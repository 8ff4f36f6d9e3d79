"""The repository stands on its own: no tracked file cites a document it does not hold.

A reader who clones the project must be able to follow every reference: the rules are in
docs/regles.md, the JSON contract in docs/contrat.md, the brochures and legal texts are
cited by title, rubric, article and Journal officiel date (rules/parameters/sources.yaml).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]

# Names of documents that lived outside the repository, and of a tracker's tickets: a
# reader of the code has neither. Written in pieces so this file does not cite them.
INTERDITS = [
    re.compile(r"\b" + "RULES" + r"\.md\b"),
    re.compile(r"\b" + "CONTRACT" + r"\.md\b"),
    re.compile(r"\.\./" + "shared"),
    re.compile("/work/" + "shared"),
    re.compile(r"\b" + "seeds" + r"/"),
    re.compile(r"\b[Ss]" + r"eeds? \d{3}\b"),
    re.compile(r"\b[Ii]" + r"ssue \d+\b"),
    re.compile(r"\b[Ii]" + r"ssue « "),
]

# A path to a file: at least one folder, a known extension; or a bare UPPERCASE.md.
CHEMIN = re.compile(
    r"(?<![\w/.-])((?:\.{1,2}/)?(?:[\w.-]+/)+[\w.-]+"
    r"\.(?:md|py|yaml|yml|csv|html|jinja|txt|toml|sh|json|cfg|ini|lua)|[A-Z][A-Z_]+\.md)(?![\w/])"
)
# Where a relative path may be read from, besides the repository root and the citing file.
DOSSIERS = ("templates", "templates/jinja2", "static", "rules", "rules/data", "simulator", "tests")
# Paths that are not files of the repository, on purpose:
NON_FICHIERS = {
    "importer/modele.csv",  # a URL of the admin (rules/admin.py)
    "staticfiles/staticfiles.json",  # produced by collectstatic at build time
    "port/static/staticfiles.json",  # a URL checked as never served (verifier_image.sh)
}
PREFIXES_EXTERNES = ("admin/", "django/")  # templates shipped by Django itself

BINAIRES = {".sqlite3", ".png", ".jpg", ".pdf", ".ico", ".woff2", ".gz", ".zip", ".webp"}


def _fichiers_suivis() -> list[Path]:
    sortie = subprocess.run(
        ["git", "ls-files"], cwd=RACINE, capture_output=True, text=True, check=True
    ).stdout
    return [RACINE / f for f in sortie.split() if Path(f).suffix not in BINAIRES]


def _textes() -> list[tuple[Path, str]]:
    textes = []
    for chemin in _fichiers_suivis():
        try:
            textes.append((chemin, chemin.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, FileNotFoundError):
            continue
    return textes


def test_aucun_fichier_ne_cite_un_document_absent_du_depot() -> None:
    fautes = [
        f"{chemin.relative_to(RACINE)}:{texte.count(chr(10), 0, m.start()) + 1} : {m.group(0)}"
        for chemin, texte in _textes()
        for motif in INTERDITS
        for m in motif.finditer(texte)
    ]
    assert not fautes, "\n".join(fautes)


def test_chaque_chemin_cite_existe() -> None:
    fautes = []
    for chemin, texte in _textes():
        if chemin == Path(__file__).resolve():
            continue  # its own examples of paths
        for m in CHEMIN.finditer(texte):
            cite = m.group(1)
            if cite in NON_FICHIERS or cite.startswith(PREFIXES_EXTERNES):
                continue
            bases = [RACINE, chemin.parent, *(RACINE / d for d in DOSSIERS)]
            if not any((base / cite).exists() for base in bases):
                ligne = texte.count("\n", 0, m.start()) + 1
                fautes.append(f"{chemin.relative_to(RACINE)}:{ligne} : {cite}")
    assert not fautes, "\n".join(fautes)


def test_le_test_voit_une_citation_absente(tmp_path: Path) -> None:
    """The patterns catch what they are for (and not a figure or a URL)."""
    assert any(m.search("voir " + "RULES" + ".md §4") for m in INTERDITS)
    assert any(m.search("(" + "seed" + " 001)") for m in INTERDITS)
    assert not any(m.search("source: seed_001") for m in INTERDITS)
    assert CHEMIN.search("voir docs/absent.md").group(1) == "docs/absent.md"  # type: ignore[union-attr]
    assert CHEMIN.search("https://www.ameli.fr/medecin/page") is None
