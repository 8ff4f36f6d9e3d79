"""The contract step's options: which are offered, with their dates when the signing date
is not known yet (pages without JavaScript), and which are closed, with the reason."""

from __future__ import annotations

import datetime as dt

from rules.communes import commune_trouver
from rules.services import (
    OPTIONS,
    ZONES,
    Regime,
    option_fermee_raison,
    option_second_assistant,
    options_proposer,
    parametres_obtenir,
    zone_du_zonage,
)
from rules.services import formatting as fmt
from simulator.parcours import Contexte


def options_offrir(
    *, regime: Regime, jour: dt.date, toutes_dates: bool, contexte: Contexte
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(value, label) of the options offered, and (label, reason) of the closed ones.

    ``toutes_dates``: the date is not known yet, every option that ever existed is offered
    with the dates it could be signed (the date posted then decides)."""
    parametres = parametres_obtenir()
    specialite = contexte.specialite
    generaliste = None if specialite is None else specialite.generaliste
    if toutes_dates:
        ouvertes = [o for o in OPTIONS if any(o in r.options for r in parametres.regimes.values())]
        # The second assistant is for GPs only: not offered to other specialties.
        options = [
            o for o in ouvertes if generaliste is not False or not option_second_assistant(o)
        ]
    else:
        ouvertes = list(regime.options)
        options = options_proposer(regime=regime, generaliste=generaliste)
    fermees = [
        (libelle, option_fermee_raison(option=o, jour=jour, parametres=parametres)[0])
        for o, libelle in OPTIONS.items()
        if o not in ouvertes
    ]
    # A GP outside a ZIP cannot take a second assistant: said here, not on the result.
    raison_zone = _second_assistant_refus(contexte)
    if raison_zone:
        fermees += [(OPTIONS[o], raison_zone) for o in options if option_second_assistant(o)]
        options = [o for o in options if not option_second_assistant(o)]
    return [(o, _libelle_date(o) if toutes_dates else OPTIONS[o]) for o in options], fermees


def _libelle_date(option: str) -> str:
    """« 1/3 temps (1/3 ETP) — contrats signés jusqu’au 30/04/2023 »."""
    parametres = parametres_obtenir()
    regimes = [r for r in parametres.regimes.values() if option in r.options]
    debut = min(r.debut for r in regimes)
    fins = [r.fin for r in regimes]
    if None not in fins:
        fin = max(f for f in fins if f is not None)
        return f"{OPTIONS[option]} — contrats signés jusqu’au {fmt.date_fr(fin)}"
    if debut > parametres.premier_jour:
        return f"{OPTIONS[option]} — contrats signés depuis le {fmt.date_fr(debut)}"
    return OPTIONS[option]


def _second_assistant_refus(contexte: Contexte) -> str | None:
    """Why a GP cannot take a second assistant where he practises, when the zone is known."""
    zone = contexte.reponses.get("zone")
    nom = None
    if not zone and contexte.reponses.get("commune"):
        commune = commune_trouver(code=contexte.reponses["commune"])
        if commune is not None:
            zone = zone_du_zonage(commune.zonage)
            nom = commune.nom
    if zone not in ZONES or zone == "zip":  # the URL is untrusted: an odd zone says nothing
        return None
    classee = ZONES[zone][:1].lower() + ZONES[zone][1:]
    ou = (
        f"votre commune, {nom}, est classée {classee}" if nom else f"zone indiquée\u00a0: {classee}"
    )
    return f"réservé aux médecins exerçant en zone d’intervention prioritaire (ZIP)\u00a0; {ou}"
