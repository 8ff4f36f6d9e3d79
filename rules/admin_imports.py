"""The admin's import pages: upload → preview → confirm on a changelist (``ImportMixin``),
and the applied imports, each undone as a whole from its own page with a confirmation
page saying what will change. Both need the change permission of the import's own table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from rules import models
from rules.admin_history import AdminSur, requete_verifier
from rules.files import FichierInvalide, texte_decoder
from rules.imports import MODELES_CSV, Plan, percentiles_planifier, plan_appliquer, zonage_planifier
from rules.undo import AnnulationImpossible, annulation_planifier, import_annuler, import_permission

TAILLE_IMPORT_MAX = 10 * 1024 * 1024
# An unconfirmed preview is forgotten after this: the data may have changed since.
IMPORT_EXPIRATION = dt.timedelta(hours=1)
APERCU_LIGNES = 500


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur virgule ou point-virgule, encodage UTF-8, une ligne d'en-tête.",
    )
    zonage_date = forms.DateField(
        label="Date du zonage",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Date de l'arrêté de l'ARS (zonage uniquement).",
    )
    zonage_source = forms.CharField(
        label="Source du zonage",
        required=False,
        max_length=300,
        help_text="Par exemple : arrêté ARS Centre-Val de Loire du 12/03/2025.",
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=models.Region.objects.order_by("nom"),
        empty_label="Toute la France (fichier national)",
        help_text="Le fichier d'une seule région : seules ses communes sont lues, les autres "
        "régions ne changent pas, et l'aperçu dit quelles communes de la région manquent.",
    )

    def __init__(self, *args: Any, type_import: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type_import = type_import
        if type_import == "zonage":
            self.fields["zonage_date"].required = True
            self.fields["zonage_source"].required = True
        else:
            del self.fields["zonage_date"]
            del self.fields["zonage_source"]
            del self.fields["region"]

    def clean_fichier(self) -> str:
        fichier = self.cleaned_data["fichier"]
        self.nom_fichier = str(fichier.name or "fichier.csv")[:200]
        if fichier.size > TAILLE_IMPORT_MAX:
            raise forms.ValidationError("Fichier trop volumineux (10 Mo au plus).")
        try:
            return texte_decoder(fichier.read())
        except FichierInvalide as exc:
            raise forms.ValidationError(str(exc)) from None


def _plan(attente: models.ImportEnAttente) -> Plan:
    if attente.type == "zonage":
        assert attente.zonage_date is not None
        return zonage_planifier(
            texte=attente.contenu,
            date_zonage=attente.zonage_date,
            source=attente.zonage_source,
            region=attente.region_id,
        )
    return percentiles_planifier(texte=attente.contenu)


class ImportMixin:
    """« Importer un fichier » on a changelist: upload → preview → confirm."""

    type_import = ""
    model: Any
    admin_site: Any

    def get_urls(self) -> list[URLPattern]:
        nom = f"rules_{self.model._meta.model_name}"
        return [
            path(
                "importer/", self.admin_site.admin_view(self.import_depot), name=f"{nom}_importer"
            ),
            path(
                "importer/modele.csv",
                self.admin_site.admin_view(self.import_modele),
                name=f"{nom}_importer_modele",
            ),
            path(
                "importer/<uuid:pk>/",
                self.admin_site.admin_view(self.import_apercu),
                name=f"{nom}_importer_apercu",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _contexte(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "type_import": self.type_import,
            **extra,
        }

    def import_modele(self, request: HttpRequest) -> HttpResponse:
        """A CSV template with the expected columns and an example row."""
        reponse = HttpResponse(
            "\ufeff" + MODELES_CSV[self.type_import], content_type="text/csv; charset=utf-8"
        )
        reponse["Content-Disposition"] = f'attachment; filename="modele-{self.type_import}.csv"'
        return reponse

    def _import_autorise(self, request: HttpRequest) -> None:
        """Importing writes the import's own table: its change permission is needed."""
        if not request.user.has_perm(import_permission(type_import=self.type_import)):
            raise PermissionDenied

    def import_depot(self, request: HttpRequest) -> HttpResponse:
        self._import_autorise(request)
        models.ImportEnAttente.objects.filter(
            cree_le__lt=timezone.now() - IMPORT_EXPIRATION
        ).delete()
        form = ImportForm(request.POST or None, request.FILES or None, type_import=self.type_import)
        if request.method == "POST" and form.is_valid():
            attente = models.ImportEnAttente.objects.create(
                type=self.type_import,
                nom_fichier=form.nom_fichier,
                contenu=form.cleaned_data["fichier"],
                zonage_date=form.cleaned_data.get("zonage_date"),
                zonage_source=form.cleaned_data.get("zonage_source", ""),
                region=form.cleaned_data.get("region"),
                cree_par=request.user if request.user.is_authenticated else None,
            )
            try:
                _plan(attente)
            except FichierInvalide as exc:
                attente.delete()
                form.add_error("fichier", str(exc))
            else:
                nom = f"admin:rules_{self.model._meta.model_name}_importer_apercu"
                return HttpResponseRedirect(reverse(nom, args=[attente.pk]))
        return render(
            request,
            "admin/rules/import_depot.html",
            self._contexte(request, form=form, title="Importer un fichier"),
        )

    def import_apercu(self, request: HttpRequest, pk: Any) -> HttpResponse:
        self._import_autorise(request)
        attente = get_object_or_404(models.ImportEnAttente, pk=pk, type=self.type_import)
        if attente.cree_le < timezone.now() - IMPORT_EXPIRATION:
            attente.delete()
            messages.warning(
                request,
                "Aperçu expiré (plus d'une heure sans confirmation) : rien n'a changé, déposez "
                "à nouveau le fichier.",
            )
            nom = f"admin:rules_{self.model._meta.model_name}_importer"
            return HttpResponseRedirect(reverse(nom))
        plan = _plan(attente)
        if request.method == "POST":
            if "annuler" in request.POST:
                attente.delete()
                messages.info(request, "Import annulé : rien n'a changé.")
            else:
                journal = plan_appliquer(
                    plan=plan,
                    nom_fichier=attente.nom_fichier,
                    utilisateur=request.user,
                    date_zonage=attente.zonage_date,
                    source=attente.zonage_source,
                    depose_par=attente.cree_par,
                )
                attente.delete()
                compte = plan.compte
                messages.success(
                    request,
                    f"{journal} appliqué : {compte['ajout']} ajout(s), "
                    f"{compte['modification']} modification(s), {compte['inchange']} ligne(s) "
                    f"inchangée(s), {compte['rejet']} rejetée(s). Il peut être annulé en une fois "
                    "depuis sa page.",
                )
                return HttpResponseRedirect(
                    reverse("admin:rules_importapplique_change", args=[journal.pk])
                )
            return HttpResponseRedirect(
                reverse(f"admin:rules_{self.model._meta.model_name}_changelist")
            )
        a_montrer = [ligne for ligne in plan.lignes if ligne.statut != "inchange"][:APERCU_LIGNES]
        return render(
            request,
            "admin/rules/import_apercu.html",
            self._contexte(
                request,
                attente=attente,
                plan=plan,
                lignes=a_montrer,
                tronque=len(plan.lignes) - plan.compte["inchange"] > APERCU_LIGNES,
                manquantes=plan.manquantes[:APERCU_LIGNES],
                title=f"Aperçu de l'import : {attente.nom_fichier}",
            ),
        )


