"""The JSON door of docs/contrat.md: POST /api/simulation, and its OpenAPI description.

No cookie, no session: CSRF does not apply (nothing is authenticated). Requests are
counted per client (simulator.limits) and bodies are capped: one situation is a few
hundred bytes. The body must be declared ``application/json``: a form or ``text/plain``
body is what another site can make a visitor's browser send without asking (a "simple"
cross-origin request), which would spend his quota. A chunked body is read (gunicorn
decodes it; Django alone would see an empty body), a UTF-8 byte order mark is accepted.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

import rules
from rules.services import Resultat, Situation, SituationInvalide
from simulator.limits import GROUPE_API, limite_depassee

JSON_FR = {"ensure_ascii": False}
logger = logging.getLogger(__name__)


class Erreurs(BaseModel):
    """400: French messages by field name."""

    erreurs: dict[str, list[str]] = Field(
        description="Pour chaque champ en erreur, un ou plusieurs messages en français."
    )


def _erreur(statut: int, champ: str, message: str) -> JsonResponse:
    return JsonResponse({"erreurs": {champ: [message]}}, status=statut, json_dumps_params=JSON_FR)


def _corps_lire(request: HttpRequest) -> bytes:
    """The body, at most API_TAILLE_MAX + 1 bytes; a chunked one from the server's stream
    (no Content-Length: Django would read nothing)."""
    chunked = "chunked" in str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if chunked and not request.META.get("CONTENT_LENGTH"):
        return bytes(request.META["wsgi.input"].read(settings.API_TAILLE_MAX + 1))
    return request.body


@csrf_exempt
@require_http_methods(["POST"])
def simulation(request: HttpRequest) -> JsonResponse:
    if limite_depassee(request, groupe=GROUPE_API, taux=settings.API_LIMITE):
        reponse = _erreur(429, "requete", "Trop de requêtes : réessayez dans une minute.")
        reponse["Retry-After"] = "60"
        return reponse
    if request.content_type != "application/json":
        return _erreur(
            415,
            "requete",
            "Type de contenu non accepté : envoyez un objet JSON avec l'en-tête "
            "« Content-Type: application/json ».",
        )
    try:
        longueur = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        longueur = 0
    if longueur > settings.API_TAILLE_MAX:
        return _erreur(
            413, "requete", "Requête trop volumineuse : une seule situation est attendue."
        )
    corps = _corps_lire(request)
    if len(corps) > settings.API_TAILLE_MAX:
        return _erreur(
            413, "requete", "Requête trop volumineuse : une seule situation est attendue."
        )
    try:
        donnees = json.loads(corps.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _erreur(400, "requete", "Corps invalide : un objet JSON (UTF-8) est attendu.")
    except RecursionError:
        return _erreur(400, "requete", "Corps invalide : imbrication trop profonde.")
    except ValueError:  # an integer of more than 4 300 digits
        return _erreur(400, "requete", "Corps invalide : nombre démesuré.")
    try:
        resultat = rules.simulate(donnees, piste=True, renouvellement=True)
    except SituationInvalide as exc:
        return JsonResponse({"erreurs": exc.erreurs}, status=400, json_dumps_params=JSON_FR)
    except DatabaseError:
        logger.exception("Base de données indisponible pour l'API")
        reponse = _erreur(
            503, "service", "Service momentanément indisponible : réessayez dans une minute."
        )
        reponse["Retry-After"] = "60"
        return reponse
    return JsonResponse(resultat.model_dump(mode="json"), json_dumps_params=JSON_FR)


@cache
def openapi_construire() -> dict[str, Any]:
    refs, schemas = models_json_schema(
        [(Situation, "validation"), (Resultat, "serialization"), (Erreurs, "serialization")],
        ref_template="#/components/schemas/{model}",
    )
    situation = refs[Situation, "validation"]
    resultat = refs[Resultat, "serialization"]
    reponse = {"content": {"application/json": {"schema": refs[Erreurs, "serialization"]}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Simulateur de l'aide à l'emploi d'un assistant médical",
            "version": "1.0.0",
            "description": (
                "Une situation en entrée, un résultat expliqué en sortie (éligibilité, aide "
                "par année, objectifs, trace). Outil indépendant, non officiel : seul le "
                "contrat signé avec la CPAM engage. Rien n'est conservé sur le serveur."
            ),
        },
        "paths": {
            "/api/simulation": {
                "post": {
                    "summary": "Simuler une situation",
                    "operationId": "simuler",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": situation}},
                    },
                    "responses": {
                        "200": {
                            "description": "Le résultat de la simulation.",
                            "content": {"application/json": {"schema": resultat}},
                        },
                        "400": {"description": "Saisie invalide (messages par champ).", **reponse},
                        "413": {"description": "Requête trop volumineuse.", **reponse},
                        "415": {
                            "description": "Corps non déclaré en application/json.",
                            **reponse,
                        },
                        "429": {"description": "Trop de requêtes.", **reponse},
                        "503": {"description": "Service momentanément indisponible.", **reponse},
                    },
                }
            }
        },
        "components": {"schemas": schemas.get("$defs", {})},
    }


@csrf_exempt  # no cookie is read: a POST gets its JSON 405, not a CSRF page
@require_safe
def schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_construire(), json_dumps_params=JSON_FR)
