"""Reference data: loaded by load_reference into a fresh database, the same as the data
migrations loaded before; idempotent; what administrators changed stays."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from rules import models
from rules.reference_data import REMARQUE_ORL_2019, ZONAGE_SOURCE, texte_normaliser

MODELES = (
    models.Region,
    models.Departement,
    models.Commune,
    models.AncienCodeCommune,
    models.Specialite,
    models.RegleSpecialite,
    models.Percentiles,
    models.SpecialiteDepartement2019,
    models.ZonageMillesime,
)
HISTORISES = (
    models.Commune,
    models.Specialite,
    models.RegleSpecialite,
    models.Percentiles,
    models.SpecialiteDepartement2019,
    models.ZonageMillesime,
)


def compter() -> dict[str, int]:
    compte = {m.__name__: m.objects.count() for m in MODELES}
    compte |= {f"historique {m.__name__}": m.history.count() for m in HISTORISES}
    return compte


def charger() -> str:
    sortie = io.StringIO()
    call_command("load_reference", stdout=sortie)
    return sortie.getvalue()


def test_base_neuve_chargee_comme_par_les_anciennes_migrations() -> None:
    """The test database is a fresh one after migrate + load_reference: the rows counted
    are those the data migrations 0002, 0004 and 0006 loaded before, one first history
    record each."""
    assert compter() == {
        "Region": 21,
        "Departement": 104,
        "Commune": 34_924,  # metro + DROM + SPM, St-Barthélemy, St-Martin, arrondissements
        "AncienCodeCommune": 4_240,
        "Specialite": 86,
        "RegleSpecialite": 162,  # three regimes for each of the 54 medical specialties
        "Percentiles": 4,
        "SpecialiteDepartement2019": 29,  # 27 of 0002, the 2 ENT rows 0008 adds
        "ZonageMillesime": 34_912,  # every commune the zonage file lists
        "historique Commune": 34_924,
        "historique Specialite": 86,
        "historique RegleSpecialite": 162,
        "historique Percentiles": 4,
        "historique SpecialiteDepartement2019": 29,
        "historique ZonageMillesime": 34_912,
    }
    assert not models.Departement.objects.filter(code__in=["987", "988"]).exists()
    orleans = models.Commune.objects.get(code_insee="45234")
    assert (orleans.nom, orleans.zonage, orleans.departement.nom) == ("Orléans", "ZAC", "Loiret")
    assert orleans.nom_recherche == "orleans"
    millesime = models.ZonageMillesime.objects.get(commune_id="45234")
    assert (millesime.zonage, millesime.date, millesime.source) == (
        "ZAC",
        dt.date(2025, 5, 9),
        ZONAGE_SOURCE,
    )
    assert models.AncienCodeCommune.objects.get(code_insee="01003").commune_id == "01165"
    assert models.Specialite.objects.get(code="22").percentiles_de_id == "01"
    orl = models.RegleSpecialite.objects.get(specialite_id="11", regime="avenant_7")
    assert (orl.classe, orl.remarque) == ("a_confirmer", REMARQUE_ORL_2019)
    p95 = models.Percentiles.objects.get(
        specialite_id="01", indicateur="mt", date_donnees=dt.date(2023, 12, 31)
    )
    assert (p95.p30, p95.p50, p95.p95) == (775, 1045, 2187)
    assert "fiche URPS 2023, « cas particuliers »" in p95.source
    premier = models.Commune.history.get(code_insee="45234")
    assert (premier.history_type, premier.history_change_reason) == ("+", "Chargement initial")


def test_second_chargement_ne_change_rien() -> None:
    avant = compter()
    assert charger() == "Données de référence déjà à jour : rien à ajouter.\n"
    assert compter() == avant


def test_seul_ce_qui_manque_est_charge_et_les_modifications_restent() -> None:
    models.AncienCodeCommune.objects.filter(code_insee="01003").delete()
    models.Specialite.objects.filter(code="03").update(libelle="Cardiologie (revu)")
    models.ZonageMillesime.objects.filter(commune_id="45234").update(zonage="ZIP")
    sortie = charger()
    assert sortie == "Données de référence ajoutées :\n  1 anciens codes de commune\n"
    assert models.AncienCodeCommune.objects.get(code_insee="01003").commune_id == "01165"
    assert models.Specialite.objects.get(code="03").libelle == "Cardiologie (revu)"
    assert models.Commune.objects.get(code_insee="45234").zonage == "ZIP"


def test_une_ligne_supprimee_par_un_administrateur_n_est_pas_rechargee() -> None:
    """A deletion is recorded in history: the file's row is not brought back."""
    ligne = models.Percentiles.objects.get(
        specialite_id="01", indicateur="file_active", date_donnees=dt.date(2019, 1, 1)
    )
    ligne.delete()
    avant = compter()
    assert "rien à ajouter" in charger()
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
    charger()
    assert models.Percentiles.objects.filter(specialite_id="03").count() == 1


def test_normalisation_des_noms() -> None:
    assert texte_normaliser("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert texte_normaliser("L'Haÿ-les-Roses") == "l hay les roses"
