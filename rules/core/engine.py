"""The calculation: a Situation and its Faits → a Resultat with conditions, aid, targets, trace.

Pure Python: no Django import here. Every figure comes from a dated parameter (with its
source) or from the CNAM percentiles given in the facts, and leaves a step in the trace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rules.core import formatting as fmt
from rules.core.facts import Faits, Percentiles, RegleSpecialite
from rules.core.parameters import (
    CONFIANCE_LIBELLES,
    Parametre,
    Parametres,
    Regime,
    ValeurDatee,
)
from rules.core.result import (
    Aide,
    AnneeAide,
    Condition,
    Eligibilite,
    Etape,
    LieuApplique,
    Objectif,
    Objectifs,
    Obligation,
    PercentilesUtilises,
    RegimeApplique,
    Resultat,
    StatutCondition,
)
from rules.core.situation import OPTIONS, SECTEURS, ZONES, Situation, SituationInvalide

ESTIMATION = "Estimation — la CPAM fixe l'objectif."
ANNEES_AFFICHEES = 5
OPTIONS_SECOND_ASSISTANT = {"second_1_5", "second_2"}
INDICATEUR_LIBELLES = {"patientele_mt": "Patientèle médecin traitant", "file_active": "File active"}
TRANCHES = ("p30_p50", "p50_p70", "p70_p90", "p90_p95", "p95")
TRANCHE_LIBELLES = {
    "sous_p30": "sous le P30",
    "p30_p50": "entre P30 et P50",
    "p50_p70": "entre P50 et P70",
    "p70_p90": "entre P70 et P90",
    "p90_p95": "entre P90 et P95",
    "p95": "au moins P95",
}


# Output models are frozen: identical steps and conditions (same text, same source) can be
# shared between simulations. Caching their construction keeps a batch fast.
@lru_cache(maxsize=16384)
def _etape_creer(
    libelle: str,
    valeur: str,
    parametre: str | None,
    source: str | None,
    formule: str | None,
    confiance: str | None,
    estimation: bool,
) -> Etape:
    return Etape(
        libelle=libelle,
        valeur=valeur,
        parametre=parametre,
        source=source,
        formule=formule,
        confiance=confiance,
        estimation=estimation,
    )


@lru_cache(maxsize=16384)
def _condition_creer(
    code: str, libelle: str, statut: StatutCondition, message: str, source: str | None
) -> Condition:
    return Condition(code=code, libelle=libelle, statut=statut, message=message, source=source)


@lru_cache(maxsize=4096)
def _parametre_decrire(nom: str, depuis: dt.date) -> str:
    return f"{nom} (en vigueur depuis le {fmt.date_fr(depuis)})"


def annees_ajouter(jour: dt.date, annees: int) -> dt.date:
    """Anniversary ``annees`` years later (29 February → 28 February)."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


@dataclass
class _Contexte:
    """What one calculation accumulates: the trace and the warnings, in order."""

    situation: Situation
    faits: Faits
    parametres: Parametres
    regime: Regime
    detail: bool = True
    trace: list[Etape] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    def source(self, cle: str | None) -> str | None:
        return self.parametres.source_titre(cle) if cle else None

    def etape(
        self,
        libelle: str,
        valeur: str,
        *,
        parametre: ValeurDatee | None = None,
        formule: str | None = None,
        source: str | None = None,
        estimation: bool = False,
    ) -> None:
        if not self.detail:
            return
        if parametre is not None:
            self.trace.append(
                _etape_creer(
                    libelle,
                    valeur,
                    _parametre_decrire(parametre.nom, parametre.depuis),
                    self.source(parametre.source),
                    formule,
                    CONFIANCE_LIBELLES[parametre.confiance],
                    estimation or parametre.estimation,
                )
            )
        else:
            self.trace.append(
                _etape_creer(libelle, valeur, None, source, formule, None, estimation)
            )

    def avertir(self, message: str) -> None:
        if message not in self.avertissements:
            self.avertissements.append(message)

    def parametre(self, parametre: Parametre) -> ValeurDatee:
        """Value in force on the signing day (eligibility and targets are fixed at signing)."""
        return parametre.a_la_date(self.situation.date_signature)

    def facultatif(self, parametre: Parametre) -> ValeurDatee | None:
        return parametre.en_vigueur(self.situation.date_signature)


# --------------------------------------------------------------------------- regime


def regime_determiner(*, date_signature: dt.date, parametres: Parametres) -> Regime:
    regime = parametres.regime_a_la_date(date_signature)
    if regime is None:
        premier = parametres.premier_jour
        raise SituationInvalide(
            {
                "date_signature": [
                    f"Aucun dispositif d'aide à l'emploi d'un assistant médical avant le "
                    f"{fmt.date_fr(premier)} (avenant 7) : choisissez une date à partir de "
                    "celle-ci."
                ]
            }
        )
    return regime


# --------------------------------------------------------------------------- percentiles


def percentiles_choisir(
    *, percentiles: tuple[Percentiles, ...], indicateur: str, jour: dt.date, depuis: dt.date
) -> tuple[Percentiles | None, str | None]:
    """Latest snapshot on or before ``jour`` in the regime's window, else the first after it."""
    candidats = [p for p in percentiles if p.indicateur == indicateur and p.date_donnees >= depuis]
    avant = [p for p in candidats if p.date_donnees <= jour]
    if avant:
        return max(avant, key=lambda p: p.date_donnees), None
    if candidats:
        premier = min(candidats, key=lambda p: p.date_donnees)
        return premier, (
            f"Aucun relevé CNAM antérieur à la signature pour ce régime : le relevé du "
            f"{fmt.date_fr(premier.date_donnees)} est utilisé."
        )
    return None, None


def tranche_situer(valeur: int, p: Percentiles) -> str | None:
    """Band of ``valeur``; a value on a bound belongs to the upper band. None if unknown."""
    bornes = [
        ("p95", p.p95),
        ("p90_p95", p.p90),
        ("p70_p90", p.p70),
        ("p50_p70", p.p50),
        ("p30_p50", p.p30),
    ]
    if any(b is None for _, b in bornes):
        return None
    for nom, borne in bornes:
        assert borne is not None
        if valeur >= borne:
            return nom
    return "sous_p30"


# --------------------------------------------------------------------------- place


