"""What the assistant really costs: per contract year, the employer's cost minus the aid.

An estimate built from an editable gross salary (default: the collective agreement's
minimum for an assistant médical, at the option's share of a full time) and an editable
employer contribution rate (RULES.md §6b). Never advice: the doctor's accountant knows.
"""

from __future__ import annotations

from decimal import Decimal

from rules.core import formatting as fmt
from rules.core.parameters import Parametres
from rules.core.result import Cout, CoutAnnee, Resultat

SALAIRE_MAX = Decimal(20_000)


def cout_calculer(
    *,
    resultat: Resultat,
    parametres: Parametres,
    salaire_brut_mensuel: Decimal | None = None,
    charges_patronales: Decimal | None = None,
) -> Cout | None:
    """None where the option has no published share of time (second assistant)."""
    params = parametres.cout_assistant
    part_param = getattr(params.temps_de_travail, resultat.aide.option, None)
    if part_param is None:
        return None
    debut = resultat.aide.annees[0].debut
    part = part_param.a_la_date(debut).valeur
    salaire_defaut = params.salaire_brut_mensuel_temps_plein.en_vigueur(debut)
    if salaire_defaut is None:  # before the first known scale: the earliest one
        salaire_defaut = next(
            v
            for v in (
                params.salaire_brut_mensuel_temps_plein.en_vigueur(d)
                for d in params.salaire_brut_mensuel_temps_plein.valeurs
            )
            if v is not None
        )
    salaire = salaire_brut_mensuel if salaire_brut_mensuel is not None else salaire_defaut.valeur
    taux = (
        charges_patronales
        if charges_patronales is not None
        else params.charges_patronales.a_la_date(debut).valeur
    )
    cout_annuel = fmt.euros_arrondir(salaire * 12 * part * (1 + taux / 100))
    annees = [
        CoutAnnee(
            annee=a.annee,
            aide=a.montant,
            cout=cout_annuel,
            reste_a_charge=None if a.montant is None else cout_annuel - a.montant,
        )
        for a in resultat.aide.annees
    ]
    aides = [a.montant for a in resultat.aide.annees]
    total_aide = None if None in aides else sum(a or 0 for a in aides)
    total_cout = cout_annuel * len(annees)
    origine = (
        "le salaire que vous avez indiqué"
        if salaire_brut_mensuel is not None
        else f"le minimum de la convention collective au {fmt.date_fr(salaire_defaut.depuis)}"
    )
    return Cout(
        salaire_brut_mensuel_temps_plein=fmt.euros(salaire),
        charges_patronales=f"{fmt.nombre(taux)}\u00a0%",
        part_temps=fmt.taux(part.quantize(Decimal("0.01"))),
        cout_annuel=cout_annuel,
        annees=annees,
        total_cout=total_cout,
        total_aide=total_aide,
        total_reste_a_charge=None if total_aide is None else total_cout - total_aide,
        hypotheses=(
            f"Estimation : {origine} ({fmt.euros(salaire)} brut par mois à temps plein), "
            f"× {fmt.taux(part.quantize(Decimal('0.01')))} d'un temps plein × 12 mois, plus "
            f"{fmt.nombre(taux)} % de charges patronales ; ni hausse de salaire, ni prime, ni "
            "aide à l'embauche, ni frais de formation ou de locaux. Votre comptable affinera."
        ),
    )
