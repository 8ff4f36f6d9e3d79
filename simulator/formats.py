"""French formats for the pages (Jinja2 filters, simulator/jinja_env.py) and the geometry
of the aid bar chart (inline SVG drawn by _graphique.jinja)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rules.services import INDICATEUR_PERCENTILE_LIBELLES, OPTIONS, ZONAGE_LIBELLES, Aide
from rules.services import formatting as fmt

STATUTS = {
    "ok": ("Rempli", "ok"),
    "ko": ("Non rempli", "ko"),
    "a_verifier": ("À vérifier", "verifier"),
    "eligible": ("Éligible", "ok"),
    "non_eligible": ("Non éligible", "ko"),
    "a_confirmer": ("À confirmer avec la CPAM", "verifier"),
}


def euros(valeur: Any) -> str:
    if valeur is None or valeur == "":
        return "fixé par la CPAM"
    return fmt.euros(int(valeur))


def nombre(valeur: Any) -> str:
    if valeur is None or valeur == "":
        return "—"
    return fmt.nombre(valeur)


def date_fr(valeur: Any) -> str:
    if isinstance(valeur, dt.date):
        return fmt.date_fr(valeur)
    return "" if valeur is None else str(valeur)


def option_libelle(code: Any) -> str:
    return OPTIONS.get(str(code), str(code))


def indicateur_libelle(code: Any) -> str:
    libelle = INDICATEUR_PERCENTILE_LIBELLES.get(str(code), str(code))
    return libelle[:1].lower() + libelle[1:]


def negatif(valeur: Any) -> Any:
    """−x: a negative amount shown as what it is (« aide supérieure de 2 113 € »)."""
    return -valeur if isinstance(valeur, int) else valeur


def reste_a_charge(valeur: Any) -> str:
    """What the assistant still costs, or what the aid leaves once it is paid for (a
    filter rather than a template macro: seven a page, at a third of a macro's cost)."""
    if valeur is not None and valeur < 0:
        return f"l’aide couvre le coût et laisse {euros(negatif(valeur))}"
    return euros(valeur)


def zonage_libelle(code: Any) -> str:
    """ZIP, ZAC, HZ… as a doctor reads them (no internal code on screen)."""
    return ZONAGE_LIBELLES.get(str(code or "NA"), ZONAGE_LIBELLES["NA"])


def statut_libelle(statut: str) -> str:
    return STATUTS.get(statut, (statut, ""))[0]


def statut_en_phrase(statut: str) -> str:
    """The status inside a sentence: « Résultat : à confirmer avec la CPAM »."""
    libelle = statut_libelle(statut)
    return libelle[:1].lower() + libelle[1:]


def statut_classe(statut: str) -> str:
    return STATUTS.get(statut, ("", "neutre"))[1]


@dataclass(frozen=True, slots=True)
class Barre:
    classe: str
    x: str
    y: str
    largeur: str
    hauteur: str
    milieu: str
    y_valeur: str
    valeur: str
    annee: int


@dataclass(frozen=True, slots=True)
class Graphique:
    """Objects, not dicts: the template reads their attributes directly (a dict's key costs
    Jinja2 a failed getattr first, some 50 a page for this chart)."""

    largeur: int
    hauteur: int
    axe: int
    y_annee: str
    barres: list[Barre]
    description: str


def graphique_barres(aide: Aide) -> Graphique:
    """Geometry of the aid bar chart (five contract years), drawn as inline SVG by
    _graphique.jinja (simulator.result_page.graphique_rendre). Its text equivalent is the
    table next to it."""
    montants = [a.montant or 0 for a in aide.annees]
    plafond = max([a.montant_maximum or 0 for a in aide.annees] + montants + [1])
    largeur, hauteur, marge_bas, marge_haut = 500, 220, 40, 28
    pas = largeur / len(montants)
    barres = []
    for i, (annee, montant) in enumerate(zip(aide.annees, montants, strict=True)):
        h = (hauteur - marge_bas - marge_haut) * montant / plafond
        x = i * pas + pas * 0.18
        y = hauteur - marge_bas - h
        barres.append(
            Barre(
                classe="barre conditionnelle" if annee.conditionnel else "barre",
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                largeur=f"{pas * 0.64:.1f}",
                hauteur=f"{h:.1f}",
                milieu=f"{x + pas * 0.32:.1f}",
                y_valeur=f"{y - 6:.1f}",
                valeur=fmt.euros(montant) if annee.montant is not None else "CPAM",
                annee=annee.annee,
            )
        )
    description = " ; ".join(
        f"année {a.annee}\u00a0: {fmt.euros(m) if a.montant is not None else 'fixé par la CPAM'}"
        for a, m in zip(aide.annees, montants, strict=True)
    )
    return Graphique(
        largeur=largeur,
        hauteur=hauteur,
        axe=hauteur - marge_bas,
        y_annee=f"{hauteur - marge_bas + 18:.1f}",
        barres=barres,
        description=description,
    )
