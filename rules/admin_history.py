"""The admin's history pages, in French and readable: who, when, why, what changed.

Every reference-data admin derives from ``HistoriqueAdmin``: a save asks for its reason
(kept with the history record), a save that changed nothing leaves no empty « Modifié »
entry, and the change list shows labels (« ZIP — zone d'intervention prioritaire »),
French dates and whole values instead of raw codes and truncated text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

MOTIF_PAR_DEFAUT = "Modification dans l'administration"


class HistoriqueLisible(HistoricalRecordContextHelper):
    """Labels instead of codes, French dates, « — » for nothing, whole values."""

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        champ = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return "—"
        choix = dict(getattr(champ, "flatchoices", None) or [])
        if value in choix:
            return choix[value]
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, dt.date):
            return f"{value:%d/%m/%Y}"
        return super().prepare_delta_change_value(change, value)


def _formulaire_avec_motif(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    class AvecMotif(base):  # type: ignore[valid-type,misc]
        motif_modification = forms.CharField(
            label="Raison de la modification",
            required=False,
            max_length=100,
            help_text="Par exemple : arrêté ARS du 12/03/2026, correction d'une saisie. "
            "Elle est conservée dans l'historique.",
        )

    return AvecMotif


def _identique_en_base(obj: Model) -> bool:
    """The row as saved already holds these values (the form's initial values are not
    enough: reverting to a version starts from that version's values)."""
    enregistre = type(obj)._default_manager.filter(pk=obj.pk).first()
    if enregistre is None:
        return False
    return all(
        getattr(enregistre, f.attname) == getattr(obj, f.attname) for f in obj._meta.concrete_fields
    )


# A date-hierarchy parameter of the change lists: a year has at most four digits.
_PARAMETRE_DATE = re.compile(r"__(year|month|day)$")
_PARAMETRE_DATE_VALEUR = re.compile(r"\d{1,4}")


def requete_verifier(request: HttpRequest, *identifiants: object) -> None:
    """Refuse what no database stores or no calendar holds, before any query: a NUL byte
    in a filter or an object id (PostgreSQL raises on it), a year of eleven digits in the
    date hierarchy. 400 for a bad filter, 404 for an id that cannot exist."""
    for identifiant in identifiants:
        if identifiant is not None and "\x00" in str(identifiant):
            raise Http404("Aucun élément ne porte cet identifiant.")
    for cle, valeurs in request.GET.lists():
        if "\x00" in cle or any("\x00" in v for v in valeurs):
            raise BadRequest("Filtre invalide : caractère nul.")
        if _PARAMETRE_DATE.search(cle) and not all(
            _PARAMETRE_DATE_VALEUR.fullmatch(v) for v in valeurs
        ):
            raise BadRequest("Filtre de date invalide.")


class AdminSur(admin.ModelAdmin):
    """Every admin page of the reference data checks its parameters first (no 500)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        requete_verifier(request)
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        requete_verifier(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        requete_verifier(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        requete_verifier(request, object_id)
        return super().history_view(request, object_id, extra_context)


class HistoriqueAdmin(AdminSur, SimpleHistoryAdmin):
    object_history_list_template = "admin/rules/historique_liste.html"

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return HistoriqueLisible(
            self.model, historical_record, max_displayed_delta_change_chars=400
        )

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """A past version is shown to whoever may view the row; restoring it (POST) is a
        change, and needs the change permission like the change form itself."""
        requete_verifier(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        reponse: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return reponse

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = _formulaire_avec_motif(kwargs.get("form") or self.form)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets, ("Historique", {"fields": ["motif_modification"]})]

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if change and _identique_en_base(obj):
            return  # nothing changed: no empty « Modifié » entry in the history
        obj._change_reason = (  # type: ignore[attr-defined]
            form.cleaned_data.get("motif_modification") or MOTIF_PAR_DEFAUT
        )
        super().save_model(request, obj, form, change)
