"""After year 5: what a renewal would ask (RULES.md §5: the new contract's targets start
from the patientèle reached; press, two sources). An estimate, computed by running the
same calculation on the renewal day with the targets taken as reached."""

from __future__ import annotations

from collections.abc import Callable

from rules.core import formatting as fmt
from rules.core.result import Renouvellement, Resultat
from rules.core.situation import Situation, SituationInvalide

DUREE_CONTRAT_ANNEES = 5


def renouvellement_estimer(
    *, resultat: Resultat, calculer: Callable[[Situation], Resultat]
) -> Renouvellement | None:
    """``calculer`` runs the core on a situation (same facts and parameters)."""
    o = resultat.objectifs
    if resultat.eligibilite.statut == "non_eligible" or o.file_active is None:
        return None
    s = resultat.situation
    debut = resultat.aide.annees[-1].debut
    jour = (
        debut.replace(year=debut.year + 1)
        if not (debut.month == 2 and debut.day == 29)
        else (debut.replace(year=debut.year + 1, day=28))
    )
    option = s.option if s.option in {"mi_temps", "temps_plein"} else "mi_temps"
    suite = s.model_copy(
        update={
            "date_signature": jour,
            "patientele_mt": o.patientele_mt.cible if o.patientele_mt else s.patientele_mt,
            "file_active": o.file_active.cible,
            "option": option,
            "primo_installe": False,
        }
    )
    try:
        autre = calculer(suite)
    except SituationInvalide:
        return None
    mt, fa = autre.objectifs.patientele_mt, autre.objectifs.file_active
    morceaux = [
        f"{fmt.nombre(x.initiale)} → {fmt.nombre(x.cible)} en {x.libelle.lower()}"
        for x in (mt, fa)
        if x is not None
    ]
    return Renouvellement(
        date_signature=jour,
        regime_libelle=autre.regime.libelle,
        patientele_mt=suite.patientele_mt,
        file_active=suite.file_active,
        hausse_mt=mt.hausse if mt else None,
        hausse_file_active=fa.hausse if fa else None,
        total_5_ans=autre.aide.total_5_ans,
        explication=(
            f"Estimation : un nouveau contrat signé le {fmt.date_fr(jour)}, sous les règles "
            "d'aujourd'hui, partirait de la patientèle atteinte"
            + (f" ({' ; '.join(morceaux)})" if morceaux else "")
            + ". La CPAM fixe les objectifs du renouvellement."
        ),
    )
