"""Undoing one applied import as a whole, set-wise and under lock.

A row the import wrote and nobody changed since gets its previous state back (deleted if
the import added it); a row changed by hand since stays; an undo that a later import still
applied would make wrong is refused with a French reason (undo the later one first). Each
step leaves its history record; the data version is published once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Subquery
from django.utils import timezone

from rules.bulk import PAQUET, historique_ecrire, lignes_modifier
from rules.catalogue import donnees_modifiees
from rules.models import ImportApplique, Percentiles, ZonageMillesime

# The table an import writes, by type: its undo needs the right to change that table.
MODELES_IMPORT: dict[str, type[models.Model]] = {
    "zonage": ZonageMillesime,
    "percentiles": Percentiles,
}


def import_permission(*, type_import: str) -> str:
    """The permission that applying or undoing an import of this type needs."""
    meta = MODELES_IMPORT[type_import]._meta
    return f"{meta.app_label}.change_{meta.model_name}"


class AnnulationImpossible(Exception):
    """An import that cannot be undone cleanly: its French reason."""


@dataclass
class Annulation:
    """What undoing one import does, computed set-wise: rows it added that go, rows it
    corrected that get their previous values back, rows changed since that stay. Rows are
    their tracked values by primary key."""

    journal: ImportApplique
    a_supprimer: dict[Any, dict[str, Any]] = field(default_factory=dict)
    a_restaurer: dict[Any, dict[str, Any]] = field(default_factory=dict)
    # Per restored row, only the fields whose value goes back (few distinct sets).
    retours: dict[Any, dict[str, Any]] = field(default_factory=dict)
    modifiees_depuis: int = 0

    @property
    def compte(self) -> dict[str, int]:
        return {
            "supprimees": len(self.a_supprimer),
            "restaurees": len(self.a_restaurer),
            "modifiees_depuis": self.modifiees_depuis,
        }

    def message(self) -> str:
        """Said in the words of the preview: its « ajouts » and « modifications »."""
        texte = (
            f"{len(self.a_supprimer)} ajout(s) retiré(s), "
            f"{len(self.a_restaurer)} modification(s) défaite(s) (valeur d'avant rétablie)"
        )
        if self.modifiees_depuis:
            texte += (
                f", {self.modifiees_depuis} ligne(s) modifiée(s) depuis l'import "
                "laissée(s) telle(s) quelle(s)"
            )
        return texte + "."


def _motif_annulation(journal: ImportApplique) -> str:
    return f"Annulation de l'{str(journal)[0].lower()}{str(journal)[1:]}"


def _import_numero(motif: str | None) -> int | None:
    m = re.match(r"Import n° (\d+) : ", motif or "")
    return int(m.group(1)) if m else None


def annulation_planifier(*, journal: ImportApplique, verrouiller: bool = False) -> Annulation:
    """What undoing ``journal`` would do, read set-wise (a few queries whatever its size).

    A row the import wrote and nobody changed since gets its previous state back (deleted if
    the import added it). A row changed since by hand stays as it is (counted). A row
    changed since by a later import still applied cannot be undone cleanly: refused, with
    the number of the import to undo first. ``verrouiller`` locks the live rows until the
    end of the transaction (``select_for_update``): an edit committing meanwhile waits."""
    if journal.annule_le is not None:
        raise AnnulationImpossible(f"{journal} est déjà annulé.")
    modele = MODELES_IMPORT[journal.type]
    historique = modele.history.model  # type: ignore[attr-defined]
    champs = [f.attname for f in historique.tracked_fields]
    pk = modele._meta.pk.attname
    ecrits = historique.objects.filter(history_change_reason=journal.motif)
    touches = Subquery(ecrits.values(pk))
    vivants_requete = modele._default_manager.filter(pk__in=touches)
    if verrouiller:
        vivants_requete = vivants_requete.select_for_update()
    vivants = {v[pk]: v for v in vivants_requete.values(*champs)}
    versions: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for v in (
        historique.objects.filter(**{f"{pk}__in": touches})
        .order_by("history_date", "history_id")
        .values("history_id", "history_type", "history_change_reason", *champs)
    ):
        versions[v[pk]].append(v)
    annulation = Annulation(journal)
    bloquants: dict[int, int] = defaultdict(int)
    suite_importee = {
        v["history_change_reason"]
        for liste in versions.values()
        for v in liste
        if _import_numero(v["history_change_reason"]) not in (None, journal.pk)
    }
    encore_appliques = {
        i.motif
        for i in ImportApplique.objects.filter(
            pk__in={_import_numero(m) for m in suite_importee}, annule_le=None
        )
    }
    for cle, liste in versions.items():
        rang = max(i for i, v in enumerate(liste) if v["history_change_reason"] == journal.motif)
        ecrit, suite = liste[rang], liste[rang + 1 :]
        for v in suite:
            if v["history_change_reason"] in encore_appliques:
                bloquants[_import_numero(v["history_change_reason"]) or 0] += 1
        vivant = vivants.get(cle)
        if vivant is None or any(vivant[c] != ecrit[c] for c in champs):
            annulation.modifiees_depuis += 1  # changed (or deleted) since: left as it is
            continue
        if ecrit["history_type"] == "+":
            annulation.a_supprimer[cle] = vivant
        elif rang == 0:
            annulation.modifiees_depuis += 1  # no earlier state known: left as it is
        else:
            precedent = {c: liste[rang - 1][c] for c in champs}
            annulation.a_restaurer[cle] = precedent
            annulation.retours[cle] = {c: v for c, v in precedent.items() if v != vivant[c]}
    if bloquants:
        numeros = sorted(bloquants)
        raise AnnulationImpossible(
            f"{journal} ne peut pas être annulé proprement : "
            + ", ".join(
                f"l'import n° {n}, appliqué après lui, a modifié {bloquants[n]} de ses lignes"
                for n in numeros
            )
            + ". Annulez d'abord "
            + ("cet import" if len(numeros) == 1 else "ces imports")
            + " (du plus récent au plus ancien), puis celui-ci."
        )
    return annulation


def import_annuler(*, journal: ImportApplique, utilisateur: Any = None) -> Annulation:
    """Undo what one import wrote, set-wise, each step with its history record.

    The import is claimed first (one UPDATE on its row, the transaction's first write: a
    second undo of the same import waits for it, then finds it undone), then the rows it
    touched are locked, read and written in bulk; the data version is published once."""
    with transaction.atomic():
        maintenant = timezone.now()
        reclame = ImportApplique.objects.filter(pk=journal.pk, annule_le=None).update(
            annule_le=maintenant,
            annule_par=utilisateur if getattr(utilisateur, "pk", None) else None,
        )
        if not reclame:
            raise AnnulationImpossible(f"{journal} est déjà annulé.")
        journal.refresh_from_db()
        journal.annule_le = None  # read as not yet undone while planning
        annulation = annulation_planifier(journal=journal, verrouiller=True)
        journal.refresh_from_db()
        annulation.journal = journal
        modele = MODELES_IMPORT[journal.type]
        ecrire = {
            "utilisateur": utilisateur,
            "motif": _motif_annulation(journal),
            "quand": maintenant,
        }
        ids = list(annulation.a_supprimer)
        for debut in range(0, len(ids), PAQUET):
            # No per-row signal: history and data version are written here, set-wise.
            modele._default_manager.filter(pk__in=ids[debut : debut + PAQUET])._raw_delete(
                using=modele._default_manager.db
            )
        historique_ecrire(
            modele, list(annulation.a_supprimer.values()), type_historique="-", **ecrire
        )
        lignes_modifier(modele, annulation.retours)
        historique_ecrire(
            modele, list(annulation.a_restaurer.values()), type_historique="~", **ecrire
        )
        donnees_modifiees()
    return annulation