def lieu_determiner(ctx: _Contexte) -> LieuApplique:
    s, lieu = ctx.situation, ctx.faits.lieu
    zone_commune: str | None = None
    if lieu is not None:
        zone_commune = {"ZIP": "zip", "ZAC": "zac", "HZ": "hors_zone", "ZAR": "hors_zone"}.get(
            lieu.zonage or ""
        )
        if lieu.zonage == "ZAR" and s.zone is None:
            ctx.avertir(
                "Votre commune est classée ZAR (zone d'accompagnement régional) : ce n'est ni "
                "une ZIP ni une ZAC ; vérifiez l'arrêté de votre ARS et corrigez la zone si besoin."
            )
        if lieu.zonage in {None, "NA"} and s.zone is None:
            ctx.avertir(
                "Le zonage de votre commune n'est pas connu : indiquez la zone (ZIP, ZAC ou hors "
                "zone) si elle compte pour votre situation."
            )
    zone: str | None
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
        zonage_date=lieu.zonage_date if lieu else None,
        zonage_source=lieu.zonage_source if lieu else None,
    )
    if lieu is not None:
        zonage_txt = lieu.zonage or "non renseigné"
        date_txt = f" au {fmt.date_fr(lieu.zonage_date)}" if lieu.zonage_date else ""
        ctx.etape(
            "Zonage de la commune",
            f"{lieu.commune_nom} ({lieu.departement_nom}) : {zonage_txt}{date_txt}",
            source=lieu.zonage_source,
        )
        if origine == "saisie" and zone != zone_commune:
            ctx.etape("Zone retenue (votre saisie)", ZONES[s.zone or ""])
        if not ctx.faits.specialite.generaliste and origine == "commune":
            ctx.avertir(
                "Le zonage indiqué est celui des médecins généralistes (ARS) : pour une autre "
                "spécialité, la CPAM précise la zone applicable."
            )
    elif s.zone is not None:
        ctx.etape("Zone retenue (votre saisie)", ZONES[s.zone])
    return resultat


# --------------------------------------------------------------------------- eligibility


def _condition(
    ctx: _Contexte,
    code: str,
    libelle: str,
    statut: StatutCondition,
    message: str,
    source: str | None,
) -> Condition:
    return _condition_creer(code, libelle, statut, message, ctx.source(source))


def conditions_evaluer(
    ctx: _Contexte,
    *,
    regle: RegleSpecialite | None,
    lieu: LieuApplique,
    percentiles: dict[str, Percentiles | None],
) -> list[Condition]:
    s, spe, regime = ctx.situation, ctx.faits.specialite, ctx.regime
    avenant_7 = regime.code == "avenant_7"
    conditions: list[Condition] = []
    ajouter = conditions.append

    # Who: a doctor of an eligible specialty.
    if not spe.medicale:
        ajouter(
            _condition(
                ctx,
                "specialite",
                "Spécialité",
                "ko",
                f"« {spe.libelle} » n'est pas une spécialité médicale : l'aide est réservée aux "
                "médecins libéraux.",
                "seed_001",
            )
        )
    elif regle is None:
        ajouter(
            _condition(
                ctx,
                "specialite",
                "Spécialité",
                "a_verifier",
                f"Aucune règle n'est renseignée pour « {spe.libelle} » sous ce régime : la CPAM "
                "confirme l'éligibilité.",
                None,
            )
        )
    else:
        ajouter(_specialite_condition(ctx, regle, lieu))

    # Fees: sector 1, or sector 2 with OPTAM / OPTAM-CO.
    if s.secteur in {"1", "2_optam"}:
        ajouter(
            _condition(
                ctx,
                "secteur",
                "Secteur conventionnel",
                "ok",
                f"{SECTEURS[s.secteur]} : critère rempli.",
                "seed_001",
            )
        )
    elif s.secteur == "2":
        ajouter(
            _condition(
                ctx,
                "secteur",
                "Secteur conventionnel",
                "ko",
                "En secteur 2, l'aide suppose d'avoir adhéré à l'OPTAM ou à l'OPTAM-CO : y adhérer "
                "remplirait ce critère.",
                "seed_001",
            )
        )
    else:
        ajouter(
            _condition(
                ctx,
                "secteur",
                "Secteur conventionnel",
                "ko",
                "L'aide est conventionnelle : elle suppose d'exercer en secteur 1, ou en secteur 2 "
                "avec OPTAM ou OPTAM-CO.",
                "seed_001",
            )
        )

    conditions.extend(_option_conditions(ctx, lieu, percentiles))
    if s.option not in OPTIONS_SECOND_ASSISTANT:
        ajouter(_minimum_condition(ctx, lieu, percentiles))
    if avenant_7:
        conditions.extend(_avenant_7_exercice_conditions(ctx, lieu))
    if s.rqth_ald:
        ajouter(
            _condition(
                ctx,
                "rqth_ald",
                "RQTH ou ALD",
                "a_verifier",
                "Reconnaissance de travailleur handicapé ou affection de longue durée : vous êtes "
                "éligible, la CPAM adapte les engagements du contrat.",
                "seed_001",
            )
        )
    if s.age_65_ans_ou_plus:
        tolerance = ctx.facultatif(ctx.parametres.conditions.baisse_toleree_65_ans)
        if tolerance is not None:
            ajouter(
                _condition(
                    ctx,
                    "age_65_ans",
                    "65 ans et plus",
                    "ok",
                    f"À 65 ans et plus, l'engagement porte sur le maintien de la patientèle "
                    f"(baisse de {fmt.taux(tolerance.valeur)} tolérée).",
                    tolerance.source,
                )
            )
            ctx.avertir(
                "Règle des médecins de 65 ans et plus : une seule source publique, à confirmer "
                "avec la CPAM."
            )
    return conditions


