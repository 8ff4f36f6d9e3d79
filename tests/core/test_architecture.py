"""The layers hold: no import circle among the project's modules, a pure core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
PAQUETS = ("rules", "simulator")


def _modules() -> dict[str, Path]:
    modules = {}
    for paquet in PAQUETS:
        for chemin in (RACINE / paquet).rglob("*.py"):
            if "migrations" in chemin.parts:
                continue
            nom = ".".join(chemin.relative_to(RACINE).with_suffix("").parts)
            modules[nom.removesuffix(".__init__")] = chemin
    return modules


def _imports(chemin: Path, connus: set[str]) -> set[str]:
    """Project modules imported anywhere in the file (functions included)."""
    trouves = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        noms: list[str] = []
        if isinstance(noeud, ast.Import):
            noms = [a.name for a in noeud.names]
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms = [noeud.module] + [f"{noeud.module}.{a.name}" for a in noeud.names]
        for nom in noms:
            while nom and nom not in connus:
                nom = nom.rpartition(".")[0]
            if nom:
                trouves.add(nom)
    return trouves


def test_aucun_cercle_d_imports() -> None:
    modules = _modules()
    graphe = {m: _imports(c, set(modules)) - {m} for m, c in modules.items()}
    # A package's __init__ importing its own submodules is not a circle.
    for m in graphe:
        graphe[m] = {d for d in graphe[m] if not m.startswith(d + ".")}
    etat: dict[str, int] = {}
    pile: list[str] = []

    def visiter(m: str) -> None:
        etat[m] = 1
        pile.append(m)
        for d in sorted(graphe[m]):
            if etat.get(d) == 1:
                cycle = [*pile[pile.index(d) :], d]
                pytest.fail("Cercle d'imports : " + " → ".join(cycle))
            if d not in etat:
                visiter(d)
        pile.pop()
        etat[m] = 2

    for m in sorted(graphe):
        if m not in etat:
            visiter(m)


def test_le_coeur_n_importe_pas_django() -> None:
    for chemin in (RACINE / "rules" / "core").rglob("*.py"):
        texte = chemin.read_text(encoding="utf-8")
        assert "import django" not in texte and "from django" not in texte, chemin


def test_aucun_module_de_plus_de_500_lignes() -> None:
    longs = {
        nom: n
        for nom, chemin in _modules().items()
        if (n := len(chemin.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not longs, longs


def test_les_regles_d_un_regime_en_un_seul_endroit() -> None:
    """A regime is named in rules/parameters/regimes.yaml only: no module holds a regime
    code as a string (compared, in a set, a dict key, a choice, a Literal type), read from
    each module's syntax tree; rule modules ask the contract's family instead
    (rules/core/families.py). A 2027 regime is a YAML entry and its golden cases."""
    import ast

    from rules.core.parameters import parametres_obtenir

    codes = set(parametres_obtenir().regimes)
    fautes = []
    for chemin in [*(RACINE / "rules").rglob("*.py"), *(RACINE / "simulator").rglob("*.py")]:
        if "migrations" in chemin.parts:
            continue
        arbre = ast.parse(chemin.read_text(encoding="utf-8"))
        for noeud in ast.walk(arbre):
            if isinstance(noeud, ast.Constant) and noeud.value in codes:
                fautes.append(f"{chemin.relative_to(RACINE)}:{noeud.lineno} : {noeud.value!r}")
    assert not fautes, "\n".join(fautes)


def test_les_portes_passent_par_rules_services() -> None:
    """Pages, API, command line and batch (simulator/) import the calculation through
    rules.services only, never rules.core: one place says what a door may call, and a PDF
    or e-mail door finds everything there. Imports inside functions count too."""
    import ast

    fautes = []
    for chemin in sorted((RACINE / "simulator").rglob("*.py")):
        for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.Import):
                modules = [a.name for a in noeud.names]
            elif isinstance(noeud, ast.ImportFrom) and noeud.module:
                modules = [noeud.module]
            else:
                continue
            for module in modules:
                if module == "rules.core" or module.startswith("rules.core."):
                    fautes.append(f"{chemin.relative_to(RACINE)}:{noeud.lineno} : {module}")
    assert not fautes, "\n".join(fautes)


# Private names still imported across modules, each with why it waits: the calculation
# context and the page renderer are being reworked elsewhere (speed, template engine).
NOMS_PRIVES_ADMIS = {
    ("rules.core.context", "_condition"),
    ("rules.core.context", "_condition_creer"),
    ("rules.core.context", "_etape_creer"),
    ("rules.core.context", "_valeurs_indicateurs"),
    ("rules.core.situation", "_entier"),
    ("simulator.views", "_rendre"),
    ("simulator.views", "_url"),
}


def test_aucun_nom_prive_importe_d_un_autre_module() -> None:
    """A ``_name`` is its module's own business: one used elsewhere is made public."""
    import ast

    fautes = []
    for nom_module, chemin in _modules().items():
        for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.ImportFrom) and noeud.module in _modules():
                fautes += [
                    f"{nom_module} importe {noeud.module}.{a.name}"
                    for a in noeud.names
                    if a.name.startswith("_") and (noeud.module, a.name) not in NOMS_PRIVES_ADMIS
                ]
    assert not fautes, "\n".join(fautes)


