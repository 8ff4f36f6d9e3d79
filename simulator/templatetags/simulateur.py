"""French formats and the aid bar chart (inline SVG drawn on the server)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from rules.services import INDICATEUR_PERCENTILE_LIBELLES, OPTIONS, ZONAGE_LIBELLES, Aide
from rules.services import formatting as fmt

register = template.Library()

STATUTS = {
    "ok": ("Rempli", "ok"),
    "ko": ("Non rempli", "ko"),
    "a_verifier": ("À vérifier", "verifier"),
    "eligible": ("Éligible", "ok"),
    "non_eligible": ("Non éligible", "ko"),
    "a_confirmer": ("À confirmer avec la CPAM", "verifier"),
}


@register.filter
def euros(valeur: Any) -> str:
    if valeur is None or valeur == "":
        return "fixé par la CPAM"
    return fmt.euros(int(valeur))


@register.filter
def nombre(valeur: Any) -> str:
    if valeur is None or valeur == "":
        return "—"
    return fmt.nombre(valeur)


@register.filter
def date_fr(valeur: Any) -> str:
    if isinstance(valeur, dt.date):
        return fmt.date_fr(valeur)
    return "" if valeur is None else str(valeur)


@register.filter
def option_libelle(code: Any) -> str:
    return OPTIONS.get(str(code), str(code))


@register.filter
def indicateur_libelle(code: Any) -> str:
    libelle = INDICATEUR_PERCENTILE_LIBELLES.get(str(code), str(code))
    return libelle[:1].lower() + libelle[1:]


@register.filter
def negatif(valeur: Any) -> Any:
    """−x: a negative amount shown as what it is (« aide supérieure de 2 113 € »)."""
    return -valeur if isinstance(valeur, int) else valeur


@register.filter
def zonage_libelle(code: Any) -> str:
    """ZIP, ZAC, HZ… as a doctor reads them (no internal code on screen)."""
    return ZONAGE_LIBELLES.get(str(code or "NA"), ZONAGE_LIBELLES["NA"])


@register.filter
def statut_libelle(statut: str) -> str:
    return STATUTS.get(statut, (statut, ""))[0]


def statut_en_phrase(statut: str) -> str:
    """The status inside a sentence: « Résultat : à confirmer avec la CPAM »."""
    libelle = statut_libelle(statut)
    return libelle[:1].lower() + libelle[1:]


@register.filter
def statut_classe(statut: str) -> str:
    return STATUTS.get(statut, ("", "neutre"))[1]


def graphique_barres(aide: Aide) -> dict[str, Any]:
    """Geometry of the aid bar chart (five contract years), drawn as inline SVG by the
    result template. Its text equivalent is the table next to it."""
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
            {
                "classe": "barre conditionnelle" if annee.conditionnel else "barre",
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "largeur": f"{pas * 0.64:.1f}",
                "hauteur": f"{h:.1f}",
                "milieu": f"{x + pas * 0.32:.1f}",
                "y_valeur": f"{y - 6:.1f}",
                "valeur": fmt.euros(montant) if annee.montant is not None else "CPAM",
                "annee": annee.annee,
            }
        )
    description = " ; ".join(
        f"année {a.annee}\u00a0: {fmt.euros(m) if a.montant is not None else 'fixé par la CPAM'}"
        for a, m in zip(aide.annees, montants, strict=True)
    )
    return {
        "largeur": largeur,
        "hauteur": hauteur,
        "axe": hauteur - marge_bas,
        "y_annee": f"{hauteur - marge_bas + 18:.1f}",
        "barres": barres,
        "description": description,
    }


FACULTATIF = ' <span class="facultatif">(facultatif)</span>'


# The helpers below run for every field and answer of a page: plain f-strings with
# markupsafe's escape (C) cost a quarter of format_html (Django's, pure Python).
def _aide_erreurs(champ: Any) -> str:
    """The help text and the error messages of a field, with the ids its input points to."""
    morceaux = []
    if champ.help_text:
        morceaux.append(f'<p class="aide" id="id_{champ.name}_aide">{escape(champ.help_text)}</p>')
    if champ.errors:
        messages = "".join(f"{escape(e)} " for e in champ.errors)
        morceaux.append(f'<p class="erreur" id="id_{champ.name}_erreur">{messages}</p>')
    return "\n".join(morceaux)


@register.simple_tag
def champ(champ: Any) -> SafeString:
    """One form field as every form of the site shows it: label (or legend), help text,
    errors next to the input, « (facultatif) » when it may be left empty. Rendered in
    Python once for both template engines (the result page is a Jinja2 template)."""
    type_ = getattr(champ.field.widget, "input_type", None)
    en_erreur = " champ-en-erreur" if champ.errors else ""
    facultatif = "" if champ.field.required else FACULTATIF
    label = escape(champ.label)
    if type_ == "hidden":
        return mark_safe(str(champ))
    if type_ == "radio":
        decrit = [f"id_{champ.name}_aide"] if champ.help_text else []
        if champ.errors:
            decrit.append(f"id_{champ.name}_erreur")
        decrit_attr = f' aria-describedby="{" ".join(decrit)}"' if decrit else ""
        choix = "".join(
            f'<div class="choix">{r.tag()}<label for="{escape(r.id_for_label)}">'
            f"{escape(r.choice_label)}</label></div>"
            for r in champ
        )
        return mark_safe(
            f'<fieldset class="champ{en_erreur}"{decrit_attr}>\n  <legend>{label}{facultatif}'
            f"</legend>\n  {_aide_erreurs(champ)}\n"
            f'  <div class="choix-groupe">\n  {choix}\n  </div>\n</fieldset>'
        )
    pour = escape(champ.id_for_label)
    if type_ == "checkbox":
        return mark_safe(
            f'<div class="champ champ-case{en_erreur}">\n  {champ}<label for="{pour}">{label}'
            f"</label>\n  {_aide_erreurs(champ)}\n</div>"
        )
    return mark_safe(
        f'<div class="champ{en_erreur}">\n  <label for="{pour}">{label}{facultatif}</label>\n'
        f"  {_aide_erreurs(champ)}\n  {champ}\n</div>"
    )


@register.simple_tag
def reponses_tableau(lignes: list[dict[str, Any]]) -> SafeString:
    """The doctor's answers, one row each with its « Modifier » link."""
    rangees = "\n".join(
        f'    <tr><th scope="row">{escape(li["libelle"])}</th><td>{escape(li["valeur"])}</td>'
        f'<td class="no-print"><a href="{escape(li["url"])}">Modifier<span class="sr-only">\u00a0: '
        f"{escape(li['libelle'].lower())}</span></a></td></tr>"
        for li in lignes
    )
    return mark_safe(
        '<table class="tableau tableau-reponses">\n  <caption class="sr-only">Vos réponses'
        f"</caption>\n  <tbody>\n{rangees}\n  </tbody>\n</table>"
    )
