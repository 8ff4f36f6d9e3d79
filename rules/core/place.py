"""The place of practice: the zone in force when the contract was signed, and the avenant 7
« zone sous-dense » (the URPS Centre-Val de Loire sheet).
"""

from __future__ import annotations

import datetime as dt

from rules.core import formatting as fmt
from rules.core.context import OPTIONS_SECOND_ASSISTANT, Calcul
from rules.core.result import (
    LieuApplique,
    OrigineZone,
    ZoneAppliquee,
)
from rules.core.situation import (
    ZONES,
)

# One name per zone type on every page: the labels of the situation's zones.
ZONAGE_LIBELLES = {
    "ZIP": ZONES["zip"],
    "ZAC": ZONES["zac"],
    "HZ": ZONES["hors_zone"],
    "ZAR": "Zone d’accompagnement régional (ni ZIP ni ZAC)",
    "NA": "Zonage non renseigné",
}


_ZONE_DU_ZONAGE: dict[str, ZoneAppliquee] = {
    "ZIP": "zip",
    "ZAC": "zac",
    "HZ": "hors_zone",
    "ZAR": "hors_zone",
}


def zone_du_zonage(zonage: str | None) -> str | None:
    """The doctor's zone (one of ``ZONES``) for an ARS zonage code; None when unknown."""
    return _ZONE_DU_ZONAGE.get(zonage or "")


def lieu_determiner(ctx: Calcul) -> LieuApplique:
    """The zone that counts: the one typed, else the commune's zonage in force at signing."""
    s, lieu = ctx.situation, ctx.faits.lieu
    zonage: str | None = None
    zonage_date: dt.date | None = None
    zonage_source: str | None = None
    if lieu is not None:
        millesime, plus_recent = lieu.zonage_au(s.date_signature)
        if millesime is not None:
            zonage, zonage_date, zonage_source = millesime.zonage, millesime.date, millesime.source
        else:
            zonage, zonage_date, zonage_source = lieu.zonage, lieu.zonage_date, lieu.zonage_source
        # Since 2023 the zone only matters for the second assistant (ZIP): no noise otherwise.
        zone_compte = ctx.regles.zone_decisive or s.option in OPTIONS_SECOND_ASSISTANT
        if plus_recent and s.zone is None and zone_compte:
            ctx.avertir(
                f"Le plus ancien zonage connu ici pour votre commune date du "
                f"{fmt.date_fr(zonage_date or s.date_signature)}, après la signature\u00a0: la zone en "
                "vigueur à la signature a pu être différente (arrêté de votre ARS)\u00a0; corrigez-la "
                "si besoin."
            )
        if zonage == "ZAR" and s.zone is None:
            ctx.avertir(
                "Votre commune est en zone d’accompagnement régional\u00a0: ce n’est ni une ZIP ni une "
                "ZAC\u00a0; vérifiez l’arrêté de votre ARS et corrigez la zone si besoin."
            )
        if zonage in {None, "NA"} and s.zone is None:
            ctx.avertir(
                "Le zonage de votre commune n’est pas connu\u00a0: indiquez la zone (ZIP, ZAC ou hors "
                "zone) si elle compte pour votre situation."
            )
    zone_commune = _ZONE_DU_ZONAGE.get(zonage or "")
    zone: ZoneAppliquee | None
    origine: OrigineZone
    if s.zone is not None:
        zone, origine = s.zone, "saisie"
    elif zone_commune is not None:
        zone, origine = zone_commune, "commune"
    else:
        zone, origine = None, "inconnue"
    resultat = LieuApplique(
        commune=lieu.commune_code if lieu else s.commune,
        commune_nom=lieu.commune_nom if lieu else None,
        departement=lieu.departement_code if lieu else None,
        departement_nom=lieu.departement_nom if lieu else None,
        zone=zone,
        zone_libelle=ZONES.get(zone or "", "Zone non renseignée"),
        origine=origine,
        zonage_date=zonage_date,
        zonage_source=zonage_source,
    )
    if lieu is not None:
        if ctx.detail:
            zonage_txt = ZONAGE_LIBELLES.get(zonage or "NA", ZONAGE_LIBELLES["NA"])
            date_txt = f" (zonage au {fmt.date_fr(zonage_date)})" if zonage_date else ""
            ctx.etape(
                "Zonage de la commune à la signature",
                f"{lieu.commune_nom} ({lieu.departement_nom})\u00a0: {zonage_txt}{date_txt}",
                source=zonage_source,
            )
        if origine == "saisie" and zone != zone_commune:
            ctx.etape("Zone retenue (votre saisie)", ZONES[s.zone or ""])
        if not ctx.faits.specialite.generaliste and origine == "commune":
            ctx.avertir(
                "Le zonage indiqué est celui des médecins généralistes (ARS)\u00a0: pour une autre "
                "spécialité, la CPAM précise la zone applicable."
            )
    elif s.zone is not None:
        ctx.etape("Zone retenue (votre saisie)", ZONES[s.zone])
    return resultat


def sous_dense_situer(zone: str | None) -> tuple[bool | None, str]:
    """Avenant 7 « zone sous-dense » (the URPS Centre-Val de Loire sheet): ZIP, ZAC whose
    APL ≤ 3,5, or a derogation zone of the CPL. The data tells ZIP, ZAC or neither, not the
    APL nor the CPL zones: (True, …) for a ZIP, (None, why the CPAM must confirm) otherwise."""
    if zone == "zip":
        return True, "zone d’intervention prioritaire (ZIP)"
    if zone == "zac":
        return None, (
            "une ZAC n’est zone sous-dense que si son accessibilité aux médecins (APL) est au "
            "plus de 3,5"
        )
    if zone == "hors_zone":
        return None, (
            "hors ZIP et ZAC, seule une zone dérogatoire retenue par la commission paritaire "
            "locale (CPL) est zone sous-dense"
        )
    return None, "la zone n’est pas connue\u00a0: indiquez votre commune ou votre zone"
