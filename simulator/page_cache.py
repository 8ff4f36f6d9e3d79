"""Pages that change only with the reference data, rendered once per process and data
version: ``/sources`` (65 KB, ≈ 100 ms to build) lists every dated parameter and the
date of each data set; it changes when an administrator edits or imports reference data
(rules.catalogue publishes a new version: every process sees it within seconds) or
with the day (it shows today's date). A request with a query string (a commune looked
up) is built each time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpResponse
from django.http.response import HttpResponseBase

from rules.catalogue import referentiel_obtenir

Vue = TypeVar("Vue", bound=Callable[[Any], HttpResponseBase])
# (view, htmx) → the reference data snapshot it was built from, its day, body, headers.
# The snapshot object itself, not only its version: this process drops it as soon as it
# edits the data (rules.catalogue.donnees_modifiees), before the new version is published.
_pages: dict[tuple[str, bool], tuple[object, dt.date, bytes, dict[str, str]]] = {}


def jusqu_aux_nouvelles_donnees(vue: Vue) -> Vue:
    @wraps(vue)
    def enveloppe(request: Any) -> HttpResponseBase:
        if request.GET or request.method not in {"GET", "HEAD"}:
            return vue(request)
        cle = (vue.__name__, request.headers.get("HX-Request") == "true")
        referentiel, jour = referentiel_obtenir(), dt.date.today()
        entree = _pages.get(cle)
        if entree is None or entree[0] is not referentiel or entree[1] != jour:
            reponse = vue(request)
            if reponse.status_code != 200 or reponse.streaming or reponse.cookies:
                return reponse
            entree = _pages[cle] = (referentiel, jour, reponse.content, dict(reponse.headers))  # type: ignore[attr-defined]
        return HttpResponse(entree[2], headers=entree[3])

    return cast(Vue, enveloppe)
