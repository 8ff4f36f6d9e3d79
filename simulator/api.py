"""The JSON door of docs/contrat.md: POST /api/simulation, and its OpenAPI description.

No cookie, no session: CSRF does not apply (nothing is authenticated). Requests are
counted per client address (django-ratelimit) and bodies are capped: one situation is a
few hundred bytes.
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
from django_ratelimit.decorators import ratelimit
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

import rules
from rules.services import Resultat, Situation, SituationInvalide
from simulator.reseau import client_cle_limite

JSON_FR = {"ensure_ascii": False}
logger = logging.getLogger(__name__)


class Erreurs(BaseModel):
    """400: French messages by field name."""

    erreurs: dict[str, list[str]] = Field(
        description="Pour chaque champ en erreur, un ou plusieurs messages en français."
    )


def _erreur(statut: int, champ: str, message: str) -> JsonResponse:
    return JsonResponse({"erreurs": {champ: [message]}}, status=statut, json_dumps_params=JSON_FR)


@csrf_exempt
@require_http_methods(["POST"])
@ratelimit(key=client_cle_limite, rate=lambda _g, _r: settings.API_LIMITE, block=False)
def simulation(request: HttpRequest) -> JsonResponse:
    if getattr(request, "limited", False):
        reponse = _erreur(429, "requete", "Trop de requêtes : réessayez dans une minute.")
        reponse["Retry-After"] = "60"
        return reponse
    try:
        longueur = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        longueur = 0
    if longueur > settings.API_TAILLE_MAX:
        return _erreur(
            413, "requete", "Requête trop volumineuse : une seule situation est attendue."
        )
    corps = request.body
    if len(corps) > settings.API_TAILLE_MAX:
        return _erreur(
            413, "requete", "Requête trop volumineuse : une seule situation est attendue."
        )
    try:
        donnees = json.loads(corps.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _erreur(400, "requete", "Corps invalide : un objet JSON (UTF-8) est attendu.")
    except RecursionError:
        return _erreur(400, "requete", "Corps invalide : imbrication trop profonde.")
    except ValueError:  # an integer of more than 4 300 digits
        return _erreur(400, "requete", "Corps invalide : nombre démesuré.")
    try:
        resultat = rules.simulate(donnees)
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
                        "429": {"description": "Trop de requêtes.", **reponse},
                        "503": {"description": "Service momentanément indisponible.", **reponse},
                    },
                }
            }
        },
        "components": {"schemas": schemas.get("$defs", {})},
    }


@require_safe
def schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_construire(), json_dumps_params=JSON_FR)
