from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from rules.reference_data import reference_data_load


class Command(BaseCommand):
    help = (
        "Charge (ou recharge) les données de référence livrées dans rules/data : communes, "
        "zonage, spécialités, percentiles. Idempotent : une seconde exécution ne change rien. "
        "Les lignes issues des fichiers reprennent les valeurs des fichiers ; celles ajoutées "
        "dans l'administration sont conservées."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from rules.catalogue import donnees_modifiees

        with transaction.atomic():
            compte = reference_data_load(modele=lambda nom: apps.get_model("rules", nom))
        donnees_modifiees()
        for nom, n in compte.items():
            self.stdout.write(f"{nom} : {n} lignes")