def _specialite_condition(ctx: _Contexte, regle: RegleSpecialite, lieu: LieuApplique) -> Condition:
    s, spe = ctx.situation, ctx.faits.specialite
    libelle = "Spécialité"
    if regle.classe == "eligible":
        if ctx.regime.code == "avenant_7":
            message = f"« {spe.libelle} » fait partie des spécialités éligibles partout en France."
        else:
            message = (
                f"« {spe.libelle} » est éligible : seules la radiologie, la radiothérapie, la "
                "stomatologie, l'anesthésie, l'anatomo-cytopathologie et la médecine nucléaire "
                "sont exclues."
            )
        return _condition(ctx, "specialite", libelle, "ok", message, regle.source)
    if regle.classe == "exclue":
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"« {spe.libelle} » est exclue du dispositif sous ce régime.",
            regle.source,
        )
    if regle.classe == "honoraires_cliniques":
        seuil = ctx.parametre(ctx.parametres.conditions.honoraires_cliniques_min)
        seuil_txt = fmt.nombre(seuil.valeur)
        if s.part_honoraires_cliniques is None:
            return _condition(
                ctx,
                "specialite",
                libelle,
                "a_verifier",
                f"« {spe.libelle} » n'est éligible que si vos honoraires cliniques font au moins "
                f"{seuil_txt} % de vos honoraires des 12 derniers mois : indiquez cette part.",
                seuil.source,
            )
        part = fmt.nombre(s.part_honoraires_cliniques)
        if s.part_honoraires_cliniques >= seuil.valeur:
            return _condition(
                ctx,
                "specialite",
                libelle,
                "ok",
                f"Honoraires cliniques à {part} % (au moins {seuil_txt} % requis) : critère rempli.",
                seuil.source,
            )
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"Honoraires cliniques à {part} % : il en faut au moins {seuil_txt} % pour "
            f"« {spe.libelle} ».",
            seuil.source,
        )
    # departements_listes (avenant 7): only in the zones sous-denses of listed départements.
    if lieu.departement is None:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "a_verifier",
            f"Sous l'avenant 7, « {spe.libelle} » n'est éligible qu'en zone sous-dense de "
            "départements listés par la commission paritaire : indiquez votre commune.",
            regle.source,
        )
    if not ctx.faits.specialite_listee_dans_departement:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"Sous l'avenant 7, « {spe.libelle} » n'est pas éligible dans le département "
            f"{lieu.departement_nom} (hors liste des spécialités admises en zone sous-dense).",
            regle.source,
        )
    if lieu.zone in {"zip", "zac"}:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ok",
            f"« {spe.libelle} » est admise en zone sous-dense dans le département "
            f"{lieu.departement_nom} : critère rempli.",
            regle.source,
        )
    if lieu.zone is None:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "a_verifier",
            f"« {spe.libelle} » est admise dans le département {lieu.departement_nom} en zone "
            "sous-dense seulement : précisez la zone.",
            regle.source,
        )
    return _condition(
        ctx,
        "specialite",
        libelle,
        "ko",
        f"« {spe.libelle} » n'est admise dans le département {lieu.departement_nom} qu'en zone "
        "sous-dense (ZIP ou ZAC).",
        regle.source,
    )


def option_fermee_raison(*, option: str, jour: dt.date, parametres: Parametres) -> tuple[str, str]:
    """Why an option cannot be signed on ``jour``, from the regimes' dates: (reason, source key)."""
    regimes = [r for r in parametres.regimes.values() if option in r.options]
    if not regimes:
        return "n'existe sous aucun régime", "seed_001"
    premier = min(regimes, key=lambda r: r.debut)
    if jour < premier.debut:
        return (
            f"n'existe que pour les contrats signés à partir du {fmt.date_fr(premier.debut)} "
            f"({premier.libelle})",
            premier.source,
        )
    dernier = max(regimes, key=lambda r: r.debut)
    assert dernier.fin is not None  # open under the last regime otherwise
    suivant = dernier.fin + dt.timedelta(days=1)
    regime_suivant = parametres.regime_a_la_date(suivant)
    source = regime_suivant.source if regime_suivant else dernier.source
    return f"ne peut plus être signée depuis le {fmt.date_fr(suivant)}", source


def _option_conditions(
    ctx: _Contexte, lieu: LieuApplique, percentiles: dict[str, Percentiles | None]
) -> list[Condition]:
    s, regime = ctx.situation, ctx.regime
    libelle = "Option choisie"
    if s.option not in regime.options:
        pourquoi, source = option_fermee_raison(
            option=s.option, jour=s.date_signature, parametres=ctx.parametres
        )
        ouvertes = ", ".join(OPTIONS[o] for o in regime.options)
        return [
            _condition(
                ctx,
                "option",
                libelle,
                "ko",
                f"{OPTIONS[s.option]} : cette option {pourquoi}. Options ouvertes : {ouvertes}.",
                source,
            )
        ]
    if s.option in OPTIONS_SECOND_ASSISTANT:
        return _second_assistant_conditions(ctx, lieu)
    if regime.code == "avenant_7" and s.option == "temps_plein":
        return [_avenant_7_temps_plein(ctx, lieu, percentiles)]
    return [
        _condition(
            ctx,
            "option",
            libelle,
            "ok",
            f"{OPTIONS[s.option]} : option ouverte sous le régime {regime.libelle}.",
            regime.source,
        )
    ]


def _avenant_7_temps_plein(
    ctx: _Contexte, lieu: LieuApplique, percentiles: dict[str, Percentiles | None]
) -> Condition:
    libelle = "Option temps plein"
    if lieu.zone == "zip":
        return _condition(
            ctx,
            "option",
            libelle,
            "ok",
            "Temps plein : ouvert en zone d'intervention prioritaire (ZIP).",
            "seed_000",
        )
    if lieu.zone is None:
        return _condition(
            ctx,
            "option",
            libelle,
            "a_verifier",
            "Sous l'avenant 7, le temps plein n'est ouvert qu'en zone sous-dense : indiquez votre "
            "commune ou votre zone.",
            "seed_000",
        )
    if lieu.zone == "zac":
        au_p50 = _au_moins_p50(ctx, percentiles)
        if ctx.situation.exercice == "isole" and au_p50:
            return _condition(
                ctx,
                "option",
                libelle,
                "ok",
                "Temps plein en ZAC : ouvert au médecin exerçant seul dont la patientèle atteint "
                "le P50 (avenant 8).",
                "avenant_8",
            )
        if ctx.situation.exercice is None or au_p50 is None:
            return _condition(
                ctx,
                "option",
                libelle,
                "a_verifier",
                "En ZAC, le temps plein n'est ouvert qu'au médecin exerçant seul dont la patientèle "
                "atteint le P50 (avenant 8) : la CPAM le vérifie.",
                "avenant_8",
            )
        return _condition(
            ctx,
            "option",
            libelle,
            "ko",
            "En ZAC, le temps plein n'est ouvert qu'au médecin exerçant seul dont la patientèle "
            "atteint le P50 (avenant 8) ; le mi-temps reste possible.",
            "avenant_8",
        )
    return _condition(
        ctx,
        "option",
        libelle,
        "ko",
        "Sous l'avenant 7, le temps plein n'est ouvert qu'en zone sous-dense ; hors zone, "
        "choisissez le 1/3 temps ou le mi-temps.",
        "seed_000",
    )


def _au_moins_p50(ctx: _Contexte, percentiles: dict[str, Percentiles | None]) -> bool | None:
    connu = False
    for indicateur, valeur in _valeurs_indicateurs(ctx).items():
        p = percentiles.get(indicateur)
        if p is None or p.p50 is None or valeur is None:
            continue
        connu = True
        if valeur >= p.p50:
            return True
    return False if connu else None


