"""Regime parameters: dated values, each with its source, loaded from YAML and validated.

Modelled on OpenFisca's parameter files: a parameter is a list of values, each in force
from a date until the next one (``valeur: null`` ends it). Loading fails with a French
message naming the file and the key when a value has no (or an unknown) source, when
dates are not in increasing order or are duplicated, when a key is unknown or missing,
or when the regimes leave a gap or overlap.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    model_validator,
)

PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "parameters"

Confiance = Literal["seed", "2+", "1", "derived"]
Option = Literal["tiers_temps", "mi_temps", "temps_plein", "second_1_5", "second_2"]
# A regime is named by its key in regimes.yaml, and only there.
RegimeCode = str
IndicateurPercentile = Literal["mt_adultes", "mt", "file_active"]

CONFIANCE_LIBELLES: dict[str, str] = {
    "seed": "document source",
    "2+": "au moins deux sources publiques concordantes",
    "1": "une seule source publique",
    "derived": "déduit des exemples publiés",
}


class ParametresInvalides(Exception):
    """The parameter files are not valid: start-up must stop."""


def _exact_decimal(value: Any) -> Any:
    # YAML reads 0.075 as a float: go through its shortest repr so 0.075 stays 0.075.
    if isinstance(value, bool):
        raise ValueError("un nombre est attendu, pas un booléen")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    titre: str
    reference: str


class Valeur(_Strict):
    valeur: Annotated[Decimal | None, BeforeValidator(_exact_decimal)]
    source: str
    confiance: Confiance
    note: str | None = None
    # The legal text the figure comes from, when ``source`` is where it was read (a
    # brochure, secondary sources): both are shown on the sources page.
    texte: str | None = None
    # Where in the source and the text a reader finds the figure (article, rubric,
    # worked example, Journal officiel date), like OpenFisca's ``metadata.reference``.
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class ValeurDatee:
    """One parameter value as used by a calculation, with everything the trace needs."""

    nom: str
    valeur: Decimal
    depuis: dt.date
    source: str
    confiance: str
    note: str | None
    texte: str | None = None
    reference: str | None = None

    @property
    def estimation(self) -> bool:
        return self.confiance == "derived"


# The words of a parameter's name, for a reader: the sources page names a parameter by
# its description, or by these words — never by its id.
MOTS_DES_NOMS = {
    "montants": "Aide annuelle",
    "objectifs_avenant_7": "Hausse de patientèle demandée (avenant 7)",
    "objectifs_2023": "Objectifs depuis 2023",
    "cout_assistant": "Coût de l’assistant",
    "taux": "",
    "plateau": "hausse demandée jusqu’au P50",
    "temps_de_travail": "temps de travail",
    "tiers_temps": "1/3 temps",
    "mi_temps": "mi-temps",
    "temps_plein": "temps plein",
    "annee_1": "1ʳᵉ année",
    "annee_2": "2ᵉ année",
    "annee_3_et_suivantes": "3ᵉ année et suivantes",
    "annee_3_et_suivantes_p90_p95": "3ᵉ année et suivantes, patientèle entre le P90 et le P95",
    "forte_patientele_p95": "très forte patientèle (au-delà du P95), chaque année",
    "p30_p50": "patientèle entre le P30 et le P50",
    "p50_p70": "patientèle entre le P50 et le P70",
    "p70_p90": "patientèle entre le P70 et le P90",
    "p90_p95": "patientèle entre le P90 et le P95",
    "p95": "patientèle au-delà du P95",
    "patientele_mt": "patientèle médecin traitant",
    "file_active": "file active",
    "part_fixe_mt_temps_plein": "temps plein au-delà du P95, hausse en part de la patientèle "
    "médecin traitant",
    "plafond_part_fixe_mt_temps_plein": "temps plein au-delà du P95, plafond de cette hausse",
    "reference_p50": "médiane (P50) des généralistes",
}


def nom_en_mots(nom: str) -> str:
    """``montants.mi_temps.annee_1`` → « Aide annuelle, mi-temps, 1ʳᵉ année »."""
    mots = [MOTS_DES_NOMS.get(morceau, morceau) for morceau in nom.split(".")]
    texte = ", ".join(m for m in mots if m)
    return texte[:1].upper() + texte[1:]


class Parametre(_Strict):
    description: str | None = None
    unite: Literal["euro", "patients", "taux", "pourcentage", "annees", "booleen"]
    valeurs: dict[dt.date, Valeur]
    nom: str = ""

    @property
    def libelle(self) -> str:
        """What the parameter is, in words a doctor reads."""
        return self.description or nom_en_mots(self.nom)

    @model_validator(mode="after")
    def _dates_croissantes(self) -> Parametre:
        dates = list(self.valeurs)
        if not dates:
            raise ValueError("au moins une valeur datée est attendue")
        if dates != sorted(dates):
            raise ValueError("les dates des valeurs doivent être en ordre croissant")
        return self

    @cached_property
    def _index(self) -> tuple[list[dt.date], list[ValeurDatee | None]]:
        # Lookups run tens of times per simulation: bisect over values built once
        # (after the loader has set ``nom``).
        datees = [
            None
            if v.valeur is None
            else ValeurDatee(
                self.nom, v.valeur, depuis, v.source, v.confiance, v.note, v.texte, v.reference
            )
            for depuis, v in self.valeurs.items()
        ]
        return list(self.valeurs), datees

    def en_vigueur(self, jour: dt.date) -> ValeurDatee | None:
        """The value in force on ``jour``, or None before the first date or once ended."""
        dates, datees = self._index
        i = bisect_right(dates, jour)
        return datees[i - 1] if i else None

    def a_la_date(self, jour: dt.date) -> ValeurDatee:
        valeur = self.en_vigueur(jour)
        if valeur is None:
            raise LookupError(f"Le paramètre {self.nom} n'a pas de valeur au {jour:%d/%m/%Y}.")
        return valeur


class Regime(_Strict):
    code: RegimeCode
    libelle: str
    libelle_court: str
    debut: dt.date
    fin: dt.date | None
    source: str
    confiance: Confiance
    famille: Literal["convention_2016", "depuis_2023"]
    options: list[Option]
    indicateur_mt: IndicateurPercentile
    percentiles_depuis: dt.date


class MontantsOption(_Strict):
    annee_1: Parametre
    annee_2: Parametre
    annee_3_et_suivantes: Parametre
    annee_3_et_suivantes_p90_p95: Parametre
    forte_patientele_p95: Parametre


class TauxAvenant7(_Strict):
    p30_p50: Parametre
    p50_p70: Parametre
    p70_p90: Parametre
    p90_p95: Parametre
    p95: Parametre


class ObjectifsAvenant7(_Strict):
    taux: dict[Literal["tiers_temps", "mi_temps", "temps_plein"], TauxAvenant7]


class ParIndicateur(_Strict):
    patientele_mt: Parametre
    file_active: Parametre


class Objectifs2023(_Strict):
    plateau: dict[Literal["mi_temps", "temps_plein"], ParIndicateur]
    part_fixe_mt_temps_plein: Parametre
    plafond_part_fixe_mt_temps_plein: Parametre
    reference_p50: ParIndicateur


class Conditions(_Strict):
    secteur_2_optam_requis: Parametre
    honoraires_cliniques_min: Parametre
    moins_16_ans_part_min: Parametre
    moins_16_ans_file_active_min: Parametre
    coordination_renforcee_file_active_min: Parametre
    coordination_renforcee_mt_min: Parametre
    temps_plein_zac_isole_p50: Parametre
    baisse_toleree_65_ans: Parametre
    annees_observation: Parametre
    part_acompte: Parametre
    annees_objectif: Parametre
    duree_contrat_annees: Parametre


class TempsDeTravail(_Strict):
    tiers_temps: Parametre
    mi_temps: Parametre
    temps_plein: Parametre


class GrilleIdcc1147(_Strict):
    """Monthly minimums of the positions an assistant médical holds (IDCC 1147)."""

    position_5: Parametre
    position_6: Parametre
    position_8: Parametre
    position_9: Parametre


class CoutAssistant(_Strict):
    grille_idcc_1147: GrilleIdcc1147
    smic_mensuel: Parametre
    temps_de_travail: TempsDeTravail


Montant = Annotated[Decimal, BeforeValidator(_exact_decimal)]
# [gross paid a month, employer's cost a month, taxe sur les salaires a year]
PointCout = tuple[Montant, Montant, Montant]


class BaremeCout(_Strict):
    """The payroll engine's figures in force from one date, for each share of a full time."""

    smic_mensuel: Montant
    tiers_temps: list[PointCout]
    mi_temps: list[PointCout]
    temps_plein: list[PointCout]

    @model_validator(mode="after")
    def _salaires_croissants(self) -> BaremeCout:
        for points in (self.tiers_temps, self.mi_temps, self.temps_plein):
            bruts = [p[0] for p in points]
            if len(bruts) < 2 or bruts != sorted(set(bruts)):
                raise ValueError("au moins deux salaires, en ordre strictement croissant")
        return self