def test_les_pages_ne_nomment_aucun_regime() -> None:
    """The pages take the regimes' names and years from regimes.yaml (the footer, the home
    page): neither a code nor a text's name is written in a template."""
    import re

    from rules.core.parameters import parametres_obtenir

    regimes = parametres_obtenir().regimes.values()
    noms = (
        [r.code for r in regimes]
        + [r.libelle for r in regimes]
        + [r.libelle_court for r in regimes]
    )
    motif = re.compile(
        "|".join(re.escape(n) for n in noms)
        + r"|avenants? [78]\b|règlement arbitral|convention (?:médicale )?20\d\d",
        re.IGNORECASE,
    )
    # The sources page explains, text by text, how the figures no text publishes were
    # derived: naming the text it speaks of is its purpose.
    explications = {"templates/jinja2/simulator/sources.jinja"}
    fautes = []
    for chemin in sorted((RACINE / "templates").rglob("*")):
        relatif = str(chemin.relative_to(RACINE))
        if chemin.suffix not in {".html", ".jinja"} or relatif in explications:
            continue
        texte = chemin.read_text(encoding="utf-8")
        fautes += [f"{relatif} : {m.group(0)}" for m in motif.finditer(texte)]
        if "regime.code ==" in texte:
            fautes.append(f"{relatif} : regime.code ==")
    assert not fautes, "\n".join(fautes)


def test_chaque_regime_a_sa_famille() -> None:
    from rules.core.families import FAMILLES
    from rules.core.parameters import parametres_obtenir

    regimes = parametres_obtenir().regimes
    assert {r.famille for r in regimes.values()} == set(FAMILLES)
    assert FAMILLES[regimes["avenant_7"].famille].tranches_conjointes
    assert not FAMILLES[regimes["convention_2024"].famille].conditions_d_exercice


def test_les_pages_publiques_ont_un_seul_moteur_et_aucun_html_en_python() -> None:
    """Every public page is a Jinja2 template (templates/jinja2/); Django templates are the
    admin's only; the simulator's Python writes no markup (no mark_safe, no format_html,
    no tag in a string): a page's HTML is read in one place, its template."""
    import re

    gabarits_django = [
        str(c.relative_to(RACINE))
        for c in (RACINE / "templates").rglob("*")
        if c.is_file() and c.relative_to(RACINE / "templates").parts[0] not in {"admin", "jinja2"}
    ]
    assert gabarits_django == []
    balise = re.compile(
        r"<(?:/?)(?:div|p|input|label|legend|fieldset|table|tr|td|th|span|a|ul|li|title|form|select|option)\b"
    )
    fautes = []
    for chemin in sorted((RACINE / "simulator").rglob("*.py")):
        if "migrations" in chemin.parts:
            continue
        arbre = ast.parse(chemin.read_text(encoding="utf-8"))
        for noeud in ast.walk(arbre):
            if isinstance(noeud, ast.Constant) and isinstance(noeud.value, str):
                if balise.search(noeud.value):
                    fautes.append(f"{chemin.name}:{noeud.lineno} balise dans une chaîne")
            elif isinstance(noeud, ast.Name | ast.Attribute):
                nom = noeud.id if isinstance(noeud, ast.Name) else noeud.attr
                if nom in {"mark_safe", "format_html", "format_html_join", "SafeString"}:
                    fautes.append(f"{chemin.name}:{noeud.lineno} {nom}")
            elif isinstance(noeud, ast.ImportFrom):
                fautes += [
                    f"{chemin.name}:{noeud.lineno} {a.name}"
                    for a in noeud.names
                    if a.name in {"mark_safe", "format_html", "format_html_join", "SafeString"}
                ]
    assert fautes == [], "\n".join(fautes)
