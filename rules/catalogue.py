"""The thin adapter: reference data in the database → the core's ``Faits``.

One code path for one simulation and for a batch of 100 000: ``Catalogue.pour`` fetches,
in a handful of queries, only the specialties and communes the situations name; the facts
of each (specialty, commune) pair are then built once.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from rules import models
from rules.core import facts as core
from rules.core.situation import Situation, SituationInvalide

# Past this many distinct communes a batch reads the whole table rather than an IN list.
COMMUNES_EN_UNE_FOIS = 5000


CLE_VERSION = "rules:version_donnees"
# How often a process asks the shared cache whether the reference data changed: an admin
# edit reaches every worker within this delay, and requests in between cost no query.
VERIFICATION_SECONDES = 2.0


@dataclass(frozen=True)
class Referentiel:
    """The small reference tables (specialties, their rules, percentiles, 2019 lists),
    kept in memory by each process while their version does not change."""

    version: str
    specialites: dict[str, models.Specialite]
    regles: dict[str, list[models.RegleSpecialite]]
    percentiles: dict[str, list[models.Percentiles]]
    specialites_departements: frozenset[tuple[str, str]]


_referentiel: Referentiel | None = None
_verifie_a: float = float("-inf")  # monotonic time of the last look at the shared version
# Communes already read, with their zonage vintages: read once per process and version.
_communes: dict[str, models.Commune] = {}
# The core's view of each specialty (with its percentiles) and of each commune, built
# once per process and version: a simulation assembles its facts from them. Keyed by
# (version, code): a batch still running on the previous version cannot pollute them.
_specialites_core: dict[tuple[str, str], tuple[core.Specialite, tuple[core.Percentiles, ...]]] = {}
_lieux_core: dict[tuple[str, str], core.Lieu] = {}
# The facts of a (specialty, commune) pair, assembled from those: every simulation asks
# for them (a pydantic object and a dozen lookups, 4 % of rules.simulate). At most
# FAITS_GARDES pairs (a national batch could name a million): emptied past that.
_faits_core: dict[tuple[str, str, str | None], core.Faits] = {}
FAITS_GARDES = 20_000


# Other per-process views of the reference data (the freshness table of the sources page),
# forgotten with the snapshot.
_abonnes: list[Callable[[], None]] = []


def instantane_abonner(oublier: Callable[[], None]) -> None:
    """``oublier`` is called whenever this process forgets its snapshot."""
    _abonnes.append(oublier)


def _instantanes_vider() -> None:
    _communes.clear()
    _specialites_core.clear()
    _lieux_core.clear()
    _faits_core.clear()
    for oublier in _abonnes:
        oublier()


def donnees_version() -> str:
    """The reference data version, shared by all processes through the cache."""
    version = cache.get(CLE_VERSION)
    if version is None:
        cache.add(CLE_VERSION, uuid.uuid4().hex, timeout=None)
        version = cache.get(CLE_VERSION)
    return str(version)


def _oublier() -> None:
    global _referentiel
    _referentiel = None
    _instantanes_vider()


def donnees_modifiees(**_: object) -> None:
    """Any change to a reference table: this process forgets its snapshot now, the others
    within VERIFICATION_SECONDES — once the change is committed (a rolled-back edit must
    not be announced, and a reader must not reload the data before it is visible)."""
    _oublier()
    transaction.on_commit(_version_publier)


def _version_publier() -> None:
    _oublier()
    cache.set(CLE_VERSION, uuid.uuid4().hex, timeout=None)


def referentiel_obtenir() -> Referentiel:
    """No query while the snapshot is fresh; one cache read every VERIFICATION_SECONDES;
    four small queries only when the data changed."""
    global _referentiel, _verifie_a
    maintenant = time.monotonic()
    if _referentiel is not None and maintenant - _verifie_a < VERIFICATION_SECONDES:
        return _referentiel
    version = donnees_version()
    _verifie_a = maintenant
    if _referentiel is not None and _referentiel.version == version:
        return _referentiel
    _instantanes_vider()
    specialites = {s.code: s for s in models.Specialite.objects.all()}
    regles: dict[str, list[models.RegleSpecialite]] = defaultdict(list)
    for regle in models.RegleSpecialite.objects.all():
        regles[regle.specialite_id].append(regle)
    percentiles: dict[str, list[models.Percentiles]] = defaultdict(list)
    for p in models.Percentiles.objects.all():
        percentiles[p.specialite_id].append(p)
    listes = frozenset(
        models.SpecialiteDepartement2019.objects.values_list("departement_id", "specialite_id")
    )
    _referentiel = Referentiel(version, specialites, dict(regles), dict(percentiles), listes)
    return _referentiel


class Catalogue:
    """A read-only snapshot of the reference data a set of situations needs."""

    def __init__(
        self,
        *,
        specialites: dict[str, models.Specialite],
        regles: dict[str, list[models.RegleSpecialite]],
        percentiles: dict[str, list[models.Percentiles]],
        communes: dict[str, models.Commune],
        specialites_departements: frozenset[tuple[str, str]],
        version: str = "",
    ):
        self._version = version
        self._specialites = specialites
        self._regles = regles
        self._percentiles = percentiles
        self._communes = communes
        self._specialites_departements = specialites_departements

    @classmethod
    def pour(cls, situations: Iterable[Situation]) -> Catalogue:
        situations = list(situations)
        referentiel = referentiel_obtenir()
        codes_communes = {s.commune for s in situations if s.commune}
        return cls(
            specialites=referentiel.specialites,
            regles=referentiel.regles,
            percentiles=referentiel.percentiles,
            communes=cls.communes_charger(codes_communes),
            specialites_departements=referentiel.specialites_departements,
            version=referentiel.version,
        )

    @classmethod
    def faits_pour(cls, situation: Situation) -> core.Faits:
        """The facts of one situation: those already kept for its pair when the data has
        not changed, else through a catalogue of its own (rules.simulate: a catalogue
        per call was 3 % of it)."""
        version = referentiel_obtenir().version
        faits = _faits_core.get((version, situation.specialite, situation.commune))
        return faits if faits is not None else cls.pour([situation]).faits(situation)

    @classmethod
    def depuis(cls, referentiel: Referentiel, communes: dict[str, models.Commune]) -> Catalogue:
        """From tables already read (a batch's forked worker: no database access)."""
        return cls(
            specialites=referentiel.specialites,
            regles=referentiel.regles,
            percentiles=referentiel.percentiles,
            communes=communes,
            specialites_departements=referentiel.specialites_departements,
            version=referentiel.version,
        )

    @staticmethod
    def communes_charger(codes: set[str]) -> dict[str, models.Commune]:
        """From the per-process snapshot; the database only for communes not read yet."""
        manquants = codes - _communes.keys()
        if manquants:
            _communes.update(Catalogue._communes_lire(manquants))
        return {code: _communes[code] for code in codes if code in _communes}

    @staticmethod
    def _communes_lire(codes: set[str]) -> dict[str, models.Commune]:
        if not codes:
            return {}
        requete = models.Commune.objects.select_related("departement").prefetch_related(
            "millesimes"
        )
        if len(codes) > COMMUNES_EN_UNE_FOIS:
            communes = {c.code_insee: c for c in requete}
        else:
            communes = {c.code_insee: c for c in requete.filter(code_insee__in=codes)}
        manquants = codes - communes.keys()
        if manquants:
            # Old codes (merged communes, communes déléguées) lead to today's commune.
            anciens = (
                models.AncienCodeCommune.objects.filter(code_insee__in=manquants)
                .select_related("commune__departement")
                .prefetch_related("commune__millesimes")
            )
            for ancien in anciens:
                communes[ancien.code_insee] = ancien.commune
        return communes

    def faits(self, situation: Situation) -> core.Faits:
        cle = (self._version, situation.specialite, situation.commune)
        faits = _faits_core.get(cle)
        if faits is None:
            faits = self._faits_construire(situation)
            if len(_faits_core) >= FAITS_GARDES:
                _faits_core.clear()
            _faits_core[cle] = faits
        return faits

    def _faits_construire(self, situation: Situation) -> core.Faits:
        erreurs: dict[str, list[str]] = {}
        specialite = self._specialites.get(situation.specialite)
        if specialite is None:
            erreurs["specialite"] = [
                f"Spécialité inconnue : aucun code Assurance Maladie « {situation.specialite} »."
            ]
        commune = self._communes.get(situation.commune) if situation.commune else None
        if situation.commune and commune is None:
            erreurs["commune"] = [
                f"Commune inconnue : aucun code INSEE « {situation.commune} » (ni ancien code)."
            ]
        if erreurs:
            raise SituationInvalide(erreurs)
        assert specialite is not None
        lieu = None
        listee = False
        if commune is not None:
            lieu = _lieux_core.get((self._version, commune.code_insee)) or self._lieu_construire(
                commune
            )
            listee = (commune.departement_id, specialite.code) in self._specialites_departements
        specialite_core, percentiles = _specialites_core.get(
            (self._version, specialite.code)
        ) or self._specialite_construire(specialite)
        return core.Faits(
            specialite=specialite_core,
            percentiles=percentiles,
            lieu=lieu,
            specialite_listee_dans_departement=listee,
        )

    def _lieu_construire(self, commune: models.Commune) -> core.Lieu:
        # The zone of a day is read from the vintages only (``Lieu.zonage_au``); the latest
        # one is given for the pages that name « the » zone of a commune.
        millesimes = tuple(
            core.MillesimeZonage(zonage=m.zonage, date=m.date, source=m.source)
            for m in sorted(commune.millesimes.all(), key=lambda m: m.date)
        )
        dernier = millesimes[-1] if millesimes else None
        lieu = _lieux_core[self._version, commune.code_insee] = core.Lieu(
            commune_code=commune.code_insee,
            commune_nom=commune.nom,
            departement_code=commune.departement_id,
            departement_nom=commune.departement.nom,
            zonage=dernier.zonage if dernier else None,
            zonage_date=dernier.date if dernier else None,
            zonage_source=dernier.source if dernier else "",
            millesimes=millesimes,
        )
        return lieu

    def _specialite_construire(
        self, specialite: models.Specialite
    ) -> tuple[core.Specialite, tuple[core.Percentiles, ...]]:
        code_percentiles = specialite.percentiles_de_id or specialite.code
        parties = _specialites_core[self._version, specialite.code] = (
            core.Specialite(
                code=specialite.code,
                libelle=specialite.libelle,
                medicale=specialite.medicale,
                generaliste=specialite.generaliste,
                regles={
                    r.regime: core.RegleSpecialite(
                        regime=r.regime,
                        classe=r.classe,
                        objectif_mt=r.objectif_mt,
                        source=r.source,
                        remarque=r.remarque,
                    )
                    for r in self._regles.get(specialite.code, [])
                },
            ),
            tuple(
                core.Percentiles(
                    indicateur=p.indicateur,
                    date_donnees=p.date_donnees,
                    p30=p.p30,
                    p50=p.p50,
                    p70=p.p70,
                    p90=p.p90,
                    p95=p.p95,
                    source=p.source,
                )
                for p in self._percentiles.get(code_percentiles, [])
            ),
        )
        return parties
