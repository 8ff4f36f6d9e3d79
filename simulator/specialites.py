"""Specialties as doctors say them: the words the list filter understands, the order of
the list (general practice first), and what tells the look-alike codes apart."""

from __future__ import annotations

# Words a doctor types for his specialty (accents and case are ignored by the filter).
MOTS: dict[str, str] = {
    "01": "généraliste médecin généraliste médecin traitant mg omnipraticien",
    "22": "généraliste médecin généraliste",
    "23": "généraliste médecin généraliste",
    "02": "anesthésiste anesthésie réanimateur",
    "03": "cardiologue cardiologie cardio",
    "04": "chirurgien chirurgie",
    "05": "dermatologue dermato dermatologie peau",
    "06": "radiologue radiologie imagerie",
    "07": "gynécologue gynéco obstétricien gynécologie",
    "08": "gastro-entérologue gastro gastroentérologue hépatologue",
    "09": "interniste médecine interne",
    "11": "orl oto-rhino oto rhino laryngologiste",
    "12": "pédiatre pédiatrie enfants",
    "13": "pneumologue pneumo pneumologie",
    "14": "rhumatologue rhumato rhumatologie",
    "15": "ophtalmologue ophtalmo ophtalmologie yeux",
    "17": "neuropsychiatre psychiatre neurologue",
    "31": "rééducation mpr médecine physique",
    "32": "neurologue neuro neurologie",
    "33": "psychiatre psy psychiatrie",
    "34": "gériatre gériatrie",
    "35": "néphrologue néphro",
    "41": "chirurgien orthopédiste orthopédie",
    "42": "endocrinologue endocrino diabétologue",
    "70": "gynécologue gynéco gynécologie",
    "73": "oncologue cancérologue",
    "75": "pédopsychiatre psychiatre enfants",
    "77": "obstétricien gynéco",
    "79": "gynécologue gynéco obstétricien",
    "84": "angiologue médecine vasculaire phlébologue",
    "85": "allergologue allergo",
}

# General practice first; then the look-alike GP codes, then the others by name.
EN_TETE = ("01", "22", "23")

# The three GP codes: what sets them apart, in words (no code on screen).
LIBELLES: dict[str, str] = {
    "01": "Médecine générale",
    "22": "Médecine générale — qualification de spécialiste (mêmes règles)",
    "23": "Médecine générale — spécialité reconnue par la commission (mêmes règles)",
}
