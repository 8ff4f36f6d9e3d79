"""The payroll engine's table (rules/parameters/cout_employeur.yaml): a handful of points
checked against figures written here and, when OpenFisca-France is installed (the
optional ``[paie]`` extra), against the engine itself."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal

import pytest

from rules.core.cost import cout_annee_calculer
from rules.core.parameters import parametres_obtenir

# (table date, option, gross paid a month, employer's cost a month, taxe a year):
# OpenFisca-France 176.1.8, the version named in the file.
POINTS = [
    ("2026-06-01", "temps_plein", "2159.91", "2500.02", "2193.24"),
    ("2026-06-01", "temps_plein", "1815.79", "1845.86", "1325.16"),
    ("2025-01-01", "temps_plein", "2159.91", "2501.32", "2205.0"),
    ("2019-08-21", "temps_plein", "1521.25", "1533.95", "813.18"),
    ("2026-01-01", "mi_temps", "750.0", "762.42", "0.0"),
]


def _point(jour: str, option: str, brut: str) -> tuple[Decimal, Decimal, Decimal]:
    bareme = parametres_obtenir().cout_employeur.baremes[dt.date.fromisoformat(jour)]
    points: list[tuple[Decimal, Decimal, Decimal]] = [
        p for p in getattr(bareme, option) if p[0] == Decimal(brut)
    ]
    (point,) = points
    return point


@pytest.mark.parametrize(("jour", "option", "brut", "cout", "taxe"), POINTS)
def test_le_bareme_livre_garde_les_chiffres_du_moteur(
    jour: str, option: str, brut: str, cout: str, taxe: str
) -> None:
    assert _point(jour, option, brut) == (Decimal(brut), Decimal(cout), Decimal(taxe))


def test_le_bareme_nomme_le_moteur_et_sa_version() -> None:
    cout = parametres_obtenir().cout_employeur
    assert cout.moteur.startswith("OpenFisca-France 176.1.8")
    assert cout.source == "openfisca_france"


def test_au_smic_de_juin_2026_le_cout_est_d_environ_1_04_fois_le_brut() -> None:
    cout, taxe = cout_annee_calculer(
        parametres=parametres_obtenir(),
        jour=dt.date(2026, 7, 1),
        option="temps_plein",
        brut_mensuel_paye=Decimal("1867.02"),
    )
    assert cout == 23292  # 1 941,0 € a month
    assert taxe == 1471


@pytest.mark.skipif(
    importlib.util.find_spec("openfisca_france") is None,
    reason="OpenFisca-France absent (pip install -e '.[paie]')",
)
@pytest.mark.parametrize(("jour", "option", "brut", "cout", "taxe"), POINTS)
def test_le_bareme_livre_est_celui_du_moteur_installe(
    jour: str, option: str, brut: str, cout: str, taxe: str
) -> None:
    from scripts.generer_cout_employeur import PARTS, _systeme_cache, points_calculer

    (calcule,) = points_calculer(_systeme_cache(), jour, PARTS[option], [Decimal(brut)])
    assert calcule[1] == pytest.approx(float(cout), abs=0.02)
    assert calcule[2] == pytest.approx(float(taxe), abs=0.02)


def _cout_cinq_ans(option: str, part: Decimal, debuts: list[dt.date], salaire: Decimal) -> int:
    return sum(
        sum(
            cout_annee_calculer(
                parametres=parametres_obtenir(),
                jour=d,
                option=option,
                brut_mensuel_paye=salaire * part,
            )
        )
        for d in debuts
    )


@pytest.mark.parametrize("graine", range(3))
def test_le_salaire_d_equilibre_est_l_euro_ou_le_cout_rejoint_l_aide(graine: int) -> None:
    """The break-even salary, rounded half up to the euro: half a euro below it the five
    years cost no more than the aid, half a euro above they cost more (a search over
    whole euros, checked here against the cost itself)."""
    import random

    from rules.core.cost import SALAIRE_MAX, _equilibre
    from rules.core.dates import annees_ajouter

    hasard = random.Random(graine)
    for _ in range(40):
        option = hasard.choice(["tiers_temps", "mi_temps", "temps_plein"])
        part = Decimal(hasard.choice(["0.33", "0.5", "1"]))
        signature = dt.date(2019, 9, 1) + dt.timedelta(days=hasard.randrange(2600))
        debuts = [annees_ajouter(signature, k) for k in range(5)]
        aide = hasard.randint(20_000, 200_000)
        n = _equilibre(parametres_obtenir(), option, part, debuts, aide)
        demi = Decimal("0.5")
        assert n == 0 or _cout_cinq_ans(option, part, debuts, n - demi) <= aide
        assert n == SALAIRE_MAX or _cout_cinq_ans(option, part, debuts, n + demi) > aide
