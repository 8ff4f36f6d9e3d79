"""The pages: the journey without JavaScript, htmx partials, errors, share link, follow-up."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from tests.cas import CAS_1_REQUETE

CAS_1 = CAS_1_REQUETE
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=False)


def suivre(client: Client, url: str, donnees: dict[str, str]) -> str:
    """POST a step; expect 303 to the next page; return its URL."""
    reponse = client.post(url, donnees)
    assert reponse.status_code == 303, reponse.content.decode()[:2000]
    return reponse["Location"]


def test_parcours_complet_sans_javascript_generaliste(client: Client) -> None:
    url = "/simulation/medecin"
    page = client.get(url)
    assert page.status_code == 200
    assert "Étape 1 sur 4" in page.content.decode()
    url = suivre(client, url, {"specialite": "01", "secteur": "1", "part_activite_liberale": "100"})
    assert url.startswith("/simulation/lieu?")
    url = suivre(client, url, {"commune_texte": "Orléans", "zone": ""})
    assert "commune=45234" in url
    texte = client.get(url).content.decode()
    assert "patientèle médecin traitant" in texte.lower()
    url = suivre(client, url, {"patientele_mt": "920", "file_active": "1 350"})
    assert "file_active=1350" in url
    url = suivre(client, url, {"date_signature": "2023-09-01", "option": "mi_temps"})
    assert url.startswith("/recapitulatif?")
    recap = client.get(url).content.decode()
    assert "Orléans (Loiret)" in recap and "Modifier" in recap
    resultat = client.get(url.replace("/recapitulatif", "/resultat"))
    texte = resultat.content.decode()
    assert resultat.status_code == 200
    assert "Éligible" in texte
    assert "18\u202f000\u00a0€" in texte  # year 1, French format
    assert "1\u202f115" in texte  # MT target 920 + 195
    assert "Comment est-ce calculé\u00a0?" in texte
    assert "Estimation — la CPAM fixe l’objectif." in texte
    assert "non officiel" in texte.lower()


def test_parcours_2019_ajoute_l_etape_exercice(client: Client) -> None:
    base = "/simulation/contrat?specialite=01&secteur=1&commune=18279&patientele_mt=900&file_active=1550"
    url = suivre(client, base, {"date_signature": "2020-01-15", "option": "tiers_temps"})
    assert url.startswith("/simulation/exercice?")
    page = client.get(url).content.decode()
    assert "Question complémentaire, après l’étape 4" in page
    url = suivre(client, url, {"exercice": "groupe", "exercice_coordonne": "true"})
    resultat = client.get(url.replace("/recapitulatif", "/resultat")).content.decode()
    assert "+\u00a0232\u00a0patients" in resultat and "+\u00a0135\u00a0patients" in resultat


def test_specialiste_sans_patientele_mt(client: Client) -> None:
    page = client.get(
        "/simulation/patientele?specialite=03&secteur=1&commune=45234"
    ).content.decode()
    assert 'name="file_active"' in page
    assert 'name="patientele_mt"' not in page
    chirurgien = client.get("/simulation/patientele?specialite=04&secteur=1&commune=45234")
    assert 'name="part_honoraires_cliniques"' in chirurgien.content.decode()


def test_erreurs_en_francais_et_saisie_conservee(client: Client) -> None:
    url = "/simulation/patientele?specialite=01&secteur=1&commune=45234"
    reponse = client.post(url, {"patientele_mt": "douze cents", "file_active": "-4"})
    page = reponse.content.decode()
    assert reponse.status_code == 400
    assert 'id="resume-erreurs"' in page
    assert "Saisissez un nombre entier de patients" in page
    assert "ne peut pas être négatif" in page
    assert 'value="douze cents"' in page  # what the person typed stays
    assert 'aria-invalid="true"' in page
    assert 'href="#id_patientele_mt"' in page


@pytest.mark.parametrize(
    ("etape", "donnees", "mots"),
    [
        ("medecin", {"specialite": "99", "secteur": "1"}, "Spécialité inconnue"),
        (
            "medecin",
            {"specialite": "01", "secteur": "<script>", "part_activite_liberale": "100"},
            "Secteur non reconnu",
        ),
        (
            "medecin",
            {"specialite": "01", "secteur": "1", "part_activite_liberale": "0"},
            "supérieure à 0",
        ),
        ("lieu", {"commune_texte": "Zzzzzz"}, "Aucune commune trouvée"),
        ("lieu", {"commune_texte": "", "zone": "lune"}, "Zone non reconnue"),
        ("patientele", {"patientele_mt": "9" * 40, "file_active": "1"}, "trop élevée"),
        ("contrat", {"date_signature": "2018-01-01", "option": "mi_temps"}, "Aucun dispositif"),
        ("contrat", {"date_signature": "demain", "option": "mi_temps"}, "Date invalide"),
        (
            "contrat",
            {"date_signature": "2025-01-01", "option": "tiers_temps"},
            "pas ouverte pour un contrat signé à cette date",
        ),
    ],
)
def test_saisies_invalides_jamais_de_500(
    client: Client, etape: str, donnees: dict[str, str], mots: str
) -> None:
    base = "?specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350"
    reponse = client.post(f"/simulation/{etape}{base}", donnees)
    assert reponse.status_code == 400
    assert mots in reponse.content.decode()


def test_commune_ambigue_sans_javascript(client: Client) -> None:
    url = "/simulation/lieu?specialite=01&secteur=1"
    page = client.post(url, {"commune_texte": "Saint-Denis"}).content.decode()
    assert "communes correspondent" in page and "ci-dessous" in page
    assert 'name="commune_choisie"' in page
    suite = suivre(client, url, {"commune_texte": "Saint-Denis", "commune_choisie": "93066"})
    assert "commune=93066" in suite


def test_htmx_rend_la_region_et_la_location(client: Client) -> None:
    page = client.get("/simulation/medecin", headers=HTMX)
    texte = page.content.decode()
    assert "<html" not in texte and "<title>" in texte and "Étape 1 sur 4" in texte
    assert "HX-Request" in page["Vary"]
    reponse = client.post(
        "/simulation/medecin",
        {"specialite": "01", "secteur": "1", "part_activite_liberale": "100"},
        headers=HTMX,
    )
    assert reponse.status_code == 200
    assert "/simulation/lieu?" in reponse["HX-Location"]


def test_lien_de_partage_reproduit_le_resultat(client: Client) -> None:
    premiere = client.get(f"/resultat?{CAS_1}").content.decode()
    lien = premiere.split('id="lien-partage" type="text" readonly value="')[1].split('"')[0]
    lien = lien.replace("&amp;", "&")
    assert parse_qs(urlparse(lien).query) == parse_qs(CAS_1)
    seconde = Client().get(lien).content.decode()  # a new visitor: no session, no cookie

    def contenu(page: str) -> str:  # the page minus the per-visitor CSRF token
        return page.split('<main id="contenu"')[1].split("</main>")[0]

    assert contenu(seconde) == contenu(premiere)


def test_lien_incomplet_explique(client: Client) -> None:
    reponse = client.get("/resultat?specialite=01&secteur=1&file_active=abc")
    page = reponse.content.decode()
    assert reponse.status_code == 400
    assert "Il manque des réponses" in page
    assert "/simulation/patientele?" in page


def test_comparaison_des_options(client: Client) -> None:
    page = client.get(f"/comparaison?{CAS_1}").content.decode()
    assert "Mi-temps (1/2 ETP)" in page and "Temps plein (1 ETP)" in page
    assert "par patient" in page


def test_suivi_proratisation(client: Client) -> None:
    reponse = client.get(
        f"/suivi?{CAS_1.replace('2023-09-01', '2025-03-01')}&annee=3"
        "&patientele_mt_atteinte=1000&file_active_atteinte=1500"
    )
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "5\u202f305\u00a0€" in page
    assert "proratisée" in page


def test_suivi_saisie_invalide(client: Client) -> None:
    reponse = client.get(f"/suivi?{CAS_1}&annee=2&file_active_atteinte=x")
    assert reponse.status_code == 400
    assert "Année 3, 4 ou 5" in reponse.content.decode()


def test_paris_propose_ses_arrondissements(client: Client) -> None:
    page = client.get("/communes?q=paris").content.decode()
    assert "Paris 15e Arrondissement" in page
    assert 'data-code="75056"' not in page  # no zonage for Paris as a whole


def test_suggestions_de_communes(client: Client) -> None:
    assert "Orléans" in client.get("/communes?commune_texte=orlea").content.decode()
    assert "Orléans" in client.get("/communes?q=45000").content.decode()
    assert "Aucune commune" in client.get("/communes?q=zzzzzz").content.decode()


def test_demonstration_chaque_cas_donne_un_resultat(client: Client) -> None:
    page = client.get("/demonstration").content.decode()
    liens = [
        ligne.split('href="')[1].split('"')[0]
        for ligne in page.splitlines()
        if 'href="/resultat?' in ligne
    ]
    assert len(liens) == 16
    # Today's rules first: the first preset is signed today, the brochures' on their date.
    assert f"date_signature={dt.date.today().isoformat()}" in liens[0]
    assert "date_signature=2020-01-15" in liens[6]
    assert page.index("Sous les règles d") < page.index("Les exemples des brochures")
    assert "File active</strong>\u00a0: les patients différents vus" in page
    pages = {lien: client.get(lien.replace("&amp;", "&")) for lien in liens}
    assert {lien: r.status_code for lien, r in pages.items()} == dict.fromkeys(liens, 200)
    titres = [r.content.decode().split("<title>")[1].split("</title>")[0] for r in pages.values()]
    assert all(t.startswith("Résultat\u00a0: ") for t in titres), titres
    # The two ophthalmologist's presets (code 15) show the file-active target.
    specialiste = [lien for lien in liens if "specialite=15" in lien]
    assert len(specialiste) == 2
    assert all("Objectif" in pages[lien].content.decode() for lien in specialiste)


def test_modifier_revient_au_resultat(client: Client) -> None:
    url = f"/simulation/patientele?{CAS_1}&retour=resultat"
    suite = suivre(client, url, {"patientele_mt": "1351", "file_active": "1902"})
    assert suite.startswith("/resultat?")
    assert parse_qs(urlparse(suite).query)["patientele_mt"] == ["1351"]


def test_options_selon_la_date(client: Client) -> None:
    page_2020 = client.get("/simulation/options?date_signature=2020-01-01").content.decode()
    page_2025 = client.get("/simulation/options?date_signature=2025-01-01").content.decode()
    assert 'value="tiers_temps"' in page_2020
    assert 'value="tiers_temps"' not in page_2025 and "ne peut plus être signée" in page_2025
    assert 'value="second_1_5"' in page_2025


def test_non_eligible_voit_sa_piste_chiffree_et_aucune_ligne_a_0_euro(client: Client) -> None:
    secteur_2 = CAS_1.replace("secteur=1", "secteur=2").replace("2023-09-01", "2025-03-01")
    page = client.get(f"/resultat?{secteur_2}").content.decode()
    assert "Non éligible" in page
    assert (
        "En adhérant à l’OPTAM (ou à l’OPTAM-CO)\u00a0: 66\u202f000\u00a0€ sur 5 ans"
        in html.unescape(page)
    )
    assert "versée en totalité" not in page
    assert "Vos engagements si vous signez" not in page
    # The link to the way out shows that simulation, eligible.
    lien = page.split('href="/resultat?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "secteur=2_optam" in lien
    autre = client.get(f"/resultat?{lien}").content.decode()
    assert "Éligible" in autre and "66\u202f000\u00a0€" in autre


def test_specialiste_indique_sa_tranche(client: Client) -> None:
    base = "/simulation/patientele?specialite=03&secteur=1&commune=18279"
    page = client.get(base).content.decode()
    assert 'name="tranche_percentile"' in page and "Je ne sais pas" in page
    generaliste = client.get(base.replace("specialite=03", "specialite=01")).content.decode()
    assert 'name="tranche_percentile"' not in generaliste
    url = suivre(client, base, {"file_active": "2800", "tranche_percentile": "p70_p90"})
    assert "tranche_percentile=p70_p90" in url
    situation = (
        "specialite=03&secteur=1&commune=18279&file_active=2800&tranche_percentile=p70_p90"
        "&date_signature=2020-01-15&option=tiers_temps&exercice=groupe&exercice_coordonne=true"
    )
    resultat = client.get(f"/resultat?{situation}").content.decode()
    assert "+\u00a0210\u00a0patients" in resultat  # the 2019 Assurance Maladie leaflet, doctor C


def test_pediatre_peut_laisser_la_patientele_mt_vide(client: Client) -> None:
    url = "/simulation/patientele?specialite=12&secteur=1&commune=45234"
    suivant = suivre(client, url, {"patientele_mt": "", "file_active": "1500"})
    assert "patientele_mt" not in suivant


def test_centre_de_sante_hors_champ(client: Client) -> None:
    page = client.get(f"/resultat?{CAS_1}&centre_de_sante=true").content.decode()
    assert "accord national des centres de santé" in page
    assert "Non éligible" in page
    assert "centres de santé" in client.get("/").content.decode()


def test_chaque_regle_du_calcul_mene_a_sa_source(client: Client) -> None:
    page = client.get(f"/resultat?{CAS_1}").content.decode()
    regles = set(re.findall(r'href="/sources#regle-([\w.]+)"', page))
    assert "montants.mi_temps.annee_1" in regles and "conditions.secteur_2_optam_requis" in regles
    assert "eligibilite.secteur" in regles and "eligibilite.patientele_minimum" in regles
    sources = client.get("/sources").content.decode()
    for regle in regles:
        assert f'id="regle-{regle}"' in sources, regle


def test_pages_et_api_sans_requete_en_base_par_simulation(client: Client) -> None:
    """Every door reads the in-process snapshot (docs/deployment.md): once a commune has
    been read, result pages and API calls with other figures and dates query nothing."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cas import CAS_1 as SITUATION

    client.get(f"/resultat?{CAS_1}")  # the snapshot and Orléans are read once
    with CaptureQueriesContext(connection) as requetes:
        for i in range(5):
            varie = {
                **SITUATION,
                "commune": "45234",
                "patientele_mt": 900 + 37 * i,
                "date_signature": f"202{i}-0{i + 1}-1{i}",
            }
            assert client.get(f"/resultat?{urlencode(varie)}").status_code == 200
            reponse = client.post("/api/simulation", varie, content_type="application/json")
            assert reponse.status_code == 200, reponse.content
    assert [q["sql"] for q in requetes.captured_queries] == []


