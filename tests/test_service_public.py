"""Serving in the open: limits that hold on every door and every network, a counters
store that fails open, errors that say what happened (JSON on the API, French 503 pages
during a database outage), and nothing given away (admin path, static manifest)."""

from __future__ import annotations

import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from tests.cas import SITUATION_AUJOURDHUI, SITUATION_AUJOURDHUI_REQUETE

RACINE = Path(__file__).resolve().parent.parent


def _api(client: Client, corps: Any = SITUATION_AUJOURDHUI, **extra: Any) -> Any:
    donnees = corps if isinstance(corps, str | bytes) else json.dumps(corps)
    return client.post("/api/simulation", donnees, content_type="application/json", **extra)


def _limites(chemin: str) -> dict[str, dict[str, str]]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limites": {"BACKEND": "simulator.counters.CompteursSQLite", "LOCATION": chemin},
    }


# ------------------------------------------------------------ 1. the counters store fails


def test_compteurs_illisibles_l_api_repond_et_le_dit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only or missing location: every API call was a 500."""
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=_limites(str(tmp_path / "absent" / "limites.sqlite3"))):
        with caplog.at_level(logging.ERROR):
            statuts = [_api(client).status_code for _ in range(3)]
        sante = client.get("/sante")
    assert statuts == [200, 200, 200]
    assert "Compteurs des limites indisponibles" in caplog.text
    assert sante.status_code == 200
    assert sante.json()["compteurs"] == "indisponible" and sante.json()["base"] == "ok"


def test_disque_plein_l_api_repond(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def plein(*_: object, **__: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("simulator.counters.sqlite3.connect", plein)
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=_limites(str(tmp_path / "limites.sqlite3"))):
        assert _api(client).status_code == 200
        assert client.get("/sante").json()["statut"] == "degrade"


def test_fichier_des_compteurs_supprime_les_processus_comptent_ensemble(tmp_path: Path) -> None:
    """Deleting the file while running split the count (34 requests passed for 20): a
    running worker kept counting in the deleted file, a worker started afterwards (gunicorn
    recycles them) in the new one."""
    from simulator.counters import CompteursSQLite

    chemin = tmp_path / "limites.sqlite3"

    def compter(compteurs: CompteursSQLite) -> int:
        return 1 if compteurs.add("k", 1, 60) else compteurs.incr("k")

    ancien = CompteursSQLite(str(chemin), {})
    assert [compter(ancien), compter(ancien)] == [1, 2]
    for fichier in tmp_path.iterdir():
        fichier.unlink()
    recycle = CompteursSQLite(str(chemin), {})
    assert [compter(recycle), compter(ancien), compter(recycle)] == [1, 2, 3]


# ------------------------------------------------------------ 2. one count for all hosts


def test_compteurs_en_base_partages_par_les_conteneurs() -> None:
    """LIMITES_STOCKAGE=base: every container counts in the main database."""
    from simulator.settings import limites_cache

    caches_base = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limites": limites_cache("base"),
    }
    with override_settings(CACHES=caches_base, API_LIMITE="3/m"):
        # Two containers: two processes, one database. Each client object stands for one.
        statuts = [_api(Client()).status_code for _ in range(4)]
        from simulator.models import Compteur

        assert Compteur.objects.count() == 1
    assert statuts == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("valeur", "moteur"),
    [
        ("fichier", "simulator.counters.CompteursSQLite"),
        ("base", "simulator.counters.CompteursBase"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_le_stockage_des_compteurs_se_choisit_au_deploiement(valeur: str, moteur: str) -> None:
    env = {**os.environ, "LIMITES_STOCKAGE": valeur}
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'simulator.settings'); django.setup(); from django.conf import settings; "
            "print(settings.CACHES['limites']['BACKEND'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=RACINE,
    )
    assert sortie.stdout.strip() == moteur


def _demarrer(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=RACINE,
    )


def test_un_stockage_inconnu_arrete_le_demarrage() -> None:
    sortie = _demarrer({"LIMITES_STOCKAGE": "memcached://127.0.0.1:11211"})
    assert sortie.returncode != 0 and "LIMITES_STOCKAGE" in sortie.stderr
    assert "n'est pas reconnu" in sortie.stderr


# ------------------------------------------------------------ 3. IPv6, logins


@override_settings(API_LIMITE="5/m")
def test_ipv6_une_seule_limite_par_bloc_64() -> None:
    statuts = [_api(Client(REMOTE_ADDR=f"2001:db8:7:1::{i:x}")).status_code for i in range(1, 9)]
    assert statuts == [200] * 5 + [429] * 3
    assert _api(Client(REMOTE_ADDR="2001:db8:7:2::1")).status_code == 200  # another /64


@override_settings(AXES_FAILURE_LIMIT=3)
def test_ipv6_le_verrouillage_de_l_admin_vise_le_bloc_64() -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")

    def connexion(adresse: str, mot_de_passe: str) -> int:
        return (
            Client(REMOTE_ADDR=adresse)
            .post("/admin/login/", {"username": "urps", "password": mot_de_passe})
            .status_code
        )

    for i in range(1, 4):
        connexion(f"2001:db8:66:1::{i}", "mauvais")
    assert connexion("2001:db8:66:1::99", "mot-de-passe-solide-42") == 429
    assert connexion("2001:db8:aa:1::1", "mot-de-passe-solide-42") == 302


@override_settings(CONNEXION_LIMITE="5/m")
def test_les_connexions_sont_limitees_par_client_quel_que_soit_l_identifiant() -> None:
    client = Client(REMOTE_ADDR="198.51.100.40")
    statuts = [
        client.post("/admin/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(7)
    ]
    assert statuts == [200] * 5 + [429] * 2
    bloque = client.post("/admin/login/", {"username": "autre", "password": "x"})
    assert bloque["Retry-After"] == "60" and "Trop de demandes" in bloque.content.decode()
    # Another client logs in as usual.
    autre = Client(REMOTE_ADDR="198.51.100.41")
    assert autre.post("/admin/login/", {"username": "u", "password": "x"}).status_code == 200


# ------------------------------------------------------------ 5. proxy settings


@pytest.mark.parametrize("valeur", ["proxy,127.0.0.1", "nginx", "10.0.0.300", "127.0.0.1;::1"])
def test_des_proxies_mal_ecrits_arretent_le_demarrage(valeur: str) -> None:
    sortie = _demarrer({"DJANGO_PROXIES": valeur})
    assert sortie.returncode != 0
    assert "n'est ni une adresse IP ni un réseau" in sortie.stderr


@pytest.mark.parametrize("nom", ["API_LIMITE", "PAGES_LIMITE", "CONNEXION_LIMITE"])
def test_une_limite_mal_ecrite_arrete_le_demarrage(nom: str) -> None:
    """« 100000 » without « /m » passed, then every request counted against nothing: the
    limiter failed open on each call, with a misleading log line about its store."""
    sortie = _demarrer({nom: "100000"})
    assert sortie.returncode != 0
    assert f"{nom}='100000' n'est pas une limite reconnue" in sortie.stderr
    assert _demarrer({nom: "100000/m"}).returncode == 0


def test_des_proxies_bien_ecrits_demarrent() -> None:
    assert _demarrer({"DJANGO_PROXIES": "10.0.0.2, 172.30.57.0/24,::1"}).returncode == 0


def test_compose_croit_le_proxy_de_son_propre_reseau() -> None:
    """127.0.0.1 never matched: connections reach the container from the Docker network."""
    import ipaddress

    import yaml

    compose = yaml.safe_load((RACINE / "compose.yaml").read_text())
    web = compose["services"]["web"]["environment"]
    reseau = compose["networks"]["interne"]["ipam"]["config"][0]["subnet"]
    defaut = reseau.split(":-", 1)[-1].rstrip("}")
    assert web["DJANGO_PROXIES"] == web["FORWARDED_ALLOW_IPS"]
    assert defaut in web["DJANGO_PROXIES"]
    ipaddress.ip_network(defaut)
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("nginx")
    assert "ports" not in compose["services"]["web"]  # only through the buffering proxy


@override_settings(PROXIES_DE_CONFIANCE=["10.0.0.2", "172.30.57.0/24"])
def test_deux_proxies_de_suite_le_client_reste_le_bon() -> None:
    """The TLS proxy, then compose's nginx: both append to X-Forwarded-For."""
    from simulator.reseau import client_transmis

    assert client_transmis("198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert client_transmis("6.6.6.6, 198.51.100.7, 172.30.57.1") == "198.51.100.7"
    assert client_transmis("198.51.100.7, pas-une-adresse, 10.0.0.2") == "10.0.0.2"


# ------------------------------------------------------------ 6. pages that compute


@override_settings(PAGES_LIMITE="3/m")
@pytest.mark.parametrize("chemin", ["/recapitulatif", "/resultat", "/comparaison", "/suivi"])
def test_les_pages_qui_calculent_sont_limitees_par_client(chemin: str) -> None:
    client = Client(REMOTE_ADDR="198.51.100.50")
    statuts = [client.get(f"{chemin}?{SITUATION_AUJOURDHUI_REQUETE}").status_code for _ in range(4)]
    assert statuts == [200, 200, 200, 429]
    reponse = client.get(f"{chemin}?{SITUATION_AUJOURDHUI_REQUETE}")
    assert reponse["Retry-After"] == "60"
    page = reponse.content.decode()
    assert "<title>Trop de demandes" in page and "rien n’est perdu" in page
    assert (
        Client(REMOTE_ADDR="198.51.100.51")
        .get(f"{chemin}?{SITUATION_AUJOURDHUI_REQUETE}")
        .status_code
        == 200
    )


def test_la_page_des_sources_est_rendue_une_fois_par_version_des_donnees(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.jinja_env import page_rendre as rendre

    rendus: list[str] = []

    def noter(request: Any, nom: str, *args: Any, **kwargs: Any) -> str:
        rendus.append(nom)
        return rendre(request, nom, *args, **kwargs)

    monkeypatch.setattr("simulator.views.page_rendre", noter)
    premiere = client.get("/sources")
    nombre = len(rendus)
    seconde = client.get("/sources")
    assert nombre > 0 and len(rendus) == nombre  # served without rendering
    assert seconde.content == premiere.content
    from rules.models import ZonageMillesime

    with django_capture_on_commit_callbacks(execute=True):
        millesime = ZonageMillesime.objects.get(commune_id="45234")
        millesime.source = "Arrêté ARS du 15/01/2026"
        millesime.save()
    client.get("/sources")
    assert len(rendus) > nombre  # the data changed: rendered again
    client.get("/sources?commune=45234")
    client.get("/sources?commune=45234")
    assert rendus.count("simulator/sources.jinja") == 4


# ------------------------------------------------------------ 7. database outage


def _panne(*_: object, **__: object) -> None:
    from django.db import OperationalError

    raise OperationalError("connection refused")


def test_base_en_panne_les_pages_repondent_503_en_francais(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import rules

    monkeypatch.setattr(rules, "simulate", _panne)
    monkeypatch.setattr("simulator.info_views.zonage_fraicheur_par_region", _panne)
    client = Client(raise_request_exception=False)
    for chemin in (f"/resultat?{SITUATION_AUJOURDHUI_REQUETE}", "/sources?commune=45234"):
        reponse = client.get(chemin)
        assert reponse.status_code == 503, chemin
        assert reponse["Retry-After"] == "60"
        assert "Service momentanément indisponible" in reponse.content.decode()


def test_une_autre_erreur_reste_une_500_en_francais(monkeypatch: pytest.MonkeyPatch) -> None:
    import rules

    def bogue(*_: object, **__: object) -> None:
        raise RuntimeError("bogue")

    monkeypatch.setattr(rules, "simulate", bogue)
    reponse = Client(raise_request_exception=False).get(f"/resultat?{SITUATION_AUJOURDHUI_REQUETE}")
    assert reponse.status_code == 500 and "Retry-After" not in reponse
    assert "Une erreur est survenue" in reponse.content.decode()


# ------------------------------------------------------------ 8. API errors are JSON


@pytest.mark.parametrize(
    ("methode", "chemin"),
    [
        ("get", "/api/simulation"),
        ("put", "/api/simulation"),
        ("options", "/api/simulation"),
        ("delete", "/api/simulation"),
        ("post", "/api/schema"),
    ],
)
def test_api_methode_refusee_en_json(methode: str, chemin: str) -> None:
    client = Client(enforce_csrf_checks=True)
    reponse = getattr(client, methode)(chemin)
    assert reponse.status_code == 405
    assert reponse["Content-Type"].startswith("application/json")
    assert "non acceptée" in reponse.json()["erreurs"]["requete"][0]
    assert reponse["Allow"]


def test_api_adresse_inconnue_en_json() -> None:
    reponse = Client().get("/api/inconnue")
    assert reponse.status_code == 404 and reponse.json()["erreurs"]["requete"]


@pytest.mark.parametrize(
    "type_contenu", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_api_refuse_un_corps_qui_n_est_pas_declare_json(type_contenu: str) -> None:
    """Another site can make a visitor's browser send these without asking."""
    reponse = Client().post(
        "/api/simulation", json.dumps(SITUATION_AUJOURDHUI), content_type=type_contenu
    )
    assert reponse.status_code == 415
    assert "application/json" in reponse.json()["erreurs"]["requete"][0]


def test_api_accepte_l_indicateur_d_ordre_utf8() -> None:
    reponse = _api(Client(), "\ufeff" + json.dumps(SITUATION_AUJOURDHUI))
    assert reponse.status_code == 200 and reponse.json()["eligibilite"]


def test_api_lit_un_corps_envoye_par_morceaux() -> None:
    """Transfer-Encoding: chunked, no Content-Length (gunicorn decodes the chunks)."""
    from simulator.api import simulation

    corps = json.dumps(SITUATION_AUJOURDHUI).encode()
    environ: dict[str, Any] = {
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(corps),
    }
    requete = RequestFactory().generic("POST", "/api/simulation", **environ)
    assert "CONTENT_LENGTH" not in requete.META
    reponse = simulation(requete)
    assert reponse.status_code == 200, reponse.content.decode()


# ------------------------------------------------------------ 9. leaks and defaults


def test_l_outil_du_personnel_ne_revele_pas_l_administration() -> None:
    with override_settings():
        reponse = Client().get("/outils/lot")
    assert reponse.status_code == 404
    assert "admin" not in reponse.content.decode() and "Location" not in reponse


def test_le_manifeste_des_fichiers_statiques_n_est_pas_servi(tmp_path: Path) -> None:
    from django.http import HttpResponse

    from simulator.reseau import FichiersStatiques

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.abc123.css").write_text("body{}")
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    with override_settings(STATIC_ROOT=str(tmp_path), WHITENOISE_USE_FINDERS=False, DEBUG=False):
        statiques = FichiersStatiques(lambda _r: HttpResponse(status=404))
        usine = RequestFactory()
        assert statiques(usine.get("/static/css/site.abc123.css")).status_code == 200
        assert statiques(usine.get("/static/staticfiles.json")).status_code == 404


def test_les_sessions_du_personnel_durent_une_journee_de_travail() -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")
    client = Client()
    client.post("/admin/login/", {"username": "urps", "password": "mot-de-passe-solide-42"})
    assert 0 < client.session.get_expiry_age() <= 10 * 3600
    assert int(client.cookies["sessionid"]["max-age"]) <= 10 * 3600


@override_settings(AXES_FAILURE_LIMIT=2)
def test_la_page_de_verrouillage_a_un_titre_francais() -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")
    client = Client(REMOTE_ADDR="198.51.100.60")
    for _ in range(3):
        reponse = client.post("/admin/login/", {"username": "urps", "password": "non"})
    assert reponse.status_code == 429
    page = reponse.content.decode()
    assert "<title>Connexion bloquée" in page and "Django" not in page


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/simulation/medecin",
        "/simulation/options",
        "/recapitulatif?" + SITUATION_AUJOURDHUI_REQUETE,
        "/resultat?" + SITUATION_AUJOURDHUI_REQUETE,
        "/comparaison?" + SITUATION_AUJOURDHUI_REQUETE,
        "/sources",
        "/demonstration",
        "/api/schema",
        "/sante",
    ],
)
def test_head_repond_comme_get(chemin: str) -> None:
    client = Client()
    get, head = client.get(chemin), client.head(chemin)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_head_sur_l_outil_du_personnel(admin_client: Client) -> None:
    assert admin_client.head("/outils/lot").status_code == 200
