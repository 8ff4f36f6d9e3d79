"""Finding a commune from what people type: a name, a postal code or an INSEE code."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from rules.models import AncienCodeCommune, Commune
from rules.reference_data import texte_normaliser

CODE_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)


def commune_trouver(*, code: str) -> Commune | None:
    """Today's commune for an INSEE code, old codes (merged communes) included."""
    code = code.strip().upper()
    if not CODE_INSEE.match(code):
        return None
    commune = (
        Commune.objects.select_related("departement")
        .prefetch_related("millesimes")
        .filter(code_insee=code)
        .first()
    )
    if commune is None:
        ancien = (
            AncienCodeCommune.objects.select_related("commune__departement")
            .prefetch_related("commune__millesimes")
            .filter(code_insee=code)
            .first()
        )
        commune = ancien.commune if ancien else None
    return commune


def recherche_normaliser(texte: str) -> str:
    """What a person types, as the names are stored: « St Denis », « ste-foy » → « saint
    denis », « sainte foy » (accents, hyphens and case already ignored)."""
    normalise = texte_normaliser(texte)
    normalise = re.sub(r"\bste\b", "sainte", normalise)
    return re.sub(r"\bst\b", "saint", normalise)


def communes_chercher(*, texte: str, limite: int = 10) -> list[Commune]:
    """Best matches first: exact codes, then names starting with the text, largest first.

    « orleans », « 45000 », « 450 » (postal prefix), « saint denis 93 » (with a département).
    """
    texte = texte.strip()
    if not texte:
        return []
    # Paris, Lyon and Marseille are zoned by arrondissement: offer the arrondissements.
    # The zone shown with each match is the vintage in force today (prefetched).
    base: QuerySet[Commune] = (
        Commune.objects.select_related("departement").prefetch_related("millesimes")
    ).exclude(code_insee__in=Commune.objects.filter(type="ARM").values("commune_parente"))
    if re.fullmatch(r"\d{2,5}|2[ABab]\d{0,3}", texte):
        exact = list(base.filter(code_insee=texte.upper())) if len(texte) == 5 else []
        postaux = base.filter(
            Q(codes_postaux__startswith=texte) | Q(codes_postaux__contains=f"|{texte}")
        ).order_by("-population")[:limite]
        vus = {c.code_insee for c in exact}
        return (exact + [c for c in postaux if c.code_insee not in vus])[:limite]
    normalise = recherche_normaliser(texte)
    departement = None
    m = re.match(r"^(.*\S)\s+(\d{2,3}|2[ab])$", normalise)
    if m:
        normalise, departement = m.group(1), m.group(2).upper()
    if not normalise:
        return []
    if departement:
        base = base.filter(departement_id=departement)
    debut = list(base.filter(nom_recherche__startswith=normalise).order_by("-population")[:limite])
    if len(debut) < limite:
        vus = {c.code_insee for c in debut}
        milieu = base.filter(nom_recherche__contains=normalise).order_by("-population")[
            : limite * 2
        ]
        debut += [c for c in milieu if c.code_insee not in vus][: limite - len(debut)]
    # An exact name first (« Paris » before « Paris 15e Arrondissement »).
    debut.sort(key=lambda c: c.nom_recherche != normalise)
    return debut