def test_une_vue_ne_peut_pas_masquer_les_liens_de_la_coquille(rf: Any) -> None:
    """The shell's links are a context processor's key: a view passing the same key hid
    them (the comparison page shipped with no stylesheet). It now fails loudly."""
    from django.core.exceptions import ImproperlyConfigured

    from simulator.views import _rendre

    requete = rf.get("/")
    requete.htmx = False
    with pytest.raises(ImproperlyConfigured):
        _rendre(requete, "simulator/home.jinja", {"liens_site": {}}, titre="Essai")


def test_le_resultat_dit_ce_que_paie_la_3e_annee_selon_l_atteinte(client: Client) -> None:
    """What happens to the aid if the targets are met, half met or missed, on the result
    page itself: each row is the follow-up calculation of those very figures."""
    from rules.services import formatting, suivi_executer
    from tests.cas import SITUATION_AUJOURDHUI, SITUATION_AUJOURDHUI_REQUETE

    page = html.unescape(client.get(f"/resultat?{SITUATION_AUJOURDHUI_REQUETE}").content.decode())
    assert "Ce que vous touchez en 3ᵉ année selon vos résultats" in page
    lignes = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', page)
    attendus = {
        "Objectifs atteints": (1115, 1661, "11\u202f000\u00a0€"),
        "À mi-chemin des objectifs": (1018, 1506, None),
        "Patientèle en recul de 5\u00a0%": (874, 1282, "0\u00a0€"),
    }
    vus = {libelle: cellules for libelle, cellules in lignes if libelle in attendus}
    assert set(vus) == set(attendus), lignes
    for libelle, (mt, fa, montant) in attendus.items():
        _, suivi = suivi_executer(
            SITUATION_AUJOURDHUI,
            {"annee": 3, "patientele_mt_atteinte": mt, "file_active_atteinte": fa},
        )
        assert suivi.montant_du is not None
        assert formatting.euros(suivi.montant_du) in vus[libelle]
        if montant:
            assert montant in vus[libelle]


