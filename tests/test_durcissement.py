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

    def panne(_: object, **options: object) -> None:
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


# ------------------------------------------------------------------ CSV outputs and imports

FORMULES = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tx"]


def _lot_csv() -> str:
    import csv
    import io as io_

    tampon = io_.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\n")
    ecrivain.writerow(["nom", "specialite", "secteur", "patientele_mt", "file_active", "option"])
    for formule in FORMULES:
        ecrivain.writerow([formule, "01", "1", "920", "1350", "mi_temps"])
    return tampon.getvalue()


def test_sorties_csv_neutralisent_les_formules(tmp_path: object) -> None:
    import io as io_
    from pathlib import Path

    from django.core.management import call_command

    entree = _lot_csv()
    fichier = Path(str(tmp_path)) / "lot.csv"
    fichier.write_text(entree, encoding="utf-8")
    sortie = io_.StringIO()
    call_command("simulate", str(fichier), "--csv", stdout=sortie)
    import csv

    noms = [ligne["nom"] for ligne in csv.DictReader(io_.StringIO(sortie.getvalue()))]
    assert noms == ["'" + f for f in FORMULES]


def test_lot_neutralise_chaque_cellule_et_seulement_celles_qui_commencent_par_une_formule() -> None:
    """The batch looks for a formula over the whole row at once, then cell by cell: a
    formula in any column is neutralised, a cell that only holds one after a line break
    is left as typed, and the computed cells stay as they are."""
    import csv
    import io as io_

    from simulator.batch import lot_calculer

    ligne = {
        "nom": "Dr A",
        "note": "ligne 1\n=pas une formule",
        "dossier": "@SUM(1+1)",
        "specialite": "01",
        "secteur": "1",
        "patientele_mt": "920",
        "file_active": "1350",
        "option": "mi_temps",
        "date_signature": "2024-01-01",
    }
    (tranche,) = list(lot_calculer([ligne], extra=["nom", "note", "dossier"]))
    (sortie,) = list(csv.reader(io_.StringIO(tranche.texte)))
    assert sortie[:3] == ["Dr A", "ligne 1\n=pas une formule", "'@SUM(1+1)"]
    assert "eligible" in sortie and "'" not in "".join(sortie[3:])


