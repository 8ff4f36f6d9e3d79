"""What the public sources page says of the reference data: the date of each data set."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from rules.models import PERCENTILES, Commune, Percentiles, ZonageMillesime


def donnees_dates_zonage() -> list[dict[str, Any]]:
    """Zonage vintages held: date, source and how many communes each covers."""
    return list(
        ZonageMillesime.objects.values("date", "source")
        .annotate(communes=Count("commune"))
        .order_by("-date")
    )


def commune_millesimes(*, code_insee: str) -> tuple[Commune | None, list[ZonageMillesime]]:
    """A commune and its successive zonages (oldest first), for the public sources page."""
    commune = Commune.objects.filter(code_insee=code_insee).select_related("departement").first()
    if commune is None:
        return None, []
    return commune, list(commune.millesimes.order_by("date"))


def donnees_percentiles() -> list[Any]:
    """The CNAM percentile snapshots: specialty, indicator, latest date and source."""
    return list(
        Percentiles.objects.values(
            "specialite__code",
            "specialite__libelle",
            "indicateur",
            "date_donnees",
            *PERCENTILES,
            "source",
        ).order_by("specialite__code", "indicateur", "-date_donnees")
    )