def test_un_salaire_invalide_garde_la_position_choisie(client: Client) -> None:
    """« abc » as a salary showed the error, and the table fell back to position 5."""
    from tests.cas import SITUATION_AUJOURDHUI_REQUETE

    page = html.unescape(
        client.get(
            f"/resultat?{SITUATION_AUJOURDHUI_REQUETE}&position=8&salaire_brut=abc"
        ).content.decode()
    )
    cout = page[page.index('id="cout"') :]
    tableau = cout[cout.index("<table") : cout.index("</table>")]
    assert "2\u202f050,62\u00a0€" in tableau  # position 8's minimum (avenant 90, 2024)
    assert "1\u202f815,79\u00a0€" not in tableau  # position 5's
    assert 'aria-invalid="true"' in cout


def test_un_lien_avec_une_date_trop_lointaine_ne_dit_pas_qu_il_manque_une_reponse(
    client: Client,
) -> None:
    """A shared link signed in 2031: nothing is missing, one answer is not valid; the
    field's name was said twice (« Date de signature du contrat : Date de signature du
    contrat trop lointaine »)."""
    from tests.cas import SITUATION_AUJOURDHUI_REQUETE

    reponse = client.get(
        "/resultat?" + SITUATION_AUJOURDHUI_REQUETE.replace("2025-03-01", "2031-03-01")
    )
    page = html.unescape(reponse.content.decode())
    assert reponse.status_code == 400
    assert "Il manque des réponses" not in page
    assert "Une réponse est à corriger pour calculer le résultat" in page
    assert page.count("Date de signature du contrat") == 1