def _second_assistant_conditions(ctx: _Contexte, lieu: LieuApplique) -> list[Condition]:
    s, spe = ctx.situation, ctx.faits.specialite
    src = "convention_2024"
    conditions = [
        _condition(
            ctx,
            "second_generaliste",
            "Second assistant : médecin généraliste",
            "ok" if spe.generaliste else "ko",
            "Réservé aux médecins généralistes."
            if not spe.generaliste
            else "Médecin généraliste : critère rempli.",
            src,
        ),
    ]
    if lieu.zone == "zip":
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant : exercice en ZIP",
                "ok",
                "Exercice en zone d'intervention prioritaire : critère rempli.",
                src,
            )
        )
    elif lieu.zone is None:
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant : exercice en ZIP",
                "a_verifier",
                "Réservé aux médecins exerçant en ZIP : indiquez votre commune.",
                src,
            )
        )
    else:
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant : exercice en ZIP",
                "ko",
                "Réservé aux médecins exerçant en zone d'intervention prioritaire (ZIP).",
                src,
            )
        )
    libelle = "Second assistant : contrat 1 ETP en 3e année ou plus"
    if s.date_contrat_temps_plein is None:
        conditions.append(
            _condition(
                ctx,
                "second_contrat",
                libelle,
                "a_verifier",
                "Il faut déjà un contrat d'aide pour 1 ETP, au moins dans sa 3e année : indiquez sa "
                "date de signature.",
                src,
            )
        )
    else:
        troisieme = annees_ajouter(s.date_contrat_temps_plein, 2)
        if s.date_signature >= troisieme:
            conditions.append(
                _condition(
                    ctx,
                    "second_contrat",
                    libelle,
                    "ok",
                    f"Contrat 1 ETP signé le {fmt.date_fr(s.date_contrat_temps_plein)} : en 3e année "
                    f"depuis le {fmt.date_fr(troisieme)}.",
                    src,
                )
            )
        else:
            conditions.append(
                _condition(
                    ctx,
                    "second_contrat",
                    libelle,
                    "ko",
                    f"Le contrat 1 ETP signé le {fmt.date_fr(s.date_contrat_temps_plein)} n'entre en "
                    f"3e année que le {fmt.date_fr(troisieme)}.",
                    src,
                )
            )
    statut: StatutCondition = {True: "ok", False: "ko", None: "a_verifier"}[s.objectifs_atteints]  # type: ignore[assignment]
    message = {
        "ok": "Objectifs du contrat 1 ETP atteints : critère rempli.",
        "ko": "Les objectifs du contrat 1 ETP doivent être atteints.",
        "a_verifier": "Les objectifs du contrat 1 ETP doivent être atteints : la CPAM le vérifie.",
    }[statut]
    conditions.append(
        _condition(
            ctx, "second_objectifs", "Second assistant : objectifs atteints", statut, message, src
        )
    )
    return conditions


def _valeurs_indicateurs(ctx: _Contexte) -> dict[str, int | None]:
    s = ctx.situation
    return {"patientele_mt": s.patientele_mt, "file_active": s.file_active}


def _minimum_condition(
    ctx: _Contexte, lieu: LieuApplique, percentiles: dict[str, Percentiles | None]
) -> Condition:
    s, spe, regime = ctx.situation, ctx.faits.specialite, ctx.regime
    avenant_7 = regime.code == "avenant_7"
    libelle = "Patientèle minimale (P30)"
    indicateur = "patientele_mt" if spe.generaliste else "file_active"
    nom = (
        "patientèle médecin traitant" + (" adulte" if avenant_7 else "")
        if spe.generaliste
        else "file active"
    )
    valeur = s.patientele_mt if spe.generaliste else s.file_active
    p = percentiles.get(indicateur)
    seuil = p.p30 if p is not None else None
    if s.primo_installe:
        message = "Nouvellement installé : éligible quelle que soit la patientèle" + (
            " (dérogation au seuil minimal)."
            if avenant_7
            else " ; objectif : atteindre le P50 en 3e année."
        )
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            message,
            "seed_003" if avenant_7 else "seed_001",
        )
    if seuil is None or valeur is None:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "a_verifier",
            f"Le seuil minimal (P30 de la {nom}) de votre spécialité n'est pas publié : la CPAM "
            "le vérifie.",
            "seed_001",
        )
    source_seuil = p.source if p else None
    if valeur >= seuil:
        return _condition_creer(
            "patientele_minimum",
            libelle,
            "ok",
            f"{nom.capitalize()} de {fmt.nombre(valeur)} : au moins le seuil P30 "
            f"({fmt.nombre(seuil)}).",
            source_seuil,
        )
    # Below P30: the derogations.
    if s.rqth_ald:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "a_verifier",
            f"{nom.capitalize()} de {fmt.nombre(valeur)}, sous le seuil P30 ({fmt.nombre(seuil)}) : "
            "dérogation RQTH / ALD, la CPAM adapte le contrat.",
            "seed_001",
        )
    if avenant_7:
        conditions = ctx.parametres.conditions
        part_min = ctx.facultatif(conditions.moins_16_ans_part_min)
        fa_min = ctx.facultatif(conditions.moins_16_ans_file_active_min)
        if (
            spe.generaliste
            and part_min is not None
            and fa_min is not None
            and s.part_patients_moins_16_ans is not None
            and s.part_patients_moins_16_ans > part_min.valeur
            and s.file_active >= fa_min.valeur
        ):
            return _condition(
                ctx,
                "patientele_minimum",
                libelle,
                "ok",
                f"Dérogation : plus de {fmt.nombre(part_min.valeur)} % de patients de moins de "
                f"16 ans et une file active d'au moins {fmt.nombre(fa_min.valeur)}.",
                part_min.source,
            )
        if s.exercice == "isole" and lieu.zone in {"zip", "zac"}:
            return _condition(
                ctx,
                "patientele_minimum",
                libelle,
                "ok",
                "Dérogation : médecin exerçant seul en zone sous-dense.",
                "seed_003",
            )
    manque = seuil - valeur
    return _condition_creer(
        "patientele_minimum",
        libelle,
        "ko",
        f"{nom.capitalize()} de {fmt.nombre(valeur)} : il manque {fmt.patients(manque)} "
        f"pour atteindre le seuil P30 ({fmt.nombre(seuil)}). Les médecins nouvellement installés "
        "et ceux reconnus RQTH ou en ALD en sont dispensés.",
        source_seuil,
    )


