"""What still made a doctor hesitate, tried in Chromium at 1366 px and 360 px, with and
without JavaScript, and on paper: the follow-up of a signed contract, the specialist's band,
checks at the right step, the situation line, French typography, the commune search, the
presets, the length of the result, the printout's next steps, what each user is shown, and
the cost form that keeps its place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import onglet
from tests.browser.test_consultation import pages_pdf

pytestmark = pytest.mark.browser

LARGEURS = {"ordinateur": 1366, "telephone": 360}
SUIVI_AVENANT_7 = (
    "/suivi?secteur=1&specialite=01&date_signature=2021-03-01&option=mi_temps"
    "&patientele_mt=920&file_active=1350&annee=3&patientele_mt_atteinte=1110"
    "&file_active_atteinte=1400"
)


@pytest.fixture(params=list(LARGEURS), ids=list(LARGEURS))
def ecran(navigateur: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    with onglet(navigateur, viewport={"width": LARGEURS[request.param], "height": 800}) as page:
        yield page


def _largeur_page(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


# 1. The follow-up of a signed contract.


def test_suivi_se_lit_de_haut_en_bas_et_demande_65_ans(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + "/suivi")
    titre = ecran.get_by_text("Ce que vous avez atteint", exact=True).bounding_box()
    formulaire = ecran.locator("form.formulaire-suivi").bounding_box()
    # The block's heading starts the line, above its fields, below the contract's.
    assert titre["x"] <= formulaire["x"] + 24
    for nom in ("file_active", "patientele_mt", "age_65_ans_ou_plus"):
        assert ecran.locator(f"#id_{nom}").bounding_box()["y"] < titre["y"]
    for nom in ("annee", "patientele_mt_atteinte", "file_active_atteinte"):
        assert ecran.locator(f"#id_{nom}").bounding_box()["y"] > titre["y"]
    assert ecran.get_by_label(re.compile(r"J.ai 65\s+ans ou plus")).count() == 1
    etiquette_mt = ecran.locator("label[for=id_patientele_mt]").inner_text()
    assert "facultatif" not in etiquette_mt
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_suivi_65_ans_tolere_une_baisse(navigateur: Any, serveur: str, javascript: bool) -> None:
    with onglet(navigateur, java_script_enabled=javascript) as page:
        page.goto(serveur + "/suivi")
        page.get_by_label("Spécialité").select_option("01")
        page.get_by_label("Date de signature du contrat").fill("2025-03-01")
        page.get_by_label("Mi-temps (1/2 ETP)").check()
        page.get_by_label("Patientèle médecin traitant à la signature").fill("920")
        page.get_by_label("File active à la signature").fill("1350")
        page.get_by_label(re.compile(r"J.ai 65\s+ans ou plus")).check()
        page.get_by_label("Patientèle médecin traitant atteinte").fill("900")
        page.get_by_label("File active atteinte").fill("1300")
        page.get_by_role("button", name="Calculer le versement").click()
        page.locator(".bilan").wait_for()
        # Below the 1 350 initial file active, but within the tolerated decrease at 65+.
        assert "100 %" in page.locator(".bilan").inner_text().replace("\u202f", " ")


def test_suivi_generaliste_sans_patientele_mt_refuse_au_champ(page: Any, serveur: str) -> None:
    page.goto(serveur + "/suivi")
    page.get_by_label("Spécialité").select_option("01")
    page.get_by_label("Date de signature du contrat").fill("2025-03-01")
    page.get_by_label("Mi-temps (1/2 ETP)").check()
    page.get_by_label("File active à la signature").fill("1350")
    page.get_by_label("File active atteinte").fill("1300")
    page.get_by_role("button", name="Calculer le versement").click()
    page.locator("#id_patientele_mt_erreur").wait_for()
    assert "patientèle médecin traitant" in page.locator("#id_patientele_mt_erreur").inner_text()


def test_suivi_avenant_7_le_risque_la_ou_l_argent_se_decide(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + SUIVI_AVENANT_7)
    bilan = ecran.locator(".bilan")
    assert "100 %" in bilan.inner_text().replace("\u202f", " ")
    assert "exigé les deux objectifs" in bilan.inner_text()
    # On a phone the detail table stacks: no cell squeezed to one word per line.
    for cellule in ecran.locator(".bilan table td").all():
        if cellule.inner_text().strip():
            assert cellule.bounding_box()["width"] > 200
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]
    assert any("exigé les deux objectifs" in t for t in pages_pdf(ecran))


# 2. The specialist's band: explained in words, « en dessous du P30 », shown and used.


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_tranche_du_specialiste_expliquee_et_reprise_dans_le_resultat(
    navigateur: Any, serveur: str, javascript: bool
) -> None:
    with onglet(navigateur, java_script_enabled=javascript) as page:
        page.goto(serveur + "/simulation/patientele?specialite=03&secteur=1&commune=45234")
        aide = page.locator("#id_tranche_percentile_aide").inner_text()
        assert "trois médecins sur dix" in aide and "P95" in aide
        page.get_by_label("File active").fill("2500")
        page.get_by_label("entre le P50 et le P70").check()
        page.get_by_role("button", name="Continuer").click()
        page.get_by_label("Date de signature du contrat").fill("2025-03-01")
        page.get_by_label("Mi-temps (1/2 ETP)").check()
        page.get_by_role("button", name="Continuer").click()
        page.get_by_role("link", name="Voir mon résultat").click()
        page.locator(".situation-ligne").wait_for()
        assert (
            "entre le P50 et le P70 selon votre CPAM"
            in page.locator(".situation-ligne").inner_text()
        )
        assert (
            "Votre CPAM vous situe entre le P50 et le P70"
            in page.locator(".bloc-objectifs").inner_text()
        )
        assert "entre le P50 et le P70 selon votre CPAM" in pages_pdf(page)[0]


def test_tranche_en_dessous_du_p30(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + "/simulation/patientele?specialite=03&secteur=1&commune=45234")
    assert ecran.get_by_label("en dessous du P30").count() == 1
    ecran.goto(
        serveur + "/resultat?specialite=03&secteur=1&commune=45234&file_active=800"
        "&tranche_percentile=sous_p30&date_signature=2025-03-01&option=mi_temps"
    )
    assert ecran.locator("h1").inner_text() == "Non éligible"
    assert "en dessous du P30" in ecran.locator(".situation-ligne").inner_text()
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]


# 3. Checks at the right step.


def test_second_assistant_grise_hors_zip_a_l_etape_du_contrat(ecran: Any, serveur: str) -> None:
    ecran.goto(
        serveur + "/simulation/contrat?specialite=01&secteur=1&commune=45234"
        "&patientele_mt=920&file_active=1350"
    )
    assert ecran.get_by_label(re.compile("Second assistant")).count() == 0
    fermees = ecran.locator(".options-fermees").inner_text()
    assert "Second assistant" in fermees and "Orléans" in fermees and "(ZIP)" in fermees
    assert "zip" not in fermees.replace("(ZIP)", "")
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]


def test_etape_1_ne_parle_pas_de_regles_avant_la_date(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + "/simulation/medecin")
    assert "2019" not in ecran.locator("main").inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_contrat_d_un_tiers_temps_signe_en_2021(
    navigateur: Any, serveur: str, javascript: bool
) -> None:
    with onglet(navigateur, java_script_enabled=javascript) as page:
        page.goto(
            serveur + "/simulation/contrat?specialite=01&secteur=1&commune=45234"
            "&patientele_mt=920&file_active=1350"
        )
        page.get_by_label("Date de signature du contrat").fill("2021-03-01")
        page.get_by_label("Date de signature du contrat").dispatch_event("change")
        page.get_by_label(re.compile(r"^1/3 temps")).check()
        page.get_by_role("button", name="Continuer").click()
        # Accepted: the 2019 practice questions follow, no error on the option.
        page.get_by_role("heading", name="Votre mode d’exercice").wait_for()
        assert "2021-03-01" in page.url and "option=tiers_temps" in page.url


# 4. The situation line says what changes the rules; the summary gives the zone.

PRIMO = (
    "/resultat?specialite=01&secteur=1&commune=45234&patientele_mt=150&file_active=300"
    "&primo_installe=true&age_65_ans_ou_plus=true&rqth_ald=true&part_activite_liberale=60"
    "&date_signature=2025-03-01&option=mi_temps"
)


def test_ligne_de_situation_complete_a_l_ecran_et_sur_papier(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + PRIMO)
    attendus = (
        "nouvellement installé",
        "65 ans ou plus",
        "RQTH ou ALD",
        "activité libérale à 60 %",
    )
    ligne = ecran.locator(".situation-ligne").inner_text().replace("\u00a0", " ")
    for attendu in attendus:
        assert attendu in ligne
    reponses = ecran.locator(".bloc-reponses").text_content() or ""  # folded: in the DOM
    assert "Orléans (Loiret), zone d'action complémentaire (ZAC)" in reponses.replace("’", "'")
    # The phone's width, on screen (after pages_pdf the page is in print media at the
    # phone's width, a layout no printer makes: paper is A4).
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]
    premiere = pages_pdf(ecran)[0]
    for attendu in attendus:
        assert attendu in premiere


def test_recapitulatif_donne_la_zone_de_la_commune(page_sans_js: Any, serveur: str) -> None:
    page_sans_js.goto(serveur + PRIMO.replace("/resultat", "/recapitulatif"))
    texte = page_sans_js.locator("main").inner_text().replace("’", "'")
    assert "Orléans (Loiret), zone d'action complémentaire (ZAC)" in texte


# 5. French typography and plain words.

AUJOURDHUI = (
    "/resultat?specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350"
    "&date_signature=2025-03-01&option=mi_temps"
)


def _typographie_fautes(texte: str) -> list[str]:
    """Ordinary spaces where French wants a no-break one, straight apostrophes, « 3e »."""
    fautes = re.findall(r"\S{0,15} [:;?!](?=\s|$)", texte)
    fautes += re.findall(r"« |\S »", texte.replace("\u00a0»", ""))
    fautes += re.findall(r"\w{0,10}[A-Za-zé]'[A-Za-zé]\w{0,10}", texte)
    fautes += re.findall(r"\b\d(?:e|re|ème) année", texte)
    return fautes


@pytest.mark.parametrize(
    "chemin",
    [
        AUJOURDHUI,
        "/simulation/patientele?specialite=01&secteur=1&commune=45234",
        "/simulation/contrat?specialite=01&secteur=1&commune=45234&patientele_mt=920"
        "&file_active=1350",
        "/suivi",
        "/",
    ],
)
def test_typographie_francaise(telephone: Any, serveur: str, chemin: str) -> None:
    telephone.goto(serveur + chemin)
    # The specialty list is reference data (the CNAM's labels), shown as it is published.
    telephone.evaluate("document.querySelectorAll('main select').forEach(e => e.remove())")
    # The cost and renewal estimates are written by their own modules (checked there); the
    # sources of the CNAM percentiles are reference data, as the administrators typed them.
    telephone.evaluate(
        "document.querySelectorAll('.bloc-cout, .bloc-objectifs h3 ~ *, .bloc-objectifs h3,"
        " .condition .source')"
        ".forEach(e => e.remove())"
    )
    assert _typographie_fautes(telephone.locator("main").inner_text()) == []


def test_pages_d_erreur_sans_code_interne_et_champ_nomme(page_sans_js: Any, serveur: str) -> None:
    page_sans_js.goto(
        serveur + "/resultat?specialite=01&secteur=2_bis&commune=45234&option=mi_temps"
    )
    texte = page_sans_js.locator("main").inner_text()
    assert "2_optam" not in texte and "non_conventionne" not in texte
    assert "Secteur 2 avec OPTAM" in texte or "secteur 2 avec OPTAM" in texte
    # The missing file active is named, not a bare « Ce champ est obligatoire ».
    assert re.search(r"File active\s*:\s*Ce champ est obligatoire", texte)


def test_resume_sans_code_en_minuscules(page: Any, serveur: str) -> None:
    page.goto(
        serveur + "/resultat?specialite=01&secteur=1&commune=45234&patientele_mt=920"
        "&file_active=1350&date_signature=2025-03-01&option=second_1_5"
        "&date_contrat_temps_plein=2022-01-01&objectifs_atteints=true"
    )
    resume = page.locator(".resume").inner_text()
    assert "ZIP" in resume and "zip" not in resume


def test_estimation_dite_une_fois_par_bloc(page: Any, serveur: str) -> None:
    page.goto(serveur + AUJOURDHUI)
    en_tete = page.locator(".resultat-entete").inner_text()
    assert en_tete.lower().count("estim") == 1
    cibles = page.locator(".bloc-objectifs").inner_text().split("Après la 5")[0]
    assert cibles.lower().count("estimation") == 1
    page.get_by_text("Comment est-ce calculé").click()
    assert page.locator(".bloc-calcul").inner_text().lower().count("estimation") <= 1


# 6. Search: a specialty with Enter, « St Denis », every arrondissement, the zone confirmed.


def test_entree_dans_le_filtre_choisit_la_seule_specialite(page: Any, serveur: str) -> None:
    page.goto(serveur + "/simulation/medecin")
    page.get_by_label("Filtrer la liste des spécialités").fill("cardiologue")
    page.get_by_label("Filtrer la liste des spécialités").press("Enter")
    assert "/simulation/medecin" in page.url
    assert page.locator(".resume-erreurs").count() == 0
    assert page.locator("#id_specialite").input_value() == "03"


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
@pytest.mark.parametrize(
    ("saisie", "attendues"),
    [
        ("St Denis", ["Saint-Denis"]),
        ("ste foy", ["Sainte-Foy"]),
        ("Paris", ["Paris 1er", "Paris 16e", "Paris 20e"]),
        ("Marseille", ["Marseille 1er", "Marseille 16e"]),
    ],
)
def test_recherche_de_commune(
    navigateur: Any, serveur: str, javascript: bool, saisie: str, attendues: list[str]
) -> None:
    with onglet(
        navigateur, java_script_enabled=javascript, viewport={"width": 360, "height": 740}
    ) as page:
        page.goto(serveur + "/simulation/lieu?specialite=01&secteur=1")
        champ = page.get_by_label("Commune d’exercice")
        if javascript:
            champ.press_sequentially(saisie, delay=30)
            page.locator(".suggestion").first.wait_for()
            texte = " ".join(page.locator(".suggestion").all_inner_texts())
        else:
            champ.fill(saisie)
            page.get_by_role("button", name="Continuer").click()
            texte = page.locator("main").inner_text()
            assert "ci-dessous" in texte
        for attendue in attendues:
            assert f"{attendue} " in texte, attendue


def test_la_zone_de_la_commune_choisie_est_confirmee(page: Any, serveur: str) -> None:
    page.goto(serveur + "/simulation/lieu?specialite=01&secteur=1")
    page.get_by_label("Commune d’exercice").press_sequentially("orlea", delay=40)
    page.locator(".suggestion").first.click()
    info = page.locator("#commune-info")
    info.wait_for()
    assert "Orléans, Loiret" in info.inner_text() and "(ZAC)" in info.inner_text()


# 7. Presets carry their signing date.


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_un_cas_de_demonstration_garde_sa_date(
    navigateur: Any, serveur: str, javascript: bool
) -> None:
    import datetime as dt

    with onglet(navigateur, java_script_enabled=javascript) as page:
        page.goto(serveur + "/demonstration")
        page.get_by_role("link", name="Généraliste, mi-temps").first.click()
        page.locator(".situation-ligne").wait_for()
        aujourdhui = dt.date.today()
        assert (
            f"date_signature={aujourdhui.isoformat()}"
            in page.locator("#lien-partage").input_value()
        )
        page.locator(".situation-ligne").get_by_role("link", name="Modifier").click()
        page.get_by_role("button", name="Enregistrer et revenir au résultat").click()
        page.locator(".situation-ligne").wait_for()
        assert "/resultat?" in page.url
        assert (
            f"signature le {aujourdhui:%d/%m/%Y}" in page.locator(".situation-ligne").inner_text()
        )


# 8. Length: the secondary folded, the first screen kept; /sources short and usable.


def test_resultat_plus_court_au_telephone_et_tout_sur_papier(telephone: Any, serveur: str) -> None:
    page = telephone
    page.goto(serveur + AUJOURDHUI)
    replie = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("document.querySelectorAll('details.replie').forEach(d => d.open = true)")
    deplie = page.evaluate("document.documentElement.scrollHeight")
    # Folding the conditions met, the engagements and the answers saves 2 phone screens.
    assert deplie - replie > 2 * 740
    page.evaluate("document.querySelectorAll('details.replie').forEach(d => d.open = false)")
    # The first screen still says the answer and the money.
    assert page.locator("h1").bounding_box()["y"] < 740
    assert page.locator(".chiffres-cles").bounding_box()["y"] < 740
    remplies = page.locator("details.replie summary", has_text="conditions remplies")
    assert remplies.count() == 1
    # On paper the conditions met and the engagements are printed all the same.
    textes = pages_pdf(page)
    assert len(textes) <= 3  # at its true width (test_consultation: the cost table)
    assert "Patientèle minimale (P30)" in " ".join(textes)
    assert "Vos engagements si vous signez" in " ".join(textes)


def test_sources_courte_sommaire_et_recherche_au_telephone(telephone: Any, serveur: str) -> None:
    page = telephone
    page.goto(serveur + "/sources")
    assert page.evaluate("document.documentElement.scrollHeight") / 740 < 20
    assert page.get_by_role("navigation", name="Sommaire de la page").count() == 1
    champ = page.locator("#id_commune_sources")
    assert float(champ.evaluate("e => getComputedStyle(e).fontSize").rstrip("px")) >= 16
    assert champ.bounding_box()["height"] >= 40
    champ.fill("45234")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", name=re.compile("Orléans")).wait_for()
    assert _largeur_page(page) <= 360
    # A rule's link from a result opens the folded parameters at its row.
    page.goto(serveur + "/sources#regle-montants.mi_temps.annee_1")
    assert page.locator("#regle-montants\\.mi_temps\\.annee_1").is_visible()


def test_lien_de_partage_en_16_px(telephone: Any, serveur: str) -> None:
    telephone.goto(serveur + AUJOURDHUI)
    taille = telephone.locator("#lien-partage").evaluate("e => getComputedStyle(e).fontSize")
    assert float(taille.rstrip("px")) >= 16


# 9. Paper: it ends with what to do next, its links written out; the footer's link whole.


def test_impression_finit_par_et_ensuite_avec_les_liens(page: Any, serveur: str) -> None:
    page.goto(serveur + AUJOURDHUI)
    textes = pages_pdf(page)
    assert len(textes) <= 3  # at its true width (test_consultation: the cost table)
    derniere = textes[-1]
    assert "Et ensuite" in derniere
    assert "délégué(e) de l’Assurance Maladie" in derniere.replace("'", "’")
    assert "https://www.ameli.fr/medecin/aide-emploi-assistant-medical" in derniere
    assert "Journal officiel du 21 juin 2024" in derniere
    # The footer's link: each key=value whole on one line (never « 2025-03- / 01 »).
    assert "date_signature=2025-03-01" in derniere


def test_impression_non_eligible_sans_objectif_fixe_par_la_cpam(page: Any, serveur: str) -> None:
    page.goto(serveur + AUJOURDHUI.replace("secteur=1", "secteur=2"))
    texte = " ".join(pages_pdf(page))
    assert "Non éligible" in texte
    assert "fixe l’objectif" not in texte and "fixe l'objectif" not in texte
    assert "Et ensuite" in texte


# 10. What each user is shown: the follow-up for a running contract only; the official
# links and a way to report a surprising result on every result.


@pytest.mark.parametrize(
    ("chemin", "suivi"),
    [
        (AUJOURDHUI, True),
        (AUJOURDHUI.replace("secteur=1", "secteur=2"), False),
        (AUJOURDHUI.replace("2025-03-01", "{aujourdhui}"), False),
    ],
    ids=["contrat-en-cours", "non-eligible", "contrat-a-signer"],
)
def test_suivi_seulement_pour_un_contrat_en_cours_et_liens_partout(
    ecran: Any, serveur: str, chemin: str, suivi: bool
) -> None:
    import datetime as dt

    ecran.goto(serveur + chemin.format(aujourdhui=dt.date.today().isoformat()))
    assert (ecran.get_by_role("link", name="J’ai déjà un contrat").count() > 0) is suivi
    assert (ecran.locator("#suivi").count() > 0) is suivi
    ensuite = ecran.locator(".bloc-ensuite")
    assert (
        ensuite.get_by_role("link", name="aide à l’emploi d’un assistant médical")
        .get_attribute("href")
        .startswith("https://www.ameli.fr/")
    )
    assert "legifrance.gouv.fr" in ensuite.get_by_role(
        "link", name="convention médicale en vigueur"
    ).get_attribute("href")
    contact = ensuite.locator("a.contact")
    assert contact.get_attribute("href").startswith("mailto:contact@simulateur.example.org")
    assert _largeur_page(ecran) <= ecran.viewport_size["width"]
    texte = " ".join(pages_pdf(ecran))
    assert "contact@simulateur.example.org" in texte and "simulateur officiel" in texte


# 11. The cost keeps its place; its figures are announced and worded plainly.


def test_recalculer_le_cout_garde_la_place_et_annonce_le_cout(ecran: Any, serveur: str) -> None:
    ecran.goto(serveur + AUJOURDHUI)
    bloc = ecran.locator("#cout")
    bloc.get_by_label("Salaire brut mensuel à temps plein (€)").fill("1500")
    bloc.get_by_role("button", name="Recalculer le coût").click()
    ecran.wait_for_url(re.compile(r"salaire_brut=1"))
    ecran.locator("#cout").get_by_text("l’aide couvre le coût et laisse").first.wait_for()
    # The page did not jump to the top: the cost table is in view.
    assert ecran.evaluate("window.scrollY") > 300
    boite = ecran.locator("#cout").bounding_box()
    assert boite["y"] < ecran.viewport_size["height"] and boite["y"] + boite["height"] > 0
    assert ecran.locator("#cout table").count() == 1
    ecran.wait_for_function(
        "document.getElementById('annonce').textContent.indexOf('Coût recalculé') === 0"
    )
    assert "aide supérieure" not in ecran.locator("#cout").inner_text()


def test_recalculer_le_cout_sans_javascript(page_sans_js: Any, serveur: str) -> None:
    page_sans_js.goto(serveur + AUJOURDHUI)
    page_sans_js.get_by_label("Salaire brut mensuel à temps plein (€)").fill("1500")
    page_sans_js.get_by_role("button", name="Recalculer le coût").click()
    page_sans_js.wait_for_url(re.compile(r"salaire_brut=1500.*#cout"))
    assert "l’aide couvre le coût et laisse" in page_sans_js.locator("#cout").inner_text()
