"""No migration imports the project's own code, whose models and loaders change after the
migration was written (a fresh install would run today's code against yesterday's
tables): a migration uses only its historical models (``apps.get_model``). The shipped
reference data are loaded by ``manage.py load_reference``."""

from __future__ import annotations

import ast
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "rules" / "migrations"
PROJET = ("rules", "simulator", "scripts", "tests")


def _modules_importes(arbre: ast.AST) -> list[str]:
    modules = []
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            modules += [alias.name for alias in noeud.names]
        elif isinstance(noeud, ast.ImportFrom):
            modules.append("." * noeud.level + (noeud.module or ""))
        elif (
            isinstance(noeud, ast.Call)
            and isinstance(noeud.func, ast.Attribute | ast.Name)
            and getattr(noeud.func, "attr", getattr(noeud.func, "id", "")) == "import_module"
        ):
            modules += [
                a.value
                for a in noeud.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return modules


def test_les_migrations_n_importent_rien_du_projet() -> None:
    fichiers = sorted(MIGRATIONS.glob("0*.py"))
    assert len(fichiers) >= 7
    fautes = {
        f.name: module
        for f in fichiers
        for module in _modules_importes(ast.parse(f.read_text(encoding="utf-8")))
        if module.startswith(".") or module.split(".")[0] in PROJET
    }
    assert fautes == {}


def test_le_detecteur_voit_un_import_cache_dans_une_fonction() -> None:
    source = "def charger(apps, schema_editor):\n    from rules.reference_data import x\n"
    assert _modules_importes(ast.parse(source)) == ["rules.reference_data"]
