"""What the public sources page says of the reference data: the date of each data set."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from rules.models import PERCENTILES, Commune, Percentiles


def donnees_dates_zonage() -> list[dict[str, Any]]:
    """Zonage snapshots in use: date, source and how many communes each covers."""
    return list(
        Commune.objects.exclude(zonage="")
        .values("zonage_date", "zonage_source")
        .annotate(communes=Count("code_insee"))
        .order_by("-zonage_date")
    )


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