class CoutEmployeur(_Strict):
    """Written by scripts/generer_cout_employeur.py from OpenFisca-France (never by hand)."""

    description: str
    source: str
    moteur: str
    genere_le: dt.date
    hypotheses: str
    baremes: dict[dt.date, BaremeCout]

    @model_validator(mode="after")
    def _dates_croissantes(self) -> CoutEmployeur:
        dates = list(self.baremes)
        if not dates or dates != sorted(dates):
            raise ValueError("les dates des barèmes doivent être en ordre croissant")
        return self

    def en_vigueur(self, jour: dt.date) -> tuple[dt.date, BaremeCout]:
        """The table in force on ``jour`` (the first one before its date)."""
        dates = list(self.baremes)
        depuis = dates[max(bisect_right(dates, jour) - 1, 0)]
        return depuis, self.baremes[depuis]


class EntreeJournal(_Strict):
    date: dt.date
    titre: str
    detail: str
    source: str


class Parametres(_Strict):
    sources: dict[str, Source]
    journal: list[EntreeJournal]
    regimes: dict[RegimeCode, Regime]
    montants: dict[Literal["tiers_temps", "mi_temps", "temps_plein"], MontantsOption]
    objectifs_avenant_7: ObjectifsAvenant7
    objectifs_2023: Objectifs2023
    conditions: Conditions
    cout_assistant: CoutAssistant
    cout_employeur: CoutEmployeur

    @model_validator(mode="after")
    def _coherence(self) -> Parametres:
        _regimes_verifier(self.regimes.values(), self.sources)
        for entree in self.journal:
            if entree.source not in self.sources:
                raise ValueError(
                    f"journal du {entree.date:%d/%m/%Y} : source « {entree.source} » inconnue"
                )
        if self.cout_employeur.source not in self.sources:
            raise ValueError(f"cout_employeur : source « {self.cout_employeur.source} » inconnue")
        for nom, parametre in _parametres_parcourir(self):
            for depuis, valeur in parametre.valeurs.items():
                for cle in (valeur.source, valeur.texte):
                    if cle is not None and cle not in self.sources:
                        raise ValueError(
                            f"{nom} (valeur du {depuis:%d/%m/%Y}) : source « {cle} » "
                            "inconnue (à déclarer dans sources.yaml)"
                        )
        return self

    def regime_a_la_date(self, jour: dt.date) -> Regime | None:
        for regime in self.regimes.values():
            if regime.debut <= jour and (regime.fin is None or jour <= regime.fin):
                return regime
        return None

    @property
    def premier_jour(self) -> dt.date:
        return min(r.debut for r in self.regimes.values())

    def source_titre(self, cle: str) -> str:
        return self.sources[cle].titre

    def tous(self) -> list[tuple[str, Parametre]]:
        """Every parameter with its dotted name, for the sources page and the tests."""
        return list(_parametres_parcourir(self))


