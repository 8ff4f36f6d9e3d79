"""The informational pages: the sources and their dates, the demo presets, the health
probe, the favicon and the French CSRF failure page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from rules.donnees import commune_millesimes, donnees_percentiles, zonage_fraicheur_par_region
from rules.services import (
    CONFIANCE_LIBELLES,
    OPTIONS,
    formule_2023_decrire,
    parametres_obtenir,
    regles_eligibilite_decrire,
)
from simulator import demo as demo_cas
from simulator.limits import compteurs_verifier
from simulator.page_cache import jusqu_aux_nouvelles_donnees
from simulator.views import HtmxHttpRequest, _rendre, _url


@require_safe
@vary_on_headers("HX-Request")
def demo(request: HtmxHttpRequest) -> HttpResponse:
    # Today's presets carry today's date in their link: shared or reopened later, the
    # result stays the one shown, and « Modifier » finds every step answered.
    aujourdhui = dt.date.today()

    def cartes(liste: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                **c,
                "url": _url(
                    "resultat", {"date_signature": aujourdhui.isoformat(), **c["situation"]}
                ),
                "option": OPTIONS[c["situation"]["option"]],
                "mt": c["situation"].get("patientele_mt"),
                "fa": c["situation"]["file_active"],
                "signature": dt.date.fromisoformat(
                    c["situation"].get("date_signature", aujourdhui.isoformat())
                ),
            }
            for c in liste
        ]

    return _rendre(
        request,
        "simulator/demo.jinja",
        {"aujourdhui": cartes(demo_cas.AUJOURDHUI), "brochures": cartes(demo_cas.BROCHURES)},
        titre="Démonstration\u00a0: des médecins types et ceux des brochures",
    )


@require_safe
@jusqu_aux_nouvelles_donnees
@vary_on_headers("HX-Request")
def sources(request: HtmxHttpRequest) -> HttpResponse:
    """Public page: the regimes and their texts, every dated parameter with its source, the
    date of each data set, the derived rules and the change log."""
    parametres = parametres_obtenir()
    saisie = request.GET.get("commune", "").strip()[:10]
    commune, erreur = None, None
    millesimes: list[Any] = []
    if saisie:
        if re.fullmatch(r"\d{5}|2[ABab]\d{3}", saisie):
            commune, millesimes = commune_millesimes(code_insee=saisie.upper())
        if commune is None:
            erreur = "Aucune commune pour ce code\u00a0: le code INSEE a 5 caractères (par exemple 45234)."
    return _rendre(
        request,
        "simulator/sources.jinja",
        {
            "regles_eligibilite": [
                {"id": f"eligibilite.{code}", "libelle": libelle, "texte": texte}
                for code, (libelle, texte) in regles_eligibilite_decrire(
                    parametres=parametres
                ).items()
            ],
            "commune_saisie": saisie,
            "commune_trouvee": commune,
            "millesimes": millesimes,
            "commune_erreur": erreur,
            "regimes": list(parametres.regimes.values()),
            "parametres": [
                {
                    "nom": nom,
                    "libelle": p.libelle,
                    "unite": p.unite,
                    "valeurs": [
                        {
                            "depuis": depuis,
                            "valeur": v.valeur,
                            "source": parametres.source_titre(v.source),
                            "texte": parametres.source_titre(v.texte) if v.texte else None,
                            "confiance": CONFIANCE_LIBELLES[v.confiance],
                            "note": v.note,
                            "reference": v.reference,
                        }
                        for depuis, v in p.valeurs.items()
                    ],
                }
                for nom, p in parametres.tous()
            ],
            "sources_documents": parametres.sources,
            "journal": sorted(parametres.journal, key=lambda e: e.date, reverse=True),
            "zonages_regions": zonage_fraicheur_par_region(),
            "percentiles": donnees_percentiles(),
            "formule_2023": formule_2023_decrire(parametres=parametres, jour=dt.date.today()),
            "jour": dt.date.today(),
        },
        titre="Sources et mises à jour",
    )


@require_safe
def sante(request: HttpRequest) -> JsonResponse:
    """Health probe for the load balancer: what the site depends on. 503 when the
    database does not answer (no page can be served); 200 « degrade » when the limiter's
    counters or the shared cache fail (pages are served, limits let everyone through)."""
    etats = {"base": "ok", "compteurs": "ok", "cache": "ok"}
    try:
        with connection.cursor() as curseur:
            curseur.execute("SELECT 1")
    except DatabaseError:
        etats["base"] = "indisponible"
    if not compteurs_verifier():
        etats["compteurs"] = "indisponible"
    try:
        cache.get("sante")
    except Exception:
        etats["cache"] = "indisponible"
    if etats["base"] != "ok":
        reponse = JsonResponse({"statut": "indisponible", **etats}, status=503)
        reponse["Retry-After"] = "60"
        return reponse
    statut = "ok" if set(etats.values()) == {"ok"} else "degrade"
    return JsonResponse({"statut": statut, **etats})


def csrf_refuse(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (expired page, forged request)."""
    return render(request, "403_csrf.html", status=403)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico (the admin links none): point them to our icon."""
    from django.templatetags.static import static

    return HttpResponseRedirect(static("favicon.svg"))
