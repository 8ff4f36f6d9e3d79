"""Hardening: hostile or odd input never gets a 500, access control counts the real
client, configuration fails closed, and the headers say what the pages carry."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

CAS_1 = "specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350&date_signature=2025-03-01&option=mi_temps"
SITUATION = {
    "date_signature": "2025-03-01",
    "specialite": "01",
    "secteur": "1",
    "patientele_mt": 920,
    "file_active": 1350,
    "option": "mi_temps",
}


@pytest.mark.parametrize("valeur", ["%20", "", "%C2%A0", "abc", "-1"])
def test_suivi_avec_une_patientele_atteinte_vide_ou_fausse(client: Client, valeur: str) -> None:
    reponse = client.get(
        f"/suivi?{CAS_1}&annee=3&file_active_atteinte=1400&patientele_mt_atteinte={valeur}"
    )
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "patientèle médecin traitant atteinte" in page.lower()
    assert 'id="id_patientele_mt_atteinte_erreur"' in page


@pytest.mark.parametrize(
    ("corps", "mots"),
    [
        ("[" * 50_000, "imbrication"),
        ('{"file_active": ' + "9" * 5001 + "}", "démesuré"),
    ],
    ids=["imbrication", "entier-geant"],
)
def test_api_entrees_hostiles_400_json(client: Client, corps: str, mots: str) -> None:
    reponse = client.post("/api/simulation", corps, content_type="application/json")
    assert reponse.status_code == 400
    assert reponse["Content-Type"].startswith("application/json")
    assert mots in json.dumps(reponse.json(), ensure_ascii=False)


def test_api_base_indisponible_503_json(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    import rules

    def panne(_: object) -> None:
        raise OperationalError("connexion refusée")

    monkeypatch.setattr(rules, "simulate", panne)
    reponse = client.post("/api/simulation", json.dumps(SITUATION), content_type="application/json")
    assert reponse.status_code == 503
    assert reponse["Retry-After"] == "60"
    assert "indisponible" in reponse.json()["erreurs"]["service"][0]


@override_settings(API_LIMITE="2/m")
def test_la_limite_de_l_api_tient_avec_des_milliers_de_clients() -> None:
    """The limiter's cache keeps a limited client's counter whatever the other traffic."""
    limites = caches["limites"]
    limites.clear()
    limite = Client(REMOTE_ADDR="198.51.100.7")

    def appel(client: Client) -> int:
        return client.post(
            "/api/simulation", json.dumps(SITUATION), content_type="application/json"
        ).status_code

    assert [appel(limite) for _ in range(3)] == [200, 200, 429]
    # 1 000 other clients' counters, as a busy minute would write them.
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    usine = RequestFactory()
    for i in range(1000):
        requete = usine.post("/api/simulation", REMOTE_ADDR=f"10.1.{i // 250}.{i % 250}")
        get_usage(
            requete,
            group="simulator.api.simulation",
            key="simulator.reseau.client_cle_limite",
            rate="2/m",
            increment=True,
        )
    assert appel(limite) == 429
    limites.clear()


@override_settings(PROXIES_DE_CONFIANCE=["10.0.0.2"])
def test_entetes_transmis_crus_seulement_du_proxy() -> None:
    from django.http import HttpRequest

    from simulator.reseau import ProxyMiddleware

    vus: dict[str, object] = {}

    def vue(request: HttpRequest) -> object:
        from django.http import HttpResponse

        vus.update(
            adresse=request.META["REMOTE_ADDR"],
            https=request.is_secure(),
            transmis="HTTP_X_FORWARDED_FOR" in request.META,
        )
        return HttpResponse()

    from django.test import RequestFactory

    usine = RequestFactory()
    entetes = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7", "HTTP_X_FORWARDED_PROTO": "https"}
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        ProxyMiddleware(vue)(usine.get("/", REMOTE_ADDR="10.0.0.2", **entetes))  # type: ignore[arg-type]
        assert vus == {"adresse": "198.51.100.7", "https": True, "transmis": True}
        ProxyMiddleware(vue)(usine.get("/", REMOTE_ADDR="203.0.113.5", **entetes))  # type: ignore[arg-type]
        assert vus == {"adresse": "203.0.113.5", "https": False, "transmis": False}


@override_settings(PROXIES_DE_CONFIANCE=["10.0.0.2"], AXES_FAILURE_LIMIT=3)
def test_le_verrouillage_de_l_admin_vise_le_client_pas_le_proxy() -> None:
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    def connexion(client_ip: str, mot_de_passe: str) -> int:
        return proxy.post(
            "/admin/login/?next=/admin/",
            {"username": "urps", "password": mot_de_passe},
            headers={"X-Forwarded-For": client_ip},
        ).status_code

    for _ in range(3):
        connexion("198.51.100.66", "mauvais")
    assert connexion("198.51.100.66", "mot-de-passe-solide-42") == 429  # the attacker is locked
    # The real administrator, from another address behind the same proxy, gets in.
    assert connexion("203.0.113.10", "mot-de-passe-solide-42") == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


@pytest.mark.parametrize("valeur", ["Production", "prod", "PRODUCTION", " production"])
def test_un_environnement_inconnu_refuse_de_demarrer(valeur: str) -> None:
    env = {**os.environ, "DJANGO_ENV": valeur, "DJANGO_SECRET_KEY": "x" * 60}
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'simulator.settings'); django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sortie.returncode != 0
    assert "n'est pas reconnu" in sortie.stderr


def test_le_script_de_production_passe_en_production_par_defaut() -> None:
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "deploy" / "start.sh").read_text()
    assert 'DJANGO_ENV="${DJANGO_ENV:-production}"' in script


@pytest.mark.parametrize("chemin", ["/resultat", "/comparaison", "/suivi", "/recapitulatif"])
def test_pages_aux_chiffres_du_medecin_non_mises_en_cache(client: Client, chemin: str) -> None:
    reponse = client.get(f"{chemin}?{CAS_1}")
    assert reponse.status_code == 200
    cache_control = reponse["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_permissions_policy_sur_chaque_page(client: Client) -> None:
    for chemin in ("/", "/sources", f"/resultat?{CAS_1}"):
        assert "geolocation=()" in client.get(chemin)["Permissions-Policy"]
