"""The step-by-step journey. The answers live in the URL's query string, never on the server.

A step applies or not depending on earlier answers (the 2019 practice questions only for a
contract signed under the avenant 7, the patientèle MT only for specialties with an MT
target...). Each step's form, bound to the answers, says whether the step is complete.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.http import QueryDict

from rules.catalogue import referentiel_obtenir
from rules.models import RegleSpecialite, Specialite
from rules.services import Regime, Situation, parametres_obtenir, regles_obtenir

CLES = list(Situation.model_fields)


def reponses_lire(donnees: QueryDict | dict[str, str]) -> dict[str, str]:
    """The contract keys found in a query string (anything else is ignored)."""
    return {
        cle: str(donnees.get(cle)).strip() for cle in CLES if donnees.get(cle) not in (None, "")
    }


def requete_construire(reponses: dict[str, str]) -> str:
    """Stable order (the contract's) so that the same situation gives the same link."""
    return urlencode([(cle, reponses[cle]) for cle in CLES if reponses.get(cle) not in (None, "")])


@dataclass
class Contexte:
    """What earlier answers tell the later steps."""

    reponses: dict[str, str]

    @cached_property
    def specialite(self) -> Specialite | None:
        code = self.reponses.get("specialite", "")
        if not re.fullmatch(r"\d{1,2}", code):  # the URL is untrusted: no odd text to the DB
            return None
        return referentiel_obtenir().specialites.get(code.zfill(2))

    @cached_property
    def regles(self) -> dict[str, RegleSpecialite]:
        if self.specialite is None:
            return {}
        return {r.regime: r for r in referentiel_obtenir().regles.get(self.specialite.code, [])}

    @cached_property
    def date_signature(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.reponses.get("date_signature", ""))
        except ValueError:
            return None

    @property
    def regime(self) -> Regime | None:
        jour = self.date_signature or dt.date.today()
        return parametres_obtenir().regime_a_la_date(jour)

    @property
    def demande_mt(self) -> bool:
        """GPs always; other specialties when a regime sets them an MT target (paediatrics)."""
        if self.specialite is None:
            return False
        return self.specialite.generaliste or any(r.objectif_mt for r in self.regles.values())

    @property
    def demande_tranche(self) -> bool:
        """Specialties whose CNAM percentiles the admin does not hold: the doctor states
        the band his CPAM gave him (or does not know it)."""
        if self.specialite is None or self.specialite.generaliste:
            return False
        code = self.specialite.percentiles_de_id or self.specialite.code
        return not referentiel_obtenir().percentiles.get(code)

    @property
    def demande_honoraires_cliniques(self) -> bool:
        return any(r.classe == "honoraires_cliniques" for r in self.regles.values())

    @property
    def regles_2019(self) -> bool:
        regime = self.regime
        return regime is not None and regles_obtenir(regime.famille).conditions_d_exercice


@dataclass(frozen=True)
class EtapeParcours:
    slug: str
    titre: str
    aide: str
    # Asked only for some contracts (2019 rules): not counted in « Étape x sur n ».
    complementaire: bool = False

    def applicable(self, contexte: Contexte) -> bool:
        if self.slug == "exercice":
            return contexte.regles_2019
        return True


ETAPES = (
    EtapeParcours("medecin", "Votre exercice", "Spécialité, secteur et situation particulière."),
    EtapeParcours("lieu", "Votre lieu d’exercice", "La commune donne le département et le zonage."),
    EtapeParcours("patientele", "Votre patientèle", "Les chiffres de vos relevés CNAM (amelipro)."),
    EtapeParcours("contrat", "Votre contrat", "Date de signature et option choisie."),
    EtapeParcours(
        "exercice",
        "Votre mode d’exercice",
        "Votre contrat relève des règles de 2019 (avenants 7 et 8)\u00a0: elles posent des "
        "conditions d’exercice.",
        complementaire=True,
    ),
)
ETAPES_PAR_SLUG = {e.slug: e for e in ETAPES}

# Which step asks each contract key: the result page links an error to its step.
CHAMPS_ETAPE = {
    "specialite": "medecin",
    "secteur": "medecin",
    "primo_installe": "medecin",
    "rqth_ald": "medecin",
    "age_65_ans_ou_plus": "medecin",
    "centre_de_sante": "medecin",
    "part_activite_liberale": "medecin",
    "commune": "lieu",
    "zone": "lieu",
    "patientele_mt": "patientele",
    "file_active": "patientele",
    "part_honoraires_cliniques": "patientele",
    "tranche_percentile": "patientele",
    "date_signature": "contrat",
    "option": "contrat",
    "date_contrat_temps_plein": "contrat",
    "objectifs_atteints": "contrat",
    "exercice": "exercice",
    "exercice_coordonne": "exercice",
    "part_patients_moins_16_ans": "exercice",
}


def etapes_applicables(contexte: Contexte) -> list[EtapeParcours]:
    return [e for e in ETAPES if e.applicable(contexte)]
