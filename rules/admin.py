"""The admin where URPS staff keep the reference lists current.

Every change is kept with its author, date and before/after (django-simple-history: the
« Historique » button of each row, from which any version can be restored). Official
nomenclature fields (INSEE code, name, specialty code…) are read-only; files received from
the ARS or the CNAM are imported with a preview of what will change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join

from rules import models
from rules.admin_history import HistoriqueAdmin
from rules.files import FichierInvalide, texte_decoder
from rules.imports import (
    MODELES_CSV,
    Plan,
    import_annuler,
    millesimes_ajouter,
    percentiles_planifier,
    plan_appliquer,
    zonage_planifier,
)

admin.site.site_header = "Administration du simulateur assistant médical"
admin.site.site_title = "Administration du simulateur"
admin.site.index_title = "Listes de référence"

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

    def __init__(self, *args: Any, type_import: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type_import = type_import
        if type_import == "zonage":
            self.fields["zonage_date"].required = True
            self.fields["zonage_source"].required = True
        else:
            del self.fields["zonage_date"]
            del self.fields["zonage_source"]

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
            texte=attente.contenu, date_zonage=attente.zonage_date, source=attente.zonage_source
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

    def import_depot(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):  # type: ignore[attr-defined]
            return HttpResponse(status=403)
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
        if not self.has_change_permission(request):  # type: ignore[attr-defined]
            return HttpResponse(status=403)
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
                )
                attente.delete()
                compte = plan.compte
                messages.success(
                    request,
                    f"{journal} appliqué : {compte['ajout']} ajout(s), "
                    f"{compte['modification']} modification(s), {compte['inchange']} ligne(s) "
                    f"inchangée(s), {compte['rejet']} rejetée(s). Il peut être annulé en une fois "
                    "depuis « Imports appliqués ».",
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
                title=f"Aperçu de l'import : {attente.nom_fichier}",
            ),
        )


class RegleSpecialiteInline(admin.TabularInline):
    model = models.RegleSpecialite
    extra = 0
    fields = ["regime", "classe", "objectif_mt", "source"]


@admin.register(models.Specialite)
class SpecialiteAdmin(HistoriqueAdmin):
    list_display = ["code", "libelle", "famille", "generaliste", "percentiles_de"]
    list_filter = ["famille", "generaliste"]
    search_fields = ["code", "libelle"]
    inlines = [RegleSpecialiteInline]
    ordering = ["code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The Assurance Maladie nomenclature is official: only our own fields are edited.
        return ["code", "libelle", "libelle_court", "famille"] if obj else []


@admin.register(models.RegleSpecialite)
class RegleSpecialiteAdmin(HistoriqueAdmin):
    list_display = ["specialite", "regime", "classe", "objectif_mt", "source"]
    list_filter = ["regime", "classe", "objectif_mt"]
    search_fields = ["specialite__code", "specialite__libelle"]
    list_select_related = ["specialite"]
    autocomplete_fields = ["specialite"]


@admin.register(models.Percentiles)
class PercentilesAdmin(ImportMixin, HistoriqueAdmin):
    type_import = "percentiles"
    change_list_template = "admin/rules/change_list_import.html"
    list_display = ["specialite", "indicateur", "date_donnees", *models.PERCENTILES, "source"]
    list_filter = ["indicateur", "date_donnees", "specialite__generaliste", "specialite"]
    search_fields = ["specialite__code", "specialite__libelle", "source"]
    list_select_related = ["specialite"]
    autocomplete_fields = ["specialite"]
    date_hierarchy = "date_donnees"


class RegionFilter(admin.SimpleListFilter):
    title = "région"
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(r.code, r.nom) for r in models.Region.objects.order_by("nom")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(departement__region_id=self.value())
        return queryset


# Commune fields that come from the INSEE geography (read-only once the commune exists).
CHAMPS_COG = [
    "code_insee",
    "nom",
    "type",
    "departement",
    "codes_postaux",
    "population",
    "commune_parente",
]


class CommuneForm(forms.ModelForm):
    class Meta:
        model = models.Commune
        fields = ["zonage", "zonage_date", "zonage_source"]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if self.instance.pk and "zonage" in self.changed_data:
            # A new zonage is a new arrêté: its own date and source, the old vintage kept.
            erreurs = {}
            if "zonage_date" not in self.changed_data:
                erreurs["zonage_date"] = (
                    "Un changement de zonage demande la date du nouvel arrêté de l'ARS."
                )
            if "zonage_source" not in self.changed_data:
                erreurs["zonage_source"] = (
                    "Un changement de zonage demande la source du nouvel arrêté."
                )
            if erreurs:
                raise forms.ValidationError(erreurs)
        return donnees


@admin.register(models.Commune)
class CommuneAdmin(ImportMixin, HistoriqueAdmin):
    type_import = "zonage"
    form = CommuneForm
    change_list_template = "admin/rules/change_list_import.html"
    list_display = ["code_insee", "nom", "departement", "zonage", "zonage_date"]
    list_filter = ["zonage", RegionFilter, "departement", "zonage_date"]
    search_fields = ["code_insee", "nom", "codes_postaux"]
    list_select_related = ["departement"]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        ("Commune (Code officiel géographique)", {"fields": CHAMPS_COG}),
        ("Zonage médecins de l'ARS", {"fields": ["zonage", "zonage_date", "zonage_source"]}),
        ("Zonages successifs", {"fields": ["zonages_successifs"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The INSEE geography is official: only the zonage is kept here.
        return [*CHAMPS_COG, "zonages_successifs"] if obj else ["zonages_successifs"]

    @admin.display(description="Zonages successifs (un contrat garde celui de sa signature)")
    def zonages_successifs(self, obj: models.Commune) -> str:
        if not obj.pk:
            return "—"
        return (
            format_html_join(
                "",
                "<p>depuis le {} : {} — {}</p>",
                (
                    (m.date.strftime("%d/%m/%Y"), m.get_zonage_display(), m.source)
                    for m in obj.millesimes.order_by("date")
                ),
            )
            or "Aucun zonage daté."
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a commune leaves the COG through a new vintage, never by hand

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if (
            obj.zonage
            and obj.zonage_date
            and {"zonage", "zonage_date", "zonage_source"} & set(form.changed_data)
        ):
            millesimes_ajouter(
                codes={obj.code_insee: obj.zonage},
                date=obj.zonage_date,
                source=obj.zonage_source,
                utilisateur=request.user,
                motif="Modification dans l'administration",
            )


@admin.register(models.SpecialiteDepartement2019)
class SpecialiteDepartement2019Admin(HistoriqueAdmin):
    list_display = ["departement", "specialite", "source"]
    list_filter = [("departement__region", admin.RelatedOnlyFieldListFilter), "departement"]
    search_fields = ["specialite__libelle", "departement__nom", "departement__code"]
    autocomplete_fields = ["specialite", "departement"]
    list_select_related = ["departement", "specialite"]


@admin.register(models.Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(models.Region)
class RegionAdmin(DepartementAdmin):
    list_display = ["code", "nom"]
    list_filter = []
    search_fields = ["code", "nom"]


@admin.register(models.ImportApplique)
class ImportAppliqueAdmin(admin.ModelAdmin):
    """Applied imports, each undoable as a whole (its history kept)."""

    list_display = ["__str__", "type", "applique_le", "applique_par", "resume", "annule_le"]
    list_filter = ["type"]
    actions = ["annuler"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Annuler les imports sélectionnés (chaque ligne retrouve sa valeur)")
    def annuler(self, request: HttpRequest, queryset: QuerySet[models.ImportApplique]) -> None:
        if not request.user.has_perm("rules.change_commune"):
            messages.error(request, "Annuler un import demande le droit de modifier les données.")
            return
        for journal in queryset.order_by("-applique_le"):
            try:
                compte = import_annuler(journal=journal, utilisateur=request.user)
            except FichierInvalide as exc:
                messages.warning(request, str(exc))
                continue
            texte = (
                f"{journal} annulé : {compte['supprimees']} ligne(s) ajoutée(s) supprimée(s), "
                f"{compte['restaurees']} ligne(s) restaurée(s)."
            )
            if compte["modifiees_depuis"]:
                texte += (
                    f" {compte['modifiees_depuis']} ligne(s) modifiée(s) depuis l'import "
                    "laissée(s) telle(s) quelle(s)."
                )
            messages.success(request, texte)