def _regimes_verifier(regimes: Iterable[Regime], sources: Mapping[str, Source]) -> None:
    ordre = sorted(regimes, key=lambda r: r.debut)
    for regime in ordre:
        if regime.source not in sources:
            raise ValueError(f"régime {regime.code} : source « {regime.source} » inconnue")
        if regime.fin is not None and regime.fin < regime.debut:
            raise ValueError(f"régime {regime.code} : la fin précède le début")
    for avant, apres in itertools.pairwise(ordre):
        if avant.fin is None:
            raise ValueError(f"régime {avant.code} : sans date de fin alors qu'un autre le suit")
        attendu = avant.fin + dt.timedelta(days=1)
        if apres.debut < attendu:
            raise ValueError(f"régimes {avant.code} et {apres.code} : périodes qui se chevauchent")
        if apres.debut > attendu:
            raise ValueError(
                f"régimes {avant.code} et {apres.code} : période non couverte entre eux"
            )
    if ordre and ordre[-1].fin is not None:
        raise ValueError(f"régime {ordre[-1].code} : le dernier régime ne doit pas avoir de fin")


def _parametres_parcourir(noeud: Any, prefixe: str = "") -> Any:
    if isinstance(noeud, Parametre):
        yield prefixe, noeud
    elif isinstance(noeud, BaseModel):
        for champ in type(noeud).model_fields:
            if champ in {"sources", "regimes", "journal"} and not prefixe:
                continue
            yield from _parametres_parcourir(getattr(noeud, champ), _joindre(prefixe, champ))
    elif isinstance(noeud, dict):
        for cle, valeur in noeud.items():
            yield from _parametres_parcourir(valeur, _joindre(prefixe, str(cle)))


