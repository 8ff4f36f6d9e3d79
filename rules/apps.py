from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "Règles et données de référence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Invalid regime parameters must stop start-up, not surface in a simulation.
        from rules.core.parameters import ParametresInvalides, parametres_obtenir

        try:
            parametres_obtenir()
        except ParametresInvalides as exc:
            raise ImproperlyConfigured(str(exc)) from exc

        # Reference tables are kept in memory per process: any change invalidates them.
        from django.db.models.signals import post_delete, post_save

        from rules import models
        from rules.catalogue import donnees_modifiees

        for modele in (
            models.Specialite,
            models.RegleSpecialite,
            models.Percentiles,
            models.SpecialiteDepartement2019,
            models.Commune,
            models.ZonageMillesime,
            models.AncienCodeCommune,
        ):
            post_save.connect(
                donnees_modifiees, sender=modele, dispatch_uid=f"version-{modele.__name__}"
            )
            post_delete.connect(
                donnees_modifiees, sender=modele, dispatch_uid=f"suppr-{modele.__name__}"
            )
