"""The journey in a real browser (Debian's Chromium driven by Playwright), with and without
JavaScript, plus the share link, the comparison, an invalid input and an axe scan."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.cas import CAS_1_REQUETE

pytestmark = pytest.mark.browser

CAS_1 = "/resultat?" + CAS_1_REQUETE


def test_parcours_complet_clavier_et_souris_avec_javascript(page: Any, serveur: str) -> None:
    page.goto(serveur + "/")
    page.get_by_role("link", name="Commencer la simulation").click()
    page.wait_for_url(re.compile(r"/simulation/medecin"))
    # Step 1, by keyboard: filter the specialty list, pick it, choose the sector.
    page.get_by_label("Filtrer la liste des spécialités").fill("générale")
    page.get_by_label("Spécialité", exact=True).select_option("01")
    page.get_by_label("Secteur 1").check()
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Continuer").press("Enter")
    # Step 2: the URL follows, focus is on the new heading, suggestions as you type.
    page.wait_for_url(re.compile(r"/simulation/lieu\?.*specialite=01"))
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.get_by_label("Commune d’exercice").press_sequentially("orlea", delay=40)
    page.locator(".suggestion", has_text="Orléans").first.click()
    assert page.get_by_label("Commune d’exercice").input_value() == "Orléans (45)"
    page.get_by_role("button", name="Continuer").click()
    # Step 3.
    page.wait_for_url(re.compile(r"/simulation/patientele\?.*commune=45234"))
    page.get_by_label("Patientèle médecin traitant").fill("920")
    page.get_by_label("File active").fill("1 350")
    page.get_by_role("button", name="Continuer").click()
    # Step 4: the options follow the date.
    page.wait_for_url(re.compile(r"/simulation/contrat"))
    page.get_by_label("Date de signature du contrat").fill("2020-01-15")
    page.get_by_label("Date de signature du contrat").dispatch_event("change")
    page.get_by_label("1/3 temps (1/3 ETP)").wait_for()
    page.get_by_label("Date de signature du contrat").fill("2023-09-01")
    page.get_by_label("Date de signature du contrat").dispatch_event("change")
    page.get_by_text("ne peut plus être signée").wait_for()
    page.get_by_label("Mi-temps (1/2 ETP)").check()
    page.get_by_role("button", name="Continuer").click()
    # Summary, then the result.
    page.wait_for_url(re.compile(r"/recapitulatif\?"))
    page.get_by_role("link", name="Voir mon résultat").click()
    page.wait_for_url(re.compile(r"/resultat\?"))
    principal = page.locator("main")
    assert principal.locator("h1").inner_text() == "Éligible"
    assert "65\u202f000\u00a0€" in principal.inner_text()
    assert "+\u00a0195\u00a0patients en 3 ans" in principal.inner_text()
    assert "+\u00a0311\u00a0patients en 3 ans" in principal.inner_text()
    assert page.locator("#annonce").get_attribute("aria-live") == "polite"


def test_parcours_complet_sans_javascript(page_sans_js: Any, serveur: str) -> None:
    page = page_sans_js
    page.goto(serveur + "/simulation/medecin")
    page.get_by_label("Spécialité", exact=True).select_option("03")  # a cardiologist
    page.get_by_label("Secteur 2 avec OPTAM ou OPTAM-CO").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Commune d’exercice").fill("Saint-Denis")
    page.get_by_role("button", name="Continuer").click()
    # Without suggestions, the server offers the matching communes.
    page.get_by_text(re.compile(r"\d+ communes correspondent")).first.wait_for()
    page.locator("input[name='commune_choisie'][value='93066']").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/simulation/patientele\?.*commune=93066"))
    assert page.get_by_label("Patientèle médecin traitant").count() == 0  # not asked
    page.get_by_label("File active").fill("2400")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Date de signature du contrat").fill("2025-03-01")
    page.get_by_label("Temps plein (1 ETP)").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("link", name="Voir mon résultat").click()
    texte = page.locator("main").inner_text()
    assert "À confirmer avec la CPAM" in texte
    assert "38\u202f000\u00a0€" in texte
    assert "Demandez à votre CPAM" in texte


def test_lien_de_partage_reproduit_le_resultat(navigateur: Any, page: Any, serveur: str) -> None:
    page.goto(serveur + CAS_1)
    lien = page.locator("#lien-partage").input_value()
    premier = page.locator("main").inner_text()
    autre = navigateur.new_context(locale="fr-FR")
    try:
        seconde_page = autre.new_page()
        seconde_page.goto(lien)
        assert seconde_page.locator("main").inner_text() == premier
    finally:
        autre.close()


def test_comparaison_des_options(page: Any, serveur: str) -> None:
    page.goto(serveur + CAS_1)
    page.get_by_role("link", name="Comparer les options").click()
    page.wait_for_url(re.compile(r"/comparaison\?"))
    options = page.locator(".liste-options")
    assert "Mi-temps (1/2 ETP)" in options.inner_text()
    assert "Temps plein (1 ETP)" in options.inner_text()
    assert "130\u202f000\u00a0€" in options.inner_text()


def test_saisie_invalide_affichee_pres_du_champ(page: Any, serveur: str) -> None:
    page.goto(serveur + "/simulation/patientele?specialite=01&secteur=1&commune=45234")
    page.get_by_label("Patientèle médecin traitant").fill("beaucoup")
    page.get_by_label("File active").fill("-3")
    page.get_by_role("button", name="Continuer").click()
    resume = page.locator("#resume-erreurs")
    resume.wait_for()
    assert page.evaluate("document.activeElement.id") == "resume-erreurs"
    assert (
        page.locator("#id_patientele_mt_erreur")
        .inner_text()
        .startswith("Saisissez un nombre entier")
    )
    assert page.get_by_label("Patientèle médecin traitant").input_value() == "beaucoup"
    assert page.get_by_label("Patientèle médecin traitant").get_attribute("aria-invalid") == "true"
    resume.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_patientele_mt"


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/simulation/medecin",
        "/simulation/lieu?specialite=01&secteur=1",
        CAS_1,
        CAS_1.replace("/resultat", "/comparaison"),
        "/demonstration",
    ],
)
def test_accessibilite_axe_sans_violation_grave(page: Any, serveur: str, chemin: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page.goto(serveur + chemin)
    resultats = Axe().run(page)
    graves = [
        v for v in resultats.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not graves, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in graves)
