"""The simulator's only table: the limiter's counters when they live in the main
database (``LIMITES_STOCKAGE=base``, simulator.counters.CompteursBase)."""

from django.db import models


class Compteur(models.Model):
    cle = models.CharField(primary_key=True, max_length=250)
    valeur = models.BigIntegerField()
    expire = models.FloatField(db_index=True)  # Unix time

    class Meta:
        db_table = "simulateur_compteurs"
        verbose_name = "compteur de limite"

    def __str__(self) -> str:
        return f"{self.cle} = {self.valeur}"
