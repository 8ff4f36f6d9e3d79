"""The option conditions: open under the regime, full time under avenant 7/8, the second
assistant (convention 2024).
"""

from __future__ import annotations

from rules.core import formatting as fmt
from rules.core.context import OPTIONS_SECOND_ASSISTANT, Calcul, _condition, _valeurs_indicateurs
from rules.core.dates import annees_ajouter
from rules.core.place import sous_dense_situer
from rules.core.regime import option_fermee_raison
from rules.core.result import (
    Condition,
    LieuApplique,
    StatutCondition,
)
from rules.core.situation import (
    OPTIONS,
)


def options_evaluer(ctx: Calcul, lieu: LieuApplique) -> list[Condition]:
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
                f"{OPTIONS[s.option]}\u00a0: cette option {pourquoi}. Options ouvertes\u00a0: {ouvertes}.",
                source,
            )
        ]
    if s.option in OPTIONS_SECOND_ASSISTANT:
        return _second_assistant_conditions(ctx, lieu)
    if ctx.regles.temps_plein_en_zone_sous_dense and s.option == "temps_plein":
        return [_avenant_7_temps_plein(ctx, lieu)]
    return [
        _condition(
            ctx,
            "option",
            libelle,
            "ok",
            f"{OPTIONS[s.option]}\u00a0: option ouverte sous le régime {regime.libelle}.",
            regime.source,
        )
    ]


def _avenant_7_temps_plein(ctx: Calcul, lieu: LieuApplique) -> Condition:
    statut, message, source = _temps_plein_evaluer(ctx, lieu)
    return _condition(ctx, "option", "Option temps plein", statut, message, source)


def _temps_plein_evaluer(ctx: Calcul, lieu: LieuApplique) -> tuple[StatutCondition, str, str]:
    """Full time under avenant 7 (the URPS Centre-Val de Loire sheet), and its ZAC opening
    by avenant 8: status, message and source."""
    sous_dense, precision = sous_dense_situer(lieu.zone)
    if sous_dense:
        return "ok", f"Temps plein\u00a0: ouvert en {precision}.", "seed_000"
    if lieu.zone != "zac":
        return (
            "a_verifier",
            f"Sous l’avenant 7, le temps plein n’est ouvert qu’en zone sous-dense\u00a0; {precision}\u00a0: "
            "la CPAM le confirme. Sinon, le 1/3 temps ou le mi-temps restent possibles.",
            "seed_000",
        )
    avenant_8 = ctx.facultatif(ctx.parametres.conditions.temps_plein_zac_isole_p50)
    if avenant_8 is None:
        debut = ctx.parametres.conditions.temps_plein_zac_isole_p50.valeurs
        entree = next(d for d, v in debut.items() if v.valeur is not None)
        return (
            "a_verifier",
            f"Sous l’avenant 7, le temps plein n’est ouvert qu’en zone sous-dense, et "
            f"{precision}\u00a0: la CPAM le confirme. L’ouverture en ZAC au médecin seul au P50 "
            f"(avenant 8) ne vaut que pour les contrats signés à partir du "
            f"{fmt.date_fr(entree)}.",
            "seed_000",
        )
    if ctx.situation.exercice == "isole" and _au_moins_p50(ctx):
        return (
            "ok",
            "Temps plein en ZAC\u00a0: ouvert au médecin exerçant seul dont la patientèle atteint "
            "le P50 (avenant 8).",
            avenant_8.source,
        )
    return (
        "a_verifier",
        "En ZAC, le temps plein est ouvert au médecin exerçant seul dont la patientèle "
        f"atteint le P50 (avenant 8)\u00a0; sinon, {precision}\u00a0: la CPAM le confirme. Le "
        "mi-temps reste possible.",
        avenant_8.source,
    )


def _au_moins_p50(ctx: Calcul) -> bool | None:
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


def _second_assistant_conditions(ctx: Calcul, lieu: LieuApplique) -> list[Condition]:
    s, spe = ctx.situation, ctx.faits.specialite
    src = ctx.regime.source
    conditions = [
        _condition(
            ctx,
            "second_generaliste",
            "Second assistant\u00a0: médecin généraliste",
            "ok" if spe.generaliste else "ko",
            "Réservé aux médecins généralistes."
            if not spe.generaliste
            else "Médecin généraliste\u00a0: critère rempli.",
            src,
        ),
    ]
    if lieu.zone == "zip":
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant\u00a0: exercice en ZIP",
                "ok",
                "Exercice en zone d’intervention prioritaire\u00a0: critère rempli.",
                src,
            )
        )
    elif lieu.zone is None:
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant\u00a0: exercice en ZIP",
                "a_verifier",
                "Réservé aux médecins exerçant en ZIP\u00a0: indiquez votre commune.",
                src,
            )
        )
    else:
        conditions.append(
            _condition(
                ctx,
                "second_zone",
                "Second assistant\u00a0: exercice en ZIP",
                "ko",
                "Réservé aux médecins exerçant en zone d’intervention prioritaire (ZIP).",
                src,
            )
        )
    libelle = "Second assistant\u00a0: contrat 1 ETP en 3ᵉ année ou plus"
    if s.date_contrat_temps_plein is None:
        conditions.append(
            _condition(
                ctx,
                "second_contrat",
                libelle,
                "a_verifier",
                "Il faut déjà un contrat d’aide pour 1 ETP, au moins dans sa 3ᵉ année\u00a0: indiquez sa "
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
                    f"Contrat 1 ETP signé le {fmt.date_fr(s.date_contrat_temps_plein)}\u00a0: en 3ᵉ année "
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
                    f"Le contrat 1 ETP signé le {fmt.date_fr(s.date_contrat_temps_plein)} n’entre en "
                    f"3ᵉ année que le {fmt.date_fr(troisieme)}.",
                    src,
                )
            )
    statut: StatutCondition = {True: "ok", False: "ko", None: "a_verifier"}[s.objectifs_atteints]  # type: ignore[assignment]
    message = {
        "ok": "Objectifs du contrat 1 ETP atteints\u00a0: critère rempli.",
        "ko": "Les objectifs du contrat 1 ETP doivent être atteints.",
        "a_verifier": "Les objectifs du contrat 1 ETP doivent être atteints\u00a0: la CPAM le vérifie.",
    }[statut]
    conditions.append(
        _condition(
            ctx,
            "second_objectifs",
            "Second assistant\u00a0: objectifs atteints",
            statut,
            message,
            src,
        )
    )
    return conditions
