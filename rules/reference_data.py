"""Load the reference data files of ``rules/data`` into the database, idempotently.

Run by ``python manage.py load_reference`` (``make setup``, ``deploy/start.sh``), never by
a migration: migrations only shape tables, so that a later change of a model cannot break
a fresh install. Rows are inserted when their natural key is missing and never
overwritten: what administrators changed in the admin stays as they left it, and a second
run adds nothing. Changes to existing rows go through the admin or the previewed imports,
which keep their history.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

ZONAGE_FICHIER = "zonage_mg_communes_cartosante_2025.csv"
ZONAGE_DATE = dt.date(2025, 5, 9)
ZONAGE_SOURCE = (
    "Zonage médecins généralistes des ARS (export CartoSanté, extrait non officiel du "
    "09/05/2025) — à vérifier auprès de l'ARS"
)
# Collectivités d'outre-mer outside the Assurance Maladie convention (own health systems).
DEPARTEMENTS_HORS_CONVENTION = {"984", "986", "987", "988", "989"}
BATCH = 2000


def texte_normaliser(texte: str) -> str:
    """« Saint-Étienne » → « saint etienne »: what the commune search compares."""
    sans_accents = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", sans_accents.lower()).strip()


def lignes_lire(nom: str, dossier: Path = DATA_DIR) -> Iterator[dict[str, str]]:
    with (dossier / nom).open(encoding="utf-8", newline="") as fichier:
        yield from csv.DictReader(fichier)


def _modele(nom: str) -> Any:
    """A model of the rules app, looked up by name: rules.models imports this module (for
    ``texte_normaliser``), so importing it back would make a circle."""
    from django.apps import apps

    return apps.get_model("rules", nom)


def _cles_connues(modele: Any, champs: tuple[str, ...]) -> set[tuple[Any, ...]]:
    """The natural keys of the rows present, and of the rows that ever were (history): a
    row an administrator deleted, or whose key he changed, is not loaded again."""
    cles = set(modele.objects.values_list(*champs))
    historique = getattr(modele, "history", None)
    if historique is not None:
        cles |= set(historique.model.objects.values_list(*champs).distinct())
    return cles


def _inserer(modele: Any, objets: Iterable[Any]) -> int:
    """Insert the given new rows in batches; return how many there were."""
    objets = list(objets)
    for debut in range(0, len(objets), BATCH):
        # ignore_conflicts: a row added meanwhile by another process stays as it is.
        modele.objects.bulk_create(objets[debut : debut + BATCH], ignore_conflicts=True)
    return len(objets)


# Models whose changes are kept in history (django-simple-history).
MODELES_HISTORISES = (
    "Commune",
    "Specialite",
    "RegleSpecialite",
    "Percentiles",
    "SpecialiteDepartement2019",
    "ZonageMillesime",
)


def historique_initial_creer(*, motif: str = "Chargement initial") -> int:
    """Give every row without history a first record, so that its first change in the
    admin shows a before and an after, and can be reverted."""
    from django.utils import timezone

    maintenant = timezone.now()
    total = 0
    for Modele in map(_modele, MODELES_HISTORISES):
        Historique = Modele.history.model
        pk = Modele._meta.pk.attname
        deja = set(Historique.objects.values_list(pk, flat=True).distinct())
        sans_historique = [v for v in Modele.objects.values_list(pk, flat=True) if v not in deja]
        noms_historiques = {h.attname for h in Historique._meta.concrete_fields}
        champs = [f.attname for f in Modele._meta.concrete_fields if f.attname in noms_historiques]
        for debut in range(0, len(sans_historique), BATCH):
            objets = Modele.objects.filter(pk__in=sans_historique[debut : debut + BATCH])
            Historique.objects.bulk_create(
                [
                    Historique(
                        **{c: getattr(objet, c) for c in champs},
                        history_date=maintenant,
                        history_type="+",
                        history_change_reason=motif,
                    )
                    for objet in objets
                ]
            )
        total += len(sans_historique)
    return total


# What each count of reference_data_load is, in the words of the command's report.
LIBELLES = {
    "regions": "régions",
    "departements": "départements",
    "communes": "communes",
    "anciens_codes": "anciens codes de commune",
    "specialites": "spécialités",
    "regles": "règles de spécialité",
    "percentiles": "percentiles",
    "specialites_departements_2019": "spécialités des listes départementales de 2019",
    "millesimes": "millésimes de zonage",
    "historique_initial": "premières entrées d'historique",
}


def reference_data_load(*, dossier: Path = DATA_DIR) -> dict[str, int]:
    """Insert the rows of the reference files that the database lacks; return how many
    of each kind were added (keys of ``LIBELLES``).

    Present rows are never rewritten, whatever an administrator made of them, and a row
    that history shows was once there (deleted or re-keyed in the admin) is not brought
    back: a second run adds nothing, and only reads keys."""
    Region, Departement, Commune = _modele("Region"), _modele("Departement"), _modele("Commune")
    AncienCodeCommune, Specialite = _modele("AncienCodeCommune"), _modele("Specialite")
    RegleSpecialite, Percentiles = _modele("RegleSpecialite"), _modele("Percentiles")
    SpecialiteDepartement2019 = _modele("SpecialiteDepartement2019")

    compte: dict[str, int] = {}

    connues = _cles_connues(Region, ("code",))
    compte["regions"] = _inserer(
        Region,
        (
            Region(code=r["code_region"], nom=r["nom"])
            for r in lignes_lire("regions.csv", dossier)
            if r["code_region"] not in DEPARTEMENTS_HORS_CONVENTION
            and (r["code_region"],) not in connues
        ),
    )
    departements = [
        r
        for r in lignes_lire("departements.csv", dossier)
        if r["code_departement"] not in DEPARTEMENTS_HORS_CONVENTION
    ]
    connues = _cles_connues(Departement, ("code",))
    compte["departements"] = _inserer(
        Departement,
        (
            Departement(code=r["code_departement"], nom=r["nom"], region_id=r["code_region"])
            for r in departements
            if (r["code_departement"],) not in connues
        ),
    )
    codes_dep = {r["code_departement"] for r in departements}
    communes = [
        r for r in lignes_lire("communes.csv", dossier) if r["code_departement"] in codes_dep
    ]
    connues = _cles_connues(Commune, ("code_insee",))
    nouvelles = [r for r in communes if (r["code_insee"],) not in connues]
    compte["communes"] = _inserer(
        Commune,
        (
            Commune(
                code_insee=r["code_insee"],
                nom=r["nom"],
                type=r["type"],
                departement_id=r["code_departement"],
                codes_postaux=r["codes_postaux"],
                population=int(r["population"]) if r["population"] else None,
                commune_parente=r["commune_parente"],
                nom_recherche=texte_normaliser(r["nom"]),
            )
            for r in nouvelles
        ),
    )
    codes_communes = {r["code_insee"] for r in communes}
    connues = _cles_connues(AncienCodeCommune, ("code_insee",))
    compte["anciens_codes"] = _inserer(
        AncienCodeCommune,
        (
            AncienCodeCommune(
                code_insee=r["code_insee"],
                nom=r["nom"],
                type=r["type"],
                commune_id=r["code_insee_commune_actuelle"],
            )
            for r in lignes_lire("communes_deleguees_et_anciens_codes.csv", dossier)
            # A commune déléguée may keep the code of its new commune: nothing to redirect.
            if r["code_insee_commune_actuelle"] in codes_communes
            and r["code_insee"] not in codes_communes
            and (r["code_insee"],) not in connues
        ),
    )

    generalistes = {r["code"]: r for r in lignes_lire("specialites_medecine_generale.csv", dossier)}
    connues = _cles_connues(Specialite, ("code",))
    compte["specialites"] = _inserer(
        Specialite,
        (
            Specialite(
                code=r["code"],
                libelle=r["libelle"],
                libelle_court=r["libelle_court"],
                famille=r["famille"],
                generaliste=r["code"] in generalistes,
                # A reference within the same batch: foreign keys are checked at commit.
                percentiles_de_id=generalistes.get(r["code"], {}).get("percentiles_de") or None,
            )
            for r in lignes_lire("specialites_assurance_maladie.csv", dossier)
            if (r["code"],) not in connues
        ),
    )
    connues = _cles_connues(RegleSpecialite, ("specialite_id", "regime"))
    compte["regles"] = _inserer(
        RegleSpecialite,
        (
            RegleSpecialite(
                specialite_id=r["code"],
                regime=r["regime"],
                classe=r["classe"],
                objectif_mt=r["objectif_mt"] == "1",
                source=r["source"],
                remarque=REMARQUE_ORL_2019 if r["classe"] == "a_confirmer" else "",
            )
            for r in lignes_lire("specialites_regles.csv", dossier)
            if (r["code"], r["regime"]) not in connues
        ),
    )
    connues = _cles_connues(Percentiles, ("specialite_id", "indicateur", "date_donnees"))
    compte["percentiles"] = _inserer(
        Percentiles,
        (
            Percentiles(
                specialite_id=r["specialite"],
                indicateur=r["indicateur"],
                date_donnees=dt.date.fromisoformat(r["date_donnees"]),
                **{p: int(r[p]) if r[p] else None for p in ("p30", "p50", "p70", "p90", "p95")},
                source=r["source"],
            )
            for r in lignes_lire("percentiles_cnam.csv", dossier)
            if (r["specialite"], r["indicateur"], dt.date.fromisoformat(r["date_donnees"]))
            not in connues
        ),
    )
    connues = _cles_connues(SpecialiteDepartement2019, ("departement_id", "specialite_id"))
    compte["specialites_departements_2019"] = _inserer(
        SpecialiteDepartement2019,
        (
            SpecialiteDepartement2019(
                departement_id=r["departement"], specialite_id=r["specialite"], source=r["source"]
            )
            for r in lignes_lire("specialites_departements_2019.csv", dossier)
            if (r["departement"], r["specialite"]) not in connues
        ),
    )
    compte["millesimes"] = millesimes_initiaux_creer(dossier=dossier)
    compte["historique_initial"] = historique_initial_creer()
    return compte


def millesimes_initiaux_creer(*, dossier: Path = DATA_DIR) -> int:
    """The shipped zonage file as one vintage per commune it names, for the communes of
    the database that never had a vintage of that date (insert-only: a vintage an
    administrator deleted stays deleted). The vintages are the only record of the zonage."""
    Commune, ZonageMillesime = _modele("Commune"), _modele("ZonageMillesime")
    connues = _cles_connues(ZonageMillesime, ("commune_id", "date"))
    codes = set(Commune.objects.values_list("code_insee", flat=True))
    return _inserer(
        ZonageMillesime,
        (
            ZonageMillesime(
                commune_id=r["code_insee_cog2026"],
                zonage=r["zonage"],
                date=ZONAGE_DATE,
                source=ZONAGE_SOURCE,
            )
            for r in lignes_lire(ZONAGE_FICHIER, dossier)
            if r["code_insee_cog2026"] in codes
            and (r["code_insee_cog2026"], ZONAGE_DATE) not in connues
        ),
    )


# The URPS Centre-Val de Loire sheet names « ORL médical » on the national list; the
# nomenclature has one ENT code.
REMARQUE_ORL_2019 = (
    "Sous l'avenant 7, l'ORL médicale est éligible partout, la chirurgie ORL seulement en zone "
    "sous-dense des départements listés par la commission paritaire : la CPAM confirme selon "
    "votre exercice."
)