def test_la_comparaison_imprimee_porte_sa_date_et_son_lien(client: Client) -> None:
    """Its printed footer said « Comparaison du 01/03/2025 »: the signing date, not the
    day of the comparison, and gave no way back to it."""
    from tests.cas import SITUATION_AUJOURDHUI_REQUETE

    page = html.unescape(
        client.get(f"/comparaison?{SITUATION_AUJOURDHUI_REQUETE}").content.decode()
    )
    pied = page[page.index('class="impression-seulement"') :]
    assert f"Comparaison du {dt.date.today():%d/%m/%Y}" in re.sub(r"<[^>]+>", "", pied)
    assert "contrat signé le" in pied
    assert "/comparaison?" in pied


def test_les_sources_nomment_chaque_parametre_en_mots(client: Client) -> None:
    """/sources named each row by its id (montants.tiers_temps.annee_1…) and each rule
    by « Identifiant : eligibilite.… »: words for a reader, the ids only in anchors."""
    from rules.services import parametres_obtenir

    page = html.unescape(client.get("/sources").content.decode())
    visible = re.sub(r"<[^>]+>", " ", page)
    for nom, parametre in parametres_obtenir().tous():
        assert nom not in visible, nom
        assert "_" not in parametre.libelle, parametre.libelle
        assert f'id="regle-{nom}"' in page
    assert "Identifiant" not in visible
    assert "Aide annuelle, mi-temps, 1ʳᵉ année" in visible


