"""A signing date ahead: up to 18 months with a word that today's rules are used; beyond,
refused with a French message naming the field, on every door."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from rules.core.situation import date_signature_max
from tests.cas import CAS_1

LOINTAINE = {**CAS_1, "date_signature": "2090-01-01"}
MESSAGE = "Date de signature du contrat trop lointaine"


def _dans(mois: int) -> str:
    jour = dt.date.today() + dt.timedelta(days=30 * mois)
    return min(jour, date_signature_max()).isoformat()


def test_api_refuse_une_date_trop_lointaine_en_nommant_le_champ() -> None:
    reponse = Client().post("/api/simulation", LOINTAINE, content_type="application/json")
    assert reponse.status_code == 400
    assert MESSAGE in " ".join(reponse.json()["erreurs"]["date_signature"])


def test_api_accepte_une_date_dans_un_an_avec_un_avertissement() -> None:
    reponse = Client().post(
        "/api/simulation", {**CAS_1, "date_signature": _dans(12)}, content_type="application/json"
    )
    assert reponse.status_code == 200
    avertissements = " ".join(reponse.json()["avertissements"])
    assert "applique les règles en vigueur aujourd’hui" in avertissements


def test_adresse_de_resultat_refuse_une_date_trop_lointaine() -> None:
    reponse = Client().get("/resultat", LOINTAINE)
    assert reponse.status_code == 400
    assert MESSAGE in reponse.content.decode()


def test_formulaire_refuse_une_date_trop_lointaine() -> None:
    from simulator.forms import ContratForm
    from simulator.parcours import Contexte

    form = ContratForm(
        {"date_signature": "2090-01-01", "option": "mi_temps"},
        contexte=Contexte({"specialite": "01"}),
    )
    assert not form.is_valid()
    assert MESSAGE in " ".join(str(e) for e in form.errors["date_signature"])


def test_ligne_de_commande_code_2_et_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fichier = tmp_path / "entree.json"
    fichier.write_text(json.dumps(LOINTAINE), encoding="utf-8")
    with pytest.raises(SystemExit) as sortie:
        call_command("simulate", str(fichier), stdout=io.StringIO())
    assert sortie.value.code == 2
    assert MESSAGE in capsys.readouterr().err


def test_lot_csv_nomme_la_ligne_et_le_champ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cles = list(LOINTAINE)
    fichier = tmp_path / "lot.csv"
    fichier.write_text(
        ",".join(cles) + "\n" + ",".join(str(LOINTAINE[c]) for c in cles) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as sortie:
        call_command("simulate", "--csv", str(fichier), stdout=io.StringIO())
    assert sortie.value.code == 2
    erreur = capsys.readouterr().err
    assert "Ligne 2" in erreur and MESSAGE in erreur
