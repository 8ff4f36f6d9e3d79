"""POST /api/simulation and GET /api/schema (docs/contrat.md, HTTP door)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, override_settings

from tests.cas import CAS_1
from tests.core.test_contrat import contrat_verifier


def poster(client: Client, corps: object) -> tuple[int, dict[str, Any]]:
    donnees = corps if isinstance(corps, (bytes, str)) else json.dumps(corps)
    reponse = client.post("/api/simulation", donnees, content_type="application/json")
    return reponse.status_code, reponse.json()


def test_simulation_rend_le_resultat_du_contrat() -> None:
    statut, corps = poster(Client(), CAS_1)
    assert statut == 200
    assert corps["regime"]["code"] == "reglement_arbitral_2023"
    assert corps["objectifs"]["patientele_mt"]["hausse"] == 195
    assert corps["aide"]["total_5_ans"] == 65000
    assert corps["trace"]


def test_la_reponse_porte_chaque_cle_documentee_du_contrat() -> None:
    """docs/contrat.md, checked against what the HTTP door really sends."""
    for situation in (CAS_1, {**CAS_1, "secteur": "2"}):
        statut, corps = poster(Client(), situation)
        assert statut == 200
        contrat_verifier(corps)


def test_erreurs_en_francais_par_champ() -> None:
    statut, corps = poster(Client(), {**CAS_1, "patientele_mt": "beaucoup", "secteur": "9"})
    assert statut == 400
    assert set(corps["erreurs"]) == {"patientele_mt", "secteur"}
    assert "nombre entier" in corps["erreurs"]["patientele_mt"][0]


def test_json_invalide_et_mauvais_types() -> None:
    assert poster(Client(), b"{pas du json")[0] == 400
    assert poster(Client(), [CAS_1])[1]["erreurs"]["situation"]
    assert poster(Client(), b"\xff\xfe")[0] == 400


def test_corps_trop_gros_refuse() -> None:
    statut, corps = poster(Client(), {**CAS_1, "bourrage": "x" * 100_000})
    assert statut == 413
    assert "trop volumineuse" in corps["erreurs"]["requete"][0]


def test_seul_post_est_accepte() -> None:
    reponse = Client().get("/api/simulation")
    assert (reponse.status_code, reponse["Allow"]) == (405, "POST")


def test_pas_de_csrf_pour_l_api() -> None:
    statut, _ = poster(Client(enforce_csrf_checks=True), CAS_1)
    assert statut == 200


@override_settings(API_LIMITE="3/m")
def test_limitation_de_debit() -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client(REMOTE_ADDR="10.9.8.7")
    statuts = [poster(client, CAS_1)[0] for _ in range(4)]
    assert statuts == [200, 200, 200, 429]
    cache.clear()


def test_schema_openapi_issu_des_modeles() -> None:
    reponse = Client().get("/api/schema")
    schema = reponse.json()
    assert schema["openapi"].startswith("3.1")
    operation = schema["paths"]["/api/simulation"]["post"]
    assert set(operation["responses"]) == {"200", "400", "413", "415", "429", "503"}
    composants = schema["components"]["schemas"]
    entree = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[
        -1
    ]
    sortie = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split(
        "/"
    )[-1]
    assert entree.startswith("Situation") and sortie == "Resultat"
    assert "Erreurs" in composants
    assert "patientele_mt" in composants[entree]["properties"]
    assert composants[entree]["properties"]["file_active"]["maximum"] == 30000


def test_sante() -> None:
    reponse = Client().get("/sante")
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok", "base": "ok", "compteurs": "ok", "cache": "ok"}
    assert Client().head("/sante").status_code == 200


def test_entetes_de_securite() -> None:
    reponse = Client().get("/")
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["Referrer-Policy"] == "same-origin"
    csp = reponse["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp
        and "frame-ancestors 'none'" in csp
    )


def test_csrf_impose_sur_les_formulaires() -> None:
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/simulation/medecin", {"specialite": "01", "secteur": "1"})
    assert reponse.status_code == 403
    assert "Formulaire expiré" in reponse.content.decode()


@override_settings(API_LIMITE="2/m", PROXIES_DE_CONFIANCE=["10.0.0.0/24"])
def test_limitation_par_client_derriere_le_proxy() -> None:
    """Behind the proxy, two clients are counted apart, and a forged first address is ignored."""
    from django.core.cache import caches

    cache = caches["limites"]
    cache.clear()
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    def depuis(client_ip: str, faux: str = "") -> int:
        entete = f"{faux}, {client_ip}" if faux else client_ip
        reponse = proxy.post(
            "/api/simulation",
            json.dumps(CAS_1),
            content_type="application/json",
            headers={"X-Forwarded-For": entete},
        )
        return reponse.status_code

    assert [depuis("198.51.100.7") for _ in range(3)] == [200, 200, 429]
    assert depuis("203.0.113.9") == 200  # another doctor is not throttled
    assert depuis("198.51.100.7", faux="1.2.3.4") == 429  # forging the first address does not help
    cache.clear()


def test_un_nombre_de_patients_negatif_dit_la_meme_chose_qu_au_formulaire() -> None:
    """The form said « ne peut pas être négatif », the API and a shared link « La valeur
    ne peut pas être inférieure à 0 »: one message on every door."""
    from django.test import Client as ClientDjango

    from tests.cas import SITUATION_AUJOURDHUI, SITUATION_AUJOURDHUI_REQUETE

    attendu = "Le nombre de patients ne peut pas être négatif."
    api = ClientDjango().post(
        "/api/simulation",
        {**SITUATION_AUJOURDHUI, "file_active": -12},
        content_type="application/json",
    )
    assert api.json()["erreurs"]["file_active"] == [attendu]
    lien = ClientDjango().get(
        "/resultat?" + SITUATION_AUJOURDHUI_REQUETE.replace("file_active=1350", "file_active=-12")
    )
    assert attendu in lien.content.decode()
    formulaire = ClientDjango().post(
        "/simulation/patientele?specialite=01&secteur=1&commune=45234",
        {"patientele_mt": "920", "file_active": "-12"},
    )
    assert attendu in formulaire.content.decode()
