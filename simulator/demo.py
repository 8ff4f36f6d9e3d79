"""Demo presets for URPS staff: the doctors of the source brochures, one click away."""

from __future__ import annotations

from typing import Any

_2019 = {
    "date_signature": "2020-01-15",
    "secteur": "1",
    "commune": "18279",
    "exercice": "groupe",
    "exercice_coordonne": "true",
}
_2023 = {"date_signature": "2023-09-01", "secteur": "1", "commune": "45234"}

CAS: list[dict[str, Any]] = [
    {
        "nom": "Docteur A — généraliste, FA 1 300, MT 700",
        "source": "Brochure Assurance Maladie 2019 (avenant 7)",
        "situation": {
            **_2019,
            "specialite": "01",
            "patientele_mt": "700",
            "file_active": "1300",
            "option": "mi_temps",
        },
    },
    {
        "nom": "Docteur B — généraliste, FA 2 081, MT 1 259",
        "source": "Brochure Assurance Maladie 2019 (avenant 7)",
        "situation": {
            **_2019,
            "specialite": "01",
            "patientele_mt": "1259",
            "file_active": "2081",
            "option": "temps_plein",
        },
    },
    {
        "nom": "Docteur C — cardiologue, FA 2 800",
        "source": "Brochure Assurance Maladie 2019 (percentiles de cardiologie non publiés : "
        "objectif fixé par la CPAM)",
        "situation": {**_2019, "specialite": "03", "file_active": "2800", "option": "tiers_temps"},
    },
    {
        "nom": "Docteur D — pédiatre, FA 1 720",
        "source": "Brochure Assurance Maladie 2019",
        "situation": {**_2019, "specialite": "12", "file_active": "1720", "option": "mi_temps"},
    },
    {
        "nom": "Docteur E — ophtalmologue en zone sous-dense, FA 5 500",
        "source": "Brochure Assurance Maladie 2019",
        "situation": {**_2019, "specialite": "15", "file_active": "5500", "option": "temps_plein"},
    },
    {
        "nom": "Généraliste de l'URPS — FA 1 550, MT 900",
        "source": "Fiche URPS Centre-Val de Loire (avenants 7 et 8)",
        "situation": {
            **_2019,
            "specialite": "01",
            "patientele_mt": "900",
            "file_active": "1550",
            "option": "tiers_temps",
        },
    },
    {
        "nom": "Cas 1 — généraliste, MT 920, FA 1 350",
        "source": "Brochure Assurance Maladie 2023 (règlement arbitral)",
        "situation": {
            **_2023,
            "specialite": "01",
            "patientele_mt": "920",
            "file_active": "1350",
            "option": "mi_temps",
        },
    },
    {
        "nom": "Cas 2 — généraliste, MT 1 351, FA 1 902",
        "source": "Brochure Assurance Maladie 2023 (règlement arbitral)",
        "situation": {
            **_2023,
            "specialite": "01",
            "patientele_mt": "1351",
            "file_active": "1902",
            "option": "temps_plein",
        },
    },
    {
        "nom": "Cas 3 — généraliste à très forte patientèle, MT 2 189, FA 3 250",
        "source": "Brochure Assurance Maladie 2023 (règlement arbitral)",
        "situation": {
            **_2023,
            "specialite": "01",
            "patientele_mt": "2189",
            "file_active": "3250",
            "option": "temps_plein",
        },
    },
    {
        "nom": "Primo-installé — généraliste, MT 300, FA 500",
        "source": "Fiche URPS (règlement arbitral 2023)",
        "situation": {
            **_2023,
            "specialite": "01",
            "patientele_mt": "300",
            "file_active": "500",
            "option": "mi_temps",
            "primo_installe": "true",
        },
    },
]