def test_page_lot_neutralise_les_formules_et_refuse_l_ingerable() -> None:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    personnel = User.objects.create_user("equipe", password="mot-de-passe-42-solide", is_staff=True)
    client = Client()
    client.force_login(personnel)
    entree = _lot_csv()
    reponse = client.post(
        "/outils/lot", {"fichier": SimpleUploadedFile("lot.csv", entree.encode("utf-16"))}
    )
    assert reponse.status_code == 200
    texte = b"".join(reponse.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "\n=HYPERLINK" not in texte and "'=HYPERLINK" in texte and "'@SUM" in texte
    with override_settings(LOT_LIGNES_MAX=3):
        trop = client.post(
            "/outils/lot", {"fichier": SimpleUploadedFile("lot.csv", entree.encode())}
        )
    assert trop.status_code == 400
    assert "3 au plus" in trop.content.decode() and "simulate --csv" in trop.content.decode()


@pytest.mark.parametrize(
    ("brut", "apercu", "attendu"),
    [
        ("code_insee;zonage\n45234;ZIP\n".encode("utf-16"), True, "1 ajout(s)"),
        (b"code_insee;zonage\r45234;ZIP\r18279;ZAC\r", True, "2 ajout(s)"),
        (b"code_insee;zonage\n45234;Z\x00IP\n", False, "caractères nuls"),
        (b"\xff\xfe\x00", False, "pas un texte lisible"),
    ],
    ids=["utf16-excel", "fins-de-ligne-cr", "octets-nuls", "utf16-tronque"],
)
def test_import_de_zonage_fichiers_d_excel_et_fichiers_abimes(
    brut: bytes, apercu: bool, attendu: str
) -> None:
    """A file Excel wrote is read and previewed; a damaged one is refused on the form,
    with why, and nothing is kept pending."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rules.models import ImportEnAttente

    admin = User.objects.create_superuser("ars", "ars@example.org", "mot-de-passe-42-solide")
    client = Client()
    client.force_login(admin)
    reponse = client.post(
        "/admin/rules/commune/importer/",
        {
            "fichier": SimpleUploadedFile("zonage.csv", brut),
            "zonage_date": "2026-01-15",
            "zonage_source": "Arrêté ARS du 15/01/2026",
        },
    )
    if apercu:
        assert reponse.status_code == 302
        assert ImportEnAttente.objects.count() == 1
        page = client.get(reponse["Location"]).content.decode()
    else:
        assert reponse.status_code == 200
        assert not ImportEnAttente.objects.exists()
        page = reponse.content.decode()
    assert attendu in page


def test_import_de_percentiles_cellule_demesuree_rejetee() -> None:
    from rules.imports import percentiles_planifier

    texte = (
        "specialite,indicateur,date_donnees,p30,p50,p70,p90,p95,source\n"
        f"03,file_active,2024-06-30,{'9' * 4301},1800,,,4000,CNAM\n"
        "03,file_active,2099-06-30,1200,1800,,,4000,CNAM\n"
    )
    plan = percentiles_planifier(texte=texte)
    assert plan.compte["rejet"] == 2
    raisons = [ligne.raison for ligne in plan.lignes]
    assert "pas un nombre de patients plausible" in raisons[0]
    assert "date trop lointaine" in raisons[1]


def test_import_de_zonage_date_lointaine_refusee_en_ligne_de_commande(tmp_path: object) -> None:
    from pathlib import Path

    from django.core.management import CommandError, call_command

    fichier = Path(str(tmp_path)) / "z.csv"
    fichier.write_text("code_insee;zonage\n45234;ZIP\n", encoding="utf-8")
    with pytest.raises(CommandError, match="date trop lointaine"):
        call_command(
            "import_reference",
            "--zonage",
            str(fichier),
            "--date",
            "2999-12-31",
            "--source",
            "Arrêté",
            "--confirmer",
        )
    from rules.models import Commune

    assert Commune.objects.get(code_insee="45234").zonage == "ZAC"


def test_apercu_non_confirme_expire() -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.utils import timezone

    from rules.models import Commune, ImportEnAttente

    admin = User.objects.create_superuser("ars", "ars@example.org", "mot-de-passe-42-solide")
    client = Client()
    client.force_login(admin)
    attente = ImportEnAttente.objects.create(
        type="zonage",
        nom_fichier="z.csv",
        contenu="code_insee;zonage\n45234;ZIP\n",
        zonage_date=dt.date(2026, 1, 15),
        zonage_source="Arrêté",
    )
    ImportEnAttente.objects.filter(pk=attente.pk).update(
        cree_le=timezone.now() - dt.timedelta(hours=2)
    )
    url = f"/admin/rules/commune/importer/{attente.pk}/"
    reponse = client.post(url, {"confirmer": "1"})
    assert reponse.status_code == 302
    assert Commune.objects.get(code_insee="45234").zonage == "ZAC"
    assert not ImportEnAttente.objects.exists()
    assert "Aperçu expiré" in client.get(reponse["Location"]).content.decode()


# ------------------------------------------------------------------ history and undo


def test_historique_lisible_en_francais_avec_sa_raison(admin_client: Client) -> None:
    from rules.models import ZonageMillesime

    millesime = ZonageMillesime.objects.get(commune_id="45234")
    url = f"/admin/rules/zonagemillesime/{millesime.pk}/change/"
    nouveau = {
        "zonage": "ZIP",
        "date": "2025-05-09",
        "source": "Arrêté ARS du 15/01/2026",
        "motif_modification": "Correction d'une saisie",
    }
    admin_client.post(url, nouveau)
    admin_client.post(url, nouveau)  # saved again, nothing changed
    historique = f"/admin/rules/zonagemillesime/{millesime.pk}/history/"
    page = admin_client.get(historique).content.decode()
    assert "Correction d&#x27;une saisie" in page
    assert (
        "ZAC — zone d&#x27;action complémentaire → ZIP — zone d&#x27;intervention prioritaire"
        in page
    )
    assert "Changes" not in page and "None" not in page and "chars]" not in page
    assert page.count("<td>Modification</td>") == 1  # the empty save left no entry


def test_un_import_s_annule_en_une_fois_historique_garde(admin_client: Client) -> None:
    import datetime as dt

    from rules import models
    from rules.imports import plan_appliquer, zonage_planifier

    jour = dt.date(2026, 1, 15)
    plan = zonage_planifier(
        texte="code_insee;zonage\n45234;ZIP\n18279;ZAC\n", date_zonage=jour, source="Arrêté"
    )
    journal = plan_appliquer(plan=plan, nom_fichier="z.csv", date_zonage=jour, source="Arrêté")
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZIP"
    # Vierzon's new vintage is edited by hand after the import: undoing must not erase that.
    vierzon = models.ZonageMillesime.objects.get(commune_id="18279", date=jour)
    vierzon.source = "Arrêté ARS corrigé"
    vierzon.save()

    reponse = admin_client.post(f"/admin/rules/importapplique/{journal.pk}/annuler/", follow=True)
    assert "annulé" in reponse.content.decode()
    orleans = models.Commune.objects.get(code_insee="45234")
    assert (orleans.zonage, str(orleans.zonage_date)) == ("ZAC", "2025-05-09")
    assert not models.ZonageMillesime.objects.filter(commune_id="45234", date=jour).exists()
    assert models.Commune.objects.get(code_insee="18279").zonage_source == "Arrêté ARS corrigé"
    assert models.ZonageMillesime.objects.filter(commune_id="18279", date=jour).exists()
    raisons = list(
        models.ZonageMillesime.history.filter(commune_id="45234", date=jour).values_list(
            "history_change_reason", flat=True
        )[:2]
    )
    assert raisons[0].startswith("Annulation de l'import n°") and raisons[1].startswith("Import n°")


@pytest.mark.parametrize(("modele", "colonne"), [("commune", "zonage"), ("percentiles", "p95")])
def test_chaque_import_propose_un_modele_csv(
    admin_client: Client, modele: str, colonne: str
) -> None:
    depot = admin_client.get(f"/admin/rules/{modele}/importer/").content.decode()
    assert "Télécharger un modèle de fichier" in depot
    reponse = admin_client.get(f"/admin/rules/{modele}/importer/modele.csv")
    assert reponse["Content-Type"].startswith("text/csv")
    assert colonne in reponse.content.decode("utf-8-sig").splitlines()[0]
