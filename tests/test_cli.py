"""``python manage.py simulate``: JSON object, JSON list, CSV batch, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.cas import CAS_1


def simuler(tmp_path: Path, contenu: str, *options: str) -> str:
    fichier = tmp_path / "entree"
    fichier.write_text(contenu, encoding="utf-8")
    sortie = io.StringIO()
    call_command("simulate", str(fichier), *options, stdout=sortie)
    return sortie.getvalue()


def test_un_objet_json(tmp_path: Path) -> None:
    resultat = json.loads(simuler(tmp_path, json.dumps(CAS_1)))
    assert resultat["regime"]["code"] == "reglement_arbitral_2023"
    assert resultat["objectifs"]["patientele_mt"]["hausse"] == 195
    assert len(resultat["aide"]["annees"]) == 5
    assert resultat["trace"][0]["libelle"] == "Régime applicable"


def test_une_liste_json(tmp_path: Path) -> None:
    autre = {**CAS_1, "option": "temps_plein"}
    resultats = json.loads(simuler(tmp_path, json.dumps([CAS_1, autre])))
    assert [r["objectifs"]["file_active"]["hausse"] for r in resultats] == [311, 467]


def test_entree_standard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(CAS_1)))
    sortie = io.StringIO()
    call_command("simulate", "-", stdout=sortie)
    assert json.loads(sortie.getvalue())["aide"]["annees"][0]["montant"] == 18000


def test_lot_csv_avec_colonnes_en_plus(tmp_path: Path) -> None:
    entree = (
        "identifiant;specialite;secteur;patientele_mt;file_active;option;date_signature\n"
        "dr-1;01;1;920;1350;mi_temps;2023-09-01\n"
        "dr-2;01;1;1351;1902;temps_plein;2023-09-01\n"
    )
    lignes = list(csv.DictReader(io.StringIO(simuler(tmp_path, entree, "--csv"))))
    assert [ligne["identifiant"] for ligne in lignes] == ["dr-1", "dr-2"]
    assert [ligne["objectif_mt_hausse"] for ligne in lignes] == ["195", "258"]
    assert lignes[1]["objectif_file_active_hausse"] == "360"
    assert lignes[0]["aide_annee_1"] == "18000"
    assert lignes[0]["eligibilite"] == "eligible"


def lancer_en_erreur(
    tmp_path: Path, contenu: str, capsys: pytest.CaptureFixture[str], *options: str
) -> str:
    with pytest.raises(SystemExit) as exc:
        simuler(tmp_path, contenu, *options)
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_champ_invalide_code_2_et_message_francais(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = lancer_en_erreur(tmp_path, json.dumps({**CAS_1, "patientele_mt": "beaucoup"}), capsys)
    assert "patientele_mt" in err
    assert "nombre entier" in err


def test_json_invalide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = lancer_en_erreur(tmp_path, "{pas du json", capsys)
    assert "JSON invalide" in err


def test_liste_avec_une_situation_invalide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = lancer_en_erreur(tmp_path, json.dumps([CAS_1, {**CAS_1, "file_active": -3}]), capsys)
    assert "Situation n° 2 : file_active" in err


def test_csv_ligne_invalide_nommee(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entree = "specialite,secteur,patientele_mt,file_active,option\n01,1,920,1350,mi_temps\n01,9,920,1350,mi_temps\n"
    err = lancer_en_erreur(tmp_path, entree, capsys, "--csv")
    assert "Ligne 3 : secteur" in err


def test_fichier_absent(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("simulate", "/nexiste/pas.json")
    assert exc.value.code == 2
    assert "Fichier illisible" in capsys.readouterr().err


def test_lot_en_parallele_identique_et_dans_l_ordre() -> None:
    from simulator.batch import colonnes_sortie, lot_calculer

    lignes = [
        {
            **{k: str(v) for k, v in CAS_1.items()},
            "identifiant": f"dr-{i}",
            "patientele_mt": str(800 + 37 * i),
            "file_active": str(1200 + 53 * i),
            "commune": ["45234", "18279", "75109"][i % 3],
        }
        for i in range(23)
    ]
    lignes[5]["secteur"] = "9"
    lignes[17]["commune"] = "99999"

    def calculer(**options: int) -> tuple[str, list[tuple[int, dict[str, list[str]]]]]:
        tranches = list(lot_calculer(lignes, extra=["identifiant"], **options))
        return "".join(t.texte for t in tranches), [e for t in tranches for e in t.erreurs]

    seul = calculer(processus=1)
    parallele = calculer(processus=2, tranche=4)
    assert parallele == seul
    sorties = list(
        csv.DictReader(io.StringIO(parallele[0]), fieldnames=colonnes_sortie(["identifiant"]))
    )
    assert [ligne["identifiant"] for ligne in sorties] == [f"dr-{i}" for i in range(23)]
    assert [index for index, _ in parallele[1]] == [5, 17]
    assert "Commune inconnue" in parallele[1][1][1]["commune"][0]


def test_lot_csv_sur_l_entree_standard_en_windows_1252_et_par_tranches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CLI streams the file (encoding found block by block, stdin spooled to disk)
    and computes it chunk by chunk on every core: same rows, same order."""
    from simulator import batch

    monkeypatch.setattr(batch, "TRANCHE_LIGNES", 3)
    lignes = [
        f"Médecin {i};01;1;{800 + 37 * i};{1200 + 53 * i};mi_temps;2023-09-01\r\n"
        for i in range(10)
    ]
    brut = "nom;specialite;secteur;patientele_mt;file_active;option;date_signature\r\n"
    brut += "".join(lignes)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(brut.encode("cp1252"))))
    sortie = io.StringIO()
    call_command("simulate", "-", "--csv", "--processus", "2", stdout=sortie)
    resultats = list(csv.DictReader(io.StringIO(sortie.getvalue())))
    assert [r["nom"] for r in resultats] == [f"Médecin {i}" for i in range(10)]
    assert [r["objectif_mt_initiale"] for r in resultats] == [str(800 + 37 * i) for i in range(10)]


