"""Hostile input of every kind, thrown at every door: never a 500, always a French answer.

Property-based (hypothesis): random text, control characters, huge and negative numbers,
markup, wrong types, unknown keys — on each form step, the share link, the comparison and
follow-up pages, the JSON API and the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.core.situation import Situation

CLES = list(Situation.model_fields)
REGLAGES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PIEGES = [
    "",
    " ",
    "null",
    "NaN",
    "Infinity",
    "1e309",
    "-0",
    "0x1F",
    "１２３",
    "1 550",
    "1,5",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 400,
    "2023-02-30",
    "31/12/2023",
    "../../etc/passwd",
    "\u202e",
    "true",
    "2A004",
    "75056",
    "99999",
    "01",
    "tiers_temps",
]
texte = st.one_of(
    st.sampled_from(PIEGES),
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
valeur_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False),
        texte,
    ),
    lambda enfants: st.one_of(
        st.lists(enfants, max_size=3), st.dictionaries(st.text(max_size=8), enfants, max_size=3)
    ),
    max_leaves=8,
)
situation_hostile = st.dictionaries(
    st.one_of(st.sampled_from(CLES), st.text(max_size=12)), texte, max_size=len(CLES) + 2
)
CHAMPS_ETAPES = {
    "medecin": [
        "specialite",
        "secteur",
        "primo_installe",
        "rqth_ald",
        "age_65_ans_ou_plus",
        "part_activite_liberale",
    ],
    "lieu": ["commune_texte", "commune", "commune_choisie", "zone"],
    "patientele": ["patientele_mt", "file_active", "part_honoraires_cliniques"],
    "contrat": ["date_signature", "option", "date_contrat_temps_plein", "objectifs_atteints"],
    "exercice": ["exercice", "exercice_coordonne", "part_patients_moins_16_ans"],
}
BASE = "?specialite=01&secteur=1&commune=18279&patientele_mt=900&file_active=1300&date_signature=2021-01-10&option=mi_temps"


_RESUME = re.compile(r'<div class="resume-erreurs"[^>]*>.*?<li>(.*?)</li>', re.S)
_MOTS_FRANCAIS = re.compile(
    r"\b(le|la|les|une?|des|du|de|votre|vos|est|sont|pas|nombre|date|saisissez|choisissez|"
    r"indiquez|répondez|ou|en|au|aux|colonne|fichier|ligne|attendue?|introuvable|vide|colonnes|manquantes?|que|cette|valeur|plus|pour|par|sur|avec)\b",
    re.I,
)


# Each page's own title, shown on a 200 (and on its 400, for the follow-up and summary).
TITRES = {
    "/resultat": "Résultat\u00a0: ",
    "/comparaison": "Comparer les options",
    "/suivi": "Suivi de votre contrat",
    "/recapitulatif": "Récapitulatif de vos réponses",
}


def titre(page: str) -> str:
    trouve = re.search(r"<title>(.*?)</title>", page, re.S)
    assert trouve is not None, "page sans <title>"
    return trouve.group(1).strip()


def reponse_api_verifier(reponse: Any) -> None:
    """Either a result (the contract's keys) or 400 with French messages per field."""
    corps = reponse.json()
    if reponse.status_code == 200:
        assert {"regime", "aide", "trace"} <= corps.keys(), corps
        return
    assert reponse.status_code == 400, reponse.status_code
    assert list(corps) == ["erreurs"], corps
    messages = [m for liste in corps["erreurs"].values() for m in liste]
    # A short French sentence each (« Ce champ est obligatoire. »), never pydantic's English.
    assert messages, corps
    assert all(
        isinstance(m, str) and _MOTS_FRANCAIS.search(m) and "Input should" not in m
        for m in messages
    ), messages


def francais(page: str) -> bool:
    """A 400 page names what to correct: an error summary whose first item is a French
    sentence (not just any page, whose footer alone would pass a word search)."""
    trouve = _RESUME.search(page)
    if trouve is None:
        return False
    message = re.sub(r"<[^>]+>", " ", trouve.group(1))
    return len(_MOTS_FRANCAIS.findall(message)) >= 2


@pytest.mark.parametrize("etape", list(CHAMPS_ETAPES))
@REGLAGES
@given(donnees=st.data())
def test_chaque_etape_resiste(etape: str, donnees: Any) -> None:
    champs = CHAMPS_ETAPES[etape]
    envoi = donnees.draw(
        st.dictionaries(st.sampled_from([*champs, "intrus"]), texte, max_size=len(champs) + 1)
    )
    requete = donnees.draw(
        st.one_of(
            st.just(BASE),
            situation_hostile.map(
                lambda d: (
                    "?"
                    + "&".join(
                        f"{k}={v}"
                        for k, v in d.items()
                        if "\x00" not in k + v and "&" not in k + v and "#" not in k + v
                    )
                )
            ),
        )
    )
    reponse = Client().post(f"/simulation/{etape}{requete}", envoi)
    # Accepted: on to the next step (or back to the first one the answers allow);
    # refused: the same step again, with a French summary of what to correct.
    if reponse.status_code == 303:
        assert reponse["Location"].startswith(("/simulation/", "/recapitulatif?", "/resultat?"))
    else:
        assert reponse.status_code == 400, reponse.status_code
        assert francais(reponse.content.decode())


@REGLAGES
@given(
    parametres=situation_hostile,
    page=st.sampled_from(["/resultat", "/comparaison", "/suivi", "/recapitulatif"]),
)
def test_lien_de_partage_resiste(parametres: dict[str, str], page: str) -> None:
    reponse = Client().get(page, parametres)
    contenu = reponse.content.decode()
    # Complete answers: the page itself; otherwise what to correct, in French.
    if reponse.status_code == 200:
        assert titre(contenu).startswith(TITRES[page]), titre(contenu)
    else:
        assert reponse.status_code == 400, reponse.status_code
        assert francais(contenu)


@REGLAGES
@given(
    parametres=st.dictionaries(
        st.sampled_from(["annee", "patientele_mt_atteinte", "file_active_atteinte"]), texte
    )
)
def test_suivi_resiste(parametres: dict[str, str]) -> None:
    # The base situation stays in the query string: the follow-up itself is reached.
    requete = urlencode({k: v.replace("\x00", "") for k, v in parametres.items()})
    reponse = Client().get(f"/suivi{BASE}&{requete}")
    page = reponse.content.decode()
    # The follow-up page either way: with its figures, or with the fields to correct.
    assert titre(page).startswith(TITRES["/suivi"]), titre(page)
    if reponse.status_code == 200:
        assert 'class="erreur"' not in page
    else:
        assert reponse.status_code == 400, reponse.status_code
        assert 'class="erreur"' in page or francais(page)


@override_settings(RATELIMIT_ENABLE=False)
@REGLAGES
@given(corps=st.one_of(situation_hostile, valeur_json))
def test_api_resiste(corps: Any) -> None:
    reponse = Client().post("/api/simulation", json.dumps(corps), content_type="application/json")
    reponse_api_verifier(reponse)


@override_settings(RATELIMIT_ENABLE=False)
@REGLAGES
@given(corps=st.binary(max_size=300))
def test_api_octets_quelconques(corps: bytes) -> None:
    reponse = Client().post("/api/simulation", corps, content_type="application/json")
    if not corps:
        # An empty body goes without a Content-Type (Django's test client): 415, in French.
        assert reponse.status_code == 415
        assert "JSON" in reponse.json()["erreurs"]["requete"][0]
    else:
        reponse_api_verifier(reponse)


@REGLAGES
@given(corps=st.one_of(situation_hostile, valeur_json))
def test_cli_resiste(corps: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    fichier = tmp_path_factory.mktemp("cli") / "entree.json"
    fichier.write_text(json.dumps(corps), encoding="utf-8")
    sortie, erreur = io.StringIO(), io.StringIO()
    try:
        call_command("simulate", str(fichier), stdout=sortie, stderr=erreur)
    except SystemExit as exc:
        assert exc.code == 2
        message = erreur.getvalue()
        assert "Traceback" not in message
        assert message.startswith(("Saisie invalide", "JSON invalide", "Liste de")), message
    else:
        document = json.loads(sortie.getvalue())
        resultats = document if isinstance(document, list) else [document]
        assert all("regime" in r and "aide" in r for r in resultats)


@REGLAGES
@given(texte_recherche=texte)
def test_recherche_de_communes_resiste(texte_recherche: str) -> None:
    reponse = Client().get("/communes", {"q": texte_recherche})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    if len(texte_recherche[:80].strip()) < 2:
        assert contenu.strip() == ""  # too short to search: nothing proposed
    else:
        assert ('class="liste-suggestions"' in contenu) != (
            "Aucune commune ne correspond" in contenu
        )


def test_nombres_absurdes_refuses() -> None:
    reponse = Client().post(
        "/api/simulation",
        json.dumps(
            {
                "specialite": "01",
                "secteur": "1",
                "patientele_mt": 10**12,
                "file_active": 1,
                "option": "mi_temps",
            }
        ),
        content_type="application/json",
    )
    assert reponse.status_code == 400
    assert "trop élevée" in reponse.json()["erreurs"]["patientele_mt"][0]


fichier_hostile = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.lists(texte, min_size=1, max_size=6).map(lambda cellules: ";".join(cellules)),
        max_size=6,
    ).map(lambda lignes: "\n".join(["code_insee;zonage", *lignes]).encode("utf-8")),
    st.sampled_from(["utf-16", "utf-8-sig", "cp1252"]).map(
        lambda encodage: (
            "specialite,indicateur,date_donnees,p30,p50,p70,p90,p95,source\n"
            "03,file_active,2024-06-30,1200,1800,,,4000,CNAM\n".encode(encodage)
        )
    ),
)