def _avenant_7_exercice_conditions(ctx: _Contexte, lieu: LieuApplique) -> list[Condition]:
    s = ctx.situation
    conditions: list[Condition] = []
    libelle = "Exercice regroupé"
    sous_dense = lieu.zone in {"zip", "zac"}
    if s.exercice == "groupe":
        conditions.append(
            _condition(
                ctx,
                "exercice_groupe",
                libelle,
                "ok",
                "Exercice en groupe (au moins 2 médecins) : critère rempli.",
                "seed_000",
            )
        )
    elif s.exercice == "isole":
        if sous_dense:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ok",
                    "Médecin seul en zone sous-dense : dispensé du regroupement.",
                    "seed_000",
                )
            )
        elif lieu.zone is None:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "a_verifier",
                    "Un médecin seul n'est dispensé du regroupement qu'en zone sous-dense : indiquez "
                    "votre commune.",
                    "seed_000",
                )
            )
        else:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ko",
                    "Hors zone sous-dense, il faut exercer en groupe (au moins 2 médecins) ou en "
                    "coordination renforcée avec d'autres médecins.",
                    "seed_000",
                )
            )
    elif s.exercice == "coordination_renforcee":
        p = ctx.parametres.conditions
        fa_min = ctx.parametre(p.coordination_renforcee_file_active_min)
        mt_min = ctx.parametre(p.coordination_renforcee_mt_min)
        mt = s.patientele_mt or 0
        if s.file_active > fa_min.valeur or mt > mt_min.valeur:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ok",
                    f"Coordination renforcée : file active supérieure à {fmt.nombre(fa_min.valeur)} ou "
                    f"patientèle MT supérieure à {fmt.nombre(mt_min.valeur)} : critère rempli.",
                    fa_min.source,
                )
            )
        else:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "ko",
                    f"La coordination renforcée suppose une file active supérieure à "
                    f"{fmt.nombre(fa_min.valeur)} ou une patientèle MT supérieure à "
                    f"{fmt.nombre(mt_min.valeur)}.",
                    fa_min.source,
                )
            )
    else:
        conditions.append(
            _condition(
                ctx,
                "exercice_groupe",
                libelle,
                "a_verifier",
                "Sous l'avenant 7, il faut exercer en groupe, ou seul en zone sous-dense, ou en "
                "coordination renforcée : précisez votre mode d'exercice.",
                "seed_000",
            )
        )
    libelle = "Exercice coordonné"
    if s.exercice_coordonne is True:
        conditions.append(
            _condition(
                ctx,
                "exercice_coordonne",
                libelle,
                "ok",
                "Membre (ou engagé à le devenir sous 2 ans) d'une CPTS, MSP, ESP ou d'un centre de "
                "santé : critère rempli.",
                "seed_000",
            )
        )
    elif s.exercice_coordonne is False:
        conditions.append(
            _condition(
                ctx,
                "exercice_coordonne",
                libelle,
                "ko",
                "Il faut participer à un exercice coordonné (CPTS, MSP, ESP, centre de santé…) ou "
                "s'engager à le faire dans les 2 ans : cet engagement suffit.",
                "seed_000",
            )
        )
    else:
        conditions.append(
            _condition(
                ctx,
                "exercice_coordonne",
                libelle,
                "a_verifier",
                "Il faut participer à un exercice coordonné (CPTS, MSP, ESP…) ou s'y engager sous "
                "2 ans : précisez-le.",
                "seed_000",
            )
        )
    return conditions


# Contract obligations: shown, never blocking. (code, message, source key, regimes or None = all)
OBLIGATIONS: tuple[tuple[str, str, str, frozenset[str] | None], ...] = (
    (
        "missions",
        "Confier à l'assistant des missions administratives, de préparation de la "
        "consultation ou de coordination, librement choisies.",
        "seed_004",
        None,
    ),
    (
        "locaux",
        "Disposer de locaux adaptés à l'accueil de l'assistant (le télétravail partiel ou "
        "le télésecrétariat sont possibles).",
        "seed_001",
        frozenset({"reglement_arbitral_2023", "convention_2024"}),
    ),
    (
        "formation",
        "L'assistant commence sa formation dans les 2 ans suivant l'embauche (CQP "
        "d'environ 384 à 386 h, ou FAE d'environ 100 à 112 h pour un infirmier, aide-soignant ou "
        "auxiliaire de puériculture).",
        "seed_001",
        None,
    ),
    (
        "secretaire",
        "Un(e) secrétaire devenu(e) assistant(e) médical(e) doit être remplacé(e) dans les 6 mois.",
        "seed_001",
        None,
    ),
    (
        "soins_non_programmes",
        "Participer à la prise en charge des soins non programmés via "
        "l'organisation territoriale (CPTS…) s'il en existe une.",
        "seed_003",
        frozenset({"avenant_7"}),
    ),
)


@lru_cache(maxsize=64)
def _obligations(regime: str, sources: tuple[tuple[str, str], ...]) -> tuple[Obligation, ...]:
    titres = dict(sources)
    return tuple(
        Obligation(code=code, message=message, source=titres[cle])
        for code, message, cle, regimes in OBLIGATIONS
        if regimes is None or regime in regimes
    )


def obligations_lister(ctx: _Contexte) -> list[Obligation]:
    cles = sorted({cle for _, _, cle, _ in OBLIGATIONS})
    sources = tuple((cle, ctx.parametres.source_titre(cle)) for cle in cles)
    return list(_obligations(ctx.regime.code, sources))


# --------------------------------------------------------------------------- targets


def objectifs_calculer(
    ctx: _Contexte, *, regle: RegleSpecialite | None, percentiles: dict[str, Percentiles | None]
) -> Objectifs:
    s, regime = ctx.situation, ctx.regime
    annees = ctx.parametre(ctx.parametres.conditions.annees_objectif)
    echeance = annees_ajouter(s.date_signature, int(annees.valeur))
    explication: str | None
    if s.option in OPTIONS_SECOND_ASSISTANT or s.option not in regime.options:
        explication = (
            "Objectifs du second assistant : fixés par la CPAM (non publiés)."
            if s.option in OPTIONS_SECOND_ASSISTANT and s.option in regime.options
            else "Pas d'objectif : l'option choisie n'est pas ouverte sous ce régime."
        )
        return Objectifs(
            patientele_mt=None,
            file_active=None,
            echeance=None,
            explication=explication,
            estimation=False,
        )
    indicateurs = _indicateurs_objectif(ctx, regle)
    resultats: dict[str, Objectif | None] = {"patientele_mt": None, "file_active": None}
    manquants: list[str] = []
    for indicateur in indicateurs:
        valeur = _valeurs_indicateurs(ctx)[indicateur]
        assert valeur is not None
        p = percentiles.get(indicateur)
        if regime.code == "avenant_7":
            objectif = _objectif_avenant_7(ctx, indicateur, valeur, p)
        else:
            objectif = _objectif_2023(ctx, indicateur, valeur, p)
        if objectif is None:
            manquants.append(INDICATEUR_LIBELLES[indicateur].lower())
        resultats[indicateur] = objectif
    explication = None
    if manquants:
        explication = (
            f"Objectif de {' et de '.join(manquants)} non calculé : les percentiles CNAM de votre "
            "spécialité ne sont pas disponibles ici. La CPAM fixe l'objectif."
        )
    elif "patientele_mt" not in indicateurs:
        explication = "Votre spécialité n'a qu'un objectif, sur la file active."
    estimation = any(o.estimation for o in resultats.values() if o is not None)
    if estimation:
        ctx.avertir(ESTIMATION)
    ctx.etape(
        "Échéance des objectifs",
        fmt.date_fr(echeance),
        parametre=annees,
        formule=f"signature le {fmt.date_fr(s.date_signature)} + {fmt.nombre(annees.valeur)} ans",
    )
    return Objectifs(
        patientele_mt=resultats["patientele_mt"],
        file_active=resultats["file_active"],
        echeance=echeance,
        explication=explication,
        estimation=estimation,
    )


