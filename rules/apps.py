from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "Règles et données de référence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Invalid regime parameters must stop start-up, not surface in a simulation.
        from rules.core.parameters import ParametresInvalides
        from rules.services import parametres_obtenir

        try:
            parametres_obtenir()
        except ParametresInvalides as exc:
            raise ImproperlyConfigured(str(exc)) from exc
