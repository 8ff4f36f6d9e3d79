"""The regime parameters: every value dated and sourced, validated at load."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from rules.core.parameters import PARAMETERS_DIR, ParametresInvalides, parametres_charger


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    copie = tmp_path / "parametres"
    shutil.copytree(PARAMETERS_DIR, copie)
    return copie


def remplacer(fichier: Path, avant: str, apres: str) -> None:
    texte = fichier.read_text(encoding="utf-8")
    assert avant in texte, avant
    fichier.write_text(texte.replace(avant, apres, 1), encoding="utf-8")


def test_les_fichiers_livres_sont_valides_et_tous_sources() -> None:
    parametres = parametres_charger()
    for nom, parametre in parametres.tous():
        assert parametre.nom == nom
        for valeur in parametre.valeurs.values():
            assert valeur.source in parametres.sources


def test_valeur_sans_source_refusee(dossier: Path) -> None:
    remplacer(
        dossier / "montants.yaml",
        "{valeur: 12000, source: seed_000, confiance: seed, texte: avenant_7,",
        "{valeur: 12000, confiance: seed, texte: avenant_7,",
    )
    with pytest.raises(
        ParametresInvalides, match=r"montants\.tiers_temps\.annee_1.*source.*manquante"
    ):
        parametres_charger(dossier=dossier)


def test_texte_inconnu_refuse(dossier: Path) -> None:
    remplacer(dossier / "montants.yaml", "texte: convention_2024", "texte: convention_2031")
    with pytest.raises(ParametresInvalides, match=r"convention_2031.*inconnue"):
        parametres_charger(dossier=dossier)


def test_chaque_valeur_cite_son_texte_officiel() -> None:
    """Where a figure was read (a seed, secondary sources) and the legal text it comes from."""
    parametres = parametres_charger()
    textes = {
        "avenant_7",
        "avenant_8",
        "reglement_arbitral_2023",
        "convention_2024",
        "idcc_1147",
        "decrets_smic",
    }
    for nom, parametre in parametres.tous():
        for depuis, valeur in parametre.valeurs.items():
            assert valeur.texte in textes, f"{nom} au {depuis} : texte officiel manquant"
    p95 = parametres.objectifs_2023.plafond_part_fixe_mt_temps_plein.valeurs
    assert next(iter(p95.values())).source == "seed_001"


def test_chaque_valeur_dit_ou_la_lire() -> None:
    """Like OpenFisca's ``metadata.reference``: the article, Journal officiel date or the
    brochure's rubric or example, so a reader can check the figure himself."""
    parametres = parametres_charger()
    reperes = ("art.", "JO du", "rubrique", "tableau", "cas ", "IDCC", "Estimation")
    for nom, parametre in parametres.tous():
        for depuis, valeur in parametre.valeurs.items():
            reference = valeur.reference or ""
            assert any(r in reference for r in reperes), f"{nom} au {depuis} : « {reference} »"
    for cle, source in parametres.sources.items():
        assert source.reference.strip(), cle


def test_source_inconnue_refusee(dossier: Path) -> None:
    remplacer(dossier / "montants.yaml", "source: seed_003", "source: brochure_imaginaire")
    with pytest.raises(ParametresInvalides, match=r"brochure_imaginaire.*inconnue"):
        parametres_charger(dossier=dossier)


def test_dates_en_double_refusees(dossier: Path) -> None:
    remplacer(
        dossier / "montants.yaml",
        "        2024-06-22: {valeur: 12600",
        "        2019-08-21: {valeur: 12600",
    )
    with pytest.raises(ParametresInvalides, match="en double"):
        parametres_charger(dossier=dossier)


def test_dates_dans_le_desordre_refusees(dossier: Path) -> None:
    remplacer(
        dossier / "montants.yaml",
        "        2024-06-22: {valeur: 12600",
        "        2018-06-22: {valeur: 12600",
    )
    with pytest.raises(ParametresInvalides, match="ordre croissant"):
        parametres_charger(dossier=dossier)


def test_cle_inconnue_refusee(dossier: Path) -> None:
    remplacer(dossier / "montants.yaml", "    annee_2:", "    annee_deux:")
    with pytest.raises(ParametresInvalides) as exc:
        parametres_charger(dossier=dossier)
    assert "annee_deux : clé inconnue" in str(exc.value)
    assert "annee_2 : clé manquante" in str(exc.value)


def test_regimes_qui_se_chevauchent_refuses(dossier: Path) -> None:
    remplacer(dossier / "regimes.yaml", "debut: 2023-05-01", "debut: 2023-04-15")
    with pytest.raises(ParametresInvalides, match="se chevauchent"):
        parametres_charger(dossier=dossier)


def test_periode_non_couverte_refusee(dossier: Path) -> None:
    remplacer(dossier / "regimes.yaml", "debut: 2024-06-22", "debut: 2024-07-01")
    with pytest.raises(ParametresInvalides, match="non couverte"):
        parametres_charger(dossier=dossier)


def test_valeur_non_numerique_refusee(dossier: Path) -> None:
    remplacer(dossier / "montants.yaml", "valeur: 9000,", "valeur: neuf mille,")
    with pytest.raises(ParametresInvalides, match=r"montants\.tiers_temps\.annee_2"):
        parametres_charger(dossier=dossier)


def test_valeur_datee_et_fin_de_parametre() -> None:
    p = parametres_charger()
    montant = p.montants["mi_temps"].annee_1
    assert montant.a_la_date(dt.date(2024, 6, 21)).valeur == Decimal(18000)
    assert montant.a_la_date(dt.date(2024, 6, 22)).valeur == Decimal(19000)
    with pytest.raises(LookupError):
        montant.a_la_date(dt.date(2019, 8, 20))
    # A null value ends a parameter: the under-16 derogation stops in 2023.
    derogation = p.conditions.moins_16_ans_part_min
    assert derogation.en_vigueur(dt.date(2023, 4, 30)) is not None
    assert derogation.en_vigueur(dt.date(2023, 5, 1)) is None


def test_taux_decimaux_exacts() -> None:
    taux = parametres_charger().objectifs_avenant_7.taux["tiers_temps"].p70_p90
    assert taux.a_la_date(dt.date(2020, 1, 1)).valeur == Decimal("0.075")


def test_regime_par_date() -> None:
    p = parametres_charger()
    assert p.regime_a_la_date(dt.date(2019, 8, 20)) is None
    assert p.regime_a_la_date(dt.date(2019, 8, 21)).code == "avenant_7"  # type: ignore[union-attr]
    assert p.regime_a_la_date(dt.date(2030, 1, 1)).code == "convention_2024"  # type: ignore[union-attr]


def test_demarrage_arrete_si_parametres_invalides(
    dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    from rules.core import parameters

    remplacer(dossier / "regimes.yaml", "debut: 2024-06-22", "debut: 2024-07-01")
    parameters.parametres_obtenir.cache_clear()
    monkeypatch.setattr(
        parameters, "parametres_charger", lambda: parametres_charger(dossier=dossier)
    )
    try:
        with pytest.raises(ImproperlyConfigured, match="non couverte"):
            apps.get_app_config("rules").ready()
    finally:
        parameters.parametres_obtenir.cache_clear()
