"""What the assistant really costs: per contract year, the employer's cost and the taxe sur
les salaires against the aid, and the salary at which the aid covers it all.

The employer's cost of a gross salary is read in the payroll engine's table
(``cout_employeur``, written from OpenFisca-France by scripts/generer_cout_employeur.py):
the table in force on the day each contract year starts, linearly interpolated between
its salaries. The salary is the one the doctor typed, or a position of the collective
agreement (IDCC 1147), or by default max(position 5, SMIC) on the day each year starts.
An estimate, never advice: the doctor's accountant knows.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter

from rules.core import formatting as fmt
from rules.core.parameters import CoutAssistant, Parametres, PointCout
from rules.core.result import Cout, CoutAnnee, Resultat

SALAIRE_MAX = Decimal(20_000)
POSITIONS = (5, 6, 8, 9)
_UN_CENTIME = Decimal("0.01")
_DEMI_EURO = Decimal("0.5")
_ZERO = Decimal(0)
_SALAIRE = itemgetter(0)


class CoutInvalide(ValueError):
    """A position the scale does not have."""


def _interpoler(points: Sequence[PointCout], brut: Decimal) -> tuple[Decimal, Decimal]:
    """The table's (cost, tax) at ``brut``: linear between its salaries, proportional
    below the first, the last segment's slope above the last. Both columns from one
    search: the break-even salary asks this some 150 times a page."""
    premier, dernier = points[0], points[-1]
    if brut <= premier[0]:
        return premier[1] * brut / premier[0], premier[2] * brut / premier[0]
    if brut >= dernier[0]:
        avant = points[-2]
        largeur = dernier[0] - avant[0]
        return (
            dernier[1] + (dernier[1] - avant[1]) / largeur * (brut - dernier[0]),
            dernier[2] + (dernier[2] - avant[2]) / largeur * (brut - dernier[0]),
        )
    haut = bisect_right(points, brut, key=_SALAIRE)
    a, b = points[haut - 1], points[haut]
    return (
        a[1] + (b[1] - a[1]) * (brut - a[0]) / (b[0] - a[0]),
        a[2] + (b[2] - a[2]) * (brut - a[0]) / (b[0] - a[0]),
    )


def cout_annee_calculer(
    *, parametres: Parametres, jour: dt.date, option: str, brut_mensuel_paye: Decimal
) -> tuple[int, int]:
    """(employer's cost over a year, taxe sur les salaires of the year) of a monthly gross
    paid from ``jour`` on, for an option's share of a full time."""
    return _cout_annee(_points(parametres, jour, option), brut_mensuel_paye)


def _points(parametres: Parametres, jour: dt.date, option: str) -> Sequence[PointCout]:
    """The option's table in force on ``jour``."""
    _, bareme = parametres.cout_employeur.en_vigueur(jour)
    points: Sequence[PointCout] = getattr(bareme, option)
    return points


def _cout_annee(points: Sequence[PointCout], brut_mensuel_paye: Decimal) -> tuple[int, int]:
    cout_mensuel, taxe = _interpoler(points, brut_mensuel_paye)
    return fmt.euros_arrondir(cout_mensuel * 12), fmt.euros_arrondir(max(taxe, _ZERO))


def salaire_position(params: CoutAssistant, position: int, jour: dt.date) -> Decimal | None:
    """The position's minimum in force on ``jour`` (the first scale known before it)."""
    if position not in POSITIONS:
        raise CoutInvalide(f"position {position}")
    parametre = getattr(params.grille_idcc_1147, f"position_{position}")
    valeur = parametre.en_vigueur(jour) or parametre.en_vigueur(max(parametre.valeurs))
    return valeur.valeur if valeur else None


def _salaire_annee(
    params: CoutAssistant, jour: dt.date, saisi: Decimal | None, position: int | None
) -> tuple[Decimal, bool]:
    """(full-time gross monthly salary of the year starting ``jour``, raised to the SMIC)."""
    smic = params.smic_mensuel.a_la_date(jour).valeur
    if saisi is not None:
        salaire = saisi
    elif position is not None:
        salaire = salaire_position(params, position, jour) or smic
    else:
        grille = params.grille_idcc_1147.position_5.en_vigueur(jour)
        salaire = grille.valeur if grille else smic
    return (smic, True) if salaire < smic else (salaire, False)


def _equilibre(
    parametres: Parametres, option: str, part: Decimal, debuts: list[dt.date], aide: int
) -> int:
    """The full-time gross monthly salary at which the five years' cost equals the aid,
    in euros rounded half up: the largest ``n`` whose ``n − 0,50 €`` still costs no more
    than the aid (the cost grows with the salary). A search over whole euros: 15 sums of
    the five years instead of 40 for a bisection over reals (the page's cost block went
    from about 1,7 ms to 0,5 ms under cProfile), the same euro (bench: 3 000 situations)."""
    tables = [_points(parametres, d, option) for d in debuts]

    def cout_total(salaire: Decimal) -> int:
        return sum(sum(_cout_annee(points, salaire * part)) for points in tables)

    bas, haut = 0, int(SALAIRE_MAX)
    while bas < haut:
        milieu = (bas + haut + 1) // 2
        if cout_total(Decimal(milieu) - _DEMI_EURO) <= aide:
            bas = milieu
        else:
            haut = milieu - 1
    return bas


def cout_calculer(
    *,
    resultat: Resultat,
    parametres: Parametres,
    salaire_brut_mensuel: Decimal | None = None,
    position: int | None = None,
) -> Cout | None:
    """None where the option has no published share of time (second assistant).
    ``salaire_brut_mensuel`` (full time) wins over ``position`` (5, 6, 8 or 9)."""
    params = parametres.cout_assistant
    option = resultat.aide.option
    part_param = getattr(params.temps_de_travail, option, None)
    if part_param is None:
        return None
    debuts = [a.debut for a in resultat.aide.annees]
    part = part_param.a_la_date(debuts[0]).valeur
    if salaire_brut_mensuel is not None:
        position = None
    annees: list[CoutAnnee] = []
    releve = False
    for a in resultat.aide.annees:
        salaire, au_smic = _salaire_annee(params, a.debut, salaire_brut_mensuel, position)
        releve = releve or au_smic
        cout, taxe = cout_annee_calculer(
            parametres=parametres,
            jour=a.debut,
            option=option,
            brut_mensuel_paye=(salaire * part).quantize(_UN_CENTIME),
        )
        annees.append(
            CoutAnnee(
                annee=a.annee,
                debut=a.debut,
                salaire_brut_mensuel=fmt.euros(salaire),
                aide=a.montant,
                cout=cout,
                taxe_salaires=taxe,
                reste_a_charge=None if a.montant is None else cout + taxe - a.montant,
            )
        )
    aides = [a.montant for a in resultat.aide.annees]
    total_aide = None if None in aides else sum(a or 0 for a in aides)
    total_cout = sum(a.cout for a in annees)
    total_taxe = sum(a.taxe_salaires for a in annees)
    equilibre = _equilibre(parametres, option, part, debuts, total_aide) if total_aide else None
    return Cout(
        salaire=_origine(salaire_brut_mensuel, position),
        position=position,
        part_temps=fmt.taux(part.quantize(_UN_CENTIME)),
        annees=annees,
        total_cout=total_cout,
        total_taxe_salaires=total_taxe,
        total_aide=total_aide,
        total_reste_a_charge=None if total_aide is None else total_cout + total_taxe - total_aide,
        salaire_equilibre=equilibre,
        equilibre_sous_smic=equilibre is not None
        and equilibre < params.smic_mensuel.a_la_date(debuts[0]).valeur,
        hypotheses=_hypotheses(parametres, part, releve, max(debuts)),
        source=f"{parametres.source_titre(parametres.cout_employeur.source)} — "
        f"{parametres.cout_employeur.moteur}",
    )


def _origine(saisi: Decimal | None, position: int | None) -> str:
    if saisi is not None:
        return f"le salaire que vous avez indiqué ({fmt.euros(saisi)} brut par mois à temps plein)"
    if position is not None:
        return (
            f"le minimum de la position {position} de la convention collective du personnel "
            "des cabinets médicaux, au début de chaque année du contrat"
        )
    return (
        "le minimum de la position 5 de la convention collective du personnel des cabinets "
        "médicaux, ou le SMIC s’il est plus élevé, au début de chaque année du contrat"
    )


def _hypotheses(parametres: Parametres, part: Decimal, releve: bool, dernier: dt.date) -> str:
    cout = parametres.cout_employeur
    texte = (
        f"Estimation\u00a0: {fmt.taux(part.quantize(_UN_CENTIME))} d’un temps plein × 12 mois\u00a0; coût "
        "employeur = salaire brut + cotisations patronales − réduction générale de cotisations "
        "(« Fillon », puis réduction générale dégressive unique depuis le 1er janvier 2026), "
        f"calculé par le moteur de paie OpenFisca-France ({cout.hypotheses}). Ni hausse de salaire, ni "
        "prime, ni aide à l’embauche, ni frais de formation ou de locaux\u00a0: votre comptable "
        "affinera."
    )
    connu = max(cout.baremes)
    if dernier > connu:
        texte += (
            f" Les années qui commencent après le {fmt.date_fr(connu)} reprennent les chiffres "
            "de cette date\u00a0: les hausses du SMIC et les barèmes à venir ne sont pas connus."
        )
    if releve:
        texte += " Aucun salaire ne peut être inférieur au SMIC\u00a0: il a été retenu quand il est plus élevé."
    return texte
