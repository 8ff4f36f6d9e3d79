"""What every page's shell (base.html) links to, resolved once per process.

Five {% static %} and six {% url %} tags cost about half a millisecond on every page
(profile of the result page, docs/deployment.md); their values never change while the process
runs (hashed static names and the URL configuration are fixed at start).
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.templatetags.static import static

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
CLES_DE_LA_COQUILLE = frozenset({"liens_site"})


def liens(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"liens_site": _liens()}