def _joindre(prefixe: str, nom: str) -> str:
    return f"{prefixe}.{nom}" if prefixe else nom


# libyaml's parser where PyYAML has it: the payroll engine's table (cout_employeur.yaml)
# parses five times faster than with the pure-Python one.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LoaderSansDoublon(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML keeps the last of two equal keys silently: a duplicated date is an error here."""


def _mapping_sans_doublon(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    vues: set[Any] = set()
    for cle_node, _ in node.value:
        cle = loader.construct_object(cle_node)
        if cle in vues:
            raise ParametresInvalides(
                f"clé « {cle} » en double (ligne {cle_node.start_mark.line + 1})"
            )
        vues.add(cle)
    return loader.construct_mapping(node)


_LoaderSansDoublon.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_sans_doublon
)


@functools.cache
def parametres_obtenir() -> Parametres:
    """The regime parameters, read and validated once per process (they ship with the code)."""
    return parametres_charger()


def parametres_charger(*, dossier: Path = PARAMETERS_DIR) -> Parametres:
    """Read every ``*.yaml`` of ``dossier`` (one top-level key per file) and validate."""
    contenu: dict[str, Any] = {}
    fichiers: dict[str, str] = {}
    for chemin in sorted(dossier.glob("*.yaml")):
        try:
            donnees = yaml.load(chemin.read_text(encoding="utf-8"), Loader=_LoaderSansDoublon)
        except (yaml.YAMLError, ParametresInvalides) as exc:
            raise ParametresInvalides(f"{chemin.name} : YAML invalide : {exc}") from exc
        if not isinstance(donnees, dict):
            raise ParametresInvalides(f"{chemin.name} : une clé de premier niveau est attendue")
        for cle, valeur in donnees.items():
            if cle in contenu:
                raise ParametresInvalides(
                    f"{chemin.name} : « {cle} » déjà défini dans {fichiers[cle]}"
                )
            contenu[cle] = valeur
            fichiers[cle] = chemin.name
    for code, regime in (contenu.get("regimes") or {}).items():
        if isinstance(regime, dict):
            regime.setdefault("code", code)
    try:
        parametres = Parametres.model_validate(contenu)
    except ValidationError as exc:
        raise ParametresInvalides(_erreurs_decrire(exc, fichiers)) from exc
    for nom, parametre in _parametres_parcourir(parametres):
        object.__setattr__(parametre, "nom", nom)
    return parametres


_TYPES_ERREUR = {
    "missing": "clé manquante",
    "extra_forbidden": "clé inconnue",
    "literal_error": "valeur non reconnue",
    "date_from_datetime_parsing": "date invalide",
    "date_parsing": "date invalide",
    "decimal_parsing": "nombre invalide",
}


def _erreurs_decrire(exc: ValidationError, fichiers: dict[str, str]) -> str:
    lignes = ["Paramètres réglementaires invalides :"]
    for erreur in exc.errors():
        chemin = ".".join(str(p) for p in erreur["loc"])
        fichier = fichiers.get(str(erreur["loc"][0]), "?") if erreur["loc"] else "?"
        message = _TYPES_ERREUR.get(erreur["type"], erreur["msg"])
        if erreur["type"] == "value_error":
            message = (
                str(erreur["ctx"].get("error", erreur["msg"])) if "ctx" in erreur else erreur["msg"]
            )
        lignes.append(f"- {fichier} : {chemin or '(racine)'} : {message}")
    return "\n".join(lignes)
