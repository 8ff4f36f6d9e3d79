"""Pages of the simulator. Every page works without JavaScript; with htmx, the main region
is swapped in place (the template's ``contenu`` block) and the URL follows.

No answer is stored on the server: the situation travels in the query string, so the
result URL is also the share link.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseLocation
from django_htmx.middleware import HtmxDetails

import rules
from rules.communes import communes_chercher
from rules.services import (
    MESSAGE_OBLIGATOIRE,
    Resultat,
    SituationInvalide,
    options_comparer,
    parametres_obtenir,
    scenarios_atteinte,
    suivi_executer,
)
from simulator.batch import SITUATION_COLONNES, csv_lignes, lot_calculer
from simulator.context_processors import CLES_DE_LA_COQUILLE
from simulator.formats import statut_en_phrase
from simulator.forms import FORMULAIRES, ContratForm
from simulator.guard import personnel_seulement
from simulator.jinja_env import page_rendre
from simulator.parcours import (
    CHAMPS_ETAPE,
    ETAPES,
    ETAPES_PAR_SLUG,
    Contexte,
    etapes_applicables,
    reponses_lire,
    requete_construire,
)
from simulator.paths import chemin
from simulator.recapitulatif import LIBELLES, recapitulatif_lignes
from simulator.result_page import (
    CLES_COUT,
    LIENS_OFFICIELS,
    cout_champs,
    cout_lire,
    graphique_rendre,
    simulation_rapide_champs,
    situation_resumer,
)
from simulator.tool_forms import ContratEnCoursForm, LotForm, SuiviForm


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


SITE = "Simulateur assistant médical"
TITRE_ERREURS_MANQUANTES = "Il manque des réponses pour calculer le résultat"
TITRE_ERREURS_INVALIDES = "Une réponse est à corriger pour calculer le résultat"


# Pages whose URL carries a doctor's figures: no shared or browser cache keeps them.
chiffres_du_medecin = cache_control(private=True, no_store=True, max_age=0)
# The steps too, but without no-store: the browser's back-forward cache keeps what was
# typed on a step (no-store would disable it), for Back without JavaScript.
etape_privee = cache_control(private=True, no_cache=True, max_age=0)


def _rendre(
    request: HtmxHttpRequest,
    template: str,
    contexte: dict[str, Any],
    *,
    titre: str,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only its main region (its ``contenu`` block, title included)
    for an htmx request."""
    if cles := CLES_DE_LA_COQUILLE & contexte.keys():
        # A view's key would hide the shell's own (how /comparaison lost its stylesheet).
        raise ImproperlyConfigured(f"clés réservées à base.jinja\u00a0: {sorted(cles)}")
    contexte = {**contexte, "titre": f"{titre} — {SITE}"}
    bloc = "contenu" if request.htmx else None
    return HttpResponse(page_rendre(request, template, contexte, bloc=bloc), status=status)


def _url(nom: str, reponses: dict[str, str], *args: str, **extra: str) -> str:
    return _lien(nom, requete_construire(reponses), *args, **extra)


def _lien(nom: str, requete: str, *args: str, **extra: str) -> str:
    """``_url`` for a query string already built (once per result page, not five times)."""
    if extra:
        requete = "&".join(filter(None, [requete, urlencode(extra)]))
    return f"{chemin(nom, *args)}?{requete}" if requete else chemin(nom, *args)