def test_chaque_page_de_resultat_garde_ses_chiffres_dans_et_si_et_le_cout(client: Client) -> None:
    """The what-if and cost fields are rendered once per process around each page's own
    figures: two pages in a row each show their own, and a typed position stays chosen."""
    base = "/resultat?date_signature=2025-03-10&specialite=01&secteur=1&commune=45234"
    for mt, fa, option in [(1200, 1800, "mi_temps"), (830, 2475, "temps_plein")]:
        page = client.get(f"{base}&patientele_mt={mt}&file_active={fa}&option={option}")
        texte = page.content.decode()
        et_si = texte[texte.index('id="titre-et-si"') : texte.index('id="titre-aide"')]
        assert re.search(rf'name="patientele_mt" value="{mt}"', et_si)
        assert re.search(rf'name="file_active" value="{fa}"', et_si)
        assert re.search(rf'value="{option}"[^>]* checked', et_si)
        assert len(re.findall(r"checked", et_si)) == 1
    cout = client.get(f"{base}&patientele_mt=830&file_active=2475&option=mi_temps&position=8")
    texte = cout.content.decode()
    formulaire = texte[texte.index('id="cout"') :]
    assert re.findall(r'<option value="(\d*)" selected', formulaire) == ["8"]
    vide = client.get(f"{base}&patientele_mt=830&file_active=2475&option=mi_temps")
    formulaire = vide.content.decode()[vide.content.decode().index('id="cout"') :]
    assert re.findall(r'<option value="(\d*)" selected', formulaire) == [""]


def test_chaque_page_de_resultat_dessine_son_propre_graphique(client: Client) -> None:
    """The aid chart is drawn once per distinct set of amounts: half-time then full-time
    pages in a row each show their own amounts in the chart, as in their table."""
    base = "/resultat?date_signature=2025-03-10&specialite=01&secteur=1&commune=45234"
    vus = set()
    for option in ["mi_temps", "temps_plein", "mi_temps"]:
        texte = client.get(f"{base}&patientele_mt=1200&file_active=1800&option={option}")
        page = texte.content.decode()
        desc = re.search(r'<desc id="graphique-desc">([^<]*)</desc>', page)
        assert desc is not None
        tableau = page[
            page.index('id="titre-aide"') : page.index("</table>", page.index('id="titre-aide"'))
        ]
        premiere = re.search(r'data-libelle="Montant">([^<]*)</td>', tableau)
        assert premiere is not None
        assert desc.group(1).startswith(f"année 1\u00a0: {premiere.group(1)}")
        vus.add(desc.group(1))
    assert len(vus) == 2
