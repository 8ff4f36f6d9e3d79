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
from rules.core.dates import annees_ajouter
from rules.core.facts import Faits, Percentiles, RegleSpecialite
from rules.core.parameters import (
    CONFIANCE_LIBELLES,
    Parametre,
    Parametres,
    Regime,
    ValeurDatee,
)
from rules.core.position import (
    TRANCHE_LIBELLES,
    Position,
    bornes_decrire,
    percentiles_choisir,
    position_determiner,
)
from rules.core.renewal import renouvellement_estimer
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
    Piste,
    RegimeApplique,
    Resultat,
    StatutCondition,
)
from rules.core.situation import (
    OPTIONS,
    SECTEURS,
    TRANCHES_PERCENTILE,
    ZONES,
    Situation,
    SituationInvalide,
)

ESTIMATION = "Estimation — la CPAM fixe l'objectif."
ANNEES_AFFICHEES = 5
OPTIONS_SECOND_ASSISTANT = {"second_1_5", "second_2"}
INDICATEUR_LIBELLES = {"patientele_mt": "Patientèle médecin traitant", "file_active": "File active"}


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
    # Set once the percentiles are chosen: the CNAM snapshot of each indicator, the
    # indicators that count for the specialty (targets, bands) and the doctor's place.
    percentiles: dict[str, Percentiles | None] = field(default_factory=dict)
    indicateurs: tuple[str, ...] = ("file_active",)
    position: Position | None = None

    @property
    def avenant_7(self) -> bool:
        return self.regime.code == "avenant_7"

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


# --------------------------------------------------------------------------- place


# One name per zone type on every page: the labels of the situation's zones.
ZONAGE_LIBELLES = {
    "ZIP": ZONES["zip"],
    "ZAC": ZONES["zac"],
    "HZ": ZONES["hors_zone"],
    "ZAR": "Zone d'accompagnement régional (ni ZIP ni ZAC)",
    "NA": "Zonage non renseigné",
}
_ZONE_DU_ZONAGE = {"ZIP": "zip", "ZAC": "zac", "HZ": "hors_zone", "ZAR": "hors_zone"}


def lieu_determiner(ctx: _Contexte) -> LieuApplique:
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
        zone_compte = ctx.avenant_7 or s.option in OPTIONS_SECOND_ASSISTANT
        if plus_recent and s.zone is None and zone_compte:
            ctx.avertir(
                f"Le plus ancien zonage connu ici pour votre commune date du "
                f"{fmt.date_fr(zonage_date or s.date_signature)}, après la signature : la zone en "
                "vigueur à la signature a pu être différente (arrêté de votre ARS) ; corrigez-la "
                "si besoin."
            )
        if zonage == "ZAR" and s.zone is None:
            ctx.avertir(
                "Votre commune est en zone d'accompagnement régional : ce n'est ni une ZIP ni une "
                "ZAC ; vérifiez l'arrêté de votre ARS et corrigez la zone si besoin."
            )
        if zonage in {None, "NA"} and s.zone is None:
            ctx.avertir(
                "Le zonage de votre commune n'est pas connu : indiquez la zone (ZIP, ZAC ou hors "
                "zone) si elle compte pour votre situation."
            )
    zone_commune = _ZONE_DU_ZONAGE.get(zonage or "")
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
        zonage_date=zonage_date,
        zonage_source=zonage_source,
    )
    if lieu is not None:
        zonage_txt = ZONAGE_LIBELLES.get(zonage or "NA", ZONAGE_LIBELLES["NA"])
        date_txt = f" (zonage au {fmt.date_fr(zonage_date)})" if zonage_date else ""
        ctx.etape(
            "Zonage de la commune à la signature",
            f"{lieu.commune_nom} ({lieu.departement_nom}) : {zonage_txt}{date_txt}",
            source=zonage_source,
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
    ctx: _Contexte, *, regle: RegleSpecialite | None, lieu: LieuApplique
) -> list[Condition]:
    s, spe = ctx.situation, ctx.faits.specialite
    conditions: list[Condition] = []
    ajouter = conditions.append

    # Centres de santé have their own scheme (national accord): out of this simulator's scope.
    if s.centre_de_sante:
        ajouter(
            _condition(
                ctx,
                "centre_de_sante",
                "Exercice en centre de santé",
                "ko",
                "Les médecins salariés d'un centre de santé relèvent d'un autre dispositif, prévu "
                "par l'accord national des centres de santé : ce simulateur ne le calcule pas. "
                "Le centre s'adresse à sa CPAM.",
                "accord_centres_sante",
            )
        )
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

    conditions.extend(_option_conditions(ctx, lieu))
    if s.option not in OPTIONS_SECOND_ASSISTANT:
        ajouter(_minimum_condition(ctx, lieu))
    if ctx.avenant_7:
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
            if s.primo_installe:
                ajouter(
                    _condition(
                        ctx,
                        "age_65_ans_primo_installe",
                        "65 ans et plus, nouvellement installé",
                        "a_verifier",
                        "Aucune source ne dit quelle règle l'emporte pour un médecin à la fois "
                        "nouvellement installé (atteindre le P50 en 3e année) et âgé de 65 ans ou "
                        "plus (maintenir sa patientèle) : les deux lectures sont montrées, la "
                        "CPAM tranche.",
                        tolerance.source,
                    )
                )
    return conditions