@admin.register(models.ImportApplique)
class ImportAppliqueAdmin(AdminSur):
    """Applied imports, each undoable as a whole from its own page (its history kept)."""

    list_display = [
        "__str__",
        "type",
        "applique_le",
        "depose_par",
        "applique_par",
        "resume",
        "annule_le",
    ]
    list_filter = ["type"]
    change_form_template = "admin/rules/import_applique.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/annuler/",
                self.admin_site.admin_view(self.annulation_view),
                name="rules_importapplique_annuler",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        requete_verifier(request, object_id)
        journal = models.ImportApplique.objects.filter(pk=_entier(object_id)).first()
        extra = {
            **(extra_context or {}),
            "peut_annuler": journal is not None
            and journal.annule_le is None
            and request.user.has_perm(import_permission(type_import=journal.type)),
        }
        return super().change_view(request, object_id, form_url, extra)

    def annulation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: what undoing will change; POST: undo (the import's own permission)."""
        requete_verifier(request, object_id)
        journal = get_object_or_404(models.ImportApplique, pk=_entier(object_id))
        if not request.user.has_perm(import_permission(type_import=journal.type)):
            raise PermissionDenied
        page = reverse("admin:rules_importapplique_change", args=[journal.pk])
        if request.method == "POST":
            try:
                faite = import_annuler(journal=journal, utilisateur=request.user)
            except AnnulationImpossible as exc:
                messages.error(request, str(exc))
            except OperationalError:  # SQLite: another write held the base too long
                messages.error(
                    request,
                    "La base est occupée par une autre opération : rien n'a changé, "
                    "réessayez dans un instant.",
                )
            else:
                messages.success(request, f"{journal} annulé : {faite.message()}")
            return HttpResponseRedirect(page)
        annulation: Any = None
        refus = ""
        try:
            annulation = annulation_planifier(journal=journal)
        except AnnulationImpossible as exc:
            refus = str(exc)
        return render(
            request,
            "admin/rules/import_annulation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "journal": journal,
                "annulation": annulation,
                "refus": refus,
                "page": page,
                "title": f"Annuler l'{str(journal)[0].lower()}{str(journal)[1:]} ?",
            },
        )


def _entier(texte: str) -> int:
    """An import number from the address, or 404."""
    if not texte.isdigit() or len(texte) > 18:
        raise Http404("Aucun import ne porte ce numéro.")
    return int(texte)
