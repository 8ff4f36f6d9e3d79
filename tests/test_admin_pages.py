"""Every admin list and form opens (filters, search, history), for staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

MODELES = [
    "commune",
    "specialite",
    "reglespecialite",
    "percentiles",
    "specialitedepartement2019",
    "departement",
    "region",
    "zonagemillesime",
    "importapplique",
]


@pytest.mark.parametrize("modele", MODELES)
def test_listes_et_recherche(admin_client: Client, modele: str) -> None:
    url = reverse(f"admin:rules_{modele}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "or"}).status_code == 200


def test_filtres_des_communes(admin_client: Client) -> None:
    url = reverse("admin:rules_commune_changelist")
    page = admin_client.get(url, {"region": "24", "zonage": "ZIP"}).content.decode()
    assert "Importer un fichier" in page

    # The filters really filter: Vierzon (Centre-Val de Loire, ZIP) in, Orléans (ZAC) out,
    # Saint-Denis (another région) out.
    def trouvees(q: str) -> str:
        return admin_client.get(url, {"region": "24", "zonage": "ZIP", "q": q}).content.decode()

    assert ">18279<" in trouvees("Vierzon")
    assert ">45234<" not in trouvees("Orléans")
    assert ">93066<" not in trouvees("Saint-Denis")


def test_formulaires_et_historique(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:rules_percentiles_add")).status_code == 200
    assert (
        admin_client.get(reverse("admin:rules_specialite_change", args=["01"])).status_code == 200
    )
    assert (
        admin_client.get(reverse("admin:rules_specialite_history", args=["01"])).status_code == 200
    )
    assert admin_client.get(reverse("admin:rules_percentiles_importer")).status_code == 200