def _indicateurs_objectif(ctx: _Contexte, regle: RegleSpecialite | None) -> list[str]:
    objectif_mt = regle.objectif_mt if regle is not None else ctx.faits.specialite.generaliste
    if objectif_mt and ctx.situation.patientele_mt is None:
        raise SituationInvalide(
            {
                "patientele_mt": [
                    "Pour votre spécialité, l'objectif porte aussi sur la patientèle médecin traitant : "
                    "indiquez-la."
                ]
            }
        )
    return ["patientele_mt", "file_active"] if objectif_mt else ["file_active"]


def _objectif_avenant_7(
    ctx: _Contexte, indicateur: str, valeur: int, p: Percentiles | None
) -> Objectif | None:
    s = ctx.situation
    if p is None:
        return None
    tranche = tranche_situer(valeur, p)
    if tranche is None:
        return None
    estimation = tranche == "sous_p30"
    taux_param = getattr(
        ctx.parametres.objectifs_avenant_7.taux[s.option],  # type: ignore[index]
        "p30_p50" if estimation else tranche,
    )
    taux = ctx.parametre(taux_param)
    brut = Decimal(valeur) * taux.valeur
    hausse = fmt.patients_arrondir(brut)
    bornes = _bornes_txt(valeur, tranche, p)
    formule = f"{fmt.nombre(valeur)} × {fmt.taux(taux.valeur)} = {fmt.nombre(brut)} → {fmt.nombre(hausse)}"
    if estimation:
        formule += " (sous le P30 : taux de la tranche P30–P50, aucun texte ne le précise)"
    libelle = INDICATEUR_LIBELLES[indicateur] + (" adulte" if indicateur == "patientele_mt" else "")
    ctx.etape(
        f"Objectif {libelle.lower()} : hausse",
        f"+ {fmt.patients(hausse)}",
        parametre=taux,
        formule=f"{bornes} ; {formule}",
        estimation=estimation,
    )
    return Objectif(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        cible=valeur + hausse,
        tranche=TRANCHE_LIBELLES[tranche],
        formule=formule,
        estimation=estimation,
    )


def _bornes_txt(valeur: int, tranche: str, p: Percentiles) -> str:
    limites = {
        "sous_p30": (None, p.p30),
        "p30_p50": (p.p30, p.p50),
        "p50_p70": (p.p50, p.p70),
        "p70_p90": (p.p70, p.p90),
        "p90_p95": (p.p90, p.p95),
        "p95": (p.p95, None),
    }[tranche]
    bas, haut = limites
    morceaux = []
    if bas is not None:
        morceaux.append(f"{fmt.nombre(bas)} ≤ ")
    morceaux.append(fmt.nombre(valeur))
    if haut is not None:
        morceaux.append(f" < {fmt.nombre(haut)}")
    return f"tranche {TRANCHE_LIBELLES[tranche]} ({''.join(morceaux)})"


def _objectif_2023(
    ctx: _Contexte, indicateur: str, valeur: int, p: Percentiles | None
) -> Objectif | None:
    s, spe, params = ctx.situation, ctx.faits.specialite, ctx.parametres.objectifs_2023
    libelle = INDICATEUR_LIBELLES[indicateur]
    if s.age_65_ans_ou_plus:
        tolerance = ctx.facultatif(ctx.parametres.conditions.baisse_toleree_65_ans)
        if tolerance is not None:
            plancher = fmt.patients_arrondir(Decimal(valeur) * (1 - tolerance.valeur))
            formule = (
                f"65 ans et plus : maintien de {fmt.nombre(valeur)} "
                f"(baisse de {fmt.taux(tolerance.valeur)} tolérée, soit au moins {fmt.nombre(plancher)})"
            )
            ctx.etape(
                f"Objectif {libelle.lower()} : maintien",
                "+ 0 patient",
                parametre=tolerance,
                formule=formule,
                estimation=True,
            )
            return Objectif(
                indicateur=indicateur,
                libelle=libelle,
                initiale=valeur,
                hausse=0,
                cible=valeur,
                tranche="maintien (65 ans et plus)",
                formule=formule,
                estimation=True,
            )
    if p is None or p.p50 is None or p.p95 is None:
        return None
    plateau = ctx.parametre(getattr(params.plateau[s.option], indicateur))  # type: ignore[index]
    k = plateau.valeur
    estimation = True  # the formula is derived from worked examples (RULES.md §4)
    echelle = ""
    if not spe.generaliste:
        reference = ctx.parametre(getattr(params.reference_p50, indicateur))
        k = k * Decimal(p.p50) / reference.valeur
        echelle = (
            f"plateau des généralistes {fmt.nombre(plateau.valeur)} × P50 de la spécialité "
            f"{fmt.nombre(p.p50)} / P50 des généralistes {fmt.nombre(reference.valeur)} = "
            f"{fmt.nombre(k, 2)} ; "
        )
    if valeur <= p.p50:
        forme = Decimal(1)
        forme_txt = f"{fmt.nombre(valeur)} ≤ P50 ({fmt.nombre(p.p50)}) : forme = 1"
        tranche = "jusqu'au P50"
    elif valeur >= p.p95:
        forme = Decimal(0)
        forme_txt = f"{fmt.nombre(valeur)} ≥ P95 ({fmt.nombre(p.p95)}) : forme = 0"
        tranche = "au moins P95"
    else:
        forme = Decimal(p.p95 - valeur) / Decimal(p.p95 - p.p50)
        forme_txt = (
            f"forme = (P95 − x) / (P95 − P50) = ({fmt.nombre(p.p95)} − {fmt.nombre(valeur)}) "
            f"/ ({fmt.nombre(p.p95)} − {fmt.nombre(p.p50)}) = {fmt.nombre(forme, 4)}"
        )
        tranche = "entre P50 et P95"
    brut = k * forme
    calcul = f"{fmt.nombre(k, 2) if echelle else fmt.nombre(k)} × {fmt.nombre(forme, 4)}"
    if indicateur == "patientele_mt" and s.option == "temps_plein":
        part = ctx.parametre(params.part_fixe_mt_temps_plein)
        brut += Decimal(valeur) * part.valeur
        calcul += f" + {fmt.taux(part.valeur)} × {fmt.nombre(valeur)}"
    hausse = fmt.patients_arrondir(brut)
    formule = f"{echelle}{forme_txt} ; {calcul} = {fmt.nombre(brut, 2)} → {fmt.nombre(hausse)}"
    cible = valeur + hausse
    if s.primo_installe and cible < p.p50:
        formule += f" ; nouvellement installé : objectif porté au P50 ({fmt.nombre(p.p50)})"
        cible = p.p50
        hausse = cible - valeur
    ctx.etape(
        f"Objectif {libelle.lower()} : hausse",
        f"+ {fmt.patients(hausse)}",
        parametre=plateau,
        formule=formule,
        estimation=estimation,
    )
    return Objectif(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        cible=cible,
        tranche=tranche,
        formule=formule,
        estimation=estimation,
    )


