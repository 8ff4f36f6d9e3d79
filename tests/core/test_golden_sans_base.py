"""The golden cases through the pure core, the facts read from the shipped files."""

from __future__ import annotations

import pytest

from rules.core.followup import suivi_calculer
from rules.core.parameters import parametres_obtenir
from rules.core.simulation import simulation_calculer
from rules.core.situation import SituationInvalide, situation_valider
from tests.core.faits_fichiers import codes_connus, faits_construire
from tests.golden_runner import Cas, cas_charger, cout_document, ecarts

CAS = cas_charger()


@pytest.mark.parametrize("cas", CAS, ids=[c.ident for c in CAS])
def test_cas_de_reference_sans_base(cas: Cas) -> None:
    parametres = parametres_obtenir()
    brute = cas.situation
    if not codes_connus(
        specialite=str(brute.get("specialite", "01")), commune=brute.get("commune")
    ):
        pytest.skip("code inconnu des fichiers : la base le refuse (tests/test_golden.py)")

    def calculer() -> object:
        situation = situation_valider(cas.situation)
        faits = faits_construire(
            specialite=situation.specialite,
            commune=situation.commune,
            percentiles_en_plus=cas.percentiles,
        )
        return simulation_calculer(
            situation=situation,
            faits=faits,
            parametres=parametres,
            chercher_piste=True,
            avec_renouvellement=True,
        )

    if cas.erreur is not None:
        with pytest.raises(SituationInvalide) as exc:
            resultat = calculer()
            if cas.suivi is not None:
                suivi_calculer(resultat=resultat, saisie=cas.suivi, parametres=parametres)  # type: ignore[arg-type]
        for champ, mots in cas.erreur.items():
            assert mots in " ".join(exc.value.erreurs[champ]), exc.value.erreurs
        return
    resultat = calculer()
    document = resultat.model_dump(mode="json")  # type: ignore[attr-defined]
    if cas.suivi is not None:
        suivi = suivi_calculer(resultat=resultat, saisie=cas.suivi, parametres=parametres)  # type: ignore[arg-type]
        document["suivi"] = suivi.model_dump(mode="json")
    if cas.cout is not None:
        document["cout"] = cout_document(resultat, cas.cout)
    assert not ecarts(document, cas.attendu), "\n".join(ecarts(document, cas.attendu))


def test_chaque_condition_a_sa_regle_sur_la_page_des_sources() -> None:
    from rules.core.eligibility.rules_catalog import REGLES_ELIGIBILITE

    parametres = parametres_obtenir()
    codes = set()
    for cas in CAS:
        brute = cas.situation
        if cas.erreur or not codes_connus(
            specialite=str(brute.get("specialite", "01")), commune=brute.get("commune")
        ):
            continue
        situation = situation_valider(brute)
        faits = faits_construire(
            specialite=situation.specialite,
            commune=situation.commune,
            percentiles_en_plus=cas.percentiles,
        )
        resultat = simulation_calculer(situation=situation, faits=faits, parametres=parametres)
        codes |= {c.code for c in resultat.eligibilite.conditions}
    assert codes <= set(REGLES_ELIGIBILITE), codes - set(REGLES_ELIGIBILITE)
    assert len(codes) >= 8
