from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from rules.reference_data import LIBELLES, reference_data_load


class Command(BaseCommand):
    help = (
        "Charge les données de référence livrées dans rules/data (communes, zonage, "
        "spécialités, règles, percentiles, anciens codes) qui manquent à la base. "
        "Idempotent : une seconde exécution n'ajoute rien. Rien de ce qu'un administrateur "
        "a modifié ou supprimé n'est réécrit ni rechargé."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from rules.catalogue import donnees_modifiees

        with transaction.atomic():
            compte = reference_data_load()
            if any(compte.values()):
                donnees_modifiees()
        ajouts = [f"{n:_} {LIBELLES[nom]}".replace("_", "\u202f") for nom, n in compte.items() if n]
        if not ajouts:
            self.stdout.write("Données de référence déjà à jour : rien à ajouter.")
            return
        self.stdout.write("Données de référence ajoutées :")
        for ligne in ajouts:
            self.stdout.write(f"  {ligne}")
