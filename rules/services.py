"""Entry points that load the facts from the database and call the pure core.

The doors (pages, API, command line, batch) go through this module only, never through
``rules.core`` (test ``test_les_portes_passent_par_rules_services``): the calculations
below, and the core's public names a door needs (models of the contract, French labels
and formatting, the dated parameters) re-exported in ``__all__``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.catalogue import Catalogue, Referentiel, referentiel_obtenir
from rules.core import formatting
from rules.core.compare import OptionComparee, comparaison_calculer
from rules.core.context import INDICATEUR_PERCENTILE_LIBELLES
from rules.core.cost import POSITIONS, SALAIRE_MAX, cout_calculer, salaire_position
from rules.core.eligibility.rules_catalog import regles_eligibilite_decrire
from rules.core.families import regles_obtenir
from rules.core.followup import ScenarioAtteinte, SuiviSaisie, atteinte_scenarios, suivi_calculer
from rules.core.parameters import CONFIANCE_LIBELLES, Regime, parametres_obtenir
from rules.core.place import ZONAGE_LIBELLES, zone_du_zonage
from rules.core.regime import option_fermee_raison, option_second_assistant, options_proposer
from rules.core.result import Aide, Cout, Resultat, Suivi
from rules.core.simulation import simulation_calculer
from rules.core.situation import (
    EXERCICES,
    MESSAGE_OBLIGATOIRE,
    MESSAGES_PATIENTS,
    OPTIONS,
    PATIENTS_MAX,
    SECTEURS,
    TRANCHES_PERCENTILE,
    ZONES,
    Situation,
    SituationInvalide,
    date_signature_trop_lointaine,
    situation_valider,
)
from rules.core.targets.since_2023 import formule_2023_decrire

__all__ = [
    "CONFIANCE_LIBELLES",
    "EXERCICES",
    "INDICATEUR_PERCENTILE_LIBELLES",
    "MESSAGES_PATIENTS",
    "MESSAGE_OBLIGATOIRE",
    "OPTIONS",
    "PATIENTS_MAX",
    "POSITIONS",
    "SALAIRE_MAX",
    "SECTEURS",
    "TRANCHES_PERCENTILE",
    "ZONAGE_LIBELLES",
    "ZONES",
    "Aide",
    "Cout",
    "Lot",
    "OptionComparee",
    "Regime",
    "Resultat",
    "ScenarioAtteinte",
    "Situation",
    "SituationInvalide",
    "Suivi",
    "SuiviSaisie",
    "TablesLues",
    "communes_lire",
    "cout_estimer",
    "date_signature_trop_lointaine",
    "formatting",
    "formule_2023_decrire",
    "lot_preparer",
    "option_fermee_raison",
    "option_second_assistant",
    "options_comparer",
    "options_proposer",
    "parametres_obtenir",
    "referentiel_lire",
    "regles_eligibilite_decrire",
    "regles_obtenir",
    "salaire_position",
    "simulate",
    "suivi_executer",
    "zone_du_zonage",
]


def simulate(
    situation: Situation | dict[str, Any], *, piste: bool = False, renouvellement: bool = False
) -> Resultat:
    """One situation (dict or Situation) → its result. Raises SituationInvalide.

    The way out of an ineligible doctor (``piste``) and the after-year-5 estimate
    (``renouvellement``) are each one more calculation: only the doors that show them ask
    (the result page, the API); without them the result has ``None`` in their place."""
    s = situation_valider(situation)
    return simulation_calculer(
        situation=s,
        faits=Catalogue.faits_pour(s),
        parametres=parametres_obtenir(),
        chercher_piste=piste,
        avec_renouvellement=renouvellement,
    )


@dataclass
class Lot:
    """A batch, checked up front (input and reference data) and then computed on demand."""

    entrees: list[Situation | SituationInvalide]
    catalogue: Catalogue

    @property
    def erreurs(self) -> list[tuple[int, SituationInvalide]]:
        """(0-based index, error) of every invalid item."""
        return [(i, e) for i, e in enumerate(self.entrees) if isinstance(e, SituationInvalide)]

    def resultats(
        self,
        *,
        detail: bool = True,
        piste: bool = False,
        avec_renouvellement: bool = False,
        debut: int = 0,
        fin: int | None = None,
    ) -> Iterator[Resultat | SituationInvalide]:
        """Results one at a time, in order: a 100 000-row batch is written as it goes
        (holding them all would make every garbage collection scan them all).
        ``detail=False`` skips the trace, which CSV output has no room for; ``piste``
        adds the way out of an ineligible doctor and ``avec_renouvellement`` the
        after-year-5 estimate, as ``simulate`` does when asked (the JSON doors: one
        document whatever the door)."""
        parametres = parametres_obtenir()
        for s in self.entrees[debut:fin]:
            if isinstance(s, SituationInvalide):
                yield s
                continue
            try:
                yield simulation_calculer(
                    situation=s,
                    faits=self.catalogue.faits(s),
                    parametres=parametres,
                    detail=detail,
                    chercher_piste=piste,
                    avec_renouvellement=avec_renouvellement,
                )
            except SituationInvalide as exc:
                yield exc


@dataclass(frozen=True)
class TablesLues:
    """Reference data already read by a batch's parent, for its forked workers (which
    must not touch the database): the small tables, and the communes of one chunk."""

    referentiel: Referentiel
    communes: dict[str, Any]


def referentiel_lire() -> Referentiel:
    """This process's snapshot of the small reference tables (read before forking)."""
    return referentiel_obtenir()


