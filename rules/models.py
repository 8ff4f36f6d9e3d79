"""Reference data that administrators keep current: territory, zonage, specialties, percentiles.

The calculation never reads these directly: ``rules.catalogue`` turns them into the core's
plain facts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from rules.core.families import regles_obtenir
from rules.core.formatting import nombre
from rules.core.parameters import parametres_obtenir

# The regimes of rules/parameters/regimes.yaml, the only place that names them.
REGIMES = [
    (code, regime.libelle_court[0].upper() + regime.libelle_court[1:])
    for code, regime in parametres_obtenir().regimes.items()
]


class Region(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="région")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.nom}"


class Zonage(models.TextChoices):
    ZIP = "ZIP", "ZIP — zone d'intervention prioritaire"
    ZAC = "ZAC", "ZAC — zone d'action complémentaire"
    HZ = "HZ", "Hors zonage"
    ZAR = "ZAR", "ZAR — zone d'accompagnement régional (ni ZIP ni ZAC)"
    NA = "NA", "Non disponible"


# Reference data is dated by the text or snapshot it comes from: never far in the future.
HORIZON_DATES = dt.timedelta(days=366)


def date_donnees_verifier(jour: dt.date) -> str | None:
    """Why a date of reference data is refused (admin forms and imports alike), or None."""
    if jour > dt.date.today() + HORIZON_DATES:
        return "date trop lointaine (au plus un an après aujourd'hui)"
    if jour < dt.date(2000, 1, 1):
        return "date trop ancienne (avant 2000)"
    return None


code_insee_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", "Code INSEE invalide : 5 caractères, par exemple 45234 ou 2A004."
)


class Commune(models.Model):
    code_insee = models.CharField(
        "code INSEE", max_length=5, primary_key=True, validators=[code_insee_validator]
    )
    nom = models.CharField("nom", max_length=100)
    type = models.CharField(
        "type", max_length=3, choices=[("COM", "Commune"), ("ARM", "Arrondissement municipal")]
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, verbose_name="département"
    )
    codes_postaux = models.CharField(
        "codes postaux", max_length=200, blank=True, help_text="Séparés par « | »."
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    commune_parente = models.CharField("commune parente", max_length=5, blank=True)
    # Lower-case, accents removed: the search-as-you-type field matches on it.
    nom_recherche = models.CharField("nom normalisé", max_length=100, db_index=True, editable=False)
    history = HistoricalRecords(excluded_fields=["nom_recherche"])

    class Meta:
        verbose_name = "commune"
        ordering = ["code_insee"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code_insee})"

    def save(self, *args: object, **kwargs: object) -> None:
        from rules.reference_data import texte_normaliser

        self.nom_recherche = texte_normaliser(self.nom)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # The zonage has one truth, the vintages: what lists and forms show of a commune's zone
    # is the vintage in force today, the one a contract signed today gets.
    def millesime_au(self, jour: dt.date) -> ZonageMillesime | None:
        """The vintage in force on ``jour`` (prefetch ``millesimes`` to spare a query)."""
        en_vigueur = [m for m in self.millesimes.all() if m.date <= jour]
        return max(en_vigueur, key=lambda m: m.date) if en_vigueur else None

    @property
    def zonage(self) -> str:
        return m.zonage if (m := self.millesime_au(dt.date.today())) else ""

    @property
    def zonage_date(self) -> dt.date | None:
        return m.date if (m := self.millesime_au(dt.date.today())) else None

    @property
    def zonage_source(self) -> str:
        return m.source if (m := self.millesime_au(dt.date.today())) else ""


class ZonageMillesime(models.Model):
    """One vintage of a commune's zonage: in force from ``date`` until the next vintage.

    A contract keeps the zone in force on its signing day, so an ARS arrêté adds a vintage
    and never erases the previous one. The vintages are the only record of the zonage:
    lists, filters, the search box and the calculation all read them.
    """

    commune = models.ForeignKey(
        "Commune", on_delete=models.CASCADE, related_name="millesimes", verbose_name="commune"
    )
    zonage = models.CharField("zonage médecins", max_length=3, choices=Zonage.choices)
    date = models.DateField("en vigueur depuis", help_text="Date de l'arrêté de l'ARS.")
    source = models.CharField("source", max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "millésime de zonage"
        verbose_name_plural = "millésimes de zonage"
        ordering = ["commune", "date"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "date"], name="millesime_unique_par_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_zonage_display()} au {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.date and (raison := date_donnees_verifier(self.date)):
            raise ValidationError({"date": f"Date de zonage refusée : {raison}."})
        if not (self.source or "").strip():
            raise ValidationError(
                {"source": "Indiquez la source du zonage (arrêté, site de l'ARS…)."}
            )


class AncienCodeCommune(models.Model):
    """A code that is no longer a current commune (merged, déléguée): where it went."""

    code_insee = models.CharField("ancien code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=100, blank=True)
    type = models.CharField(
        "type",
        max_length=6,
        choices=[
            ("COMD", "Commune déléguée"),
            ("COMA", "Commune associée"),
            ("ANCIEN", "Ancien code"),
        ],
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        verbose_name="commune actuelle",
        related_name="anciens_codes",
    )

    class Meta:
        verbose_name = "ancien code de commune"
        verbose_name_plural = "anciens codes de communes"

    def __str__(self) -> str:
        return f"{self.code_insee} → {self.commune_id}"


class Specialite(models.Model):
    FAMILLES = [
        ("medecin", "Médecin"),
        ("chirurgien_dentiste", "Chirurgien-dentiste"),
        ("sage_femme", "Sage-femme"),
        ("auxiliaire_medical", "Auxiliaire médical"),
        ("psychologue", "Psychologue"),
        ("pharmacie_laboratoire", "Pharmacie ou laboratoire"),
        ("transport_ou_fournisseur", "Transporteur ou fournisseur"),
        ("non_definie", "Non définie"),
    ]
    code = models.CharField(
        "code Assurance Maladie",
        max_length=2,
        primary_key=True,
        validators=[RegexValidator(r"^\d{2}$", "Le code a deux chiffres, par exemple 01.")],
    )
    libelle = models.CharField("libellé", max_length=120)
    libelle_court = models.CharField("libellé court", max_length=60, blank=True)
    famille = models.CharField("famille", max_length=30, choices=FAMILLES)
    generaliste = models.BooleanField(
        "médecine générale",
        default=False,
        help_text="Seuil minimal sur la patientèle médecin traitant ; deux objectifs (MT et file active).",
    )
    percentiles_de = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="utilise les percentiles de",
        help_text="Par exemple, les codes 22 et 23 (médecine générale) utilisent ceux du code 01.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "spécialité"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"

    @property
    def medicale(self) -> bool:
        return self.famille == "medecin"

    def clean(self) -> None:
        if self.percentiles_de_id and self.percentiles_de_id == self.code:
            raise ValidationError(
                {"percentiles_de": "Une spécialité ne peut renvoyer à elle-même."}
            )
        if self.generaliste and self.famille != "medecin":
            raise ValidationError(
                {"generaliste": "Seule une spécialité médicale peut être de médecine générale."}
            )


def _honoraires_cliniques_min() -> str:
    """The clinical-fees threshold now in force, as the admin's choice label writes it."""
    valeurs = parametres_obtenir().conditions.honoraires_cliniques_min.valeurs.values()
    return nombre([v.valeur for v in valeurs if v.valeur is not None][-1])