def _aller(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """POST → redirect → GET; with htmx, the next page is fetched and swapped in place."""
    if request.htmx:
        return HttpResponseLocation(url, target="#contenu", swap="innerHTML")
    reponse = HttpResponseRedirect(url)
    reponse.status_code = 303  # See Other: the next page is fetched with GET
    return reponse


@require_safe
@vary_on_headers("HX-Request")
def home(request: HtmxHttpRequest) -> HttpResponse:
    regime = parametres_obtenir().regime_a_la_date(dt.date.today())
    return _rendre(
        request,
        "simulator/home.jinja",
        {"regime": regime, "premiere_etape": reverse("etape", args=["medecin"])},
        titre="Estimez l’aide à l’emploi d’un assistant médical",
    )


@require_http_methods(["GET", "POST"])
@etape_privee
@vary_on_headers("HX-Request")
def etape(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    reponses = reponses_lire(request.GET)
    contexte = Contexte(reponses)
    courante = ETAPES_PAR_SLUG.get(slug)
    applicables = etapes_applicables(contexte)
    if courante is None or courante not in applicables:
        return _aller(request, _url("etape", reponses, applicables[0].slug))
    retour = request.GET.get("retour") == "resultat"
    Formulaire = FORMULAIRES[slug]
    if request.method == "POST":
        form = Formulaire(request.POST, contexte=contexte)
        if form.is_valid():
            nouvelles = {**reponses}
            for cle, valeur in form.reponses().items():
                if valeur is None:
                    nouvelles.pop(cle, None)
                else:
                    nouvelles[cle] = valeur
            suivant = _prochaine_etape_incomplete(nouvelles, apres=slug, retour=retour)
            if suivant is None:
                # « Modifier » from the result goes straight back to it.
                return _aller(request, _url("resultat" if retour else "recapitulatif", nouvelles))
            extra = {"retour": "resultat"} if retour else {}
            return _aller(request, _url("etape", nouvelles, suivant, **extra))
    else:
        initial: dict[str, Any] = {**reponses}
        if slug == "lieu" and not reponses.get("commune"):
            # Typed but not picked from the list, then Back: what was typed comes back.
            initial["commune_texte"] = request.GET.get("commune_texte", "")[:120]
        form = Formulaire(initial=initial, contexte=contexte)
    etapes = etapes_applicables(contexte)
    position = etapes.index(courante)
    precedente = etapes[position - 1] if position else None
    # The count never changes mid-way: the 2019 questions are an extra, unnumbered step.
    principales = [e for e in ETAPES if not e.complementaire]
    rang = principales.index(courante) + 1 if courante in principales else len(principales)
    return _rendre(
        request,
        "simulator/etape.jinja",
        {
            "form": form,
            "etape": courante,
            "rang": rang,
            "nombre_etapes": len(principales),
            "url_patientele": _url("etape", reponses, "patientele"),
            "contexte": contexte,
            "action": request.get_full_path(),
            "precedente": _url("etape", reponses, precedente.slug) if precedente else None,
            "retour": retour,
        },
        titre=f"{'Erreur — ' if form.errors else ''}"
        + (
            f"Question complémentaire\u00a0: {courante.titre}"
            if courante.complementaire
            else f"Étape {rang} sur {len(principales)}\u00a0: {courante.titre}"
        ),
        status=400 if form.errors else 200,
    )


def _etape_complete(slug: str, donnees: QueryDict, contexte: Contexte) -> bool:
    options: dict[str, Any] = {"verifier_coherence": False} if slug == "patientele" else {}
    return FORMULAIRES[slug](donnees, contexte=contexte, **options).is_valid()


def _prochaine_etape_incomplete(
    reponses: dict[str, str], *, apres: str, retour: bool
) -> str | None:
    """The next step still to answer; None once every step is complete."""
    contexte = Contexte(reponses)
    etapes = etapes_applicables(contexte)
    donnees = QueryDict(mutable=True)
    donnees.update(reponses)
    incompletes = [e.slug for e in etapes if not _etape_complete(e.slug, donnees, contexte)]
    if not incompletes:
        return None
    if retour:
        return incompletes[0]
    slugs = [e.slug for e in etapes]
    rang = slugs.index(apres) if apres in slugs else -1
    apres_courante = [s for s in incompletes if slugs.index(s) > rang]
    return (apres_courante or incompletes)[0]


@require_safe
@vary_on_headers("HX-Request")
def options_contrat(request: HtmxHttpRequest) -> HttpResponse:
    """The contract options open on the date being typed (htmx refresh of one fieldset)."""
    reponses = reponses_lire(request.GET)
    form = ContratForm(initial=reponses, contexte=Contexte(reponses))
    return HttpResponse(
        page_rendre(request, "simulator/etape.jinja", {"form": form}, bloc="options")
    )


@require_safe
def communes(request: HtmxHttpRequest) -> HttpResponse:
    """Suggestions as you type (name or postal code), best first."""
    texte = (request.GET.get("commune_texte") or request.GET.get("q") or "")[:80]
    # 20: all of Paris's arrondissements (Marseille's 16) under « Paris ».
    trouvees = communes_chercher(texte=texte, limite=20) if len(texte.strip()) >= 2 else []
    return HttpResponse(
        page_rendre(
            request, "simulator/communes.jinja", {"communes": trouvees, "texte": texte.strip()}
        )
    )


def _simuler(
    request: HtmxHttpRequest, *, complet: bool = False
) -> tuple[dict[str, str], Resultat | None, list[dict[str, Any]]]:
    """Answers from the URL → result, or the errors with a link to the step that fixes each.
    ``complet``: with the way out and the renewal (the result page shows them)."""
    reponses = reponses_lire(request.GET)
    try:
        return reponses, rules.simulate(reponses, piste=complet, renouvellement=complet), []
    except SituationInvalide as exc:
        erreurs = []
        for champ, messages in exc.erreurs.items():
            slug = CHAMPS_ETAPE.get(champ, "medecin")
            erreurs.append(
                {
                    "champ": champ,
                    "etape": ETAPES_PAR_SLUG[slug].titre,
                    # The question, by its name on the page: never a bare « obligatoire ».
                    "question": LIBELLES.get(champ, ""),
                    "messages": messages,
                    "url": _url("etape", reponses, slug),
                }
            )
        return reponses, None, erreurs


def _simuler_ou_expliquer(
    request: HtmxHttpRequest, *, complet: bool = False
) -> tuple[dict[str, str], Resultat | HttpResponse]:
    """The result of the URL's situation, or the page that explains what to correct."""
    reponses, res, erreurs = _simuler(request, complet=complet)
    if res is None:
        # « Missing » only when an answer is missing: a far date is not a missing answer.
        manquantes = any(m == MESSAGE_OBLIGATOIRE for e in erreurs for m in e["messages"])
        titre = TITRE_ERREURS_MANQUANTES if manquantes else TITRE_ERREURS_INVALIDES
        page = _rendre(
            request,
            "simulator/erreurs.jinja",
            {"erreurs": erreurs, "manquantes": manquantes, "titre_page": titre},
            titre=titre,
            status=400,
        )
        return reponses, page
    return reponses, res


@require_safe
@chiffres_du_medecin
@vary_on_headers("HX-Request")
def recapitulatif(request: HtmxHttpRequest) -> HttpResponse:
    reponses, resultat, erreurs = _simuler(request)
    return _rendre(
        request,
        "simulator/recapitulatif.jinja",
        {
            "lignes": recapitulatif_lignes(reponses, Contexte(reponses), resultat),
            "erreurs": erreurs,
            "url_resultat": _url("resultat", reponses),
        },
        titre="Récapitulatif de vos réponses",
        status=400 if erreurs else 200,
    )


def _piste_reponses(reponses: dict[str, str], res: Resultat) -> dict[str, str]:
    """The answers with the way out applied (only the keys it changes)."""
    assert res.piste is not None
    autre = res.piste.situation.model_dump(mode="json")
    changees = {
        cle: valeur
        for cle, valeur in autre.items()
        if valeur != res.situation.model_dump(mode="json").get(cle)
    }
    return {
        **reponses,
        **{c: str(v).lower() if isinstance(v, bool) else str(v) for c, v in changees.items()},
    }


@require_safe
@chiffres_du_medecin
@vary_on_headers("HX-Request")
def resultat(request: HtmxHttpRequest) -> HttpResponse:
    reponses, res = _simuler_ou_expliquer(request, complet=True)
    if isinstance(res, HttpResponse):
        return res
    requete = requete_construire(reponses)
    lignes = recapitulatif_lignes(reponses, Contexte(reponses), res, requete=requete)
    cout_form, cout = cout_lire(request.GET, res)
    cout_extra = {c: v for c in CLES_COUT if (v := request.GET.get(c, "").strip()[:20])}
    return _rendre(
        request,
        "simulator/resultat.jinja",
        {
            "r": res,
            "reponses": reponses,
            "lignes": lignes,
            "situation": situation_resumer(lignes, res),
            "url_partage": request.build_absolute_uri(_lien("resultat", requete, **cout_extra)),
            "url_comparaison": _lien("comparaison", requete),
            "url_suivi": _lien("suivi", requete),
            "url_modifier": _lien("etape", requete, "medecin", retour="resultat"),
            "url_piste": _url("resultat", _piste_reponses(reponses, res)) if res.piste else None,
            "et_si": simulation_rapide_champs(res, reponses),
            "cout": cout,
            "cout_champs": cout_champs(cout_form),
            "scenarios": scenarios_atteinte(res),
            "graphique": graphique_rendre(res.aide)
            if res.eligibilite.statut != "non_eligible"
            else None,
            # Sorted here, not by selectattr (a test call each): 35 µs of the template's 0.5 ms.
            "conditions_a_voir": [c for c in res.eligibilite.conditions if c.statut != "ok"],
            "conditions_remplies": [c for c in res.eligibilite.conditions if c.statut == "ok"],
            "trace_estimee": any(e.estimation for e in res.trace),
            "date_calcul": dt.date.today(),
            "liens_officiels": LIENS_OFFICIELS,
            "contact": settings.SIMULATEUR_CONTACT,
            # The follow-up is for a contract signed and running: not for a contract to
            # sign, nor for a doctor who cannot sign one.
            "propose_suivi": res.eligibilite.statut != "non_eligible"
            and res.situation.date_signature < dt.date.today(),
        },
        titre=f"Résultat\u00a0: {statut_en_phrase(res.eligibilite.statut)}",
    )


@require_safe
@chiffres_du_medecin
@vary_on_headers("HX-Request")
def comparaison(request: HtmxHttpRequest) -> HttpResponse:
    reponses, res = _simuler_ou_expliquer(request)
    if isinstance(res, HttpResponse):
        return res
    options = options_comparer(reponses)
    lignes = recapitulatif_lignes(reponses, Contexte(reponses), res)
    return _rendre(
        request,
        "simulator/comparaison.jinja",
        {
            "r": res,
            "options": options,
            "situation": situation_resumer(lignes, res),
            "url_modifier": _url("etape", reponses, "medecin", retour="resultat"),
            "url_resultat": _url("resultat", reponses),
            "url_partage": request.build_absolute_uri(_url("comparaison", reponses)),
            "date_calcul": dt.date.today(),
            "liens_options": {
                o.option: _url("resultat", {**reponses, "option": o.option}) for o in options
            },
        },
        titre="Comparer les options",
    )


@require_safe
@chiffres_du_medecin
@vary_on_headers("HX-Request")
def suivi(request: HtmxHttpRequest) -> HttpResponse:
    reponses, res, erreurs = _simuler(request)
    if res is None:
        return _suivi_contrat(request, reponses, erreurs)
    demande_mt = res.objectifs.patientele_mt is not None
    form = SuiviForm(
        request.GET if "annee" in request.GET else None, demande_mt=demande_mt, initial={"annee": 3}
    )
    bilan = None
    if form.is_bound and form.is_valid():
        try:
            _, bilan = suivi_executer(reponses, form.cleaned_data)
        except SituationInvalide as exc:
            for champ, messages in exc.erreurs.items():
                form.add_error(champ if champ in form.fields else None, messages)
    return _rendre(
        request,
        "simulator/suivi.jinja",
        {
            "r": res,
            "form": form,
            "bilan": bilan,
            "action": reverse("suivi"),
            "reponses": reponses,
            "url_resultat": _url("resultat", reponses),
        },
        titre="Suivi de votre contrat",
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def _suivi_contrat(
    request: HtmxHttpRequest, reponses: dict[str, str], erreurs: list[dict[str, Any]]
) -> HttpResponse:
    """The follow-up straight from the home page: the contract's figures first."""
    saisi = any(cle in request.GET for cle in ContratEnCoursForm.base_fields)
    contrat = ContratEnCoursForm(request.GET if saisi else None)
    if saisi and contrat.is_valid():
        # Valid for the form, refused by the rules (a 2018 date, a GP without MT…).
        for e in erreurs:
            if e["champ"] in contrat.fields:
                contrat.add_error(e["champ"], e["messages"])
    return _rendre(
        request,
        "simulator/suivi.jinja",
        {
            "r": None,
            "contrat": contrat,
            "form": SuiviForm(
                request.GET if "annee" in request.GET else None,
                demande_mt=True,
                initial={"annee": 3},
            ),
            "action": reverse("suivi"),
            "reponses": {"secteur": reponses.get("secteur", "1")},
            "bilan": None,
            "url_resultat": None,
        },
        titre="Suivi de votre contrat",
        status=400 if saisi else 200,
    )


@require_http_methods(["GET", "POST"])
@personnel_seulement
def lot(request: HtmxHttpRequest) -> HttpResponseBase:
    """Staff tool: a CSV of doctors (contract keys) in, the results as CSV out.

    Rows are computed and sent as they go (the browser shows the download progressing);
    an invalid row does not stop the batch: its « erreurs » column says why.
    """
    form = LotForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        extra, lignes = form.cleaned_data["fichier"]

        def flux() -> Iterator[str]:
            yield "\ufeff"
            yield from csv_lignes(extra, [])  # the header
            # Every core computes (forked workers), chunk by chunk, in order.
            for tranche in lot_calculer(lignes, extra=extra, processus=os.cpu_count() or 1):
                yield tranche.texte

        nom = f"resultats-{dt.date.today():%Y%m%d}.csv"
        return StreamingHttpResponse(
            flux(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{nom}"'},
        )
    return _rendre(
        request,
        "simulator/lot.jinja",
        {"form": form, "colonnes": SITUATION_COLONNES},
        titre="Simulation par lot",
        status=400 if form.errors else 200,
    )
