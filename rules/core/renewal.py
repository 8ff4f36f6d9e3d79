"""After year 5: what a renewal would ask and pay. The new contract's targets start from
the patientèle reached (press, two sources); from 2023 the aid is « annuelle et pérenne
au-delà de la 3e année » (Assurance Maladie brochure, 2023): years 6 and after continue at
the year-3+ amount, not a restart of the year-1 scale. An estimate, computed by running the
same calculation on the renewal day with the targets taken as reached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rules.core import formatting as fmt
from rules.core.dates import annees_ajouter
from rules.core.families import regles_obtenir
from rules.core.parameters import Parametres
from rules.core.regime import option_fermee_raison
from rules.core.result import Renouvellement, Resultat
from rules.core.situation import OPTIONS, Situation, SituationInvalide


def renouvellement_estimer(
    *,
    resultat: Resultat,
    calculer: Callable[[Situation], Resultat],
    parametres: Parametres,
) -> Renouvellement | None:
    """``calculer`` runs the core on a situation (same facts and parameters)."""
    o = resultat.objectifs
    if resultat.eligibilite.statut == "non_eligible" or o.file_active is None:
        return None
    s = resultat.situation
    jour = annees_ajouter(resultat.aide.annees[-1].debut, 1)
    regime = parametres.regime_a_la_date(jour)
    actuel = parametres.regime_a_la_date(s.date_signature)
    if regime is None or actuel is None:
        return None
    avant = regles_obtenir(actuel.famille)
    apres = regles_obtenir(regime.famille)
    suite = s.model_copy(
        update={
            "date_signature": jour,
            "patientele_mt": o.patientele_mt.cible if o.patientele_mt else s.patientele_mt,
            "file_active": o.file_active.cible,
            "primo_installe": False,
        }
    )
    mt_adultes = (
        f" Sous « {resultat.regime.libelle} », votre patientèle médecin traitant ne comptait "
        "que les adultes\u00a0; les règles d’aujourd’hui comptent aussi les enfants\u00a0: le chiffre retenu au "
        "renouvellement sera celui de vos relevés d’alors (adultes et enfants), sans doute "
        "plus élevé que celui-ci."
        if avant.mt_adultes and not apres.mt_adultes and suite.patientele_mt is not None
        else ""
    )
    base: dict[str, Any] = {
        "date_signature": jour,
        "regime_libelle": regime.libelle,
        "patientele_mt": suite.patientele_mt,
        "file_active": suite.file_active,
    }
    if s.option not in regime.options:
        raison, _ = option_fermee_raison(option=s.option, jour=jour, parametres=parametres)
        return Renouvellement(
            **base,
            possible=False,
            raison=f"l’option « {OPTIONS[s.option]} » {raison}\u00a0: un renouvellement devrait "
            "choisir une autre option (mi-temps ou temps plein), à voir avec votre CPAM.",
            explication=f"Le {fmt.date_fr(jour)}, ce contrat ne pourrait pas être renouvelé tel "
            f"quel\u00a0: l’option « {OPTIONS[s.option]} » {raison}.{mt_adultes}",
        )
    try:
        autre = calculer(suite)
    except SituationInvalide:
        return None
    if autre.eligibilite.statut == "non_eligible":
        ko = [c.message for c in autre.eligibilite.conditions if c.statut == "ko"]
        return Renouvellement(
            **base,
            possible=False,
            raison=" ".join(ko),
            explication=f"Estimation\u00a0: le {fmt.date_fr(jour)}, sous les règles d’aujourd’hui et "
            "avec la patientèle atteinte, un nouveau contrat ne serait pas possible. "
            f"{' '.join(ko)}{mt_adultes} La CPAM fixe les conditions du renouvellement.",
        )
    return _possible(base, autre, perenne=apres.aide_perenne, jour=jour, mt_adultes=mt_adultes)


def _possible(
    base: dict[str, Any], autre: Resultat, *, perenne: bool, jour: dt.date, mt_adultes: str
) -> Renouvellement:
    mt, fa = autre.objectifs.patientele_mt, autre.objectifs.file_active
    morceaux = [
        f"{fmt.nombre(x.initiale)} → {fmt.nombre(x.cible)} en {x.libelle.lower()}"
        for x in (mt, fa)
        if x is not None
    ]
    annees = autre.aide.annees
    if perenne:
        # Years 6 and after continue at the year-3+ amount (of the renewal day's rules).
        montants = [annees[2].montant, annees[2].montant, *(a.montant for a in annees[2:])]
        montants = montants[: len(annees)]
        montant_annuel = annees[2].montant
        regle = (
            "L’aide est annuelle et pérenne au-delà de la 3ᵉ année\u00a0: elle continuerait au "
            f"montant des années 3 et suivantes ({fmt.euros(montant_annuel or 0)} par an), "
            "sans recommencer au montant de 1ʳᵉ année."
        )
    else:
        montants = [a.montant for a in annees]
        montant_annuel = None
        regle = ""
    total = None if None in montants else sum(m or 0 for m in montants)
    return Renouvellement(
        **base,
        possible=True,
        raison=None,
        hausse_mt=mt.hausse if mt else None,
        hausse_file_active=fa.hausse if fa else None,
        montant_annuel=montant_annuel,
        total_5_ans=total,
        explication=(
            f"Estimation\u00a0: un nouveau contrat signé le {fmt.date_fr(jour)}, sous les règles "
            "d’aujourd’hui, partirait de la patientèle atteinte"
            + (f" ({' ; '.join(morceaux)})" if morceaux else "")
            + f". {regle}{mt_adultes} La CPAM fixe le nouveau contrat et ses objectifs."
        ),
    )
