"""Import a zonage CSV or a percentile table, as in the admin: preview first, then confirm."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rules.files import FichierInvalide, texte_decoder
from rules.imports import percentiles_planifier, plan_appliquer, zonage_planifier
from rules.models import ImportApplique, Region
from rules.undo import AnnulationImpossible, import_annuler

LIGNES_MONTREES = 30


class Command(BaseCommand):
    help = (
        "Importe un zonage par commune (--zonage FICHIER --date AAAA-MM-JJ --source TEXTE) ou "
        "une table de percentiles CNAM (--percentiles FICHIER). Sans --confirmer : aperçu seul "
        "(ajouts, modifications, lignes inchangées et rejetées avec leur raison). "
        "--annuler N annule l'import n° N en une fois (hors de toute requête web)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        groupe = parser.add_mutually_exclusive_group(required=True)
        groupe.add_argument("--zonage", metavar="FICHIER")
        groupe.add_argument("--percentiles", metavar="FICHIER")
        groupe.add_argument("--annuler", metavar="N", type=int, help="numéro de l'import")
        parser.add_argument("--date", help="date du zonage (AAAA-MM-JJ)")
        parser.add_argument("--source", default="", help="source du zonage (arrêté de l'ARS…)")
        parser.add_argument(
            "--region",
            default=None,
            help="code de la région d'un fichier régional (84 : Auvergne-Rhône-Alpes) : "
            "seules ses communes sont lues, les autres régions ne changent pas",
        )
        parser.add_argument("--confirmer", action="store_true", help="applique les changements")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["annuler"] is not None:
            self._annuler(options["annuler"])
            return
        chemin = Path(options["zonage"] or options["percentiles"])
        try:
            texte = texte_decoder(chemin.read_bytes())
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {chemin} ({exc.strerror}).") from None
        except FichierInvalide as exc:
            raise CommandError(str(exc)) from None
        debut = time.perf_counter()
        date_zonage = None
        try:
            if options["zonage"]:
                if not options["date"] or not options["source"]:
                    raise CommandError(
                        "Un zonage s'importe avec sa date (--date) et sa source (--source)."
                    )
                try:
                    date_zonage = dt.date.fromisoformat(options["date"])
                except ValueError:
                    raise CommandError("Date invalide : format AAAA-MM-JJ attendu.") from None
                region = options["region"]
                if region and not Region.objects.filter(code=region).exists():
                    raise CommandError(f"Région inconnue : « {region} » (code INSEE, ex. 84).")
                plan = zonage_planifier(
                    texte=texte, date_zonage=date_zonage, source=options["source"], region=region
                )
            else:
                plan = percentiles_planifier(texte=texte)
        except FichierInvalide as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Aperçu de {chemin.name} : {plan.resume()}.")
        for ligne in [ligne for ligne in plan.lignes if ligne.statut != "inchange"][
            :LIGNES_MONTREES
        ]:
            detail = ligne.raison or f"{ligne.avant} → {ligne.apres}"
            self.stdout.write(f"  ligne {ligne.numero} — {ligne.cle} : {ligne.statut} ({detail})")
        if plan.manquantes:
            self.stdout.write(
                f"{len(plan.manquantes)} commune(s) de la région absente(s) du fichier (leur "
                f"zonage ne change pas) : {', '.join(plan.manquantes[:LIGNES_MONTREES])}"
                + ("…" if len(plan.manquantes) > LIGNES_MONTREES else "")
            )
        if not options["confirmer"]:
            self.stdout.write("Rien n'a changé : relancez avec --confirmer pour appliquer.")
            return
        journal = plan_appliquer(
            plan=plan,
            nom_fichier=f"{chemin.name} (ligne de commande)",
            date_zonage=date_zonage,
            source=options["source"],
        )
        duree = time.perf_counter() - debut
        self.stdout.write(
            f"{journal} appliqué : {len(plan.changements)} changement(s) en {duree:.1f} s "
            "(annulable en une fois dans l'administration, « Imports appliqués »)."
        )
        sys.stdout.flush()

    def _annuler(self, numero: int) -> None:
        journal = ImportApplique.objects.filter(pk=numero).first()
        if journal is None:
            raise CommandError(f"Aucun import n° {numero}.")
        debut = time.perf_counter()
        try:
            annulation = import_annuler(journal=journal)
        except AnnulationImpossible as exc:
            raise CommandError(str(exc)) from None
        duree = time.perf_counter() - debut
        self.stdout.write(f"{journal} annulé en {duree:.1f} s : {annulation.message()}")
