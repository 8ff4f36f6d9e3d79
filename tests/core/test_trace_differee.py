"""The trace is kept as data during the calculation and worded when first read: every
way of reading it gives the same steps, in the same order."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

from rules.core.parameters import parametres_obtenir
from rules.core.result import Resultat, TraceDifferee
from rules.core.simulation import simulation_calculer
from rules.core.situation import situation_valider
from tests.core.faits_fichiers import faits_construire

SITUATION = {
    "date_signature": "2020-03-01",
    "specialite": "01",
    "secteur": "1",
    "commune": "18279",
    "patientele_mt": 1100,
    "file_active": 1500,
    "option": "temps_plein",
    "exercice": "groupe",
    "exercice_coordonne": True,
}


def _calculer() -> Resultat:
    situation = situation_valider(SITUATION)
    faits = faits_construire(
        specialite=situation.specialite, commune=situation.commune, percentiles_en_plus=[]
    )
    return simulation_calculer(situation=situation, faits=faits, parametres=parametres_obtenir())


def test_la_trace_se_redige_a_la_lecture_et_toute_lecture_donne_les_memes_etapes() -> None:
    reference = [e.libelle for e in _calculer().trace]
    assert reference[0] == "Régime applicable"
    assert "Total sur 5 ans" in reference and len(reference) > 10
    lectures: dict[str, Callable[[TraceDifferee], object]] = {
        "len": lambda t: len(t),
        "indice": lambda t: t[0].libelle,
        "liste": lambda t: [e.libelle for e in list(t)],
        "dump": lambda t: None,
        "pickle": lambda t: [e.libelle for e in pickle.loads(pickle.dumps(t))],
        "egalite": lambda t: t == t[:],
    }
    attendu: dict[str, object] = {
        "len": len(reference),
        "indice": reference[0],
        "liste": reference,
        "dump": None,
        "pickle": reference,
        "egalite": True,
    }
    for nom, lire in lectures.items():
        resultat = _calculer()
        trace = resultat.trace
        assert isinstance(trace, TraceDifferee)
        assert lire(trace) == attendu[nom], nom
        if nom == "dump":
            document = json.loads(resultat.model_dump_json())
            assert [e["libelle"] for e in document["trace"]] == reference
