"""Load the reference data files of ``rules/data`` into the database, idempotently.

Used by the data migration (with the historical models) and by the
``load_reference_data`` command (with the current ones). Rows are inserted when their
natural key is missing and never overwritten: what administrators changed in the admin
stays as they left it, and a second run leaves the same rows. Changes to existing rows go
through the admin or the previewed imports, which keep their history.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
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


def _inserer(modele: Any, objets: Iterable[Any]) -> int:
    """Insert the rows whose natural key is missing; leave existing rows untouched."""
    objets = list(objets)
    for debut in range(0, len(objets), BATCH):
        modele.objects.bulk_create(objets[debut : debut + BATCH], ignore_conflicts=True)
    return len(objets)


# Models whose changes are kept in history (django-simple-history).
MODELES_HISTORISES = [
    "Commune",
    "Specialite",
    "RegleSpecialite",
    "Percentiles",
    "SpecialiteDepartement2019",
    "ZonageMillesime",  # last: it appears in a later migration
]


def historique_initial_creer(
    *, modele: Callable[[str], Any], motif: str = "Chargement initial"
) -> int:
    """Give every row without history a first record, so that its first change in the
    admin shows a before and an after, and can be reverted."""
    from django.utils import timezone

    maintenant = timezone.now()
    total = 0
    for nom in MODELES_HISTORISES:
        try:
            Modele, Historique = modele(nom), modele(f"Historical{nom}")
        except LookupError:
            return total  # history tables do not exist yet (earlier migration)
        pk = Modele._meta.pk.attname
        deja = set(Historique.objects.values_list(pk, flat=True).distinct())
        noms_historiques = {h.attname for h in Historique._meta.concrete_fields}
        champs = [f.attname for f in Modele._meta.concrete_fields if f.attname in noms_historiques]
        lignes = [
            Historique(
                **{c: getattr(objet, c) for c in champs},
                history_date=maintenant,
                history_type="+",
                history_change_reason=motif,
            )
            for objet in Modele.objects.iterator(chunk_size=BATCH)
            if getattr(objet, pk) not in deja
        ]
        for debut in range(0, len(lignes), BATCH):
            Historique.objects.bulk_create(lignes[debut : debut + BATCH])
        total += len(lignes)
    return total


def reference_data_load(
    *, modele: Callable[[str], Any], dossier: Path = DATA_DIR
) -> dict[str, int]:
    """Upsert every reference file; ``modele("Commune")`` gives the model class to use."""
    Region, Departement, Commune = modele("Region"), modele("Departement"), modele("Commune")
    AncienCode, Specialite = modele("AncienCodeCommune"), modele("Specialite")
    Regle, Percentiles = modele("RegleSpecialite"), modele("Percentiles")
    SpeDep = modele("SpecialiteDepartement2019")
    compte: dict[str, int] = {}

    compte["regions"] = _inserer(
        Region,
        (
            Region(code=r["code_region"], nom=r["nom"])
            for r in lignes_lire("regions.csv", dossier)
            if r["code_region"] not in DEPARTEMENTS_HORS_CONVENTION
        ),
    )
    departements = [
        r
        for r in lignes_lire("departements.csv", dossier)
        if r["code_departement"] not in DEPARTEMENTS_HORS_CONVENTION
    ]
    compte["departements"] = _inserer(
        Departement,
        (
            Departement(code=r["code_departement"], nom=r["nom"], region_id=r["code_region"])
            for r in departements
        ),
    )
    codes_dep = {r["code_departement"] for r in departements}
    zonages = {r["code_insee_cog2026"]: r["zonage"] for r in lignes_lire(ZONAGE_FICHIER, dossier)}
    communes = [
        r for r in lignes_lire("communes.csv", dossier) if r["code_departement"] in codes_dep
    ]
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
                zonage=zonages.get(r["code_insee"], ""),
                zonage_date=ZONAGE_DATE if r["code_insee"] in zonages else None,
                zonage_source=ZONAGE_SOURCE if r["code_insee"] in zonages else "",
            )
            for r in communes
        ),
    )
    codes_communes = {r["code_insee"] for r in communes}
    compte["anciens_codes"] = _inserer(
        AncienCode,
        (
            AncienCode(
                code_insee=r["code_insee"],
                nom=r["nom"],
                type=r["type"],
                commune_id=r["code_insee_commune_actuelle"],
            )
            for r in lignes_lire("communes_deleguees_et_anciens_codes.csv", dossier)
            # A commune déléguée may keep the code of its new commune: nothing to redirect.
            if r["code_insee_commune_actuelle"] in codes_communes
            and r["code_insee"] not in codes_communes
        ),
    )

    generalistes = {r["code"]: r for r in lignes_lire("specialites_medecine_generale.csv", dossier)}
    specialites = list(lignes_lire("specialites_assurance_maladie.csv", dossier))
    compte["specialites"] = _inserer(
        Specialite,
        (
            Specialite(
                code=r["code"],
                libelle=r["libelle"],
                libelle_court=r["libelle_court"],
                famille=r["famille"],
                generaliste=r["code"] in generalistes,
            )
            for r in specialites
        ),
    )
    for code, r in generalistes.items():
        if r["percentiles_de"]:
            Specialite.objects.filter(code=code, percentiles_de__isnull=True).update(
                percentiles_de_id=r["percentiles_de"]
            )
    compte["regles"] = _inserer(
        Regle,
        (
            Regle(
                specialite_id=r["code"],
                regime=r["regime"],
                classe=r["classe"],
                objectif_mt=r["objectif_mt"] == "1",
                source=r["source"],
            )
            for r in lignes_lire("specialites_regles.csv", dossier)
        ),
    )
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
        ),
    )
    compte["specialites_departements_2019"] = _inserer(
        SpeDep,
        (
            SpeDep(
                departement_id=r["departement"], specialite_id=r["specialite"], source=r["source"]
            )
            for r in lignes_lire("specialites_departements_2019.csv", dossier)
        ),
    )
    compte["millesimes"] = millesimes_initiaux_creer(modele=modele)
    compte["historique_initial"] = historique_initial_creer(modele=modele)
    return compte


def millesimes_initiaux_creer(*, modele: Callable[[str], Any]) -> int:
    """A first zonage vintage for every commune whose zonage is dated (insert-only)."""
    try:
        Commune, Millesime = modele("Commune"), modele("ZonageMillesime")
    except LookupError:
        return 0  # the vintage table comes in a later migration
    return _inserer(
        Millesime,
        (
            Millesime(commune_id=code, zonage=zonage, date=date, source=source)
            for code, zonage, date, source in Commune.objects.exclude(zonage="")
            .exclude(zonage_date=None)
            .values_list("code_insee", "zonage", "zonage_date", "zonage_source")
            .iterator(chunk_size=BATCH)
        ),
    )


# The URPS Centre-Val de Loire sheet names « ORL médical » on the national list; the
# nomenclature has one ENT code.
REMARQUE_ORL_2019 = (
    "Sous l'avenant 7, l'ORL médicale est éligible partout, la chirurgie ORL seulement en zone "
    "sous-dense des départements listés par la commission paritaire : la CPAM confirme selon "
    "votre exercice."
)
