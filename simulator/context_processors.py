"""What every page's shell (base.jinja) links to, resolved once per process.

Five {% static %} and six {% url %} tags cost about half a millisecond on every page
(profile of the result page, docs/deployment.md); their values never change while the
process runs (hashed static names and the URL configuration are fixed at start).
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.templatetags.static import static

from rules.services import parametres_obtenir
from simulator.paths import chemin


@cache
def _liens() -> dict[str, str]:
    return {
        "accueil": chemin("home"),
        "simuler": chemin("etape", "medecin"),
        "demo": chemin("demo"),
        "sources": chemin("sources"),
        "icone": static("favicon.svg"),
        "css": static("css/site.css"),
        "css_impression": static("css/print.css"),
        "htmx": static("django_htmx/htmx-2.min.js"),
        "js": static("js/app.js"),
    }


# The keys this processor gives every template: a view must not pass one of its own.
CLES_DE_LA_COQUILLE = frozenset({"liens_site", "regimes_textes"})


def liens(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"liens_site": _liens()}


def _enumerer(mots: list[str]) -> str:
    """["a", "b", "c"] → « a, b ou c »."""
    return f"{', '.join(mots[:-1])} ou {mots[-1]}" if len(mots) > 1 else "".join(mots)


@cache
def _regimes_textes() -> dict[str, str]:
    regimes = sorted(parametres_obtenir().regimes.values(), key=lambda r: r.debut)
    return {
        "noms": ", ".join(r.libelle_court for r in regimes),
        "annees": _enumerer([str(r.debut.year) for r in regimes]),
    }


def regimes(request: HttpRequest) -> dict[str, dict[str, str]]:
    """The regimes' names and years for the shell's footer and the home page, read from
    rules/parameters/regimes.yaml (the only place that names them)."""
    return {"regimes_textes": _regimes_textes()}
