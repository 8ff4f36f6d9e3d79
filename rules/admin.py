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
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from rules import models
from rules.admin_history import AdminSur, HistoriqueAdmin, requete_verifier
from rules.files import FichierInvalide, texte_decoder
from rules.imports import (
    MODELES_CSV,
    AnnulationImpossible,
    Plan,
    annulation_planifier,
    import_annuler,
    import_permission,
    percentiles_planifier,
    plan_appliquer,
    zonage_planifier,
)

admin.site.site_header = "Administration du simulateur assistant médical"
admin.site.site_title = "Administration du simulateur"
admin.site.index_title = "Listes de référence"
admin.site.index_template = "admin/rules/index.html"
# The admins are doctors' representatives: sections named for what they hold, not for the
# tool that keeps them (django-axes records the failed logins).
if apps.is_installed("axes"):
    apps.get_app_config("axes").verbose_name = "Sécurité des connexions"

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
        return (
            super()
            .get_queryset(request)
            .annotate(
                zonage_actuel=_millesime_en_vigueur("zonage"),
                zonage_actuel_date=_millesime_en_vigueur("date"),
            )
        )

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
    debut, fin = millesime.contrats_concernes()
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
    from django.http import Http404

    if not texte.isdigit() or len(texte) > 18:
        raise Http404("Aucun import ne porte ce numéro.")
    return int(texte)


_index = admin.site.index


def _index_avec_fraicheur(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin index, with the date and source of the zonage in force per region."""
    from rules.donnees import zonage_fraicheur_par_region

    return _index(
        request, {**(extra_context or {}), "zonages_regions": zonage_fraicheur_par_region()}
    )


admin.site.index = _index_avec_fraicheur  # type: ignore[method-assign,assignment]
