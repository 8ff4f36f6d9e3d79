"""The brochures' doctors shared by the tests: one definition each (docs/contrat.md keys)."""

from __future__ import annotations

from urllib.parse import urlencode

# Assurance Maladie brochure 2023, case 1: GP, MT 920, FA 1 350, mi-temps.
CAS_1: dict[str, str | int] = {
    "date_signature": "2023-09-01",
    "specialite": "01",
    "secteur": "1",
    "patientele_mt": 920,
    "file_active": 1350,
    "option": "mi_temps",
}
# The same doctor in Orléans, as a query string (share link, pages).
CAS_1_REQUETE = urlencode({**CAS_1, "commune": "45234"})

# The same doctor signing on 2025-03-01, under today's rules (convention 2024), in Orléans.
SITUATION_AUJOURDHUI: dict[str, str | int] = {
    **CAS_1,
    "date_signature": "2025-03-01",
    "commune": "45234",
}
SITUATION_AUJOURDHUI_REQUETE = urlencode(SITUATION_AUJOURDHUI)
