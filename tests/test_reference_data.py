"""Reference data: loaded by the migration, idempotent on reload, old codes resolved."""

from __future__ import annotations

import io

from django.core.management import call_command

from rules import models
from rules.reference_data import texte_normaliser


def compter() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (
            models.Region,
            models.Departement,
            models.Commune,
            models.AncienCodeCommune,
            models.Specialite,
            models.RegleSpecialite,
            models.Percentiles,
            models.SpecialiteDepartement2019,
        )
    }


def test_donnees_chargees_par_la_migration() -> None:
    n = compter()
    assert (
        n["Commune"] > 34_900
    )  # metro + DROM + SPM, St-Barthélemy, St-Martin, with arrondissements
    assert n["Specialite"] == 86
    assert n["RegleSpecialite"] == 3 * models.Specialite.objects.filter(famille="medecin").count()
    assert not models.Departement.objects.filter(code__in=["987", "988"]).exists()
    orleans = models.Commune.objects.get(code_insee="45234")
    assert (orleans.zonage, orleans.departement.nom) == ("ZAC", "Loiret")
    assert orleans.nom_recherche == "orleans"
    assert models.Specialite.objects.get(code="22").percentiles_de_id == "01"


def test_rechargement_idempotent() -> None:
    avant = compter()
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_reference_data", stdout=io.StringIO())
    assert compter() == avant


def test_rechargement_garde_les_lignes_ajoutees() -> None:
    models.Percentiles.objects.create(
        specialite_id="03",
        indicateur="file_active",
        date_donnees="2024-06-30",
        p50=2000,
        p95=4000,
        source="saisie admin",
    )
    call_command("load_reference_data", stdout=io.StringIO())
    assert models.Percentiles.objects.filter(specialite_id="03").count() == 1


def test_normalisation_des_noms() -> None:
    assert texte_normaliser("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert texte_normaliser("L'Haÿ-les-Roses") == "l hay les roses"
