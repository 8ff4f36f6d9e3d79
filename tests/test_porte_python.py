"""The Python door of docs/contrat.md (``rules.simulate``), with the reference data in the
database."""

from __future__ import annotations

import pytest

import rules
from rules.core.situation import SituationInvalide
from tests.core.test_situation import BASE


def test_simulate_accepte_un_dict_et_rend_le_contrat() -> None:
    resultat = rules.simulate({**BASE, "date_signature": "2025-01-06"})
    document = resultat.model_dump(mode="json")
    assert document["regime"]["code"] == "convention_2024"
    assert document["eligibilite"]["statut"] in {"eligible", "non_eligible", "a_confirmer"}
    assert {"code", "statut", "message", "source"} <= set(document["eligibilite"]["conditions"][0])
    assert [a["annee"] for a in document["aide"]["annees"]] == [1, 2, 3, 4, 5]
    assert document["aide"]["total_5_ans"] == sum(a["montant"] for a in document["aide"]["annees"])
    assert {"libelle", "valeur", "parametre", "source"} <= set(document["trace"][0])


def test_suivi_refuse_les_annees_1_et_2() -> None:
    from rules.services import suivi_executer

    with pytest.raises(SituationInvalide) as exc:
        suivi_executer(
            {**BASE, "date_signature": "2025-01-06"},
            {"annee": 2, "patientele_mt_atteinte": 1, "file_active_atteinte": 1},
        )
    assert "années 3 à 5" in exc.value.erreurs["annee"][0]


def test_sans_options_la_piste_et_le_renouvellement_ne_sont_pas_calcules_le_reste_identique() -> (
    None
):
    """The way out and the renewal are computed when asked (result page, API); every
    other figure and word is the same with or without them (seeded random situations)."""
    from bench.comparer_json import ecarts, situations_tirer

    vus = {"piste": 0, "renouvellement": 0}
    for situation in situations_tirer(150, graine=7):
        try:
            complet = rules.simulate(situation, piste=True, renouvellement=True)
        except SituationInvalide:
            continue
        simple = rules.simulate(situation).model_dump(mode="json")
        assert simple["piste"] is None and simple["renouvellement"] is None
        document = complet.model_dump(mode="json")
        vus["piste"] += document["piste"] is not None
        vus["renouvellement"] += document["renouvellement"] is not None
        document.update(piste=None, renouvellement=None)
        assert not ecarts(document, simple), ecarts(document, simple)
    assert vus["piste"] > 10 and vus["renouvellement"] > 10, vus


def test_la_piste_nomme_l_option_avec_ses_sigles() -> None:
    """« avec l’option mi-temps (1/2 etp) »: the label was lower-cased whole, acronym too."""
    from tests.cas import SITUATION_AUJOURDHUI

    res = rules.simulate({**SITUATION_AUJOURDHUI, "option": "tiers_temps"}, piste=True)
    assert res.piste is not None
    assert "avec l’option mi-temps (1/2 ETP)" in res.piste.changements
