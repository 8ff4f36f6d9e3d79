"""Every eligibility condition by its stable id (``eligibilite.<code>``), in words a doctor
reads, with the sources it rests on: the sources page lists them, each condition of a
result links to its entry. The figures are the parameters' (``{…}`` below), formatted by
``regles_eligibilite_decrire``: never copied here."""

from __future__ import annotations

from decimal import Decimal

from rules.core import formatting as fmt
from rules.core.parameters import Parametre, Parametres

REGLES_ELIGIBILITE: dict[str, tuple[str, str]] = {
    "centre_de_sante": (
        "Exercice en centre de santé",
        "Les centres de santé relèvent de leur accord national\u00a0: hors du champ de ce simulateur.",
    ),
    "specialite": (
        "Spécialité",
        "2019\u00a0: les généralistes et une liste de spécialités partout, les autres en zone "
        "sous-dense de départements listés. Depuis 2023\u00a0: toutes sauf radiologie, "
        "radiothérapie, stomatologie, anesthésie, anatomo-cytopathologie, médecine nucléaire\u00a0; "
        "chirurgiens (et, depuis 2024, ORL et gynécologues) si leurs honoraires cliniques font "
        "au moins {honoraires_cliniques_min} de leurs honoraires.",
    ),
    "secteur": ("Secteur conventionnel", "Secteur 1, ou secteur 2 avec OPTAM ou OPTAM-CO."),
    "option": (
        "Option choisie",
        "Les options ouvertes à la date de signature\u00a0; sous l’avenant 7, le temps plein en zone "
        "sous-dense seulement (et en ZAC pour le médecin seul au P50 depuis l’avenant 8).",
    ),
    "patientele_minimum": (
        "Patientèle minimale (P30)",
        "Au moins le P30 de la spécialité (généralistes\u00a0: patientèle médecin traitant\u00a0; autres\u00a0: "
        "file active)\u00a0; dérogations\u00a0: nouvellement installé, RQTH ou ALD, et en 2019 plus de "
        "{moins_16_ans_part_min} d’enfants ou médecin seul en zone sous-dense.",
    ),
    "exercice_groupe": (
        "Exercice regroupé (2019)",
        "Au moins deux médecins dans les mêmes locaux, sauf médecin seul en zone sous-dense ou "
        "coordination renforcée.",
    ),
    "exercice_coordonne": (
        "Exercice coordonné (2019)",
        "Membre d’une CPTS, MSP, ESP, d’un centre de santé, ou engagé à le devenir sous 2 ans.",
    ),
    "rqth_ald": ("RQTH ou ALD", "Éligible\u00a0; la CPAM adapte les engagements du contrat."),
    "age_65_ans": (
        "65 ans et plus (2024)",
        "L’engagement porte sur le maintien de la patientèle, une baisse de "
        "{baisse_toleree_65_ans} tolérée.",
    ),
    "age_65_ans_primo_installe": (
        "65 ans et plus, nouvellement installé",
        "Aucune source ne dit quelle règle l’emporte\u00a0: les deux lectures sont montrées.",
    ),
    "second_generaliste": (
        "Second assistant\u00a0: généraliste",
        "Réservé aux médecins généralistes.",
    ),
    "second_zone": ("Second assistant\u00a0: ZIP", "Réservé aux médecins exerçant en ZIP."),
    "second_contrat": (
        "Second assistant\u00a0: contrat 1 ETP",
        "Un contrat d’aide pour 1 ETP déjà signé, au moins dans sa 3ᵉ année.",
    ),
    "second_objectifs": (
        "Second assistant\u00a0: objectifs atteints",
        "Les objectifs du contrat 1 ETP en cours sont atteints.",
    ),
}


def _valeurs(parametre: Parametre) -> list[Decimal]:
    return [v.valeur for v in parametre.valeurs.values() if v.valeur is not None]


def regles_eligibilite_decrire(*, parametres: Parametres) -> dict[str, tuple[str, str]]:
    """Each rule's label and text, with the figure of the regime it describes: the latest
    value of a rule still in force, the first one of a 2019-only rule."""
    c = parametres.conditions
    chiffres = {
        "honoraires_cliniques_min": f"{fmt.nombre(_valeurs(c.honoraires_cliniques_min)[-1])}\u00a0%",
        "moins_16_ans_part_min": f"{fmt.nombre(_valeurs(c.moins_16_ans_part_min)[0])}\u00a0%",
        "baisse_toleree_65_ans": fmt.taux(_valeurs(c.baisse_toleree_65_ans)[-1]),
    }
    return {
        code: (libelle, texte.format_map(chiffres))
        for code, (libelle, texte) in REGLES_ELIGIBILITE.items()
    }
