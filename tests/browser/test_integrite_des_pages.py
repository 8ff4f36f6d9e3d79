"""Every public page, whole, as a browser shows it: its stylesheet applied, every link and
asset real, no page wider than the screen, and styled on paper too.

The comparison page once shipped as bare HTML with ten empty links (a view's context key
hid the shell's links) while every text-based test passed: this layer looks at what the
browser actually applied, not at the words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import onglet

pytestmark = pytest.mark.browser

SITUATION = "specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350"
AUJOURDHUI = f"{SITUATION}&date_signature=2025-03-01&option=mi_temps"
CONTRAT_2019 = (
    f"{SITUATION}&date_signature=2020-01-15&option=tiers_temps"
    "&exercice=groupe&exercice_coordonne=true"
)

PAGES = {
    "accueil": "/",
    "étape exercice": "/simulation/medecin",
    "étape lieu": "/simulation/lieu?specialite=01&secteur=1",
    "étape patientèle": "/simulation/patientele?specialite=01&secteur=1&commune=45234",
    "étape contrat": f"/simulation/contrat?{SITUATION}",
    "étape mode d'exercice (2019)": (
        f"/simulation/exercice?{SITUATION}&date_signature=2020-01-15&option=tiers_temps"
    ),
    "récapitulatif": f"/recapitulatif?{AUJOURDHUI}",
    "résultat éligible": f"/resultat?{AUJOURDHUI}",
    "résultat non éligible": f"/resultat?{AUJOURDHUI.replace('secteur=1', 'secteur=2')}",
    "résultat d'un contrat de 2020": f"/resultat?{CONTRAT_2019}",
    "résultat chargé (installé depuis peu, 65 ans, RQTH, mi-libéral, coût saisi)": (
        "/resultat?specialite=01&secteur=1&commune=45234&patientele_mt=150&file_active=300"
        "&primo_installe=true&age_65_ans_ou_plus=true&rqth_ald=true&part_activite_liberale=60"
        "&date_signature=2025-03-01&option=temps_plein&position=9&salaire_brut=2500%2C50"
    ),
    "comparaison": f"/comparaison?{AUJOURDHUI}",
    "suivi avec une situation": (
        f"/suivi?{AUJOURDHUI}&annee=3&patientele_mt_atteinte=1000&file_active_atteinte=1500"
    ),
    "suivi sans situation": "/suivi",
    "démonstration": "/demonstration",
    "sources": "/sources",
    "page introuvable (404)": "/cette-page-n-existe-pas",
    # More query fields than Django accepts: a SuspiciousOperation, Django's 400 page.
    "requête refusée (400)": "/resultat?" + "&".join(["a="] * 1001),
}

# A4 (210 mm) at 96 px an inch, less print.css's margins (1.5 cm a side): 180 mm.
A4_LARGEUR_UTILE = {"width": 680, "height": 1000}

VUES = {
    "1366 px": {"viewport": {"width": 1366, "height": 900}, "java_script_enabled": True},
    "360 px": {"viewport": {"width": 360, "height": 740}, "java_script_enabled": True},
    "360 px sans JavaScript": {
        "viewport": {"width": 360, "height": 740},
        "java_script_enabled": False,
    },
}

# What the page applied, read by the browser itself.
ETAT = """() => {
  const racine = getComputedStyle(document.documentElement);
  const vides = [...document.querySelectorAll('[href], [src]')]
    .filter(e => (e.getAttribute('href') ?? e.getAttribute('src') ?? '').trim() === '')
    .map(e => e.outerHTML.slice(0, 120));
  const nav = document.querySelector('.entete nav');
  return {
    theme: racine.getPropertyValue('--primaire').trim(),
    police: getComputedStyle(document.body).fontFamily,
    feuilles: [...document.styleSheets].map(f => f.href || ''),
    vides: vides,
    largeur: document.documentElement.scrollWidth,
    ecran: document.documentElement.clientWidth,
    nav: nav ? getComputedStyle(nav).display : null,
  };
}"""


@pytest.fixture(params=list(VUES), ids=list(VUES))
def vue(request: pytest.FixtureRequest, navigateur: Any) -> Iterator[tuple[str, Any]]:
    with onglet(navigateur, **VUES[request.param]) as page:
        yield request.param, page


@pytest.mark.parametrize("chemin", list(PAGES.values()), ids=list(PAGES))
def test_chaque_page_entiere_et_stylee(vue: tuple[str, Any], serveur: str, chemin: str) -> None:
    nom_vue, page = vue
    echecs: list[str] = []
    page.on(
        "response",
        lambda r: (
            echecs.append(f"{r.status} {r.url}")
            if r.request.resource_type in {"stylesheet", "script", "image", "font"}
            and r.status >= 400
            else None
        ),
    )
    page.on("requestfailed", lambda r: echecs.append(f"échec {r.url}"))
    page.goto(serveur + chemin)
    page.wait_for_load_state("load")
    etat = page.evaluate(ETAT)

    assert etat["theme"], f"{nom_vue} : la feuille de style du site n'est pas appliquée"
    assert "serif" not in etat["police"].split(",")[0], etat["police"]
    assert any(urlsplit(f).path.startswith("/static/css/site") for f in etat["feuilles"]), etat[
        "feuilles"
    ]
    assert etat["vides"] == [], f"liens ou sources vides : {etat['vides']}"
    assert echecs == [], f"ressources en erreur : {echecs}"
    assert etat["largeur"] <= etat["ecran"], f"{etat['largeur']} px pour {etat['ecran']} px"


@pytest.mark.parametrize("chemin", list(PAGES.values()), ids=list(PAGES))
def test_chaque_page_stylee_a_l_impression(page: Any, serveur: str, chemin: str) -> None:
    """Styled on paper, and as wide as an A4 page at most: the cost table's last column
    once ran off the printed page (« l’aide couvre le coût et laiss… »)."""
    page.set_viewport_size(A4_LARGEUR_UTILE)
    page.goto(serveur + chemin)
    page.emulate_media(media="print")
    etat = page.evaluate(ETAT)
    assert etat["largeur"] <= etat["ecran"], f"{etat['largeur']} px sur une page A4"
    assert etat["theme"], "la feuille de style du site n'est pas appliquée sur papier"
    if etat["nav"] is not None:
        # The site's shell prints through print.css: no navigation on paper.
        assert etat["nav"] == "none", "la feuille d'impression n'est pas appliquée"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
