"""Hostile input of every kind, thrown at every door: never a 500, always a French answer.

Property-based (hypothesis): random text, control characters, huge and negative numbers,
markup, wrong types, unknown keys — on each form step, the share link, the comparison and
follow-up pages, the JSON API and the CLI.
"""

from __future__ import annotations

import io
import json
from typing import Any

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


def francais(page: str) -> bool:
    return any(
        mot in page
        for mot in (
            "Saisissez",
            "Choisissez",
            "Indiquez",
            "invalide",
            "inconnu",
            "Aucun",
            "obligatoire",
            "Répondez",
            "trop",
            "correspondent",
            "ne peut",
            "doit",
            "Date",
            "pas ouverte",
            "Valeur",
            "erreur",
            "corriger",
            "pourcentage",
        )
    )


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
    assert reponse.status_code in {200, 303, 400}, reponse.status_code
    if reponse.status_code == 400:
        assert francais(reponse.content.decode())


@REGLAGES
@given(
    parametres=situation_hostile,
    page=st.sampled_from(["/resultat", "/comparaison", "/suivi", "/recapitulatif"]),
)
def test_lien_de_partage_resiste(parametres: dict[str, str], page: str) -> None:
    reponse = Client().get(page, parametres)
    assert reponse.status_code in {200, 400}
    if reponse.status_code == 400:
        assert francais(reponse.content.decode())


@REGLAGES
@given(
    parametres=st.dictionaries(
        st.sampled_from(["annee", "patientele_mt_atteinte", "file_active_atteinte"]), texte
    )
)
def test_suivi_resiste(parametres: dict[str, str]) -> None:
    reponse = Client().get("/suivi" + BASE, parametres)
    assert reponse.status_code in {200, 400}


@override_settings(RATELIMIT_ENABLE=False)
@REGLAGES
@given(corps=st.one_of(situation_hostile, valeur_json))
def test_api_resiste(corps: Any) -> None:
    reponse = Client().post("/api/simulation", json.dumps(corps), content_type="application/json")
    assert reponse.status_code in {200, 400, 413}
    if reponse.status_code != 200:
        erreurs = reponse.json()["erreurs"]
        assert erreurs and all(
            isinstance(m, str) for messages in erreurs.values() for m in messages
        )


@override_settings(RATELIMIT_ENABLE=False)
@REGLAGES
@given(corps=st.binary(max_size=300))
def test_api_octets_quelconques(corps: bytes) -> None:
    reponse = Client().post("/api/simulation", corps, content_type="application/json")
    assert reponse.status_code in {200, 400}


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
    else:
        assert isinstance(json.loads(sortie.getvalue()), (list, dict))


@REGLAGES
@given(texte_recherche=texte)
def test_recherche_de_communes_resiste(texte_recherche: str) -> None:
    assert Client().get("/communes", {"q": texte_recherche}).status_code == 200


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
