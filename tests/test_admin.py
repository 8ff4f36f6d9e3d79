"""Keeping the reference data right: validation, imports, history, effect on simulations."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

import rules
from rules import models
from rules.imports import percentiles_planifier, plan_appliquer, zonage_planifier

GP_2025 = {
    "date_signature": "2025-03-01",
    "specialite": "01",
    "secteur": "1",
    "patientele_mt": 790,
    "file_active": 1350,
    "option": "mi_temps",
}


# ------------------------------------------------------------------ validation


def test_percentiles_croissants_et_positifs() -> None:
    p = models.Percentiles(
        specialite_id="03",
        indicateur="file_active",
        date_donnees="2024-06-30",
        p30=1200,
        p50=1100,
        p95=0,
        source="CNAM",
    )
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "P50 doit être supérieur à P30 (1200)." in exc.value.message_dict["p50"]
    assert "nombre de patients positif" in " ".join(exc.value.message_dict["p95"])


def test_percentiles_sans_date_refuses() -> None:
    p = models.Percentiles(specialite_id="03", indicateur="file_active", p50=1000, source="CNAM")
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "date_donnees" in exc.value.message_dict


def test_zonage_inconnu_et_zonage_sans_source_refuses() -> None:
    millesime = models.ZonageMillesime.objects.filter(commune_id="45234").first()
    assert millesime is not None
    millesime.zonage = "ZRR"
    with pytest.raises(ValidationError) as exc:
        millesime.full_clean()
    assert "zonage" in exc.value.message_dict
    millesime.zonage, millesime.source = "ZIP", ""
    with pytest.raises(ValidationError) as exc:
        millesime.full_clean()
    assert "source" in exc.value.message_dict


def test_regle_source_inconnue_et_liste_2019_hors_avenant_7() -> None:
    regle = models.RegleSpecialite.objects.get(specialite_id="35", regime="convention_2024")
    regle.source = "rumeur"
    with pytest.raises(ValidationError) as exc:
        regle.full_clean()
    assert "Source inconnue" in exc.value.message_dict["source"][0]
    regle.source, regle.classe = "seed_001", "departements_listes"
    with pytest.raises(ValidationError) as exc:
        regle.full_clean()
    assert "avenant 7" in exc.value.message_dict["classe"][0]


def test_message_francais_a_cote_du_champ_dans_l_admin(admin_client: Client) -> None:
    url = reverse("admin:rules_percentiles_add")
    reponse = admin_client.post(
        url,
        {
            "specialite": "03",
            "indicateur": "file_active",
            "date_donnees": "2024-06-30",
            "p30": "2000",
            "p50": "1500",
            "source": "CNAM",
        },
    )
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "P50 doit être supérieur à P30 (2000)." in page
    assert not models.Percentiles.objects.filter(specialite_id="03").exists()


def test_champs_officiels_en_lecture_seule(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:rules_commune_change", args=["45234"])).content.decode()
    assert "Ajouter un zonage daté" in page  # the zonage is edited as dated vintages
    assert 'name="code_insee"' not in page and 'name="nom"' not in page


# ------------------------------------------------------------------ imports

ZONAGE_CSV = (
    "code_postal;nom;zonage\n"
    "45000;Orléans;1_ZIP\n"  # ZAC → ZIP
    "18100;Vierzon;ZIP\n"  # unchanged zonage, new date: a new vintage
    "99999;Nulle-Part;ZIP\n"  # unknown
    "45160;Olivet;zone bleue\n"  # unknown zonage value
)


def test_import_zonage_apercu_puis_confirmation(admin_client: Client) -> None:
    url = reverse("admin:rules_commune_importer")
    fichier = SimpleUploadedFile("zonage-centre.csv", ZONAGE_CSV.encode(), content_type="text/csv")
    reponse = admin_client.post(
        url,
        {
            "fichier": fichier,
            "zonage_date": "2025-10-01",
            "zonage_source": "Arrêté ARS Centre-Val de Loire du 01/10/2025",
        },
    )
    assert reponse.status_code == 302
    apercu = admin_client.get(reponse["Location"]).content.decode()
    assert "2 ajout(s)" in apercu and "2 ligne(s) rejetée(s)" in apercu
    assert "commune introuvable" in apercu and "non reconnu" in apercu
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZAC"  # nothing yet
    admin_client.post(reponse["Location"], {"confirmer": "1"})
    orleans = models.Commune.objects.get(code_insee="45234")
    assert (orleans.zonage, str(orleans.zonage_date)) == ("ZIP", "2025-10-01")
    derniere = models.ZonageMillesime.history.filter(commune_id="45234").first()
    assert derniere.history_user.username == "urps"
    assert derniere.history_change_reason.endswith(": zonage-centre.csv")
    assert not models.ImportEnAttente.objects.exists()


def test_reimport_du_meme_fichier_ne_change_rien() -> None:
    date = __import__("datetime").date(2025, 10, 1)
    plan = zonage_planifier(texte=ZONAGE_CSV, date_zonage=date, source="Arrêté ARS")
    plan_appliquer(plan=plan, nom_fichier="z.csv", date_zonage=date, source="Arrêté ARS")
    avant = models.Commune.history.count()
    second = zonage_planifier(texte=ZONAGE_CSV, date_zonage=date, source="Arrêté ARS")
    assert second.compte == {"ajout": 0, "modification": 0, "inchange": 2, "rejet": 2}
    plan_appliquer(plan=second, nom_fichier="z.csv", date_zonage=date, source="Arrêté ARS")
    assert models.Commune.history.count() == avant


def test_import_percentiles_apercu_et_rejets() -> None:
    texte = (
        "specialite,indicateur,date_donnees,p30,p50,p70,p90,p95,source\n"
        "03,file_active,2024-06-30,1200,1800,,,4000,CNAM au 30/06/2024\n"
        '01,mt,2023-12-31,775,1045,,,2187,"CNAM au 31/12/2023 : P30 et P50 (fiche URPS 2023), P95 (fiche URPS 2023, « cas particuliers » ; cas 3 de la brochure Assurance Maladie 2023)"\n'
        "98,file_active,2024-06-30,1,2,,,3,CNAM\n"
        "12,file_active,2024-06-30,900,800,,,,CNAM\n"
        "12,pediatrie,2024-06-30,900,1000,,,,CNAM\n"
    )
    plan = percentiles_planifier(texte=texte)
    assert plan.compte == {"ajout": 1, "modification": 0, "inchange": 1, "rejet": 3}
    raisons = [ligne.raison for ligne in plan.lignes if ligne.statut == "rejet"]
    assert "spécialité « 98 » inconnue" in raisons[0]
    assert "P50 doit être supérieur à P30" in raisons[1]
    assert "indicateur « pediatrie » inconnu" in raisons[2]
    plan_appliquer(plan=plan, nom_fichier="p.csv")
    assert models.Percentiles.objects.get(specialite_id="03").p50 == 1800


def test_import_de_percentiles_utilise_par_la_simulation_suivante() -> None:
    avant = rules.simulate(GP_2025)
    assert avant.eligibilite.statut == "eligible"  # MT 790 ≥ P30 775
    texte = (
        "specialite,indicateur,date_donnees,p30,p50,p70,p90,p95,source\n"
        "01,mt,2024-06-30,800,1060,,,2200,CNAM au 30/06/2024\n"
    )
    plan_appliquer(plan=percentiles_planifier(texte=texte), nom_fichier="p.csv")
    apres = rules.simulate(GP_2025)
    assert apres.eligibilite.statut == "non_eligible"  # the 30/06/2024 snapshot: P30 800
    assert str(apres.percentiles[0].date_donnees) == "2024-06-30"


def test_commande_import_apercu_sans_changement(tmp_path: object) -> None:
    from pathlib import Path

    fichier = Path(str(tmp_path)) / "zonage.csv"
    fichier.write_text(ZONAGE_CSV, encoding="utf-8")
    sortie = io.StringIO()
    call_command(
        "import_reference",
        "--zonage",
        str(fichier),
        "--date",
        "2025-10-01",
        "--source",
        "Arrêté",
        stdout=sortie,
    )
    assert "2 ajoutées" in sortie.getvalue() and "Rien n'a changé" in sortie.getvalue()
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZAC"
    call_command(
        "import_reference",
        "--zonage",
        str(fichier),
        "--date",
        "2025-10-01",
        "--source",
        "Arrêté",
        "--confirmer",
        stdout=io.StringIO(),
    )
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZIP"


# ------------------------------------------------------------------ history and effect


def test_modification_dans_l_admin_puis_retour_arriere(admin_client: Client) -> None:
    millesime = models.ZonageMillesime.objects.get(commune_id="45234")
    url = reverse("admin:rules_zonagemillesime_change", args=[millesime.pk])
    admin_client.post(url, {"zonage": "ZIP", "date": "2025-05-09", "source": "Arrêté ARS"})
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZIP"
    historique = list(millesime.history.all())
    assert [h.zonage for h in historique[:2]] == ["ZIP", "ZAC"]  # after, before
    assert historique[0].history_user.username == "urps"
    avant = historique[1]
    page = admin_client.get(
        reverse("admin:rules_zonagemillesime_history", args=[millesime.pk])
    ).content.decode()
    assert "urps" in page
    url_version = reverse(
        "admin:rules_zonagemillesime_simple_history", args=[millesime.pk, avant.history_id]
    )
    admin_client.post(url_version, {"zonage": "ZAC", "date": "2025-05-09", "source": avant.source})
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZAC"
    assert millesime.history.count() == 3  # nothing lost: the revert is one more version


def test_une_modification_change_la_simulation_suivante(admin_client: Client) -> None:
    avant = rules.simulate(GP_2025)
    assert avant.eligibilite.statut == "eligible"
    p = models.Percentiles.objects.get(
        specialite_id="01", indicateur="mt", date_donnees="2023-12-31"
    )
    url = reverse("admin:rules_percentiles_change", args=[p.pk])
    admin_client.post(
        url,
        {
            "specialite": "01",
            "indicateur": "mt",
            "date_donnees": "2023-12-31",
            "p30": "800",
            "p50": "1045",
            "p95": "2187",
            "source": p.source,
        },
    )
    apres = rules.simulate(GP_2025)
    assert apres.eligibilite.statut == "non_eligible"
    assert "seuil P30 (800)" in next(
        c.message for c in apres.eligibilite.conditions if c.code == "patientele_minimum"
    )
    assert apres.percentiles[0].date_donnees.isoformat() == "2023-12-31"


def test_la_date_des_donnees_est_affichee() -> None:
    page = (
        Client()
        .get(
            "/resultat?date_signature=2025-03-01&specialite=01&secteur=1&commune=45234"
            "&patientele_mt=920&file_active=1350&option=mi_temps"
        )
        .content.decode()
    )
    assert "zonage de la commune au 09/05/2025" in page
    assert "percentiles CNAM de la patientèle médecin traitant au 31/12/2023" in page
    assert "(mt)" not in page and "(file_active)" not in page


# ------------------------------------------------------------------ public page, staff tools, access


def test_page_sources_publique() -> None:
    page = Client().get("/sources").content.decode()
    assert "Règlement arbitral du 28 avril 2023" in page
    assert "montants.mi_temps.annee_1" in page
    assert "Convention médicale 2024 : revalorisation et second assistant" in page
    assert "déduite" in page


def test_lot_reserve_au_personnel() -> None:
    reponse = Client().get("/outils/lot")
    assert reponse.status_code == 404  # not a redirection that gives the admin path away


def test_lot_csv_telechargement(admin_client: Client) -> None:
    contenu = (
        "identifiant,specialite,secteur,patientele_mt,file_active,option,date_signature\n"
        "dr-1,01,1,920,1350,mi_temps,2023-09-01\n"
        "dr-2,01,1,abc,1350,mi_temps,2023-09-01\n"
    )
    fichier = SimpleUploadedFile("medecins.csv", contenu.encode(), content_type="text/csv")
    reponse = admin_client.post("/outils/lot", {"fichier": fichier})
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"].startswith("attachment")
    texte = b"".join(reponse.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    lignes = texte.strip().splitlines()
    assert lignes[0].startswith("identifiant,")
    assert "dr-1" in lignes[1] and ",195," in lignes[1]
    assert "dr-2" in lignes[2] and "patientele_mt" in lignes[2]


def test_lot_fichier_vide(admin_client: Client) -> None:
    fichier = SimpleUploadedFile("vide.csv", b"specialite,secteur\n", content_type="text/csv")
    reponse = admin_client.post("/outils/lot", {"fichier": fichier})
    assert reponse.status_code == 400
    assert "aucune ligne" in reponse.content.decode()


def test_admin_reserve_au_personnel() -> None:
    User.objects.create_user("medecin", "m@example.org", "mot-de-passe-solide-42")
    client = Client()
    client.force_login(User.objects.get(username="medecin"))
    reponse = client.get(reverse("admin:index"))
    assert reponse.status_code == 302 and "login" in reponse["Location"]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_connexion_bloquee_apres_echecs_repetes() -> None:
    User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")
    client = Client()
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "urps", "password": "mauvais"})
    reponse = client.post(url, {"username": "urps", "password": "mot-de-passe-solide-42"})
    assert reponse.status_code == 429
    assert "Connexion bloquée" in reponse.content.decode()


def test_url_de_l_admin_configurable() -> None:
    from django.conf import settings

    assert reverse("admin:index") == "/" + settings.ADMIN_URL


def test_une_modification_atteint_les_autres_processus_en_quelques_secondes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another worker holds its snapshot: it asks the shared version at most every
    VERIFICATION_SECONDES, and reloads once the version changed (no query in between)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rules import catalogue

    horloge = [1000.0]
    monkeypatch.setattr("rules.catalogue.time.monotonic", lambda: horloge[0])
    avant = catalogue.referentiel_obtenir()
    with CaptureQueriesContext(connection) as requetes:
        for _ in range(50):
            rules.simulate(GP_2025)
    assert len(requetes) == 0  # snapshot and communes in memory: no query per simulation
    # An admin edit in another process: the shared version changes, this process does not
    # know yet.
    cache.set(catalogue.CLE_VERSION, "une-autre-version", timeout=None)
    assert catalogue.referentiel_obtenir() is avant
    horloge[0] += catalogue.VERIFICATION_SECONDES + 0.1
    assert catalogue.referentiel_obtenir() is not avant
