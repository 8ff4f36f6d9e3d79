"""Screenshots of the main pages, desktop and phone widths, for the README (make captures)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.serveur_local import ARGUMENTS_CHROMIUM, CHROMIUM, RACINE, serveur_local

CAS_1 = (
    "/resultat?date_signature=2025-03-01&specialite=01&secteur=1&commune=45234"
    "&patientele_mt=920&file_active=1350&option=mi_temps"
)
PAGES = {
    "accueil": "/",
    "etape-medecin": "/simulation/medecin",
    "etape-contrat": "/simulation/contrat?specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350",
    "resultat": CAS_1,
    "comparaison": CAS_1.replace("/resultat", "/comparaison"),
    "demonstration": "/demonstration",
}
LARGEURS = {"ordinateur": (1366, 900), "telephone": (360, 740)}
DOSSIER = RACINE / "docs" / "captures"


def main() -> None:
    from playwright.sync_api import sync_playwright

    DOSSIER.mkdir(parents=True, exist_ok=True)
    with serveur_local(migrer=False) as url, sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS_CHROMIUM)
        for appareil, (largeur, hauteur) in LARGEURS.items():
            contexte = navigateur.new_context(
                locale="fr-FR",
                viewport={"width": largeur, "height": hauteur},
                device_scale_factor=1,
            )
            page = contexte.new_page()
            for nom, chemin in PAGES.items():
                page.goto(url + chemin)
                fichier = DOSSIER / f"{nom}-{appareil}.png"
                page.screenshot(
                    path=str(fichier), full_page=nom == "resultat" and appareil == "ordinateur"
                )
                print(fichier.relative_to(RACINE))
            contexte.close()
        navigateur.close()


if __name__ == "__main__":
    main()
