"""What the public sources page says of the reference data: the date of each data set."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rules.catalogue import instantane_abonner, referentiel_obtenir
from rules.models import PERCENTILES, Commune, Percentiles, Region, ZonageMillesime


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


def zonage_fraicheur_par_region(*, jour: dt.date | None = None) -> list[dict[str, Any]]:
    """Per region, the zonage vintages in force on ``jour`` (today by default): their date,
    their source and how many communes each covers — the region whose zonage is the
    oldest first. Computed once per process, data version and day (35 000 rows read)."""
    jour = jour or dt.date.today()
    cle = (referentiel_obtenir().version, jour)
    if cle not in _fraicheur:
        _fraicheur.clear()
        _fraicheur[cle] = _fraicheur_calculer(jour)
    return _fraicheur[cle]


# Forgotten with the rest of the process's snapshot when the data change (``donnees_modifiees``).
_fraicheur: dict[tuple[str, dt.date], list[dict[str, Any]]] = {}
instantane_abonner(_fraicheur.clear)


def _fraicheur_calculer(jour: dt.date) -> list[dict[str, Any]]:
    en_vigueur: dict[str, tuple[dt.date, str]] = {}
    for commune, date, source in ZonageMillesime.objects.filter(date__lte=jour).values_list(
        "commune_id", "date", "source"
    ):
        actuel = en_vigueur.get(commune)
        if actuel is None or actuel[0] < date:
            en_vigueur[commune] = (date, source)
    groupes: dict[str, dict[tuple[dt.date, str], int]] = defaultdict(lambda: defaultdict(int))
    sans_zonage: dict[str, int] = defaultdict(int)
    for commune, region in Commune.objects.values_list("code_insee", "departement__region_id"):
        if commune in en_vigueur:
            groupes[region][en_vigueur[commune]] += 1
        else:
            sans_zonage[region] += 1
    regions = []
    for code, nom in Region.objects.values_list("code", "nom"):
        millesimes = [
            {"date": date, "source": source, "communes": n}
            for (date, source), n in sorted(groupes.get(code, {}).items())
        ]
        regions.append(
            {
                "code": code,
                "nom": nom,
                "depuis": millesimes[0]["date"] if millesimes else None,
                "millesimes": millesimes,
                "sans_zonage": sans_zonage.get(code, 0),
            }
        )
    regions.sort(key=lambda r: (r["depuis"] is None, r["depuis"] or jour, r["nom"]))
    return regions
