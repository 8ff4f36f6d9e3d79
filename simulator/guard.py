"""The guard: what every request goes through after the real client is known.

- ``HEAD`` is answered like ``GET`` on every page (a link checker, a monitor, curl -I);
- the pages that compute (summary, result, comparison, follow-up) are limited per
  client, like the API; the admin login per client whatever the username (each attempt hashes a
  password): 429 and a French page;
- under ``/api/`` every error is JSON, whoever produced it (method not allowed, CSRF,
  unknown address, server error);
- a database outage is a 503 with ``Retry-After`` and a French page (``erreur_serveur``,
  Django's handler500), like the API and ``/sante``, not a generic 500.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from simulator.limits import GROUPE_CONNEXION, GROUPE_PAGES, limite_depassee

logger = logging.getLogger(__name__)
# The pages whose every call runs the simulation (or several).
PAGES_LIMITEES = frozenset({"resultat", "comparaison", "suivi", "recapitulatif"})
CONNEXION = "admin:login"
REESSAYER_APRES = "60"
MESSAGES_API = {
    400: "Requête invalide.",
    403: "Requête refusée.",
    404: "Adresse inconnue : l'API répond sur /api/simulation (POST) et /api/schema (GET).",
    500: "Erreur du serveur : réessayez dans un instant.",
}


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(statut: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"erreurs": {"requete": [message]}},
        status=statut,
        json_dumps_params={"ensure_ascii": False},
    )


def trop_de_requetes(request: HttpRequest) -> HttpResponse:
    if _api(request):
        reponse: HttpResponse = _json(429, "Trop de requêtes : réessayez dans une minute.")
    else:
        reponse = render(request, "429.html", status=429)
    reponse["Retry-After"] = REESSAYER_APRES
    return reponse


class GardeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        tete = request.method == "HEAD"
        if tete:
            request.method = "GET"  # same view, same headers; the body is dropped below
        reponse = self.get_response(request)
        if tete:
            request.method = "HEAD"
            if reponse.streaming:
                reponse.streaming_content = []  # type: ignore[attr-defined]
            else:
                reponse.content = b""  # type: ignore[attr-defined]
        if _api(request) and reponse.status_code >= 400:
            reponse = self._api_json(request, reponse)
        return reponse

    @staticmethod
    def _api_json(request: HttpRequest, reponse: HttpResponseBase) -> HttpResponseBase:
        if reponse.get("Content-Type", "").startswith("application/json"):
            return reponse
        statut = reponse.status_code
        if statut == 405:
            message = (
                f"Méthode {request.method} non acceptée ici : "
                f"{reponse.get('Allow', 'GET')} seulement."
            )
        else:
            message = MESSAGES_API.get(statut, MESSAGES_API[400 if statut < 500 else 500])
        json_reponse = _json(statut, message)
        for entete in ("Allow", "Retry-After"):
            if entete in reponse:
                json_reponse[entete] = reponse[entete]
        return json_reponse

    def process_view(
        self, request: HttpRequest, vue: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        correspondance = request.resolver_match
        if correspondance is None:
            return None
        if correspondance.url_name in PAGES_LIMITEES and not correspondance.namespace:
            groupe, taux = GROUPE_PAGES, settings.PAGES_LIMITE
        elif correspondance.view_name == CONNEXION and request.method == "POST":
            groupe, taux = GROUPE_CONNEXION, settings.CONNEXION_LIMITE
        else:
            return None
        return (
            trop_de_requetes(request)
            if limite_depassee(request, groupe=groupe, taux=taux)
            else None
        )


def erreur_serveur(request: HttpRequest) -> HttpResponse:
    """Django's handler500: a database outage is a 503 that says to come back; any
    other error the French 500 page. JSON under /api/."""
    exc = sys.exc_info()[1]
    indisponible = isinstance(exc, DatabaseError)
    statut = 503 if indisponible else 500
    if _api(request):
        reponse: HttpResponse = _json(
            statut,
            "Service momentanément indisponible : réessayez dans une minute."
            if indisponible
            else MESSAGES_API[500],
        )
    else:
        try:
            reponse = render(request, f"{statut}.html", status=statut)
        except Exception:  # the page itself failed: a plain answer, never a second 500
            logger.exception("Page d'erreur %s impossible à rendre", statut)
            reponse = HttpResponse(
                "Service momentanément indisponible." if indisponible else "Erreur du serveur.",
                status=statut,
                content_type="text/plain; charset=utf-8",
            )
    if indisponible:
        reponse["Retry-After"] = REESSAYER_APRES
    return reponse


def personnel_seulement(vue: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A staff tool outside the admin: 404 for anyone else, as if it did not exist (a
    redirection to the admin login would give its configurable path away)."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return vue(request, *args, **kwargs)

    return enveloppe