def _specialite_condition(ctx: _Contexte, regle: RegleSpecialite, lieu: LieuApplique) -> Condition:
    s, spe = ctx.situation, ctx.faits.specialite
    libelle = "Spécialité"
    if regle.classe == "eligible":
        if ctx.avenant_7:
            message = f"« {spe.libelle} » fait partie des spécialités éligibles partout en France."
        else:
            message = (
                f"« {spe.libelle} » est éligible : seules la radiologie, la radiothérapie, la "
                "stomatologie, l'anesthésie, l'anatomo-cytopathologie et la médecine nucléaire "
                "sont exclues."
            )
        return _condition(ctx, "specialite", libelle, "ok", message, regle.source)
    if regle.classe == "a_confirmer":
        return _condition(
            ctx,
            "specialite",
            libelle,
            "a_verifier",
            regle.remarque
            or f"L'éligibilité de « {spe.libelle} » dépend de votre exercice : la CPAM la confirme.",
            regle.source,
        )
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
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if sous_dense:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ok",
            f"« {spe.libelle} » est admise en zone sous-dense dans le département "
            f"{lieu.departement_nom} : critère rempli.",
            regle.source,
        )
    return _condition(
        ctx,
        "specialite",
        libelle,
        "a_verifier",
        f"« {spe.libelle} » n'est admise dans le département {lieu.departement_nom} qu'en zone "
        f"sous-dense ; {precision} : la CPAM le confirme.",
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


def _option_conditions(ctx: _Contexte, lieu: LieuApplique) -> list[Condition]:
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
        return [_avenant_7_temps_plein(ctx, lieu)]
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


def sous_dense_situer(zone: str | None) -> tuple[bool | None, str]:
    """Avenant 7 « zone sous-dense » (seed 000): ZIP, ZAC whose APL ≤ 3,5, or a derogation
    zone of the CPL. The data tells ZIP, ZAC or neither, not the APL nor the CPL zones:
    (True, …) for a ZIP, (None, why the CPAM must confirm) otherwise."""
    if zone == "zip":
        return True, "zone d'intervention prioritaire (ZIP)"
    if zone == "zac":
        return None, (
            "une ZAC n'est zone sous-dense que si son accessibilité aux médecins (APL) est au "
            "plus de 3,5"
        )
    if zone == "hors_zone":
        return None, (
            "hors ZIP et ZAC, seule une zone dérogatoire retenue par la commission paritaire "
            "locale (CPL) est zone sous-dense"
        )
    return None, "la zone n'est pas connue : indiquez votre commune ou votre zone"


def _avenant_7_temps_plein(ctx: _Contexte, lieu: LieuApplique) -> Condition:
    libelle = "Option temps plein"
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if sous_dense:
        return _condition(
            ctx, "option", libelle, "ok", f"Temps plein : ouvert en {precision}.", "seed_000"
        )
    if lieu.zone == "zac":
        avenant_8 = ctx.facultatif(ctx.parametres.conditions.temps_plein_zac_isole_p50)
        if avenant_8 is None:
            debut = ctx.parametres.conditions.temps_plein_zac_isole_p50.valeurs
            entree = next(d for d, v in debut.items() if v.valeur is not None)
            return _condition(
                ctx,
                "option",
                libelle,
                "a_verifier",
                f"Sous l'avenant 7, le temps plein n'est ouvert qu'en zone sous-dense, et "
                f"{precision} : la CPAM le confirme. L'ouverture en ZAC au médecin seul au P50 "
                f"(avenant 8) ne vaut que pour les contrats signés à partir du "
                f"{fmt.date_fr(entree)}.",
                "seed_000",
            )
        au_p50 = _au_moins_p50(ctx)
        if ctx.situation.exercice == "isole" and au_p50:
            return _condition(
                ctx,
                "option",
                libelle,
                "ok",
                "Temps plein en ZAC : ouvert au médecin exerçant seul dont la patientèle atteint "
                "le P50 (avenant 8).",
                avenant_8.source,
            )
        return _condition(
            ctx,
            "option",
            libelle,
            "a_verifier",
            "En ZAC, le temps plein est ouvert au médecin exerçant seul dont la patientèle "
            f"atteint le P50 (avenant 8) ; sinon, {precision} : la CPAM le confirme. Le "
            "mi-temps reste possible.",
            avenant_8.source,
        )
    return _condition(
        ctx,
        "option",
        libelle,
        "a_verifier",
        f"Sous l'avenant 7, le temps plein n'est ouvert qu'en zone sous-dense ; {precision} : "
        "la CPAM le confirme. Sinon, le 1/3 temps ou le mi-temps restent possibles.",
        "seed_000",
    )


def _au_moins_p50(ctx: _Contexte) -> bool | None:
    position = ctx.position
    if position is not None and position.declaree and position.tranche is not None:
        return position.tranche not in {"sous_p30", "p30_p50"}
    connu = False
    for indicateur, valeur in _valeurs_indicateurs(ctx).items():
        p = ctx.percentiles.get(indicateur)
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


def _minimum_condition(ctx: _Contexte, lieu: LieuApplique) -> Condition:
    s, spe = ctx.situation, ctx.faits.specialite
    avenant_7 = ctx.avenant_7
    libelle = "Patientèle minimale (P30)"
    indicateur = "patientele_mt" if spe.generaliste else "file_active"
    nom = (
        "patientèle médecin traitant" + (" adulte" if avenant_7 else "")
        if spe.generaliste
        else "file active"
    )
    valeur = s.patientele_mt if spe.generaliste else s.file_active
    p = ctx.percentiles.get(indicateur)
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
    if (seuil is None or valeur is None) and s.tranche_percentile is not None:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            f"Votre {nom} est, selon votre CPAM, {TRANCHES_PERCENTILE[s.tranche_percentile]} : "
            "au moins le seuil P30.",
            "seed_001",
        )
    if seuil is None or valeur is None:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "a_verifier",
            f"Le seuil minimal (P30 de la {nom}) de votre spécialité n'est pas connu ici : la "
            "CPAM le vérifie. Si elle vous a indiqué votre tranche de patientèle, précisez-la.",
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
        derogation = _minimum_derogation_avenant_7(ctx, lieu, libelle)
        if derogation is not None:
            return derogation
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