def communes_lire(codes: set[str]) -> dict[str, Any]:
    """The communes named by ``codes`` (old codes included), from this process's snapshot
    or the database: a batch's parent reads them for each chunk it hands out."""
    return Catalogue.communes_charger(codes)


def lot_preparer(
    donnees: Iterable[Situation | dict[str, Any]], *, tables: TablesLues | None = None
) -> Lot:
    """Validate every item and check its codes against the reference data (``tables``:
    already read, for a batch's worker; by default, this process's snapshot)."""
    entrees: list[Situation | SituationInvalide] = []
    for item in donnees:
        try:
            entrees.append(situation_valider(item))
        except SituationInvalide as exc:
            entrees.append(exc)
    if tables is None:
        catalogue = Catalogue.pour(s for s in entrees if isinstance(s, Situation))
    else:
        catalogue = Catalogue.depuis(tables.referentiel, tables.communes)
    for i, s in enumerate(entrees):
        if isinstance(s, Situation):
            try:
                catalogue.faits(s)  # unknown specialty or commune: known before any output
            except SituationInvalide as exc:
                entrees[i] = exc
    return Lot(entrees=entrees, catalogue=catalogue)


def suivi_executer(
    situation: Situation | dict[str, Any], saisie: SuiviSaisie | dict[str, Any]
) -> tuple[Resultat, Suivi]:
    """Follow-up of a signed contract: what is paid for a year ≥ 3, given what was reached."""
    resultat = simulate(situation)
    return resultat, suivi_calculer(
        resultat=resultat, saisie=saisie, parametres=parametres_obtenir()
    )


def scenarios_atteinte(resultat: Resultat) -> list[ScenarioAtteinte]:
    """What year 3 pays if the targets are met, half met, or the patientèle falls back."""
    return atteinte_scenarios(resultat=resultat, parametres=parametres_obtenir())


def options_comparer(situation: Situation | dict[str, Any]) -> list[OptionComparee]:
    """The same situation under every option open on its signing day."""
    s = situation_valider(situation)
    parametres = parametres_obtenir()
    regime = parametres.regime_a_la_date(s.date_signature)
    if regime is None:
        return []
    catalogue = Catalogue.pour([s])
    generaliste = catalogue.faits(s).specialite.generaliste
    options = options_proposer(regime=regime, generaliste=generaliste)
    variantes = [s.model_copy(update={"option": option}) for option in options]
    lot = lot_preparer(variantes)
    resultats = [r for r in lot.resultats() if isinstance(r, Resultat)]
    return comparaison_calculer(resultats=resultats)


def cout_estimer(
    *,
    resultat: Resultat,
    salaire_brut_mensuel: Decimal | None = None,
    position: int | None = None,
) -> Cout | None:
    """What the assistant costs against the aid, year by year (an estimate), with the
    salary or the collective agreement's position the user chose, or the default."""
    return cout_calculer(
        resultat=resultat,
        parametres=parametres_obtenir(),
        salaire_brut_mensuel=salaire_brut_mensuel,
        position=position,
    )
