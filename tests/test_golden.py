"""Golden cases: the brochures' worked examples and every threshold edge, through the real core."""

from __future__ import annotations

import datetime as dt

import pytest

import rules
from rules.core.situation import SituationInvalide
from rules.models import Percentiles
from rules.services import suivi_executer
from tests.golden_runner import Cas, cas_charger, cout_document, ecarts

CAS = cas_charger()


@pytest.mark.parametrize("cas", CAS, ids=[c.ident for c in CAS])
def test_cas_de_reference(cas: Cas) -> None:
    for ligne in cas.percentiles:
        Percentiles.objects.create(
            specialite_id=ligne["specialite"],
            indicateur=ligne["indicateur"],
            date_donnees=dt.date.fromisoformat(str(ligne["date_donnees"])),
            **{p: ligne.get(p) for p in ("p30", "p50", "p70", "p90", "p95")},
            source="Percentiles fictifs du cas de test (la CNAM ne les publie pas)",
        )
    if cas.erreur is not None:
        with pytest.raises(SituationInvalide) as exc:
            if cas.suivi is not None:
                suivi_executer(cas.situation, cas.suivi)
            else:
                rules.simulate(cas.situation)
        for champ, mots in cas.erreur.items():
            assert champ in exc.value.erreurs, exc.value.erreurs
            assert mots in " ".join(exc.value.erreurs[champ]), exc.value.erreurs[champ]
        return
    if cas.suivi is not None:
        resultat, suivi = suivi_executer(cas.situation, cas.suivi)
        document = {**resultat.model_dump(mode="json"), "suivi": suivi.model_dump(mode="json")}
    else:
        resultat = rules.simulate(cas.situation, piste=True, renouvellement=True)
        document = resultat.model_dump(mode="json")
    if cas.cout is not None:
        document["cout"] = cout_document(resultat, cas.cout)
    assert not ecarts(document, cas.attendu), "\n".join(ecarts(document, cas.attendu))


def test_chaque_cas_a_un_nom_unique() -> None:
    noms = [c.ident for c in CAS]
    assert len(noms) == len(set(noms))
