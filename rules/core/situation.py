"""The situation of a doctor, as every door (Python, CLI, HTTP, share link) receives it.

Input is validated here with French messages keyed by field name, so that the form,
the API and the CLI all say the same thing about the same mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from rules.core.formatting import nombre

# No real patientèle comes near this: a typo (an extra zero or two) is refused, not simulated.
PATIENTS_MAX = 30_000
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
# A doctor preparing his contract may simulate a signing up to 18 months ahead (under
# today's rules); further ahead, no rule can be said to apply.
MOIS_A_VENIR_MAX = 18


def date_signature_max(aujourd_hui: dt.date | None = None) -> dt.date:
    """The latest signing date accepted: 18 months after today (end of month clamped)."""
    return _date_signature_max(aujourd_hui or dt.date.today())


@lru_cache(maxsize=4)  # asked at each validation, for the same today
def _date_signature_max(jour: dt.date) -> dt.date:
    mois = jour.month - 1 + MOIS_A_VENIR_MAX
    annee, mois = jour.year + mois // 12, mois % 12 + 1
    for dernier in (jour.day, 30, 29, 28):
        try:
            return dt.date(annee, mois, dernier)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def date_signature_trop_lointaine(jour: dt.date) -> str | None:
    """The French message for a signing date beyond the limit (naming the field), or None."""
    return message_date_trop_lointaine() if jour > date_signature_max() else None


def message_date_trop_lointaine() -> str:
    limite = date_signature_max()
    return (
        f"Date de signature du contrat trop lointaine\u00a0: au plus tard le {limite:%d/%m/%Y} "
        f"({MOIS_A_VENIR_MAX} mois après aujourd’hui). Au-delà, aucune règle connue ne peut "
        "s’appliquer."
    )


Secteur = Literal["1", "2_optam", "2", "non_conventionne"]
Zone = Literal["zip", "zac", "hors_zone"]
Exercice = Literal["isole", "groupe", "coordination_renforcee"]
OptionCode = Literal["tiers_temps", "mi_temps", "temps_plein", "second_1_5", "second_2"]
TranchePercentile = Literal["sous_p30", "p30_p50", "p50_p70", "p70_p90", "p90_p95", "p95"]

SECTEURS: dict[str, str] = {
    "1": "Secteur 1",
    "2_optam": "Secteur 2 avec OPTAM ou OPTAM-CO",
    "2": "Secteur 2 sans OPTAM",
    "non_conventionne": "Non conventionné",
}
ZONES: dict[str, str] = {
    "zip": "Zone d’intervention prioritaire (ZIP)",
    "zac": "Zone d’action complémentaire (ZAC)",
    "hors_zone": "Hors zone sous-dense",
}
EXERCICES: dict[str, str] = {
    "isole": "Seul (cabinet individuel)",
    "groupe": "En groupe (au moins 2 médecins dans les mêmes locaux)",
    "coordination_renforcee": "Non regroupé, en coordination renforcée (< 20 km, un même assistant)",
}
OPTIONS: dict[str, str] = {
    "tiers_temps": "1/3 temps (1/3 ETP)",
    "mi_temps": "Mi-temps (1/2 ETP)",
    "temps_plein": "Temps plein (1 ETP)",
    "second_1_5": "Second assistant\u00a0: 1,5 ETP au total",
    "second_2": "Second assistant\u00a0: 2 ETP au total",
}

TRANCHES_PERCENTILE: dict[str, str] = {
    "sous_p30": "en dessous du P30",
    "p30_p50": "entre le P30 et le P50",
    "p50_p70": "entre le P50 et le P70",
    "p70_p90": "entre le P70 et le P90",
    "p90_p95": "entre le P90 et le P95",
    "p95": "au-delà du P95 (très forte patientèle)",
}

_VRAI = {"true", "1", "oui", "yes", "o", "on", "vrai"}
_FAUX = {"false", "0", "non", "no", "n", "off", "faux"}


def _texte_nettoye(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _booleen(value: Any) -> Any:
    value = _texte_nettoye(value)
    if isinstance(value, str):
        if value.lower() in _VRAI:
            return True
        if value.lower() in _FAUX:
            return False
    return value


_ESPACES = re.compile(r"[\s\u00a0\u202f]")
_ESPACES_ET_POURCENT = re.compile(r"[\s\u00a0\u202f%]")
_ENTIER = re.compile(r"[+-]?\d+")


def _entier(value: Any) -> Any:
    # "1 550" (French thousands, possibly with a no-break space) is a number people type.
    # A boolean is not a count of patients, although Python would read true as 1.
    if isinstance(value, bool):
        raise ValueError("entier_attendu")
    value = _texte_nettoye(value)
    if isinstance(value, str):
        compact = _ESPACES.sub("", value)
        if _ENTIER.fullmatch(compact):
            return int(compact)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _decimal(value: Any) -> Any:
    value = _texte_nettoye(value)
    if isinstance(value, str):
        compact = _ESPACES_ET_POURCENT.sub("", value).replace(",", ".")
        return compact
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _code(value: Any) -> Any:
    value = _texte_nettoye(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Booleen = Annotated[bool, BeforeValidator(_booleen)]
BooleenOptionnel = Annotated[bool | None, BeforeValidator(_booleen)]
# Constraints before the validator, so that the JSON schema shows them as minimum/maximum.
Patients = Annotated[int, Field(ge=0, le=PATIENTS_MAX), BeforeValidator(_entier)]
PatientsOptionnel = Annotated[int | None, Field(ge=0, le=PATIENTS_MAX), BeforeValidator(_entier)]
Pourcentage = Annotated[Decimal | None, Field(ge=0, le=100), BeforeValidator(_decimal)]


class Situation(BaseModel):
    """One doctor's situation (docs/contrat.md, « Situation (input) »)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    date_signature: Annotated[dt.date, BeforeValidator(_texte_nettoye)] = Field(
        default_factory=dt.date.today,
        title="Date de signature du contrat",
        description="Choisit le régime applicable (par défaut\u00a0: aujourd’hui).",
    )
    specialite: Annotated[str, BeforeValidator(_code)] = Field(
        title="Spécialité (code Assurance Maladie)", pattern=r"^\d{1,2}$"
    )
    secteur: Annotated[Secteur, BeforeValidator(_code)] = Field(title="Secteur conventionnel")
    commune: Annotated[str | None, BeforeValidator(_code)] = Field(
        default=None, title="Commune d’exercice (code INSEE)", pattern=r"^(\d{5}|2[ABab]\d{3})$"
    )
    zone: Annotated[Zone | None, BeforeValidator(_texte_nettoye)] = Field(
        default=None, title="Zonage (remplace celui trouvé par la commune)"
    )
    patientele_mt: PatientsOptionnel = Field(default=None, title="Patientèle médecin traitant")
    file_active: Patients = Field(title="File active")
    option: Annotated[OptionCode, BeforeValidator(_texte_nettoye)] = Field(
        title="Option (temps d’assistant financé)"
    )
    primo_installe: Booleen = Field(default=False, title="Nouvellement installé")
    rqth_ald: Booleen = Field(default=False, title="RQTH ou affection de longue durée")
    age_65_ans_ou_plus: Booleen = Field(default=False, title="65 ans ou plus")
    part_activite_liberale: Annotated[Decimal, BeforeValidator(_decimal)] = Field(
        default=Decimal(100), gt=0, le=100, title="Part de l’activité libérale (%)"
    )
    part_patients_moins_16_ans: Pourcentage = Field(
        default=None, title="Part de patients de moins de 16 ans (%)"
    )
    part_honoraires_cliniques: Pourcentage = Field(
        default=None, title="Part des honoraires cliniques (%)"
    )
    exercice: Annotated[Exercice | None, BeforeValidator(_texte_nettoye)] = Field(
        default=None, title="Mode d’exercice (règles 2019)"
    )
    exercice_coordonne: BooleenOptionnel = Field(
        default=None, title="Exercice coordonné (CPTS, MSP, ESP, centre de santé)"
    )
    date_contrat_temps_plein: Annotated[dt.date | None, BeforeValidator(_texte_nettoye)] = Field(
        default=None,
        title="Second assistant\u00a0: date de signature du contrat 1 ETP en cours",
    )
    objectifs_atteints: BooleenOptionnel = Field(
        default=None, title="Second assistant\u00a0: objectifs du contrat 1 ETP atteints"
    )
    tranche_percentile: Annotated[TranchePercentile | None, BeforeValidator(_texte_nettoye)] = (
        Field(
            default=None,
            title="Tranche de patientèle indiquée par la CPAM",
            description="Utilisée quand les percentiles de la spécialité ne sont pas connus ici.",
        )
    )
    centre_de_sante: Booleen = Field(
        default=False,
        title="Médecin salarié d’un centre de santé",
        description="Hors champ\u00a0: les centres de santé relèvent de leur accord national.",
    )

    @field_validator("specialite")
    @classmethod
    def _specialite_sur_deux_chiffres(cls, value: str) -> str:
        return value.zfill(2)

    @field_validator("commune")
    @classmethod
    def _commune_majuscules(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("date_signature", "date_contrat_temps_plein")
    @classmethod
    def _date_plausible(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValueError("date_hors_bornes")
        return value

    @field_validator("date_signature")
    @classmethod
    def _date_pas_trop_lointaine(cls, value: dt.date) -> dt.date:
        if date_signature_trop_lointaine(value):
            raise ValueError("date_trop_lointaine")
        return value

    @model_validator(mode="before")
    @classmethod
    def _objet_attendu(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("objet_attendu")
        return data


class SituationInvalide(Exception):
    """Bad input: French messages by field name (``{"patientele_mt": ["…"]}``)."""

    def __init__(self, erreurs: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}\u00a0: {' '.join(v)}" for k, v in erreurs.items()))
        self.erreurs = erreurs

    @classmethod
    def depuis_pydantic(cls, exc: ValidationError) -> SituationInvalide:
        erreurs: dict[str, list[str]] = {}
        for erreur in exc.errors(include_url=False):
            champ = str(erreur["loc"][0]) if erreur["loc"] else "situation"
            message = message_francais(champ, erreur)
            if message not in erreurs.setdefault(champ, []):
                erreurs[champ].append(message)
        return cls(erreurs)


_MESSAGES_CHAMP = {
    "specialite": "Code de spécialité invalide\u00a0: deux chiffres, par exemple 01 pour la médecine générale.",
    "commune": "Code commune invalide\u00a0: le code INSEE a 5 caractères (par exemple 45234 ou 2A004).",
    "secteur": "Secteur non reconnu\u00a0: choisissez secteur 1, secteur 2 avec OPTAM ou OPTAM-CO, secteur 2 sans OPTAM ou non conventionné.",
    "option": "Option non reconnue\u00a0: choisissez 1/3\u00a0temps, mi-temps, temps plein ou un second assistant (1,5 ou 2\u00a0ETP).",
    "zone": "Zone non reconnue\u00a0: choisissez ZIP, ZAC ou hors zone sous-dense.",
    "exercice": "Mode d’exercice non reconnu\u00a0: choisissez seul, en groupe ou en coordination renforcée.",
    "tranche_percentile": "Tranche non reconnue\u00a0: choisissez-la dans la liste (du P30 au P95, ou en dessous du P30).",
}


MESSAGE_OBLIGATOIRE = "Ce champ est obligatoire."

# What a count of patients gets wrong, in the same words on every door (form, query
# string, API, CLI, CSV, follow-up).
MESSAGES_PATIENTS = {
    "invalide": "Saisissez un nombre entier de patients, sans décimale (par exemple 1 550).",
    "negatif": "Le nombre de patients ne peut pas être négatif.",
    "trop_eleve": f"Valeur trop élevée\u00a0: au-delà de {nombre(PATIENTS_MAX)} patients, "
    "vérifiez la saisie.",
}
_CHAMPS_PATIENTS = {
    "patientele_mt",
    "file_active",
    "patientele_mt_atteinte",
    "file_active_atteinte",
}


def _message_borne(champ: str, type_: str, ctx: Any) -> str:
    if champ in _CHAMPS_PATIENTS:
        return MESSAGES_PATIENTS["negatif" if type_ != "less_than_equal" else "trop_eleve"]
    if type_ == "greater_than_equal":
        return f"La valeur ne peut pas être inférieure à {ctx.get('ge')}."
    if type_ == "greater_than":
        return f"La valeur doit être supérieure à {ctx.get('gt')}."
    return f"La valeur ne peut pas dépasser {ctx.get('le')}."


def message_francais(champ: str, erreur: Any) -> str:
    """One pydantic error → one French sentence a doctor understands."""
    type_ = erreur["type"]
    ctx = erreur.get("ctx") or {}
    # An empty cell or field is read as None: for a required field that means "missing".
    if type_ == "missing" or (erreur.get("input") is None and type_.endswith("_type")):
        return MESSAGE_OBLIGATOIRE
    if type_ == "extra_forbidden":
        return "Champ inconnu\u00a0: vérifiez son nom (voir la liste des champs du contrat)."
    if type_ in {"literal_error", "string_pattern_mismatch", "enum"} and champ in _MESSAGES_CHAMP:
        return _MESSAGES_CHAMP[champ]
    if type_ in {"int_parsing", "int_type", "int_from_float"} or (
        type_ == "value_error" and "entier_attendu" in str(ctx)
    ):
        return MESSAGES_PATIENTS["invalide"]
    if type_ in {"decimal_parsing", "decimal_type", "float_parsing", "value_error"} and (
        champ.startswith("part_")
    ):
        return "Saisissez un pourcentage, par exemple 25 ou 12,5."
    if type_ in {"greater_than_equal", "greater_than", "less_than_equal"}:
        return _message_borne(champ, type_, ctx)
    if type_ == "value_error" and "date_trop_lointaine" in str(ctx):
        return message_date_trop_lointaine()
    if type_.startswith("date") or (type_ == "value_error" and "date_hors_bornes" in str(ctx)):
        if type_ == "value_error":
            return "Date hors des bornes plausibles (entre 2000 et 2099)."
        return "Date invalide\u00a0: format attendu AAAA-MM-JJ (par exemple 2025-03-01)."
    if type_ in {"bool_parsing", "bool_type"}:
        return "Répondez par oui ou non (true / false)."
    if type_ in {"string_type", "string_too_long"}:
        return "Texte attendu."
    if type_ == "value_error" and "objet_attendu" in str(ctx):
        return "Une situation (objet JSON avec les champs du contrat) est attendue."
    if type_ in {"literal_error", "string_pattern_mismatch"}:
        return "Valeur non reconnue."
    return "Valeur invalide."


def situation_valider(donnees: Any) -> Situation:
    """Build a Situation or raise SituationInvalide with French messages."""
    if isinstance(donnees, Situation):
        return donnees
    try:
        return Situation.model_validate(donnees)
    except ValidationError as exc:
        raise SituationInvalide.depuis_pydantic(exc) from None