@REGLAGES
@given(brut=fichier_hostile, type_import=st.sampled_from(["zonage", "percentiles"]))
def test_imports_resistent(brut: bytes, type_import: str) -> None:
    """Any bytes: a plan with each row's reason, or FichierInvalide with a French message."""
    import datetime as dt

    from rules.files import FichierInvalide, texte_decoder
    from rules.imports import percentiles_planifier, zonage_planifier

    try:
        texte_fichier = texte_decoder(brut)
        if type_import == "zonage":
            plan = zonage_planifier(
                texte=texte_fichier, date_zonage=dt.date(2026, 1, 15), source="Arrêté"
            )
        else:
            plan = percentiles_planifier(texte=texte_fichier)
    except FichierInvalide as exc:
        assert francais(f'<div class="resume-erreurs"><li>{exc}</li>')
        return
    assert all(ligne.raison for ligne in plan.lignes if ligne.statut == "rejet")


@REGLAGES
@given(brut=fichier_hostile)
def test_page_lot_resiste(brut: bytes) -> None:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    personnel, _ = User.objects.get_or_create(username="equipe", defaults={"is_staff": True})
    client = Client()
    client.force_login(personnel)
    reponse = client.post("/outils/lot", {"fichier": SimpleUploadedFile("lot.csv", brut)})
    # A file that cannot be read: the form again with why; otherwise one CSV row a doctor.
    if reponse.status_code == 400:
        assert francais(reponse.content.decode())
    else:
        assert reponse.status_code == 200, reponse.status_code
        contenu = b"".join(reponse.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        # The header as a CSV reader reads it: str.splitlines() would also cut at a
        # vertical tab or a form feed inside an echoed column name (hypothesis found one).
        entete = next(csv.reader(io.StringIO(contenu)))
        assert entete[0] == "specialite" or "erreurs" in entete
