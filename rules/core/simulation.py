"""The whole simulation for one doctor: orchestration only (regime, percentiles, place,
conditions, targets, amounts, way out, renewal).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from rules.core import formatting as fmt
from rules.core.amounts import aide_calculer
from rules.core.context import (
    INDICATEUR_LIBELLES,
    OPTIONS_SECOND_ASSISTANT,
    Calcul,
    _etape_creer,
    _valeurs_indicateurs,
)
from rules.core.eligibility.conditions import conditions_evaluer
from rules.core.eligibility.obligations import obligations_lister
from rules.core.facts import Faits, Percentiles
from rules.core.parameters import (
    Parametres,
    Regime,
)
from rules.core.place import lieu_determiner
from rules.core.position import (
    TRANCHE_LIBELLES,
    Position,
    percentiles_choisir,
    position_determiner,
)
from rules.core.regime import regime_determiner
from rules.core.renewal import renouvellement_estimer
from rules.core.result import (
    Eligibilite,
    Etape,
    PercentilesUtilises,
    RegimeApplique,
    Resultat,
    StatutEligibilite,
)
from rules.core.situation import (
    Situation,
)
from rules.core.targets.objectives import indicateurs_determiner, objectifs_calculer
from rules.core.way_out import piste_chercher


def simulation_calculer(
    *,
    situation: Situation,
    faits: Faits,
    parametres: Parametres,
    detail: bool = True,
    chercher_piste: bool = False,
    avec_renouvellement: bool = False,
) -> Resultat:
    """The whole simulation for one doctor. Raises SituationInvalide on inconsistent input.

    ``detail=False`` leaves the trace empty (every figure is the same): for CSV batches,
    whose output has no room for it. The way out of an ineligible doctor
    (``chercher_piste``) and the after-year-5 estimate (``avec_renouvellement``) are each
    a second calculation: computed only for the doors that show them (result page, API).
    """
    regime = regime_determiner(date_signature=situation.date_signature, parametres=parametres)
    ctx = Calcul(
        situation=situation, faits=faits, parametres=parametres, regime=regime, detail=detail
    )
    a_venir = situation.date_signature > dt.date.today()
    if a_venir:
        ctx.avertir(
            f"Date de signature à venir ({fmt.date_fr(situation.date_signature)})\u00a0: le calcul "
            "applique les règles en vigueur aujourd’hui\u00a0; un nouveau texte d’ici là changerait "
            "la réponse."
        )
    ctx.decrire(_etape_regime, ctx, regime, situation.date_signature, a_venir)
    regle = faits.specialite.regles.get(regime.code)
    utilises = _percentiles_retenir(ctx)
    ctx.indicateurs = indicateurs_determiner(ctx)
    ctx.position = _position_retenir(ctx)

    lieu = lieu_determiner(ctx)
    conditions = conditions_evaluer(ctx, regle=regle, lieu=lieu)
    statuts = {c.statut for c in conditions}
    statut: StatutEligibilite
    if "ko" in statuts:
        statut = "non_eligible"
        # Lower-case the first letter only: « ZIP », « P30 » stay as written.
        ko = [c.libelle[:1].lower() + c.libelle[1:] for c in conditions if c.statut == "ko"]
        pluriel = "s" if len(ko) > 1 else ""
        resume = (
            f"En l’état, {len(ko)} condition{pluriel} non remplie{pluriel}\u00a0: {', '.join(ko)}. "
            "Ce qui changerait la réponse est indiqué ci-dessous."
        )
    elif "a_verifier" in statuts or situation.option in OPTIONS_SECOND_ASSISTANT:
        statut = "a_confirmer"
        resume = (
            "Aucune condition n’est contraire, mais certaines relèvent de l’appréciation de "
            "votre CPAM\u00a0: elle confirmera votre éligibilité."
        )
    else:
        statut = "eligible"
        resume = (
            "Vous remplissez les conditions de l’aide, sous réserve des engagements du contrat "
            "(rappelés plus bas)."
        )
    eligibilite = Eligibilite(
        statut=statut,
        resume=resume,
        conditions=conditions,
        obligations=obligations_lister(ctx),
    )
    ctx.etape("Éligibilité", resume)

    objectifs = objectifs_calculer(ctx, eligible=statut != "non_eligible")
    aide = aide_calculer(ctx, eligible=statut != "non_eligible")

    def variante_calculer(autre: Situation) -> Resultat:
        """The same doctor, another situation: figures only (way out, renewal)."""
        return simulation_calculer(
            situation=autre, faits=faits, parametres=parametres, detail=False, chercher_piste=False
        )

    piste = (
        piste_chercher(ctx, conditions, calculer=variante_calculer)
        if statut == "non_eligible" and chercher_piste
        else None
    )
    if situation.patientele_mt is not None and situation.patientele_mt > situation.file_active:
        ctx.avertir(
            "Votre patientèle médecin traitant dépasse votre file active\u00a0: vérifiez les "
            "deux chiffres sur vos relevés CNAM (amelipro)."
        )
    resultat = Resultat(
        situation=situation,
        regime=RegimeApplique(
            code=regime.code,
            libelle=regime.libelle,
            debut=regime.debut,
            fin=regime.fin,
            source=parametres.source_titre(regime.source),
            date_signature=situation.date_signature,
        ),
        eligibilite=eligibilite,
        lieu=lieu,
        aide=aide,
        objectifs=objectifs,
        percentiles=utilises,
        avertissements=ctx.avertissements,
        trace=[],
        piste=piste,
    )
    resultat.trace_differer(ctx.trace)
    if avec_renouvellement:
        renouvellement = renouvellement_estimer(
            resultat=resultat, calculer=variante_calculer, parametres=parametres
        )
        if renouvellement is not None:
            resultat = resultat.model_copy(update={"renouvellement": renouvellement})
    return resultat


def _percentiles_retenir(ctx: Calcul) -> list[PercentilesUtilises]:
    """The CNAM snapshot of each indicator in force for the regime (and its trace step)."""
    utilises: list[PercentilesUtilises] = []
    for indicateur, serie in (
        ("patientele_mt", ctx.regime.indicateur_mt),
        ("file_active", "file_active"),
    ):
        p, remarque = percentiles_choisir(
            serie=ctx.faits.series.get(serie, ()),
            jour=ctx.situation.date_signature,
            depuis=ctx.regime.percentiles_depuis,
        )
        ctx.percentiles[indicateur] = p
        if p is not None:
            utilise, etape = _percentiles_decrire(p, serie, remarque)
            utilises.append(utilise)
            ctx.etape_prete(etape)
    return utilises


def _position_retenir(ctx: Calcul) -> Position:
    valeurs = {i: v for i, v in _valeurs_indicateurs(ctx).items() if i in ctx.indicateurs}
    position = position_determiner(
        tranches_conjointes=ctx.regles.tranches_conjointes,
        valeurs={i: v for i, v in valeurs.items() if v is not None},
        percentiles=ctx.percentiles,
        tranche_declaree=ctx.situation.tranche_percentile,
    )
    if position.declaree and position.tranche is not None:
        ctx.etape(
            "Tranche de patientèle (indiquée par votre CPAM)",
            TRANCHE_LIBELLES[position.tranche],
            formule="les percentiles CNAM de votre spécialité ne sont pas connus ici\u00a0: la tranche "
            "que vous indiquez les remplace",
        )
    elif ctx.regles.tranches_conjointes and position.tranche is not None:
        ctx.decrire(_etape_tranche_conjointe, ctx, position)
    elif position.tres_forte:
        objectifs = ctx.parametres.objectifs_2023
        part = ctx.facultatif(objectifs.part_fixe_mt_temps_plein)
        plafond = ctx.facultatif(objectifs.plafond_part_fixe_mt_temps_plein)
        temps_plein = (
            f" (temps plein\u00a0: + {fmt.taux(part.valeur)} de la patientèle médecin traitant, "
            f"{fmt.patients(plafond.valeur)} au plus)"
            if part and plafond
            else ""
        )
        ctx.etape(
            "Très forte patientèle",
            "chaque indicateur au moins au P95",
            formule=f"aide de 1ʳᵉ année chaque année\u00a0; objectifs de maintien{temps_plein}",
            source=ctx.source("seed_001"),
        )
    return position


def _etape_regime(
    ctx: Calcul, regime: Regime, signature: dt.date, a_venir: bool
) -> tuple[str, str, dict[str, Any]]:
    fin = (
        f"au {fmt.date_fr(regime.fin)}"
        if regime.fin
        else "à ce jour, appliqué à une date à venir"
        if a_venir
        else "à aujourd’hui"
    )
    formule = (
        f"contrat signé le {fmt.date_fr(signature)}\u00a0: régime en "
        f"vigueur du {fmt.date_fr(regime.debut)} {fin}"
    )
    return (
        "Régime applicable",
        regime.libelle,
        {"source": ctx.source(regime.source), "formule": formule},
    )


def _etape_tranche_conjointe(ctx: Calcul, position: Position) -> tuple[str, str, dict[str, Any]]:
    assert position.tranche is not None
    detail = ", ".join(
        f"{INDICATEUR_LIBELLES[i].lower()} {TRANCHE_LIBELLES[t]}"
        for i, t in position.tranches.items()
        if t is not None
    )
    return (
        "Votre tranche de patientèle",
        TRANCHE_LIBELLES[position.tranche],
        {
            "formule": f"{detail}\u00a0: la plus haute tranche atteinte vaut pour les deux "
            "indicateurs",
            "source": ctx.source("seed_003"),
            "estimation": position.divergentes,
        },
    )


@lru_cache(maxsize=1024)
def _percentiles_decrire(
    p: Percentiles, serie: str, remarque: str | None
) -> tuple[PercentilesUtilises, Etape]:
    utilise = PercentilesUtilises(
        **p.model_dump(exclude={"indicateur"}), indicateur=serie, remarque=remarque
    )
    connus = [("P30", p.p30), ("P50", p.p50), ("P70", p.p70), ("P90", p.p90), ("P95", p.p95)]
    valeurs = ", ".join(f"{n} {fmt.nombre(v)}" for n, v in connus if v is not None)
    etape = _etape_creer(
        f"Percentiles CNAM ({_serie_libelle(serie)}) au {fmt.date_fr(p.date_donnees)}",
        valeurs,
        None,
        p.source,
        remarque,
        None,
        False,
    )
    return utilise, etape


def _serie_libelle(serie: str) -> str:
    return {
        "mt_adultes": "patientèle médecin traitant adulte",
        "mt": "patientèle médecin traitant",
        "file_active": "file active",
    }[serie]
