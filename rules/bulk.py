"""Set-wise writes of many rows with their history: a national zonage file (35 000
communes) applied or undone in seconds, where the ORM's ``bulk_create`` spent them compiling
SQL and per-row saves took minutes. The history records are the ones django-simple-history
writes (same table, same columns), the data version is published by the caller, once.
``millesimes_ajouter`` writes one zonage arrêté (a vintage per commune) this way."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connections, models
from django.utils import timezone

from rules.models import ZonageMillesime

# Ids per IN list: under SQLite's limit on query parameters.
PAQUET = 900


def lignes_inserer(modele: type[models.Model], lignes: list[dict[str, Any]]) -> None:
    """Multi-row INSERTs (as many rows per statement as the database takes parameters),
    each distinct value prepared once: the ORM's ``bulk_create`` spends seconds compiling
    35 000 rows, and one statement per row costs a round trip each on PostgreSQL."""
    if not lignes:
        return
    connexion = connections[modele._default_manager.db]
    champs = [f for f in modele._meta.concrete_fields if f.attname in lignes[0]]
    prepares: dict[tuple[str, Any], Any] = {}

    def preparer(champ: Any, valeur: Any) -> Any:
        cle = (champ.attname, valeur)
        if cle not in prepares:
            prepares[cle] = champ.get_db_prep_save(valeur, connexion)
        return prepares[cle]

    nom = connexion.ops.quote_name
    table_colonnes = f"{nom(modele._meta.db_table)} ({', '.join(nom(f.column) for f in champs)})"
    if connexion.vendor == "postgresql":
        # COPY: the rows stream in one command (no parameter parsing, no round trips).
        with (
            connexion.cursor() as curseur,
            curseur.cursor.copy(f"COPY {table_colonnes} FROM STDIN") as copie,
        ):
            for ligne in lignes:
                copie.write_row([preparer(f, ligne[f.attname]) for f in champs])
        return
    debut_requete = f"INSERT INTO {table_colonnes} VALUES "
    une_ligne = f"({', '.join(['%s'] * len(champs))})"
    par_requete = max(1, (connexion.features.max_query_params or 20000) // len(champs))
    with connexion.cursor() as curseur:
        for debut in range(0, len(lignes), par_requete):
            paquet = lignes[debut : debut + par_requete]
            curseur.execute(
                debut_requete + ", ".join([une_ligne] * len(paquet)),
                [preparer(f, ligne[f.attname]) for ligne in paquet for f in champs],
            )


def historique_ecrire(
    modele: type[models.Model],
    lignes: list[dict[str, Any]],
    *,
    type_historique: str,
    utilisateur: Any,
    motif: str,
    quand: dt.datetime,
) -> None:
    """The history records of rows written set-wise (``lignes``: their tracked values)."""
    historique = modele.history.model  # type: ignore[attr-defined]
    commun = {
        "history_date": quand,
        "history_change_reason": motif,
        "history_type": type_historique,
        "history_user_id": getattr(utilisateur, "pk", None),
    }
    lignes_inserer(historique, [{**ligne, **commun} for ligne in lignes])


def lignes_modifier(modele: type[models.Model], changements: dict[Any, dict[str, Any]]) -> None:
    """UPDATE rows by primary key, one query per distinct set of new values (a zonage file
    has a handful: the zone and the arrêté), by chunks of ids."""
    par_valeurs: dict[tuple[tuple[str, Any], ...], list[Any]] = defaultdict(list)
    for pk, valeurs in changements.items():
        par_valeurs[tuple(sorted(valeurs.items()))].append(pk)
    for nouvelles, ids in par_valeurs.items():
        for debut in range(0, len(ids), PAQUET):
            modele._default_manager.filter(pk__in=ids[debut : debut + PAQUET]).update(
                **dict(nouvelles)
            )


def millesimes_ajouter(
    *, codes: dict[str, str], date: dt.date, source: str, utilisateur: Any, motif: str
) -> None:
    """One vintage per commune at ``date`` (an arrêté): added, or corrected if it exists —
    set-wise, with one history record each."""
    existants = {
        commune: (pk, zonage, ancienne)
        for commune, pk, zonage, ancienne in ZonageMillesime.objects.filter(date=date).values_list(
            "commune_id", "pk", "zonage", "source"
        )
    }
    quand = timezone.now()
    nouveaux = [
        {"commune_id": code, "zonage": zonage, "date": date, "source": source}
        for code, zonage in codes.items()
        if code not in existants
    ]
    lignes_inserer(ZonageMillesime, nouveaux)
    if nouveaux:
        ids: dict[Any, Any] = dict(
            ZonageMillesime.objects.filter(date=date).values_list("commune_id", "pk")
        )
        for ligne in nouveaux:
            ligne["id"] = ids[ligne["commune_id"]]
    corriges = {
        existants[code][0]: {"commune_id": code, "zonage": zonage, "date": date, "source": source}
        for code, zonage in codes.items()
        if code in existants and existants[code][1:] != (zonage, source)
    }
    lignes_modifier(
        ZonageMillesime,
        {pk: {"zonage": v["zonage"], "source": v["source"]} for pk, v in corriges.items()},
    )
    ecrire = {"utilisateur": utilisateur, "motif": motif, "quand": quand}
    historique_ecrire(ZonageMillesime, nouveaux, type_historique="+", **ecrire)
    historique_ecrire(
        ZonageMillesime,
        [{"id": pk, **v} for pk, v in corriges.items()],
        type_historique="~",
        **ecrire,
    )