# --------------------------------------------------------------------------- amounts


def bareme_determiner(
    ctx: _Contexte, *, regle: RegleSpecialite | None, percentiles: dict[str, Percentiles | None]
) -> str:
    """standard, p90_p95 or p95: the best position among the indicators that count."""
    objectif_mt = regle.objectif_mt if regle is not None else ctx.faits.specialite.generaliste
    indicateurs = ["patientele_mt", "file_active"] if objectif_mt else ["file_active"]
    meilleur = "standard"
    inconnu = False
    for indicateur in indicateurs:
        valeur = _valeurs_indicateurs(ctx)[indicateur]
        p = percentiles.get(indicateur)
        if valeur is None:
            continue
        if p is None or p.p95 is None:
            inconnu = True
            continue
        if valeur >= p.p95:
            return "p95"
        if p.p90 is None:
            inconnu = inconnu or (p.p50 is None or valeur >= p.p50)
        elif valeur >= p.p90:
            meilleur = "p90_p95"
    if inconnu and meilleur == "standard":
        ctx.avertir(
            "L'aide est majorée à partir de la 3e année si votre patientèle dépasse le P90 de votre "
            "spécialité, et maintenue au niveau de la 1re année au-delà du P95 : ces percentiles "
            "ne sont pas disponibles ici, la CPAM le vérifie."
        )
    return meilleur


@lru_cache(maxsize=256)
def _versement_decrire(observation: int, part_acompte: Decimal | None) -> str:
    texte = (
        f"Années 1 et {observation} : aide versée en totalité, même si la patientèle n'a "
        "pas encore progressé (période d'observation). "
    )
    if part_acompte is not None:
        return texte + (
            f"À partir de la 3e année : acompte de {fmt.taux(part_acompte)} à la "
            "date anniversaire du contrat, solde selon l'atteinte des objectifs."
        )
    return texte + "À partir de la 3e année : aide versée selon l'atteinte des objectifs."


# Column of the amount table for (band, contract year): attribute and label.
_COLONNES: dict[tuple[str, int], tuple[str, str]] = {}
for _bareme in ("standard", "p90_p95", "p95"):
    for _k in range(1, ANNEES_AFFICHEES + 1):
        if _bareme == "p95":
            _COLONNES[_bareme, _k] = (
                "forte_patientele_p95",
                "forte patientèle (≥ P95), chaque année",
            )
        elif _k == 1:
            _COLONNES[_bareme, _k] = ("annee_1", "1re année")
        elif _k == 2:
            _COLONNES[_bareme, _k] = ("annee_2", "2e année")
        elif _bareme == "p90_p95":
            _COLONNES[_bareme, _k] = (
                "annee_3_et_suivantes_p90_p95",
                "3e année et suivantes, P90–P95",
            )
        else:
            _COLONNES[_bareme, _k] = ("annee_3_et_suivantes", "3e année et suivantes")


def aide_calculer(
    ctx: _Contexte,
    *,
    eligible: bool,
    regle: RegleSpecialite | None,
    percentiles: dict[str, Percentiles | None],
) -> Aide:
    s, regime, params = ctx.situation, ctx.regime, ctx.parametres
    observation = int(ctx.parametre(params.conditions.annees_observation).valeur)
    part_acompte = ctx.facultatif(params.conditions.part_acompte)
    versement = _versement_decrire(observation, part_acompte.valeur if part_acompte else None)
    prorata = s.part_activite_liberale / 100
    part_txt = f"{fmt.nombre(s.part_activite_liberale)} %"
    debuts = [annees_ajouter(s.date_signature, k) for k in range(ANNEES_AFFICHEES)]
    if s.option in OPTIONS_SECOND_ASSISTANT or s.option not in regime.options:
        formule = (
            "Montant fixé par la CPAM (non publié)."
            if s.option in OPTIONS_SECOND_ASSISTANT
            else "Option non ouverte sous ce régime."
        )
        annees = [
            AnneeAide(
                annee=k + 1,
                debut=d,
                montant=None if eligible else 0,
                montant_maximum=None,
                conditionnel=k + 1 > observation,
                bareme="cpam",
                formule=formule,
            )
            for k, d in enumerate(debuts)
        ]
        ctx.etape("Montant de l'aide", formule, source=ctx.source(regime.source))
        return Aide(
            option=s.option,
            option_libelle=OPTIONS[s.option],
            annees=annees,
            total_5_ans=None if eligible else 0,
            part_activite_liberale=part_txt,
            versement=versement,
        )
    bareme = bareme_determiner(ctx, regle=regle, percentiles=percentiles)
    colonnes = params.montants[s.option]  # type: ignore[index]
    annees = []
    revalorisation: dt.date | None = None
    entier = prorata == 1
    for k, debut in enumerate(debuts, start=1):
        attribut, nom = _COLONNES[bareme, k]
        valeur = getattr(colonnes, attribut).a_la_date(debut)
        if valeur.depuis > s.date_signature:
            revalorisation = valeur.depuis
        maximum = int(valeur.valeur) if entier else fmt.euros_arrondir(valeur.valeur * prorata)
        montant = maximum if eligible else 0
        debut_txt = fmt.date_fr(debut)
        formule = f"barème « {nom} » en vigueur le {debut_txt} : {fmt.euros(valeur.valeur)}"
        if not entier:
            formule += f" × {part_txt} d'activité libérale = {fmt.euros(maximum)}"
        if not eligible:
            formule += " ; non éligible : 0 €"
        annees.append(
            AnneeAide(
                annee=k,
                debut=debut,
                montant=montant,
                montant_maximum=maximum,
                conditionnel=k > observation,
                bareme=bareme,
                formule=formule,
            )
        )
        ctx.etape(
            f"Aide de l'année {k} (à partir du {debut_txt})",
            fmt.euros(montant),
            parametre=valeur,
            formule=formule,
        )
    total = sum(a.montant or 0 for a in annees)
    ctx.etape(
        "Total sur 5 ans",
        fmt.euros(total),
        formule=" + ".join(fmt.euros(a.montant or 0) for a in annees),
    )
    if revalorisation is not None:
        ctx.avertir(
            f"Le barème a été revalorisé le {fmt.date_fr(revalorisation)}, après la signature : "
            "le nouveau montant s'applique à votre contrat à partir de la date anniversaire "
            "suivante."
        )
    return Aide(
        option=s.option,
        option_libelle=OPTIONS[s.option],
        annees=annees,
        total_5_ans=total,
        part_activite_liberale=part_txt,
        versement=versement,
    )


