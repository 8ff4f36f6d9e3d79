"""Entry points that load the facts from the database and call the pure core."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rules.catalogue import Catalogue
from rules.core.compare import OptionComparee, comparaison_calculer
from rules.core.followup import SuiviSaisie, suivi_calculer
from rules.core.parameters import parametres_obtenir
from rules.core.result import Resultat, Suivi
from rules.core.simulation import simulation_calculer
from rules.core.situation import Situation, SituationInvalide, situation_valider


def simulate(situation: Situation | dict[str, Any]) -> Resultat:
    """One situation (dict or Situation) → its result. Raises SituationInvalide."""
    s = situation_valider(situation)
    catalogue = Catalogue.pour([s])
    return simulation_calculer(
        situation=s,
        faits=catalogue.faits(s),
        parametres=parametres_obtenir(),
        avec_renouvellement=True,
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
        debut: int = 0,
        fin: int | None = None,
        avec_renouvellement: bool = False,
    ) -> Iterator[Resultat | SituationInvalide]:
        """Results one at a time, in order: a 100 000-row batch is written as it goes
        (holding them all would make every garbage collection scan them all).
        ``detail=False`` skips the trace, which CSV output has no room for;
        ``avec_renouvellement`` adds the after-year-5 estimate, as ``simulate`` does (the
        JSON doors: one document whatever the door)."""
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
                    avec_renouvellement=avec_renouvellement,
                )
            except SituationInvalide as exc:
                yield exc


def lot_preparer(donnees: Iterable[Situation | dict[str, Any]]) -> Lot:
    entrees: list[Situation | SituationInvalide] = []
    for item in donnees:
        try:
            entrees.append(situation_valider(item))
        except SituationInvalide as exc:
            entrees.append(exc)
    catalogue = Catalogue.pour(s for s in entrees if isinstance(s, Situation))
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


def options_comparer(situation: Situation | dict[str, Any]) -> list[OptionComparee]:
    """The same situation under every option open on its signing day."""
    s = situation_valider(situation)
    parametres = parametres_obtenir()
    regime = parametres.regime_a_la_date(s.date_signature)
    if regime is None:
        return []
    catalogue = Catalogue.pour([s])
    generaliste = catalogue.faits(s).specialite.generaliste
    # The second assistant is for GPs only: no column for a specialist.
    options = [o for o in regime.options if generaliste or not o.startswith("second")]
    variantes = [s.model_copy(update={"option": option}) for option in options]
    lot = lot_preparer(variantes)
    resultats = [r for r in lot.resultats() if isinstance(r, Resultat)]
    return comparaison_calculer(resultats=resultats)
