"""The summary of answers: one row per question, each with a link back to its step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.services import EXERCICES, OPTIONS, SECTEURS, TRANCHES_PERCENTILE, ZONES, Resultat
from rules.services import formatting as fmt
from simulator.parcours import CHAMPS_ETAPE, Contexte, requete_construire
from simulator.paths import chemin

LIBELLES = {
    "specialite": "Spécialité",
    "secteur": "Secteur",
    "primo_installe": "Nouvellement installé(e)",
    "rqth_ald": "RQTH ou ALD",
    "age_65_ans_ou_plus": "65 ans ou plus",
    "part_activite_liberale": "Part libérale de l’activité",
    "commune": "Commune",
    "zone": "Zonage",
    "patientele_mt": "Patientèle médecin traitant",
    "file_active": "File active",
    "part_honoraires_cliniques": "Part des honoraires cliniques",
    "tranche_percentile": "Tranche de patientèle (selon la CPAM)",
    "centre_de_sante": "Salarié(e) d’un centre de santé",
    "date_signature": "Date de signature",
    "option": "Option",
    "date_contrat_temps_plein": "Contrat 1 ETP en cours signé le",
    "objectifs_atteints": "Objectifs du contrat 1 ETP atteints",
    "exercice": "Mode d’exercice",
    "exercice_coordonne": "Exercice coordonné",
    "part_patients_moins_16_ans": "Patients de moins de 16 ans",
}


@dataclass(frozen=True, slots=True)
class Ligne:
    """One answer as the summary shows it. An object, not a dict: the template reads its
    attributes directly, where a dict's key costs Jinja2 a failed getattr first."""

    cle: str
    libelle: str
    valeur: str
    url: str


def _valeur(cle: str, brut: str, contexte: Contexte, resultat: Resultat | None) -> str:
    if cle == "specialite" and contexte.specialite is not None:
        return contexte.specialite.libelle
    if cle == "secteur":
        return SECTEURS.get(brut, brut)
    if cle == "option":
        return OPTIONS.get(brut, brut)
    if cle == "zone":
        return ZONES.get(brut, brut)
    if cle == "tranche_percentile":
        return TRANCHES_PERCENTILE.get(brut, brut)
    if cle == "exercice":
        return EXERCICES.get(brut, brut)
    if cle in {
        "primo_installe",
        "rqth_ald",
        "age_65_ans_ou_plus",
        "exercice_coordonne",
        "objectifs_atteints",
        "centre_de_sante",
    }:
        return "Oui" if brut == "true" else "Non"
    if cle == "commune" and resultat is not None and resultat.lieu.commune_nom:
        commune = f"{resultat.lieu.commune_nom} ({resultat.lieu.departement_nom})"
        if resultat.lieu.zone_libelle:
            commune += f", {resultat.lieu.zone_libelle[:1].lower()}{resultat.lieu.zone_libelle[1:]}"
        return commune
    if cle in {"date_signature", "date_contrat_temps_plein"}:
        try:
            return fmt.date_fr(dt.date.fromisoformat(brut))
        except ValueError:
            return brut
    if cle in {"patientele_mt", "file_active"} and brut.isdigit():
        return fmt.nombre(int(brut))
    if cle.startswith("part_"):
        return f"{brut.replace('.', ',')} %"
    return brut


def recapitulatif_lignes(
    reponses: dict[str, str],
    contexte: Contexte,
    resultat: Resultat | None,
    *,
    requete: str | None = None,
) -> list[Ligne]:
    """``requete``: the answers' query string when the caller has already built it."""
    lignes = []
    if requete is None:
        requete = requete_construire(reponses)
    urls: dict[str, str] = {}  # a step's link, for each of its rows (3 µs a reverse)
    for cle, libelle in LIBELLES.items():
        if cle not in reponses:
            if cle in {"primo_installe", "rqth_ald", "age_65_ans_ou_plus"}:
                brut = "false"
            elif cle == "part_activite_liberale":
                brut = "100"
            else:
                continue
        else:
            brut = reponses[cle]
        etape = CHAMPS_ETAPE[cle]
        if (url := urls.get(etape)) is None:
            url = urls[etape] = f"{chemin('etape', etape)}?{requete}&retour=resultat"
        lignes.append(
            Ligne(
                cle=cle,
                libelle=libelle,
                valeur=_valeur(cle, brut, contexte, resultat),
                url=f"{url}#id_{cle if cle != 'commune' else 'commune_texte'}",
            )
        )
    return lignes
