"""Input validation: every mistake gets a French message on its field."""

from __future__ import annotations

import pytest

from rules.core.situation import SituationInvalide, situation_valider

BASE = {
    "specialite": "01",
    "secteur": "1",
    "patientele_mt": 900,
    "file_active": 1300,
    "option": "mi_temps",
}


def erreurs(**changes: object) -> dict[str, list[str]]:
    with pytest.raises(SituationInvalide) as exc:
        situation_valider({**BASE, **changes})
    return exc.value.erreurs


@pytest.mark.parametrize(
    ("champ", "valeur", "mots"),
    [
        ("patientele_mt", -1, "ne peut pas être négatif"),
        ("patientele_mt", "douze", "nombre entier"),
        ("patientele_mt", 12.5, "nombre entier"),
        ("file_active", 10**9, "trop élevée"),
        ("file_active", "", "obligatoire"),
        ("specialite", "abc", "deux chiffres"),
        ("secteur", "3", "Secteur non reconnu"),
        ("option", "plein", "Option non reconnue"),
        ("commune", "1234", "Code commune invalide"),
        ("date_signature", "31/12/2023", "AAAA-MM-JJ"),
        ("date_signature", "1850-01-01", "bornes"),
        ("part_activite_liberale", 0, "supérieure à 0"),
        ("part_activite_liberale", 150, "dépasser 100"),
        ("part_honoraires_cliniques", "beaucoup", "pourcentage"),
        ("primo_installe", "peut-être", "oui ou non"),
        ("zone", "centre", "ZIP, ZAC ou hors zone"),
    ],
)
def test_message_francais_par_champ(champ: str, valeur: object, mots: str) -> None:
    messages = erreurs(**{champ: valeur})
    assert champ in messages
    assert mots in " ".join(messages[champ])


def test_champ_inconnu() -> None:
    assert "Champ inconnu" in erreurs(patientelle=3)["patientelle"][0]


def test_pas_un_objet() -> None:
    with pytest.raises(SituationInvalide) as exc:
        situation_valider(["liste"])
    assert "situation" in exc.value.erreurs


def test_saisies_souples_acceptees() -> None:
    s = situation_valider(
        {
            **BASE,
            "specialite": 1,
            "file_active": "1\u202f550",
            "primo_installe": "oui",
            "part_activite_liberale": "62,5 %",
            "commune": "2a004",
        }
    )
    assert (
        s.specialite,
        s.file_active,
        s.primo_installe,
        str(s.part_activite_liberale),
        s.commune,
    ) == ("01", 1550, True, "62.5", "2A004")


def test_date_par_defaut_aujourdhui() -> None:
    import datetime as dt

    assert situation_valider(BASE).date_signature == dt.date.today()
