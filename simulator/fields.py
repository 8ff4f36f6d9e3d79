"""Form fields and the accessible base form every door's form uses: whole patients,
percentages (French spellings), the specialty select that knows doctors' words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rules.services import MESSAGES_PATIENTS, PATIENTS_MAX
from rules.services import formatting as fmt
from simulator.jinja_env import RENDU_FORMULAIRES
from simulator.specialites import MOTS

OUI_NON = [("true", "Oui"), ("false", "Non")]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class NombrePatientsField(forms.IntegerField):
    """Whole patients; « 1 550 » and « 1 550 » (no-break space) are read as 1550."""

    default_error_messages = {
        "invalid": MESSAGES_PATIENTS["invalide"],
        "min_value": MESSAGES_PATIENTS["negatif"],
        "max_value": MESSAGES_PATIENTS["trop_eleve"],
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", PATIENTS_MAX)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "champ-nombre"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
        return super().to_python(value)


class PourcentageField(forms.DecimalField):
    default_error_messages = {
        "invalid": "Saisissez un pourcentage, par exemple 25 ou 12,5.",
        "min_value": "Le pourcentage ne peut pas être inférieur à %(limit_value)s.",
        "max_value": "Le pourcentage ne peut pas dépasser %(limit_value)s.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "champ-nombre"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f%]", "", value).replace(",", ".")
        try:
            return super().to_python(value)
        except (InvalidOperation, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return fmt.nombre(value)
        return value


def booleen_en_reponse(valeur: str | None) -> str | None:
    """A ticked box as the address keeps it (« true »), an unticked one as nothing."""
    return "true" if valeur in {"true", "on", "True", True} else None


class AccessibleForm(forms.Form):
    """Inputs point to their help and error texts (aria-describedby) and say when invalid.

    The public forms render with Django's stock Jinja2 form renderer, like their pages."""

    default_renderer = RENDU_FORMULAIRES

    def _decrire(self) -> None:
        for nom, champ in self.fields.items():
            ids = [f"id_{nom}_aide"] if champ.help_text else []
            if self.is_bound and nom in self.errors:
                ids.append(f"id_{nom}_erreur")
                champ.widget.attrs["aria-invalid"] = "true"
            if ids:
                champ.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._decrire()


class SpecialiteSelect(forms.Select):
    """Each option carries the words doctors use for it (« cardiologue », « ORL »…)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value and str(value) in MOTS:
            option["attrs"]["data-mots"] = MOTS[str(value)]
        return option
