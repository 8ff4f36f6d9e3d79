"""The specialty condition (the reference lists' rule for the regime)."""

from __future__ import annotations

from rules.core import formatting as fmt
from rules.core.context import Calcul, _condition
from rules.core.facts import RegleSpecialite
from rules.core.place import sous_dense_situer
from rules.core.result import (
    Condition,
    LieuApplique,
)


def specialite_evaluer(ctx: Calcul, regle: RegleSpecialite, lieu: LieuApplique) -> Condition:
    s, spe = ctx.situation, ctx.faits.specialite
    libelle = "Spécialité"
    if regle.classe == "eligible":
        if ctx.regles.liste_positive_specialites:
            message = f"«\u00a0{spe.libelle}\u00a0» fait partie des spécialités éligibles partout en France."
        else:
            # Which specialties are excluded is reference data (RegleSpecialite, edited in
            # the admin): the sources page lists the rule, this message does not repeat it.
            message = (
                f"«\u00a0{spe.libelle}\u00a0» est éligible\u00a0: sous ce régime, seules quelques spécialités "
                "techniques sont exclues."
            )
        return _condition(ctx, "specialite", libelle, "ok", message, regle.source)
    if regle.classe == "a_confirmer":
        if ctx.faits.specialite_listee_dans_departement and sous_dense_situer(lieu.zone)[0]:
            # ENT under avenant 7 (the URPS Centre-Val de Loire sheet): medical ENT
            # everywhere, surgical ENT in the zones sous-denses of the départements that list
            # it (Eure-et-Loir, Indre): eligible there whichever it is.
            return _condition(
                ctx,
                "specialite",
                libelle,
                "ok",
                f"«\u00a0{spe.libelle}\u00a0»\u00a0: l’exercice médical est éligible partout et l’exercice "
                "chirurgical est admis en zone sous-dense dans le département "
                f"{lieu.departement_nom}\u00a0: critère rempli.",
                regle.source,
            )
        return _condition(
            ctx,
            "specialite",
            libelle,
            "a_verifier",
            regle.remarque
            or f"L’éligibilité de «\u00a0{spe.libelle}\u00a0» dépend de votre exercice\u00a0: la CPAM la confirme.",
            regle.source,
        )
    if regle.classe == "exclue":
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"«\u00a0{spe.libelle}\u00a0» est exclue du dispositif sous ce régime.",
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
                f"«\u00a0{spe.libelle}\u00a0» n’est éligible que si vos honoraires cliniques font au moins "
                f"{seuil_txt} % de vos honoraires des 12 derniers mois\u00a0: indiquez cette part.",
                seuil.source,
            )
        part = fmt.nombre(s.part_honoraires_cliniques)
        if s.part_honoraires_cliniques >= seuil.valeur:
            return _condition(
                ctx,
                "specialite",
                libelle,
                "ok",
                f"Honoraires cliniques à {part} % (au moins {seuil_txt} % requis)\u00a0: critère rempli.",
                seuil.source,
            )
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"Honoraires cliniques à {part} %\u00a0: il en faut au moins {seuil_txt} % pour "
            f"«\u00a0{spe.libelle}\u00a0».",
            seuil.source,
        )
    # departements_listes (avenant 7): only in the zones sous-denses of listed départements.
    if lieu.departement is None:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "a_verifier",
            f"Sous l’avenant 7, «\u00a0{spe.libelle}\u00a0» n’est éligible qu’en zone sous-dense de "
            "départements listés par la commission paritaire\u00a0: indiquez votre commune.",
            regle.source,
        )
    if not ctx.faits.specialite_listee_dans_departement:
        return _condition(
            ctx,
            "specialite",
            libelle,
            "ko",
            f"Sous l’avenant 7, «\u00a0{spe.libelle}\u00a0» n’est pas éligible dans le département "
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
            f"«\u00a0{spe.libelle}\u00a0» est admise en zone sous-dense dans le département "
            f"{lieu.departement_nom}\u00a0: critère rempli.",
            regle.source,
        )
    return _condition(
        ctx,
        "specialite",
        libelle,
        "a_verifier",
        f"«\u00a0{spe.libelle}\u00a0» n’est admise dans le département {lieu.departement_nom} qu’en zone "
        f"sous-dense\u00a0; {precision}\u00a0: la CPAM le confirme.",
        regle.source,
    )
