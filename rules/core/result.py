"""The result of a simulation (docs/contrat.md, « Result (output) »), and of a follow-up.

Inside, the parts of a result are dataclasses with slots: a calculation builds a dozen
of them, and a pydantic model validated each field of values the core had just computed
(1,1 µs an object). Pydantic serialises them at the boundary, as fields of the three
documents the doors dump (``Resultat``, ``Suivi``, ``Cout``), which stay models.

The parts shared between results (steps, conditions, obligations, the percentiles used:
kept by ``functools.lru_cache``) are frozen. The others belong to one result and are
not: a frozen dataclass sets each field through ``object.__setattr__`` (0,96 µs an
object against 0,40), which cost 9 % of a ``rules.simulate`` and 15 % of a calculation
without trace (paired runs). Nothing changes them once built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, SupportsIndex, overload

from pydantic import BaseModel, ConfigDict

from rules.core.situation import Situation

StatutCondition = Literal["ok", "ko", "a_verifier"]
StatutEligibilite = Literal["eligible", "non_eligible", "a_confirmer"]
ZoneAppliquee = Literal["zip", "zac", "hors_zone"]
OrigineZone = Literal["saisie", "commune", "inconnue"]
IndicateurObjectif = Literal["patientele_mt", "file_active"]


class _Sortie(BaseModel):
    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Etape:
    """One step of the explanation: what, how much, from which parameter and source."""

    libelle: str
    valeur: str
    parametre: str | None = None
    source: str | None = None
    formule: str | None = None
    confiance: str | None = None
    estimation: bool = False
    # Stable identifier of the rule (the dated parameter): /sources#regle-<id> shows it.
    regle: str | None = None


class TraceDifferee(list[Etape]):
    """The steps of one calculation, kept as data while it runs (a wording function and
    its arguments) and worded the first time the trace is read: a door that never shows
    the trace (a comparison, a follow-up, rules.simulate for its figures) never pays for
    its words. Reading it in any way (iterating, len, an index, ==, a dump of the
    result) words it once; it is then an ordinary list of Etape."""

    __slots__ = ("_brouillon",)

    def __init__(self) -> None:
        super().__init__()
        self._brouillon: list[tuple[Callable[..., Etape], tuple[Any, ...]]] = []

    def noteur(self) -> Callable[[tuple[Callable[..., Etape], tuple[Any, ...]]], None]:
        """What notes a step: the draft's own append, given (wording function, its
        arguments); a method of ours around it cost one call more a step."""
        return self._brouillon.append

    def rediger(self) -> TraceDifferee:
        if self._brouillon:
            brouillon, self._brouillon = self._brouillon, []
            super().extend(fonction(*args) for fonction, args in brouillon)
        return self

    def __iter__(self) -> Iterator[Etape]:
        return super(TraceDifferee, self.rediger()).__iter__()

    def __len__(self) -> int:
        return super(TraceDifferee, self.rediger()).__len__()

    @overload
    def __getitem__(self, i: SupportsIndex) -> Etape: ...
    @overload
    def __getitem__(self, i: slice) -> list[Etape]: ...
    def __getitem__(self, i: SupportsIndex | slice) -> Etape | list[Etape]:
        return super(TraceDifferee, self.rediger()).__getitem__(i)

    def __eq__(self, autre: object) -> bool:
        return list.__eq__(self.rediger(), autre)

    __hash__ = None

    def __repr__(self) -> str:
        return list.__repr__(self.rediger())

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(iter(self)),))


@dataclass(slots=True, kw_only=True)
class RegimeApplique:
    code: str
    libelle: str
    debut: dt.date
    fin: dt.date | None
    source: str
    date_signature: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    code: str
    libelle: str
    statut: StatutCondition
    message: str
    source: str | None = None

    @property
    def regle(self) -> str:
        """Stable identifier of the rule (/sources#regle-<id>), apart from the wording."""
        return f"eligibilite.{self.code}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Obligation:
    code: str
    message: str
    source: str


@dataclass(slots=True, kw_only=True)
class Eligibilite:
    statut: StatutEligibilite
    resume: str
    conditions: list[Condition]
    obligations: list[Obligation]


@dataclass(slots=True, kw_only=True)
class LieuApplique:
    commune: str | None
    commune_nom: str | None
    departement: str | None
    departement_nom: str | None
    zone: ZoneAppliquee | None
    zone_libelle: str
    origine: OrigineZone
    zonage_date: dt.date | None
    zonage_source: str | None


@dataclass(slots=True, kw_only=True)
class AnneeAide:
    annee: int
    debut: dt.date
    montant: int | None
    montant_maximum: int | None
    conditionnel: bool
    bareme: str
    formule: str


@dataclass(slots=True, kw_only=True)
class Aide:
    option: str
    option_libelle: str
    annees: list[AnneeAide]
    total_5_ans: int | None
    part_activite_liberale: str
    versement: str


@dataclass(slots=True, kw_only=True)
class Objectif:
    indicateur: IndicateurObjectif
    libelle: str
    initiale: int
    hausse: int
    cible: int
    tranche: str
    formule: str
    estimation: bool


@dataclass(slots=True, kw_only=True)
class Objectifs:
    patientele_mt: Objectif | None
    file_active: Objectif | None
    echeance: dt.date | None
    explication: str | None
    estimation: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PercentilesUtilises:
    indicateur: str
    date_donnees: dt.date
    p30: int | None
    p50: int | None
    p70: int | None
    p90: int | None
    p95: int | None
    source: str
    remarque: str | None = None


@dataclass(slots=True, kw_only=True)
class Piste:
    """What would make an ineligible doctor eligible, and what he would then receive."""

    changements: list[str]
    statut: StatutEligibilite
    total_5_ans: int | None
    annee_1: int | None
    situation: Situation


@dataclass(slots=True, kw_only=True)
class Renouvellement:
    """After year 5: a new contract whose targets start from the patientèle reached
    (press, two sources): an estimate under the rules in force on the renewal day."""

    date_signature: dt.date
    regime_libelle: str
    patientele_mt: int | None
    file_active: int
    # False when the doctor could not renew (below today's minimum, option closed): the
    # reason says why, never a bare 0 €.
    possible: bool
    raison: str | None
    hausse_mt: int | None = None
    hausse_file_active: int | None = None
    # From 2023 (« pérenne »): the year-3+ amount every year after year 5.
    montant_annuel: int | None = None
    total_5_ans: int | None = None
    explication: str


class Resultat(_Sortie):
    situation: Situation
    regime: RegimeApplique
    eligibilite: Eligibilite
    lieu: LieuApplique
    aide: Aide
    objectifs: Objectifs
    percentiles: list[PercentilesUtilises]
    avertissements: list[str]
    trace: list[Etape]
    # For an ineligible doctor: the same calculation with the blocking conditions lifted.
    piste: Piste | None = None
    renouvellement: Renouvellement | None = None
    # Said once on every page (the site's header); kept here for API and CLI readers.
    mention: str = (
        "Simulation indicative : seul le contrat signé avec la CPAM engage. Ce simulateur "
        "n'est pas un outil officiel de l'Assurance Maladie."
    )

    def trace_differer(self, trace: TraceDifferee) -> None:
        """Set the calculation's trace, worded when first read (after validation: pydantic
        would read the list, hence word it, to validate it)."""
        self.__dict__["trace"] = trace

    def _trace_rediger(self) -> None:
        trace = self.__dict__.get("trace")
        if isinstance(trace, TraceDifferee):
            trace.rediger()

    def model_dump(self, **options: Any) -> dict[str, Any]:
        self._trace_rediger()  # pydantic's serializer reads the list's items directly
        return super().model_dump(**options)

    def model_dump_json(self, **options: Any) -> str:
        self._trace_rediger()
        return super().model_dump_json(**options)


class Suivi(_Sortie):
    """What is paid for one contract year ≥ 3, given the patientèle reached."""

    annee: int
    patientele_mt_atteinte: int | None
    file_active_atteinte: int
    montant_annuel: int | None
    taux_versement: str
    montant_du: int | None
    acompte: int | None
    solde: int | None
    cas: Literal[
        "objectifs_atteints", "un_atteint_sans_baisse", "proratisation", "baisse", "sans_objet"
    ]
    explication: str
    trace: list[Etape]


@dataclass(slots=True, kw_only=True)
class CoutAnnee:
    annee: int
    debut: dt.date
    # Full-time gross monthly salary of that year (the option's share of it is paid).
    salaire_brut_mensuel: str
    aide: int | None
    # Employer's cost over the year: gross + employer contributions − general reduction.
    cout: int
    taxe_salaires: int
    reste_a_charge: int | None


class Cout(_Sortie):
    """What the assistant costs the doctor, year by year, against the aid (an estimate):
    employer's cost and taxe sur les salaires from the payroll engine's table."""

    salaire: str
    position: int | None
    part_temps: str
    annees: list[CoutAnnee]
    total_cout: int
    total_taxe_salaires: int
    total_aide: int | None
    total_reste_a_charge: int | None
    # The full-time gross monthly salary at which the aid covers the whole cost over the
    # five years (cost and tax included); None when the aid is not known.
    salaire_equilibre: int | None
    # Below the SMIC of the first year: at any lawful salary, part of the cost remains.
    equilibre_sous_smic: bool
    hypotheses: str
    source: str