def test_lot_csv_les_erreurs_comptees_dans_tout_le_fichier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator import batch

    monkeypatch.setattr(batch, "TRANCHE_LIGNES", 7)
    entree = "specialite,secteur,patientele_mt,file_active,option\n" + "".join(
        f"01,{'9' if i % 2 else '1'},920,1350,mi_temps\n" for i in range(60)
    )
    err = lancer_en_erreur(tmp_path, entree, capsys, "--csv", "--processus", "2")
    assert "Ligne 3 : secteur" in err
    assert "… et 10 autres erreurs." in err
    assert capsys.readouterr().out == ""


def test_liste_un_element_par_entree_dans_l_ordre(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entrees = [
        {**CAS_1, "date_signature": "2018-01-01"},  # refused inside the calculation
        CAS_1,
        {"x": 1},
    ]
    err = lancer_en_erreur(tmp_path, json.dumps(entrees), capsys)
    assert "Situation n° 1 : date_signature" in err and "Situation n° 3" in err


def test_liste_sortie_alignee_sur_les_entrees(tmp_path: Path) -> None:
    fichier = tmp_path / "entree"
    fichier.write_text(json.dumps([{**CAS_1, "file_active": -3}, CAS_1, {}]), encoding="utf-8")
    sortie = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("simulate", str(fichier), stdout=sortie)
    assert exc.value.code == 2
    documents = json.loads(sortie.getvalue())
    assert len(documents) == 3
    assert "file_active" in documents[0]["erreurs"]
    assert documents[1]["regime"]["code"] == "reglement_arbitral_2023"
    assert "specialite" in documents[2]["erreurs"]


@pytest.mark.parametrize(
    ("contenu", "mots"),
    [
        ("[" * 50_000, "imbrication trop profonde"),
        ('{"file_active": ' + "9" * 5001 + "}", "nombre démesuré"),
        (json.dumps({**CAS_1, "date_signature": "2018-01-01"}), "avant le 21/08/2019"),
        (json.dumps({**CAS_1, "patientele_mt": True}), "nombre entier"),
        ("42", "Une situation"),
    ],
    ids=["imbrication", "entier-geant", "date-avant-2019", "booleen", "pas-un-objet"],
)
def test_entrees_hostiles_code_2_sans_trace_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], contenu: str, mots: str
) -> None:
    err = lancer_en_erreur(tmp_path, contenu, capsys)
    assert mots in err
    assert "Traceback" not in err


def test_pediatre_sans_patientele_mt_n_est_pas_une_erreur(tmp_path: Path) -> None:
    resultat = json.loads(
        simuler(tmp_path, json.dumps({**CAS_1, "specialite": "12", "patientele_mt": None}))
    )
    assert resultat["objectifs"]["patientele_mt"] is None


def test_liste_trop_longue_renvoyee_vers_le_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.management.commands import simulate

    monkeypatch.setattr(simulate, "JSON_LISTE_MAX", 2)
    err = lancer_en_erreur(tmp_path, json.dumps([CAS_1] * 3), capsys)
    assert "--csv" in err


def test_la_ligne_de_commande_rend_le_meme_json_que_l_api(tmp_path: Path) -> None:
    """One document through every door: the renewal estimate too."""
    from django.test import Client

    cli = json.loads(simuler(tmp_path, json.dumps(CAS_1)))
    api = Client().post("/api/simulation", CAS_1, content_type="application/json").json()
    assert cli["renouvellement"] is not None
    assert cli["renouvellement"]["total_5_ans"] == 55_000  # 5 × 11 000 €, « pérenne »
    assert cli == api