def _minimum_derogation_avenant_7(
    ctx: _Contexte, lieu: LieuApplique, libelle: str
) -> Condition | None:
    s, spe = ctx.situation, ctx.faits.specialite
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
    if s.exercice != "isole":
        return None
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if sous_dense:
        return _condition(
            ctx,
            "patientele_minimum",
            libelle,
            "ok",
            "Dérogation : médecin exerçant seul en zone sous-dense.",
            "seed_003",
        )
    return _condition(
        ctx,
        "patientele_minimum",
        libelle,
        "a_verifier",
        f"Sous le seuil, un médecin exerçant seul en est dispensé en zone sous-dense ; {precision} : "
        "la CPAM le confirme.",
        "seed_003",
    )


def _avenant_7_exercice_conditions(ctx: _Contexte, lieu: LieuApplique) -> list[Condition]:
    s = ctx.situation
    conditions: list[Condition] = []
    libelle = "Exercice regroupé"
    sous_dense, precision = sous_dense_situer(lieu.zone)
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
        else:
            conditions.append(
                _condition(
                    ctx,
                    "exercice_groupe",
                    libelle,
                    "a_verifier",
                    f"Un médecin seul est dispensé du regroupement en zone sous-dense ; {precision} : "
                    "la CPAM le confirme. Sinon, il faut exercer en groupe (au moins 2 médecins) "
                    "ou en coordination renforcée.",
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


def objectifs_calculer(ctx: _Contexte) -> Objectifs:
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
    resultats: dict[str, Objectif | None] = {"patientele_mt": None, "file_active": None}
    manquants: list[str] = []
    remarques: list[str] = []
    for indicateur in ctx.indicateurs:
        valeur = _valeurs_indicateurs(ctx)[indicateur]
        assert valeur is not None
        if ctx.avenant_7:
            objectif = _objectif_avenant_7(ctx, indicateur, valeur)
        else:
            objectif = _objectif_2023(ctx, indicateur, valeur, remarques)
        if objectif is None:
            manquants.append(INDICATEUR_LIBELLES[indicateur].lower())
        resultats[indicateur] = objectif
    explication = None
    if manquants:
        explication = (
            f"Objectif de {' et de '.join(manquants)} non calculé : les percentiles CNAM de votre "
            "spécialité ne sont pas connus ici. Demandez à votre CPAM (délégué de l'Assurance "
            "Maladie) votre objectif, ou les P50 et P95 de votre spécialité"
            + (
                " ; sous les règles de 2019, la tranche de patientèle qu'elle vous indique suffit "
                "à le calculer ici."
                if ctx.avenant_7
                else "."
            )
        )
    elif ctx.faits.specialite.generaliste is False and "patientele_mt" not in ctx.indicateurs:
        explication = "Votre spécialité n'a qu'un objectif, sur la file active."
    if _objectif_mt_du(ctx) and "patientele_mt" not in ctx.indicateurs:
        remarques.append(
            "Un objectif de patientèle médecin traitant s'ajoute si vous êtes médecin traitant "
            "de patients : indiquez cette patientèle pour le calculer."
        )
    if remarques:
        explication = " ".join(filter(None, [explication, *remarques]))
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


def _objectif_mt_du(ctx: _Contexte) -> bool:
    regle = ctx.faits.specialite.regles.get(ctx.regime.code)
    return regle.objectif_mt if regle is not None else ctx.faits.specialite.generaliste


def indicateurs_determiner(ctx: _Contexte) -> tuple[str, ...]:
    """The indicators that carry a target (and place the doctor in a band).

    GPs owe an MT target and must give their MT; other specialties with an MT target
    (paediatricians since 2023) get it only when they give an MT figure."""
    objectif_mt = _objectif_mt_du(ctx)
    if objectif_mt and ctx.situation.patientele_mt is None:
        if ctx.faits.specialite.generaliste:
            raise SituationInvalide(
                {
                    "patientele_mt": [
                        "Pour votre spécialité, l'objectif porte aussi sur la patientèle médecin "
                        "traitant : indiquez-la."
                    ]
                }
            )
        objectif_mt = False
    return ("patientele_mt", "file_active") if objectif_mt else ("file_active",)


def _objectif_avenant_7(ctx: _Contexte, indicateur: str, valeur: int) -> Objectif | None:
    """Seed 003: the rate of the doctor's band (one band for both indicators) × the value."""
    s, position = ctx.situation, ctx.position
    if position is None or position.tranche is None:
        return None
    tranche = position.tranche
    sous_p30 = tranche == "sous_p30"
    estimation = sous_p30 or position.divergentes
    taux_param = getattr(
        ctx.parametres.objectifs_avenant_7.taux[s.option],  # type: ignore[index]
        "p30_p50" if sous_p30 else tranche,
    )
    taux = ctx.parametre(taux_param)
    brut = Decimal(valeur) * taux.valeur
    hausse = fmt.patients_arrondir(brut)
    p = ctx.percentiles.get(indicateur)
    propre = position.tranches.get(indicateur)
    if p is not None and propre is not None:
        place = bornes_decrire(valeur, propre, p)
    else:
        place = f"tranche {TRANCHE_LIBELLES[tranche]}, indiquée par votre CPAM"
    formule = f"{fmt.nombre(valeur)} × {fmt.taux(taux.valeur)} = {fmt.nombre(brut)} → {fmt.nombre(hausse)}"
    if sous_p30:
        formule += " (sous le P30 : taux de la tranche P30–P50, aucun texte ne le précise)"
    if position.divergentes and propre != tranche:
        formule += (
            f" ; taux de la tranche {TRANCHE_LIBELLES[tranche]}, la plus haute atteinte par l'un "
            "des deux indicateurs (une seule tranche par médecin) : estimation"
        )
    libelle = INDICATEUR_LIBELLES[indicateur] + (" adulte" if indicateur == "patientele_mt" else "")
    ctx.etape(
        f"Objectif {libelle.lower()} : hausse",
        f"+\u00a0{fmt.patients(hausse)}",
        parametre=taux,
        formule=f"{place} ; {formule}",
        estimation=estimation,
    )
    if position.divergentes:
        ctx.avertir(
            "Vos deux indicateurs ne sont pas dans la même tranche de patientèle : le taux de la "
            "plus haute s'applique aux deux (lecture de la fiche de 2019 et d'un contrat réel), "
            "à confirmer avec la CPAM."
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


def _maintien_65_ans(ctx: _Contexte, valeur: int) -> tuple[int, str, ValeurDatee] | None:
    """Convention 2024, 65 and over: keep the patientèle, a 10 % decrease tolerated."""
    if not ctx.situation.age_65_ans_ou_plus:
        return None
    tolerance = ctx.facultatif(ctx.parametres.conditions.baisse_toleree_65_ans)
    if tolerance is None:
        return None
    plancher = fmt.patients_arrondir(Decimal(valeur) * (1 - tolerance.valeur))
    formule = (
        f"65 ans et plus : maintien de {fmt.nombre(valeur)} "
        f"(baisse de {fmt.taux(tolerance.valeur)} tolérée, soit au moins {fmt.nombre(plancher)})"
    )
    return plancher, formule, tolerance


def _objectif_2023(
    ctx: _Contexte, indicateur: str, valeur: int, remarques: list[str]
) -> Objectif | None:
    s, spe, params = ctx.situation, ctx.faits.specialite, ctx.parametres.objectifs_2023
    libelle = INDICATEUR_LIBELLES[indicateur]
    maintien = _maintien_65_ans(ctx, valeur)
    if maintien is not None and not s.primo_installe:
        _, formule, tolerance = maintien
        ctx.etape(
            f"Objectif {libelle.lower()} : maintien",
            "+\u00a00\u00a0patient",
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
    position = ctx.position
    p = ctx.percentiles.get(indicateur)
    if position is not None and position.tres_forte:
        return _objectif_tres_forte_patientele(ctx, indicateur, valeur, p)
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
        forme_txt = f"{fmt.nombre(valeur)} ≤ P50 ({fmt.nombre(p.p50)}) : hausse entière"
        tranche = "jusqu'au P50"
    elif valeur >= p.p95:
        forme = Decimal(0)
        forme_txt = (
            f"{fmt.nombre(valeur)} ≥ P95 ({fmt.nombre(p.p95)}) : pas de hausse sur cet indicateur"
        )
        tranche = "au moins P95"
    else:
        forme = Decimal(p.p95 - valeur) / Decimal(p.p95 - p.p50)
        forme_txt = (
            f"coefficient = (P95 − x) / (P95 − P50) = ({fmt.nombre(p.p95)} − {fmt.nombre(valeur)}) "
            f"/ ({fmt.nombre(p.p95)} − {fmt.nombre(p.p50)}) = {fmt.nombre(forme, 4)}"
        )
        tranche = "entre P50 et P95"
    brut = k * forme
    calcul = f"{fmt.nombre(k, 2) if echelle else fmt.nombre(k)} × {fmt.nombre(forme, 4)}"
    if indicateur == "patientele_mt" and s.option == "temps_plein":
        part = ctx.parametre(params.part_fixe_mt_temps_plein)
        plafond = ctx.parametre(params.plafond_part_fixe_mt_temps_plein)
        fixe = min(Decimal(valeur) * part.valeur, plafond.valeur)
        brut += fixe
        calcul += f" + {fmt.taux(part.valeur)} × {fmt.nombre(valeur)}"
        if fixe == plafond.valeur:
            calcul += f" (plafonné à {fmt.nombre(plafond.valeur)})"
    hausse = fmt.patients_arrondir(brut)
    formule = f"{echelle}{forme_txt} ; {calcul} = {fmt.nombre(brut, 2)} → {fmt.nombre(hausse)}"
    cible = valeur + hausse
    if s.primo_installe and cible < p.p50:
        formule += f" ; nouvellement installé : objectif porté au P50 ({fmt.nombre(p.p50)})"
        cible = p.p50
        hausse = cible - valeur
    if maintien is not None:
        _, formule_65, _ = maintien
        remarques.append(
            f"Autre lecture ({INDICATEUR_LIBELLES[indicateur].lower()}), à 65 ans et plus : "
            f"{formule_65.removeprefix('65 ans et plus : ')}. La CPAM dit laquelle s'applique."
        )
    ctx.etape(
        f"Objectif {libelle.lower()} : hausse",
        f"+\u00a0{fmt.patients(hausse)}",
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


def _objectif_tres_forte_patientele(
    ctx: _Contexte, indicateur: str, valeur: int, p: Percentiles | None
) -> Objectif:
    """Seed 001: every indicator that counts ≥ P95 → keep the patientèle at 1/2 ETP; at
    1 ETP, + 5 % of the MT, at most 109 patients, and no FA increase."""
    s, params = ctx.situation, ctx.parametres.objectifs_2023
    libelle = INDICATEUR_LIBELLES[indicateur]
    p95 = f"P95 ({fmt.nombre(p.p95)})" if p is not None and p.p95 else "P95 (selon votre CPAM)"
    base = f"très forte patientèle ({fmt.nombre(valeur)} ≥ {p95}, sur chaque indicateur)"
    part = ctx.parametre(params.part_fixe_mt_temps_plein)
    if indicateur == "patientele_mt" and s.option == "temps_plein":
        plafond = ctx.parametre(params.plafond_part_fixe_mt_temps_plein)
        brut = Decimal(valeur) * part.valeur
        hausse = min(fmt.patients_arrondir(brut), int(plafond.valeur))
        formule = (
            f"{base} ; temps plein : {fmt.taux(part.valeur)} × {fmt.nombre(valeur)} = "
            f"{fmt.nombre(brut, 2)}, au plus {fmt.nombre(plafond.valeur)} → {fmt.nombre(hausse)}"
        )
        ctx.etape(
            f"Objectif {libelle.lower()} : hausse",
            f"+\u00a0{fmt.patients(hausse)}",
            parametre=plafond,
            formule=formule,
        )
    else:
        hausse = 0
        formule = f"{base} ; maintien de la patientèle"
        ctx.etape(
            f"Objectif {libelle.lower()} : maintien",
            "+\u00a00\u00a0patient",
            formule=formule,
            source=ctx.source("seed_001"),
        )
    return Objectif(
        indicateur=indicateur,
        libelle=libelle,
        initiale=valeur,
        hausse=hausse,
        cible=valeur + hausse,
        tranche="au-delà du P95 (très forte patientèle)",
        formule=formule,
        estimation=False,
    )


# --------------------------------------------------------------------------- amounts


def bareme_determiner(ctx: _Contexte) -> str:
    """standard, p90_p95 or p95: the amount column of the doctor's position."""
    bareme = ctx.position.bareme if ctx.position is not None else None
    if bareme is None:
        ctx.avertir(
            "L'aide est majorée à partir de la 3e année si votre patientèle dépasse le P90 de votre "
            "spécialité, et maintenue au niveau de la 1re année au-delà du P95 : ces percentiles "
            "ne sont pas connus ici, la CPAM le vérifie."
        )
        return "standard"
    return bareme


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


def aide_calculer(ctx: _Contexte, *, eligible: bool) -> Aide:
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
    bareme = bareme_determiner(ctx)
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
    *,
    situation: Situation,
    faits: Faits,
    parametres: Parametres,
    detail: bool = True,
    chercher_piste: bool = True,
    avec_renouvellement: bool = False,
) -> Resultat:
    """The whole simulation for one doctor. Raises SituationInvalide on inconsistent input.

    ``detail=False`` leaves the trace empty and skips the way out of an ineligible doctor
    (every figure is the same): for CSV batches, whose output has no room for them.
    ``avec_renouvellement`` adds the after-year-5 estimate (a second calculation): the
    doors that show it ask for it.
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
    utilises = _percentiles_retenir(ctx)
    ctx.indicateurs = indicateurs_determiner(ctx)
    ctx.position = _position_retenir(ctx)

    lieu = lieu_determiner(ctx)
    conditions = conditions_evaluer(ctx, regle=regle, lieu=lieu)
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

    objectifs = objectifs_calculer(ctx)
    aide = aide_calculer(ctx, eligible=statut != "non_eligible")
    # The way out is a second calculation: only where it is shown (not in CSV batches).
    piste = (
        piste_chercher(ctx, conditions)
        if statut == "non_eligible" and chercher_piste and detail
        else None
    )
    if situation.patientele_mt is not None and situation.patientele_mt > situation.file_active:
        ctx.avertir(
            "Votre patientèle médecin traitant dépasse votre file active : vérifiez les "
            "deux chiffres sur vos relevés CNAM (amelipro)."
        )
    resultat = Resultat(
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
        piste=piste,
    )
    if avec_renouvellement:
        renouvellement = renouvellement_estimer(
            resultat=resultat,
            calculer=lambda suite: simulation_calculer(
                situation=suite,
                faits=faits,
                parametres=parametres,
                detail=False,
                chercher_piste=False,
            ),
        )
        if renouvellement is not None:
            resultat = resultat.model_copy(update={"renouvellement": renouvellement})
    return resultat


def _percentiles_retenir(ctx: _Contexte) -> list[PercentilesUtilises]:
    """The CNAM snapshot of each indicator in force for the regime (and its trace step)."""
    utilises: list[PercentilesUtilises] = []
    for indicateur, serie in (
        ("patientele_mt", ctx.regime.indicateur_mt),
        ("file_active", "file_active"),
    ):
        p, remarque = percentiles_choisir(
            percentiles=ctx.faits.percentiles,
            indicateur=serie,
            jour=ctx.situation.date_signature,
            depuis=ctx.regime.percentiles_depuis,
        )
        ctx.percentiles[indicateur] = p
        if p is not None:
            utilise, etape = _percentiles_decrire(p, serie, remarque)
            utilises.append(utilise)
            if ctx.detail:
                ctx.trace.append(etape)
    return utilises


def _position_retenir(ctx: _Contexte) -> Position:
    valeurs = {i: v for i, v in _valeurs_indicateurs(ctx).items() if i in ctx.indicateurs}
    position = position_determiner(
        avenant_7=ctx.avenant_7,
        valeurs={i: v for i, v in valeurs.items() if v is not None},
        percentiles=ctx.percentiles,
        tranche_declaree=ctx.situation.tranche_percentile,
    )
    if position.declaree and position.tranche is not None:
        ctx.etape(
            "Tranche de patientèle (indiquée par votre CPAM)",
            TRANCHE_LIBELLES[position.tranche],
            formule="les percentiles CNAM de votre spécialité ne sont pas connus ici : la tranche "
            "que vous indiquez les remplace",
        )
    elif ctx.avenant_7 and position.tranche is not None:
        detail = ", ".join(
            f"{INDICATEUR_LIBELLES[i].lower()} {TRANCHE_LIBELLES[t]}"
            for i, t in position.tranches.items()
            if t is not None
        )
        ctx.etape(
            "Votre tranche de patientèle",
            TRANCHE_LIBELLES[position.tranche],
            formule=f"{detail} : la plus haute tranche atteinte vaut pour les deux indicateurs",
            source=ctx.source("seed_003"),
            estimation=position.divergentes,
        )
    elif position.tres_forte:
        ctx.etape(
            "Très forte patientèle",
            "chaque indicateur au moins au P95",
            formule="aide de 1re année chaque année ; objectifs de maintien (temps plein : "
            "+ 5 % de la patientèle médecin traitant, 109 patients au plus)",
            source=ctx.source("seed_001"),
        )
    return position


def _levee(ctx: _Contexte, condition: Condition) -> tuple[dict[str, object], str] | None:
    """How the doctor could lift one blocking condition: (situation changes, in words)."""
    s = ctx.situation
    if condition.code == "secteur" and s.secteur == "2":
        return {"secteur": "2_optam"}, "en adhérant à l'OPTAM (ou à l'OPTAM-CO)"
    if condition.code == "option" and s.option not in ctx.regime.options:
        option = "mi_temps" if "mi_temps" in ctx.regime.options else ctx.regime.options[0]
        return {"option": option}, f"avec l'option {OPTIONS[option].lower()}"
    if condition.code == "exercice_coordonne":
        return (
            {"exercice_coordonne": True},
            "en vous engageant à rejoindre un exercice coordonné (CPTS, MSP, ESP…) sous 2 ans",
        )
    if condition.code == "exercice_groupe":
        return {"exercice": "groupe"}, "en exerçant en groupe (au moins 2 médecins)"
    if condition.code == "patientele_minimum":
        generaliste = ctx.faits.specialite.generaliste
        p = ctx.percentiles.get("patientele_mt" if generaliste else "file_active")
        if p is None or p.p30 is None:
            return None
        if generaliste:
            return (
                {"patientele_mt": p.p30, "file_active": max(s.file_active, p.p30)},
                f"avec une patientèle médecin traitant de {fmt.nombre(p.p30)} (seuil P30)",
            )
        return {"file_active": p.p30}, f"avec une file active de {fmt.nombre(p.p30)} (seuil P30)"
    return None


def piste_chercher(ctx: _Contexte, conditions: list[Condition]) -> Piste | None:
    """The same calculation with every blocking condition lifted, when each can be."""
    changements: dict[str, object] = {}
    libelles: list[str] = []
    for condition in conditions:
        if condition.statut != "ko":
            continue
        levee = _levee(ctx, condition)
        if levee is None:
            return None
        changements.update(levee[0])
        libelles.append(levee[1])
    situation = ctx.situation.model_copy(update=changements)
    try:
        autre = simulation_calculer(
            situation=situation,
            faits=ctx.faits,
            parametres=ctx.parametres,
            detail=False,
            chercher_piste=False,
        )
    except SituationInvalide:
        return None
    if autre.eligibilite.statut == "non_eligible":
        return None
    return Piste(
        changements=libelles,
        statut=autre.eligibilite.statut,
        total_5_ans=autre.aide.total_5_ans,
        annee_1=autre.aide.annees[0].montant,
        situation=situation,
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
