"""What sets each family of regimes apart — the one place that knows it.

Avenants 7 and 8 (2019) and the rules since 2023 (règlement arbitral, convention 2024)
differ in a handful of ways; every rule module asks the contract's family instead of
comparing regime codes. A new convention that changes one of these is a new family here
(and its ``famille`` in regimes.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Regles:
    famille: str
    # The 2019 « mode d'emploi » sheet: each band is defined on MT and FA jointly: one
    # band for the doctor.
    tranches_conjointes: bool
    # Grouping (or its exemptions) and coordinated practice; the complementary step.
    conditions_d_exercice: bool
    # Full time only in zone sous-dense (ZIP; ZAC for a solo doctor ≥ P50 from avenant 8).
    temps_plein_en_zone_sous_dense: bool
    # The zone decides something beyond the second assistant.
    zone_decisive: bool
    # The MT indicator counts adults only.
    mt_adultes: bool
    # Derogations to the minimum: > 20 % under 16, solo in zone sous-dense.
    derogations_minimum_2019: bool
    # Newly installed doctors must reach P50 by year 3 (the 2023 URPS sheet).
    primo_objectif_p50: bool
    # Specialties: a list of eligible ones (2019), or all but a list of excluded ones.
    liste_positive_specialites: bool
    # How the year-3 targets are computed.
    objectifs: Literal["pourcentage_de_la_tranche", "formule_2023"]
    # Where the newly installed doctor's rule is read.
    source_primo: str
    # docs/regles.md §5: under avenant 7 CPAMs have required both targets (2+ sources, 2025).
    risque_deux_objectifs: bool = False
    # From 2023 the aid is « annuelle et pérenne au-delà de la 3e année » (Assurance
    # Maladie brochure, 2023): after year 5 it continues at the year-3+ amount.
    aide_perenne: bool = False
    # Premises fit to host the assistant, an obligation the 2023 texts spell out.
    locaux_adaptes: bool = False


FAMILLES: dict[str, Regles] = {
    "convention_2016": Regles(
        famille="convention_2016",
        tranches_conjointes=True,
        conditions_d_exercice=True,
        temps_plein_en_zone_sous_dense=True,
        zone_decisive=True,
        mt_adultes=True,
        derogations_minimum_2019=True,
        primo_objectif_p50=False,
        liste_positive_specialites=True,
        objectifs="pourcentage_de_la_tranche",
        source_primo="seed_003",
        risque_deux_objectifs=True,
    ),
    "depuis_2023": Regles(
        famille="depuis_2023",
        tranches_conjointes=False,
        conditions_d_exercice=False,
        temps_plein_en_zone_sous_dense=False,
        zone_decisive=False,
        mt_adultes=False,
        derogations_minimum_2019=False,
        primo_objectif_p50=True,
        liste_positive_specialites=False,
        objectifs="formule_2023",
        source_primo="seed_001",
        aide_perenne=True,
        locaux_adaptes=True,
    ),
}


def regles_obtenir(famille: str) -> Regles:
    return FAMILLES[famille]
