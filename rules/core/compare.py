"""Options side by side: the same doctor under each option open on the signing day."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from rules.core import formatting as fmt
from rules.core.result import Resultat


class OptionComparee(BaseModel):
    model_config = ConfigDict(frozen=True)

    option: str
    libelle: str
    resultat: Resultat
    patients_dus: int | None
    aide_par_patient: int | None
    formule: str


def comparaison_calculer(*, resultats: list[Resultat]) -> list[OptionComparee]:
    """For each option: the 5-year aid per extra patient owed in the file active.

    The file active is the one target every specialty has, so it is the common yardstick.
    """
    comparees = []
    for r in resultats:
        total = r.aide.total_5_ans
        fa = r.objectifs.file_active
        if total is None or fa is None:
            patients, par_patient = None, None
            formule = "Non calculable\u00a0: montant ou objectif fixé par la CPAM."
        elif fa.hausse == 0:
            patients, par_patient = 0, None
            formule = "Aucune hausse de file active exigée (maintien)."
        else:
            patients = fa.hausse
            par_patient = fmt.euros_arrondir(Decimal(total) / Decimal(fa.hausse))
            formule = (
                f"{fmt.euros(total)} sur {len(r.aide.annees)} ans / "
                f"{fmt.patients(fa.hausse)} de plus en file active = "
                f"{fmt.euros(par_patient)} par patient"
            )
        comparees.append(
            OptionComparee(
                option=r.aide.option,
                libelle=r.aide.option_libelle,
                resultat=r,
                patients_dus=patients,
                aide_par_patient=par_patient,
                formule=formule,
            )
        )
    return comparees
