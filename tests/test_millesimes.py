"""The zone in force when the contract was signed: zonage vintages per commune."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import rules
from rules import models
from rules.imports import plan_appliquer, zonage_planifier

# Vierzon (18279) is a ZIP in the shipped zonage (09/05/2025).
GENERALISTE_2021 = {
    "date_signature": "2021-06-01",
    "specialite": "01",
    "secteur": "1",
    "commune": "18279",
    "exercice": "groupe",
    "exercice_coordonne": True,
    "patientele_mt": 900,
    "file_active": 1550,
    "option": "temps_plein",
}


def _importer(texte: str, date: str, source: str) -> None:
    import datetime as dt

    jour = dt.date.fromisoformat(date)
    plan = zonage_planifier(texte=texte, date_zonage=jour, source=source)
    plan_appliquer(plan=plan, nom_fichier="z.csv", date_zonage=jour, source=source)


def test_le_zonage_livre_est_un_millesime_date() -> None:
    millesimes = list(models.ZonageMillesime.objects.filter(commune_id="18279"))
    assert [(m.zonage, str(m.date)) for m in millesimes] == [("ZIP", "2025-05-09")]


def test_un_nouvel_arrete_ajoute_un_millesime_et_garde_l_ancien() -> None:
    _importer("code_insee;zonage\n18279;ZAC\n", "2026-03-01", "Arrêté ARS du 01/03/2026")
    vierzon = models.Commune.objects.get(code_insee="18279")
    assert (vierzon.zonage, str(vierzon.zonage_date)) == ("ZAC", "2026-03-01")
    assert [m.zonage for m in vierzon.millesimes.order_by("date")] == ["ZIP", "ZAC"]
    # A contract signed in 2025 keeps the ZIP of its signing day; one of 2026 gets the ZAC.
    avant = rules.simulate({**GENERALISTE_2021, "date_signature": "2025-06-01"})
    assert (avant.lieu.zone, str(avant.lieu.zonage_date)) == ("zip", "2025-05-09")
    apres = rules.simulate(
        {**GENERALISTE_2021, "date_signature": "2026-06-01", "option": "mi_temps"}
    )
    assert (apres.lieu.zone, str(apres.lieu.zonage_date)) == ("zac", "2026-03-01")


def test_un_arrete_plus_ancien_complete_l_historique_sans_changer_le_zonage_actuel() -> None:
    _importer("code_insee;zonage\n18279;ZAC\n", "2019-07-01", "Arrêté ARS du 01/07/2019")
    vierzon = models.Commune.objects.get(code_insee="18279")
    assert vierzon.zonage == "ZIP"
    resultat = rules.simulate(GENERALISTE_2021)
    assert resultat.lieu.zone == "zac"
    assert resultat.eligibilite.conditions[2].code == "option"
    assert resultat.eligibilite.conditions[2].statut == "a_verifier"


def test_contrat_plus_ancien_que_tout_zonage_connu_est_signale() -> None:
    resultat = rules.simulate(GENERALISTE_2021)
    assert resultat.lieu.zone == "zip"
    assert any("après la signature" in a for a in resultat.avertissements)


def test_un_nouveau_zonage_s_ajoute_comme_millesime_date_dans_l_admin(
    admin_client: Client,
) -> None:
    ajout = reverse("admin:rules_zonagemillesime_add")
    reponse = admin_client.post(
        ajout,
        {"commune": "18279", "zonage": "ZAC", "date": "2026-02-01", "source": ""},
    )
    assert reponse.status_code == 200  # a vintage needs its source
    assert "Ce champ est obligatoire" in reponse.content.decode()
    admin_client.post(
        ajout,
        {"commune": "18279", "zonage": "ZAC", "date": "2026-02-01", "source": "Arrêté ARS 2026"},
    )
    assert [m.zonage for m in models.ZonageMillesime.objects.filter(commune_id="18279")] == [
        "ZIP",
        "ZAC",
    ]
    page = admin_client.get(reverse("admin:rules_commune_change", args=["18279"]))
    assert "depuis le 09/05/2025" in page.content.decode()
    assert "depuis le 01/02/2026" in page.content.decode()


def test_la_page_des_sources_montre_les_zonages_d_une_commune(client: Client) -> None:
    page = client.get(reverse("sources"), {"commune": "18279"}).content.decode()
    assert "Vierzon" in page and "depuis le 09/05/2025" in page
    assert "Zone d’intervention prioritaire" in page
    erreur = client.get(reverse("sources"), {"commune": "<script>"})
    assert erreur.status_code == 200
    assert "Aucune commune pour ce code" in erreur.content.decode()
