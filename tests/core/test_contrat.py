"""docs/contrat.md says what a simulation takes and gives: every key it documents is read
by ``Situation`` and found in the JSON of a real simulation, and every key the models
hold is documented (the pure core, the facts read from the shipped files)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rules.core.parameters import parametres_obtenir
from rules.core.result import Resultat
from rules.core.simulation import simulation_calculer
from rules.core.situation import Situation, situation_valider
from tests.cas import CAS_1
from tests.core.faits_fichiers import faits_construire

CONTRAT = Path(__file__).resolve().parents[2] / "docs" / "contrat.md"


def _sections() -> dict[str, list[tuple[list[str], str]]]:
    """Each ``## `` section → its table rows: (the keys of the first cell, the meaning)."""
    sections: dict[str, list[tuple[list[str], str]]] = {}
    titre = ""
    for ligne in CONTRAT.read_text(encoding="utf-8").splitlines():
        if ligne.startswith("## "):
            titre = ligne[3:].strip()
            sections[titre] = []
        elif ligne.startswith("| `") and titre:
            cellules = [c.strip() for c in ligne.strip("|").split("|")]
            sections[titre].append((re.findall(r"`([^`]+)`", cellules[0]), cellules[-1]))
    return sections


def _section(debut: str) -> list[tuple[list[str], str]]:
    trouvees = [lignes for titre, lignes in _sections().items() if titre.startswith(debut)]
    assert trouvees, f"section « {debut} » absente de docs/contrat.md"
    return trouvees[0]


def _resultat_json(**changements: Any) -> dict[str, Any]:
    situation = situation_valider({**CAS_1, "commune": "45234", **changements})
    faits = faits_construire(
        specialite=situation.specialite, commune=situation.commune, percentiles_en_plus=[]
    )
    resultat = simulation_calculer(
        situation=situation, faits=faits, parametres=parametres_obtenir()
    )
    return resultat.model_dump(mode="json")


def _suivre(donnees: Any, chemin: str) -> Any:
    for cle in chemin.split("."):
        if isinstance(donnees, list):
            assert donnees, f"{chemin} : liste vide, rien à vérifier"
            donnees = donnees[0]
        assert isinstance(donnees, dict) and cle in donnees, f"« {chemin} » absent du résultat"
        donnees = donnees[cle]
    return donnees


def _champs_entre_accolades(sens: str) -> list[str]:
    """`{code, statut: "ok"…, message}` → ["code", "statut", "message"]."""
    champs: list[str] = []
    for groupe in re.findall(r"\{([^}]*)\}", sens):
        for morceau in groupe.split(","):
            nom = morceau.split(":")[0].strip()
            if re.fullmatch(r"[a-z_0-9]+", nom):
                champs.append(nom)
    return champs


def test_chaque_cle_d_entree_documentee_est_lue_par_la_situation() -> None:
    # Only the first cell of a row holds keys; the values ("1", "zip"…) are in the others.
    documentees = {cle for cles, _ in _section("Situation") for cle in cles}
    assert documentees <= set(Situation.model_fields), documentees - set(Situation.model_fields)


def test_chaque_champ_de_la_situation_est_documente() -> None:
    documentees = {cle for cles, _ in _section("Situation") for cle in cles}
    assert set(Situation.model_fields) <= documentees, set(Situation.model_fields) - documentees


def contrat_verifier(resultat: dict[str, Any]) -> None:
    """Every output key docs/contrat.md documents, and the fields it lists in braces, are
    in ``resultat`` (a result's JSON, from any door)."""
    for cles, sens in _section("Résultat"):
        for cle in cles:
            valeur = _suivre(resultat, cle)
            if valeur is None:
                continue
            for champ in _champs_entre_accolades(sens):
                element = valeur[0] if isinstance(valeur, list) else valeur
                assert champ in element, f"« {cle} » : champ « {champ} » absent"


@pytest.mark.parametrize(
    "changements",
    [{}, {"secteur": "2"}],
    ids=["eligible", "non_eligible"],
)
def test_chaque_cle_de_sortie_documentee_est_dans_le_json(changements: dict[str, Any]) -> None:
    contrat_verifier(_resultat_json(**changements))


def test_chaque_cle_du_resultat_est_documentee() -> None:
    documentees = {cle.split(".")[0] for cles, _ in _section("Résultat") for cle in cles}
    assert set(Resultat.model_fields) <= documentees, set(Resultat.model_fields) - documentees


def test_les_valeurs_documentees_des_listes_fermees_sont_acceptees() -> None:
    """`secteur`, `zone`, `option`… : each value the table lists is one the model takes."""
    lignes = CONTRAT.read_text(encoding="utf-8").splitlines()
    for ligne in lignes:
        cellules = [c.strip() for c in ligne.strip("|").split("|")]
        if len(cellules) != 3 or not cellules[0].startswith("`"):
            continue
        cle = cellules[0].strip("`")
        valeurs = re.findall(r'`"([^"]+)"`', cellules[1])
        if cle not in Situation.model_fields or not valeurs:
            continue
        for valeur in valeurs:
            situation_valider({**CAS_1, cle: valeur})