class RegleSpecialite(models.Model):
    CLASSES = [
        ("eligible", "Éligible"),
        ("exclue", "Exclue"),
        (
            "honoraires_cliniques",
            f"Éligible si honoraires cliniques ≥ {_honoraires_cliniques_min()} %",
        ),
        ("departements_listes", "Éligible en zone sous-dense des départements listés (2019)"),
        ("a_confirmer", "À confirmer par la CPAM (selon l'exercice, voir la remarque)"),
    ]
    specialite = models.ForeignKey(
        Specialite, on_delete=models.CASCADE, related_name="regles", verbose_name="spécialité"
    )
    regime = models.CharField("régime", max_length=30, choices=REGIMES)
    classe = models.CharField("éligibilité", max_length=30, choices=CLASSES)
    objectif_mt = models.BooleanField(
        "objectif patientèle MT",
        default=False,
        help_text="Un objectif sur la patientèle médecin traitant en plus de la file active.",
    )
    source = models.CharField(
        "source",
        max_length=40,
        help_text="Clé d'une source déclarée dans rules/parameters/sources.yaml (par exemple seed_001).",
    )
    remarque = models.TextField(
        "remarque affichée",
        blank=True,
        help_text="Pour « à confirmer » : ce que le médecin lit (par exemple, ORL médicale ou "
        "chirurgicale).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "règle de spécialité"
        verbose_name_plural = "règles de spécialité"
        constraints = [
            models.UniqueConstraint(fields=["specialite", "regime"], name="regle_unique_par_regime")
        ]

    def __str__(self) -> str:
        return f"{self.specialite_id} / {self.get_regime_display()} : {self.get_classe_display()}"

    def clean(self) -> None:
        sources = parametres_obtenir().sources
        if self.source not in sources:
            raise ValidationError(
                {"source": f"Source inconnue. Sources déclarées : {', '.join(sorted(sources))}."}
            )
        if self.classe == "a_confirmer" and not self.remarque.strip():
            raise ValidationError(
                {"remarque": "Expliquez au médecin ce dont dépend son éligibilité."}
            )
        regime = parametres_obtenir().regimes.get(self.regime)
        if (
            self.classe == "departements_listes"
            and regime is not None
            and not regles_obtenir(regime.famille).liste_positive_specialites
        ):
            raise ValidationError(
                {"classe": "La liste par département n'existe que sous l'avenant 7 (2019)."}
            )


PERCENTILES = ("p30", "p50", "p70", "p90", "p95")


def percentiles_verifier(valeurs: dict[str, int | None]) -> dict[str, str]:
    """French messages by field for a set of percentiles (admin form and imports alike)."""
    connues = [(n, valeurs.get(n)) for n in PERCENTILES if valeurs.get(n) is not None]
    if not connues:
        return {"p50": "Renseignez au moins un percentile."}
    erreurs = {}
    for nom, valeur in connues:
        if valeur is not None and valeur <= 0:
            erreurs[nom] = "Un percentile est un nombre de patients positif."
    for (n1, v1), (n2, v2) in itertools.pairwise(connues):
        if v1 is not None and v2 is not None and v2 <= v1:
            erreurs.setdefault(n2, f"{n2.upper()} doit être supérieur à {n1.upper()} ({v1}).")
    return erreurs


def _percentile(libelle: str) -> models.PositiveIntegerField[int | None, int | None]:
    return models.PositiveIntegerField(
        libelle,
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Un percentile est un nombre de patients positif.")],
    )


class Percentiles(models.Model):
    INDICATEURS = [
        ("mt_adultes", "Patientèle médecin traitant adulte (règles 2019)"),
        ("mt", "Patientèle médecin traitant, adultes et enfants (depuis 2023)"),
        ("file_active", "File active"),
    ]
    specialite = models.ForeignKey(
        Specialite, on_delete=models.CASCADE, related_name="percentiles", verbose_name="spécialité"
    )
    indicateur = models.CharField("indicateur", max_length=20, choices=INDICATEURS)
    date_donnees = models.DateField("données CNAM au")
    p30 = _percentile("P30")
    p50 = _percentile("P50")
    p70 = _percentile("P70")
    p90 = _percentile("P90")
    p95 = _percentile("P95")
    source = models.CharField("source", max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "percentiles CNAM"
        verbose_name_plural = "percentiles CNAM"
        ordering = ["specialite", "indicateur", "-date_donnees"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialite", "indicateur", "date_donnees"], name="percentiles_uniques"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialite_id} {self.indicateur} au {self.date_donnees:%d/%m/%Y}"

    def clean(self) -> None:
        erreurs = percentiles_verifier({n: getattr(self, n) for n in PERCENTILES})
        if self.date_donnees and (raison := date_donnees_verifier(self.date_donnees)):
            erreurs["date_donnees"] = f"Date des données refusée : {raison}."
        if erreurs:
            raise ValidationError(erreurs)


class SpecialiteDepartement2019(models.Model):
    """Avenant 7: specialties admitted only in the zones sous-denses of listed départements."""

    departement = models.ForeignKey(
        Departement, on_delete=models.CASCADE, verbose_name="département"
    )
    specialite = models.ForeignKey(Specialite, on_delete=models.CASCADE, verbose_name="spécialité")
    source = models.CharField("source", max_length=40, default="seed_000")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "spécialité admise par département (2019)"
        verbose_name_plural = "spécialités admises par département (2019)"
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "specialite"], name="specialite_departement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.departement_id} : {self.specialite_id}"

    def clean(self) -> None:
        if (
            self.specialite_id
            and not Specialite.objects.filter(code=self.specialite_id, famille="medecin").exists()
        ):
            raise ValidationError({"specialite": "Seule une spécialité médicale peut être listée."})


class ImportEnAttente(models.Model):
    """An uploaded file waiting for confirmation after its preview (works across workers)."""

    TYPES = [("zonage", "Zonage par commune"), ("percentiles", "Percentiles CNAM")]
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField("type", max_length=20, choices=TYPES)
    nom_fichier = models.CharField("fichier", max_length=200)
    contenu = models.TextField("contenu")
    zonage_date = models.DateField("date du zonage", null=True, blank=True)
    zonage_source = models.CharField("source du zonage", max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="région"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="déposé par"
    )
    cree_le = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import en attente"
        verbose_name_plural = "imports en attente"

    def __str__(self) -> str:
        return f"{self.get_type_display()} : {self.nom_fichier}"


class ImportApplique(models.Model):
    """An applied import: what it changed can be undone as a whole, history kept."""

    type = models.CharField("type", max_length=20, choices=ImportEnAttente.TYPES)
    nom_fichier = models.CharField("fichier", max_length=200)
    applique_le = models.DateTimeField("appliqué le", auto_now_add=True)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    applique_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="confirmé par",
    )
    resume = models.CharField("résumé", max_length=200)
    annule_le = models.DateTimeField("annulé le", null=True, blank=True)
    annule_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulé par",
    )

    class Meta:
        verbose_name = "import appliqué"
        verbose_name_plural = "imports appliqués"
        ordering = ["-applique_le"]

    def __str__(self) -> str:
        return f"Import n° {self.pk} : {self.nom_fichier}"

    @property
    def motif(self) -> str:
        """The change reason of every history record the import wrote."""
        return str(self)
