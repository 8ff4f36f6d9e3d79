"""Write rules/parameters/cout_employeur.yaml from the French payroll engine, OpenFisca-France.

A developer's tool, never run by the site: OpenFisca loads in tens of seconds and is not
installed with the site. Install it apart (``pip install -e '.[paie]'``), then:

    python scripts/generer_cout_employeur.py            # writes the file
    python scripts/generer_cout_employeur.py --verifier # compares the file with the engine

For each date where the law changed since the first contracts (2019-08-21: SMIC raises,
yearly rates and taxe sur les salaires brackets, the 2026 RGDU) and each share of a full
time (1/3, 1/2, 1), it asks OpenFisca, for a grid of gross monthly salaries, the
employer's monthly cost (gross + employer contributions − general reduction) and the
yearly taxe sur les salaires of a doctor employer (not VAT-registered, one employee).
The site interpolates in the written table (rules/core/cost.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

RACINE = Path(__file__).resolve().parent.parent
FICHIER = RACINE / "rules" / "parameters" / "cout_employeur.yaml"

# Days the employer's cost changed: SMIC raises (décrets), 1 January (rates, plafond de la
# sécurité sociale, taxe sur les salaires brackets), 2026-01-01 (RGDU replaces the
# « Fillon » reduction).
DATES = [
    "2019-08-21",
    "2020-01-01",
    "2021-01-01",
    "2021-10-01",
    "2022-01-01",
    "2022-05-01",
    "2022-08-01",
    "2023-01-01",
    "2023-05-01",
    "2024-01-01",
    "2024-11-01",
    "2025-01-01",
    "2026-01-01",
    "2026-06-01",
]
PARTS = {"tiers_temps": Decimal("0.3333"), "mi_temps": Decimal("0.5"), "temps_plein": Decimal(1)}
# Full-time gross monthly salaries (€): the SMIC of 2019 to three SMIC of 2026 and more.
# Every 100 EUR up to 3 000 (the reductions' curve), sparser above (nearly linear): the
# site reads the file at start-up, and a smaller table loads faster.
GRILLE_TEMPS_PLEIN = [
    *range(1500, 3000, 100),
    *range(3000, 4000, 250),
    *range(4000, 6001, 500),
    1815.79,  # IDCC 1147 positions (avenant 90)
    1889.38,
    2050.62,
    2159.91,
]
HEURES_TEMPS_PLEIN = 151.67


def _systeme() -> Any:
    from openfisca_france import FranceTaxBenefitSystem

    return FranceTaxBenefitSystem()


def smic_mensuel(systeme: Any, jour: str) -> Decimal:
    horaire = systeme.parameters(jour).marche_travail.salaire_minimum.smic.smic_b_horaire
    return (Decimal(str(horaire)) * Decimal("151.67")).quantize(Decimal("0.01"))


def points_calculer(
    systeme: Any, jour: str, part: Decimal, bruts: list[Decimal]
) -> list[list[float]]:
    """[gross paid a month, employer's cost a month, taxe sur les salaires a year] per gross."""
    from openfisca_core.simulation_builder import SimulationBuilder

    annee = jour[:4]
    mois = [f"{annee}-{m:02d}" for m in range(1, 13)]
    temps_plein = part == 1
    individus = {}
    for i, brut in enumerate(bruts):
        individus[f"i{i}"] = {
            "salaire_de_base": dict.fromkeys(mois, float(brut)),
            "categorie_salarie": dict.fromkeys(mois, "prive_non_cadre"),
            "effectif_entreprise": dict.fromkeys(mois, 1),
            "assujettie_taxe_salaires": dict.fromkeys(mois, True),
            "contrat_de_travail": dict.fromkeys(
                mois, "temps_plein" if temps_plein else "temps_partiel"
            ),
            **(
                {}
                if temps_plein
                else {
                    "heures_remunerees_volume": dict.fromkeys(
                        mois, round(HEURES_TEMPS_PLEIN * float(part), 2)
                    )
                }
            ),
        }
    n = range(len(bruts))
    cas = {
        "individus": individus,
        "foyers_fiscaux": {f"f{i}": {"declarants": [f"i{i}"]} for i in n},
        "menages": {f"m{i}": {"personne_de_reference": [f"i{i}"]} for i in n},
        "familles": {f"fa{i}": {"parents": [f"i{i}"]} for i in n},
    }
    simulation = SimulationBuilder().build_from_entities(_systeme_cache(), cas)
    cible = jour[:7]
    # The general reduction is regularised month after month from January (mode
    # « progressif »): months are computed in order, up to the date's month.
    for m in mois:
        super_brut = simulation.calculate("salaire_super_brut", m)
        taxe = simulation.calculate("taxe_salaires", m)
        if m == cible:
            break
    return [
        [
            float(brut),
            # salaire_super_brut counts the taxe sur les salaires (a negative variable):
            # the employer's cost is shown without it, the tax on a line of its own.
            round(float(super_brut[i]) + float(taxe[i]), 2),
            round(-float(taxe[i]) * 12, 2),
        ]
        for i, brut in enumerate(bruts)
    ]


_SYSTEME: Any = None


def _systeme_cache() -> Any:
    global _SYSTEME
    if _SYSTEME is None:
        _SYSTEME = _systeme()
    return _SYSTEME


def document_construire() -> dict[str, Any]:
    systeme = _systeme_cache()
    moteur = f"OpenFisca-France {version('openfisca-france')} (openfisca-core {version('openfisca-core')})"
    baremes: dict[str, Any] = {}
    for jour in DATES:
        smic = smic_mensuel(systeme, jour)
        bareme: dict[str, Any] = {"smic_mensuel": float(smic)}
        for option, part in PARTS.items():
            temps_plein = sorted({Decimal(str(b)) for b in GRILLE_TEMPS_PLEIN} | {smic})
            bruts = [(b * part).quantize(Decimal("0.01")) for b in temps_plein]
            bareme[option] = points_calculer(systeme, jour, part, bruts)
        baremes[jour] = bareme
        print(f"{jour} : SMIC {smic} €", file=sys.stderr)
    return {
        "cout_employeur": {
            "description": (
                "Coût employeur mensuel (brut + cotisations patronales − réduction générale "
                "« Fillon », puis RGDU depuis 2026) et taxe sur les salaires annuelle d'un "
                "médecin employeur, par date de changement de la loi, pour une grille de "
                "salaires bruts mensuels : [brut versé par mois, coût employeur par mois, taxe "
                "sur les salaires par an]"
            ),
            "source": "openfisca_france",
            "moteur": moteur,
            "genere_le": dt.date.today().isoformat(),
            "hypotheses": (
                "salarié non cadre du secteur privé, un seul salarié, employeur non assujetti "
                "à la TVA (taxe sur les salaires due, franchise et décote comprises), salaire "
                "constant sur l'année civile, réduction générale régularisée chaque mois ; "
                "ni mutuelle, ni prévoyance, ni médecine du travail"
            ),
            "baremes": baremes,
        }
    }


def ecrire(document: dict[str, Any]) -> None:
    entete = (
        "# Generated by scripts/generer_cout_employeur.py from OpenFisca-France: do not edit\n"
        "# by hand, regenerate (README, « Coût de l'assistant »).\n"
    )
    texte = yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    FICHIER.write_text(entete + texte, encoding="utf-8")


def verifier() -> int:
    """Compare the shipped file with the installed engine: 0 when every point agrees."""
    livre = yaml.safe_load(FICHIER.read_text(encoding="utf-8"))["cout_employeur"]
    systeme = _systeme_cache()
    ecarts = 0
    for jour, bareme in livre["baremes"].items():
        jour = str(jour)
        for option, part in PARTS.items():
            points = bareme[option]
            calcules = points_calculer(systeme, jour, part, [Decimal(str(p[0])) for p in points])
            for attendu, obtenu in zip(points, calcules, strict=True):
                if any(abs(a - o) > 0.02 for a, o in zip(attendu, obtenu, strict=True)):
                    ecarts += 1
                    print(f"{jour} {option} : fichier {attendu}, moteur {obtenu}")
    print(f"{ecarts} écart(s)", file=sys.stderr)
    return 1 if ecarts else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verifier", action="store_true", help="compare sans écrire")
    arguments = parser.parse_args()
    if arguments.verifier:
        return verifier()
    ecrire(document_construire())
    print(f"écrit : {FICHIER.relative_to(RACINE)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
