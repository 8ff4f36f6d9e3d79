"""The admin where URPS staff keep the reference lists current.

Every change is kept with its author, date and before/after (django-simple-history: the
« Historique » button of each row, from which any version can be restored). Official
nomenclature fields (INSEE code, name, specialty code…) are read-only; files received from
the ARS or the CNAM are imported with a preview of what will change (``admin_imports``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from rules import models
from rules.admin_history import AdminSur, HistoriqueAdmin
from rules.admin_imports import ImportMixin  # also registers the applied imports' admin

admin.site.site_header = "Administration du simulateur assistant médical"
admin.site.site_title = "Administration du simulateur"
admin.site.index_title = "Listes de référence"
admin.site.index_template = "admin/rules/index.html"
# The admins are doctors' representatives: sections named for what they hold, not for the
# tool that keeps them (django-axes records the failed logins).
if apps.is_installed("axes"):
    apps.get_app_config("axes").verbose_name = "Sécurité des connexions"


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


class ZonageEnVigueurFilter(admin.SimpleListFilter):
    """The zone in force today (the latest vintage dated today or before)."""

    title = "zonage en vigueur"
    parameter_name = "zonage"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*models.Zonage.choices, ("aucun", "Aucun zonage connu")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        valeur = self.value()
        if valeur == "aucun":
            return queryset.filter(zonage_actuel=None)
        if valeur in models.Zonage.values:
            return queryset.filter(zonage_actuel=valeur)
        return queryset


def _millesime_en_vigueur(champ: str) -> Subquery:
    return Subquery(
        models.ZonageMillesime.objects.filter(commune=OuterRef("pk"), date__lte=dt.date.today())
        .order_by("-date")
        .values(champ)[:1]
    )


# Commune fields that come from the INSEE geography (read-only once the commune exists).
CHAMPS_COG: list[Any] = [
    "code_insee",
    "nom",
    "type",
    "departement",
    "codes_postaux",
    "population",
    "commune_parente",
]


@admin.register(models.Commune)
class CommuneAdmin(ImportMixin, HistoriqueAdmin):
    """The communes of the COG; their zonage is kept as dated vintages (one truth)."""

    type_import = "zonage"
    change_list_template = "admin/rules/change_list_import.html"
    list_display = ["code_insee", "nom", "departement", "zonage_en_vigueur", "zonage_depuis"]
    list_filter = [ZonageEnVigueurFilter, RegionFilter, "departement"]
    search_fields = ["code_insee", "nom", "codes_postaux"]
    list_select_related = ["departement"]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        ("Commune (Code officiel géographique)", {"fields": CHAMPS_COG}),
        ("Zonage médecins de l'ARS", {"fields": ["zonages_successifs"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        requete: QuerySet[Any] = (
            super()
            .get_queryset(request)
            .annotate(
                zonage_actuel=_millesime_en_vigueur("zonage"),
                zonage_actuel_date=_millesime_en_vigueur("date"),
            )
        )
        return requete

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The INSEE geography is official; the zonage is edited as vintages.
        return [*CHAMPS_COG, "zonages_successifs"] if obj else ["zonages_successifs"]

    @admin.display(description="zonage en vigueur", ordering="zonage_actuel")
    def zonage_en_vigueur(self, obj: Any) -> str:
        return dict(models.Zonage.choices).get(obj.zonage_actuel or "", "—")

    @admin.display(description="depuis le", ordering="zonage_actuel_date")
    def zonage_depuis(self, obj: Any) -> str:
        return f"{obj.zonage_actuel_date:%d/%m/%Y}" if obj.zonage_actuel_date else "—"

    @admin.display(description="Zonages successifs (un contrat garde celui de sa signature)")
    def zonages_successifs(self, obj: models.Commune) -> str:
        if not obj.pk:
            return "—"
        ajouter = reverse("admin:rules_zonagemillesime_add") + f"?commune={obj.pk}"
        lignes = format_html_join(
            "",
            '<p>depuis le {} : {} — {} (<a href="{}">corriger ou supprimer</a>)</p>',
            (
                (
                    m.date.strftime("%d/%m/%Y"),
                    m.get_zonage_display(),
                    m.source,
                    reverse("admin:rules_zonagemillesime_change", args=[m.pk]),
                )
                for m in obj.millesimes.order_by("date")
            ),
        )
        return format_html(
            '{}<p><a href="{}">Ajouter un zonage daté (nouvel arrêté)</a></p>',
            lignes or "Aucun zonage daté.",
            ajouter,
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fieldsets  # nothing to edit here: no reason to ask

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The COG is official and the zonage is kept as vintages: a commune is only viewed.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a commune leaves the COG through a new vintage, never by hand


class ZonageMillesimeForm(forms.ModelForm):
    class Meta:
        model = models.ZonageMillesime
        fields = ["commune", "zonage", "date", "source"]


def _contrats_texte(millesime: models.ZonageMillesime) -> str:
    """The signing days that get this vintage: from its date to the eve of the next one."""
    suivant = (
        models.ZonageMillesime.objects.filter(
            commune_id=millesime.commune_id, date__gt=millesime.date
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    debut, fin = millesime.date, (suivant - dt.timedelta(days=1)) if suivant else None
    if fin is None:
        return f"contrats signés à partir du {debut:%d/%m/%Y}"
    if fin < debut:
        return "aucun contrat"
    return f"contrats signés du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}"


@admin.register(models.ZonageMillesime)
class ZonageMillesimeAdmin(HistoriqueAdmin):
    """A commune's zonage, one dated vintage per ARS arrêté: add, correct or delete one,
    each with its reason in the history. The calculation reads nothing else."""

    form = ZonageMillesimeForm
    list_display = ["commune", "zonage", "date", "source"]
    list_filter = ["zonage", "date"]
    search_fields = ["commune__code_insee", "commune__nom", "source"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["commune", "contrats"] if obj else []

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        champs: list[Any] = ["commune", "zonage", "date", "source", *(["contrats"] if obj else [])]
        return [(None, {"fields": champs}), ("Historique", {"fields": ["motif_modification"]})]

    @admin.display(description="Contrats concernés")
    def contrats(self, obj: models.ZonageMillesime) -> str:
        return _contrats_texte(obj).capitalize()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Say which contracts the edit reaches: a past date does not change today's zone.
        texte = f"Ce zonage ({obj.get_zonage_display()}) s'applique aux {_contrats_texte(obj)}."
        en_vigueur = obj.commune.millesime_au(dt.date.today())
        if en_vigueur is not None and en_vigueur.pk != obj.pk:
            texte += (
                f" Pour un contrat signé aujourd'hui, le zonage reste "
                f"{en_vigueur.get_zonage_display()} (arrêté du {en_vigueur.date:%d/%m/%Y})."
            )
        if obj.date < dt.date.today():
            messages.warning(request, texte)
        else:
            messages.info(request, texte)


@admin.register(models.SpecialiteDepartement2019)
class SpecialiteDepartement2019Admin(HistoriqueAdmin):
    list_display = ["departement", "specialite", "source"]
    list_filter = [("departement__region", admin.RelatedOnlyFieldListFilter), "departement"]
    search_fields = ["specialite__libelle", "departement__nom", "departement__code"]
    autocomplete_fields = ["specialite", "departement"]
    list_select_related = ["departement", "specialite"]


@admin.register(models.Departement)
class DepartementAdmin(AdminSur):
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


_index = admin.site.index


def _index_avec_fraicheur(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin index, with the date and source of the zonage in force per region."""
    from rules.donnees import zonage_fraicheur_par_region

    return _index(
        request, {**(extra_context or {}), "zonages_regions": zonage_fraicheur_par_region()}
    )


admin.site.index = _index_avec_fraicheur  # type: ignore[method-assign,assignment]