# --------------------------------------------------------------------------- entry point


def simulation_calculer(
    *, situation: Situation, faits: Faits, parametres: Parametres, detail: bool = True
) -> Resultat:
    """The whole simulation for one doctor. Raises SituationInvalide on inconsistent input.

    ``detail=False`` leaves the trace empty (every figure is the same): for CSV batches,
    whose output has no room for it.
    """
    regime = regime_determiner(date_signature=situation.date_signature, parametres=parametres)
    ctx = _Contexte(
        situation=situation, faits=faits, parametres=parametres, regime=regime, detail=detail
    )
    fin = f"au {fmt.date_fr(regime.fin)}" if regime.fin else "à aujourd'hui"
    ctx.etape(
        "Régime applicable",
        regime.libelle,
        source=ctx.source(regime.source),
        formule=f"contrat signé le {fmt.date_fr(situation.date_signature)} : régime en vigueur du "
        f"{fmt.date_fr(regime.debut)} {fin}",
    )
    regle = faits.specialite.regles.get(regime.code)

    percentiles: dict[str, Percentiles | None] = {}
    utilises: list[PercentilesUtilises] = []
    for indicateur, serie in (
        ("patientele_mt", regime.indicateur_mt),
        ("file_active", "file_active"),
    ):
        p, remarque = percentiles_choisir(
            percentiles=faits.percentiles,
            indicateur=serie,
            jour=situation.date_signature,
            depuis=regime.percentiles_depuis,
        )
        percentiles[indicateur] = p
        if p is not None:
            utilise, etape = _percentiles_decrire(p, serie, remarque)
            utilises.append(utilise)
            if detail:
                ctx.trace.append(etape)

    lieu = lieu_determiner(ctx)
    conditions = conditions_evaluer(ctx, regle=regle, lieu=lieu, percentiles=percentiles)
    statuts = {c.statut for c in conditions}
    if "ko" in statuts:
        statut = "non_eligible"
        ko = [c.libelle.lower() for c in conditions if c.statut == "ko"]
        pluriel = "s" if len(ko) > 1 else ""
        resume = (
            f"En l'état, {len(ko)} condition{pluriel} non remplie{pluriel} : {', '.join(ko)}. "
            "Ce qui changerait la réponse est indiqué ci-dessous."
        )
    elif "a_verifier" in statuts or situation.option in OPTIONS_SECOND_ASSISTANT:
        statut = "a_confirmer"
        resume = (
            "Aucune condition n'est contraire, mais certaines relèvent de l'appréciation de "
            "votre CPAM : elle confirmera votre éligibilité."
        )
    else:
        statut = "eligible"
        resume = (
            "Vous remplissez les conditions de l'aide, sous réserve des engagements du contrat "
            "(rappelés plus bas)."
        )
    eligibilite = Eligibilite(
        statut=statut,
        resume=resume,
        conditions=conditions,
        obligations=obligations_lister(ctx),
    )
    ctx.etape("Éligibilité", resume)

    objectifs = objectifs_calculer(ctx, regle=regle, percentiles=percentiles)
    aide = aide_calculer(
        ctx, eligible=statut != "non_eligible", regle=regle, percentiles=percentiles
    )
    if situation.patientele_mt is not None and situation.patientele_mt > situation.file_active:
        ctx.avertir(
            "Votre patientèle médecin traitant dépasse votre file active : vérifiez les "
            "deux chiffres sur vos relevés CNAM (amelipro)."
        )
    ctx.avertir(
        "Simulation indicative : seul le contrat signé avec la CPAM engage. Ce simulateur "
        "n'est pas un outil officiel de l'Assurance Maladie."
    )
    return Resultat(
        situation=situation,
        regime=RegimeApplique(
            code=regime.code,
            libelle=regime.libelle,
            debut=regime.debut,
            fin=regime.fin,
            source=parametres.source_titre(regime.source),
            date_signature=situation.date_signature,
        ),
        eligibilite=eligibilite,
        lieu=lieu,
        aide=aide,
        objectifs=objectifs,
        percentiles=utilises,
        avertissements=ctx.avertissements,
        trace=ctx.trace,
    )


@lru_cache(maxsize=1024)
def _percentiles_decrire(
    p: Percentiles, serie: str, remarque: str | None
) -> tuple[PercentilesUtilises, Etape]:
    utilise = PercentilesUtilises(
        **p.model_dump(exclude={"indicateur"}), indicateur=serie, remarque=remarque
    )
    connus = [("P30", p.p30), ("P50", p.p50), ("P70", p.p70), ("P90", p.p90), ("P95", p.p95)]
    valeurs = ", ".join(f"{n} {fmt.nombre(v)}" for n, v in connus if v is not None)
    etape = _etape_creer(
        f"Percentiles CNAM ({_serie_libelle(serie)}) au {fmt.date_fr(p.date_donnees)}",
        valeurs,
        None,
        p.source,
        remarque,
        None,
        False,
    )
    return utilise, etape


def _serie_libelle(serie: str) -> str:
    return {
        "mt_adultes": "patientèle médecin traitant adulte",
        "mt": "patientèle médecin traitant",
        "file_active": "file active",
    }[serie]
