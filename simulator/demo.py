"""Demo presets for URPS staff: doctors under today's rules first, then the doctors of the
source brochures, each one click away from its result."""

from __future__ import annotations

from typing import Any

# Today's rules: the page adds today's date as the signing date (simulator/info_views.py).
_AUJOURDHUI = {"secteur": "1", "commune": "45234"}
_2019 = {
    "date_signature": "2020-01-15",
    "secteur": "1",
    "commune": "18279",
    "exercice": "groupe",
    "exercice_coordonne": "true",
}
_2023 = {"date_signature": "2023-09-01", "secteur": "1", "commune": "45234"}


def _cas(nom: str, source: str, situation: dict[str, str], detail: str = "") -> dict[str, Any]:
    return {"nom": nom, "source": source, "situation": situation, "detail": detail}


AUJOURDHUI: list[dict[str, Any]] = [
    _cas(
        "Généraliste, mi-temps",
        "Règles d’aujourd’hui (convention médicale 2024)",
        {
            **_AUJOURDHUI,
            "specialite": "01",
            "patientele_mt": "920",
            "file_active": "1350",
            "option": "mi_temps",
        },
    ),
    _cas(
        "Généraliste, temps plein",
        "Règles d’aujourd’hui (convention médicale 2024)",
        {
            **_AUJOURDHUI,
            "specialite": "01",
            "patientele_mt": "1351",
            "file_active": "1902",
            "option": "temps_plein",
        },
    ),
    _cas(
        "Généraliste à très forte patientèle, temps plein",
        "Règles d’aujourd’hui\u00a0: les deux indicateurs au-delà du P95",
        {
            **_AUJOURDHUI,
            "specialite": "01",
            "patientele_mt": "2300",
            "file_active": "3400",
            "option": "temps_plein",
        },
    ),
    _cas(
        "Généraliste nouvellement installé, mi-temps",
        "Règles d’aujourd’hui\u00a0: éligible quelle que soit la patientèle",
        {
            **_AUJOURDHUI,
            "specialite": "01",
            "patientele_mt": "300",
            "file_active": "500",
            "option": "mi_temps",
            "primo_installe": "true",
        },
    ),
    _cas(
        "Ophtalmologue au-delà du P95 selon sa CPAM, mi-temps",
        "Règles d’aujourd’hui\u00a0: la tranche indiquée par la CPAM remplace les percentiles non publiés",
        {
            **_AUJOURDHUI,
            "specialite": "15",
            "file_active": "6000",
            "option": "mi_temps",
            "tranche_percentile": "p95",
        },
    ),
    _cas(
        "Généraliste en secteur 2 sans OPTAM",
        "Règles d’aujourd’hui\u00a0: non éligible, et ce qui changerait la réponse",
        {
            **_AUJOURDHUI,
            "secteur": "2",
            "specialite": "01",
            "patientele_mt": "920",
            "file_active": "1350",
            "option": "mi_temps",
        },
    ),
]

BROCHURES: list[dict[str, Any]] = [
    _cas(
        "Docteur A — généraliste",
        "Brochure Assurance Maladie, 2019",
        {
            **_2019,
            "specialite": "01",
            "patientele_mt": "700",
            "file_active": "1300",
            "option": "mi_temps",
        },
    ),
    _cas(
        "Docteur B — généraliste",
        "Brochure Assurance Maladie, 2019",
        {
            **_2019,
            "specialite": "01",
            "patientele_mt": "1259",
            "file_active": "2081",
            "option": "temps_plein",
        },
    ),
    _cas(
        "Docteur C — cardiologue",
        "Brochure Assurance Maladie, 2019 (tranche P70–P90)",
        {
            **_2019,
            "specialite": "03",
            "file_active": "2800",
            "option": "tiers_temps",
            "tranche_percentile": "p70_p90",
        },
    ),
    _cas(
        "Docteur D — pédiatre",
        "Brochure Assurance Maladie, 2019 (tranche P70–P90)",
        {
            **_2019,
            "specialite": "12",
            "file_active": "1720",
            "option": "mi_temps",
            "tranche_percentile": "p70_p90",
        },
    ),
    _cas(
        "Docteur E — ophtalmologue en zone sous-dense",
        "Brochure Assurance Maladie, 2019 (tranche P70–P90)",
        {
            **_2019,
            "specialite": "15",
            "file_active": "5500",
            "option": "temps_plein",
            "tranche_percentile": "p70_p90",
        },
    ),
    _cas(
        "Généraliste de la fiche URPS",
        "Fiche URPS Centre-Val de Loire, 2019",
        {
            **_2019,
            "specialite": "01",
            "patientele_mt": "900",
            "file_active": "1550",
            "option": "tiers_temps",
        },
    ),
    _cas(
        "Cas 1 — généraliste",
        "Brochure Assurance Maladie, 2023",
        {
            **_2023,
            "specialite": "01",
            "patientele_mt": "920",
            "file_active": "1350",
            "option": "mi_temps",
        },
    ),
    _cas(
        "Cas 2 — généraliste",
        "Brochure Assurance Maladie, 2023",
        {
            **_2023,
            "specialite": "01",
            "patientele_mt": "1351",
            "file_active": "1902",
            "option": "temps_plein",
        },
    ),
    _cas(
        "Cas 3 — généraliste à très forte patientèle",
        "Brochure Assurance Maladie, 2023",
        {
            **_2023,
            "specialite": "01",
            "patientele_mt": "2189",
            "file_active": "3250",
            "option": "temps_plein",
        },
    ),
    _cas(
        "Primo-installé — généraliste",
        "Fiche URPS, 2023",
        {
            **_2023,
            "specialite": "01",
            "patientele_mt": "300",
            "file_active": "500",
            "option": "mi_temps",
            "primo_installe": "true",
        },
    ),
]
CAS = AUJOURDHUI + BROCHURES
