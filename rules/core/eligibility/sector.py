"""The fee sector: sector 1, or sector 2 with OPTAM / OPTAM-CO (a dated parameter: the
source that says it is the one of the contract's regime)."""

from __future__ import annotations

from rules.core.context import Calcul, _condition
from rules.core.result import Condition
from rules.core.situation import SECTEURS

LIBELLE = "Secteur conventionnel"


def secteur_condition(ctx: Calcul) -> Condition:
    s = ctx.situation
    regle = ctx.parametre(ctx.parametres.conditions.secteur_2_optam_requis)
    ouverts = {"1", "2_optam"} if regle.valeur else {"1", "2_optam", "2"}
    ctx.etape(
        LIBELLE,
        SECTEURS[s.secteur],
        parametre=regle,
        formule="ouverts\u00a0: secteur 1, secteur 2 avec OPTAM ou OPTAM-CO"
        if regle.valeur
        else "ouverts\u00a0: secteurs 1 et 2",
    )
    if s.secteur in ouverts:
        message = f"{SECTEURS[s.secteur]}\u00a0: critère rempli."
        statut = "ok"
    elif s.secteur == "2":
        message = (
            "En secteur 2, l’aide suppose d’avoir adhéré à l’OPTAM ou à l’OPTAM-CO\u00a0: y adhérer "
            "remplirait ce critère."
        )
        statut = "ko"
    else:
        message = (
            "L’aide est conventionnelle\u00a0: elle suppose d’exercer en secteur 1, ou en secteur 2 "
            "avec OPTAM ou OPTAM-CO."
        )
        statut = "ko"
    return _condition(ctx, "secteur", LIBELLE, statut, message, regle.source)  # type: ignore[arg-type]
