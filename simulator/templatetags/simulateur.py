"""French formats and the aid bar chart (inline SVG drawn on the server)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from rules.core import formatting as fmt
from rules.core.place import ZONAGE_LIBELLES
from rules.core.result import Aide
from rules.core.situation import OPTIONS

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


INDICATEURS_LIBELLES = {
    "mt": "patientèle médecin traitant",
    "mt_adultes": "patientèle médecin traitant adulte",
    "file_active": "file active",
}


@register.filter
def option_libelle(code: Any) -> str:
    return OPTIONS.get(str(code), str(code))


@register.filter
def indicateur_libelle(code: Any) -> str:
    return INDICATEURS_LIBELLES.get(str(code), str(code))


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
        f"année {a.annee} : {fmt.euros(m) if a.montant is not None else 'fixé par la CPAM'}"
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


FACULTATIF = mark_safe(' <span class="facultatif">(facultatif)</span>')


def _aide_erreurs(champ: Any) -> SafeString:
    """The help text and the error messages of a field, with the ids its input points to."""
    morceaux = []
    if champ.help_text:
        morceaux.append(
            format_html('<p class="aide" id="id_{}_aide">{}</p>', champ.name, champ.help_text)
        )
    if champ.errors:
        morceaux.append(
            format_html(
                '<p class="erreur" id="id_{}_erreur">{}</p>',
                champ.name,
                format_html_join("", "{} ", ((e,) for e in champ.errors)),
            )
        )
    return mark_safe("\n".join(morceaux))


@register.simple_tag
def champ(champ: Any) -> SafeString:
    """One form field as every form of the site shows it: label (or legend), help text,
    errors next to the input, « (facultatif) » when it may be left empty. Rendered in
    Python once for both template engines (the result page is a Jinja2 template)."""
    type_ = getattr(champ.field.widget, "input_type", None)
    en_erreur = " champ-en-erreur" if champ.errors else ""
    facultatif = "" if champ.field.required else FACULTATIF
    if type_ == "hidden":
        return mark_safe(str(champ))
    if type_ == "radio":
        decrit = [f"id_{champ.name}_aide"] if champ.help_text else []
        if champ.errors:
            decrit.append(f"id_{champ.name}_erreur")
        return format_html(
            '<fieldset class="champ{}"{}>\n  <legend>{}{}</legend>\n  {}\n'
            '  <div class="choix-groupe">\n  {}\n  </div>\n</fieldset>',
            en_erreur,
            format_html(' aria-describedby="{}"', " ".join(decrit)) if decrit else "",
            champ.label,
            facultatif,
            _aide_erreurs(champ),
            format_html_join(
                "",
                '<div class="choix">{}<label for="{}">{}</label></div>',
                ((r.tag(), r.id_for_label, r.choice_label) for r in champ),
            ),
        )
    if type_ == "checkbox":
        return format_html(
            '<div class="champ champ-case{}">\n  {}<label for="{}">{}</label>\n  {}\n</div>',
            en_erreur,
            str(champ),
            champ.id_for_label,
            champ.label,
            _aide_erreurs(champ),
        )
    return format_html(
        '<div class="champ{}">\n  <label for="{}">{}{}</label>\n  {}\n  {}\n</div>',
        en_erreur,
        champ.id_for_label,
        champ.label,
        facultatif,
        _aide_erreurs(champ),
        mark_safe(str(champ)),
    )


@register.simple_tag
def reponses_tableau(lignes: list[dict[str, Any]]) -> SafeString:
    """The doctor's answers, one row each with its « Modifier » link."""
    return format_html(
        '<table class="tableau tableau-reponses">\n  <caption class="sr-only">Vos réponses'
        "</caption>\n  <tbody>\n{}\n  </tbody>\n</table>",
        format_html_join(
            "\n",
            '    <tr><th scope="row">{}</th><td>{}</td><td class="no-print"><a href="{}">'
            'Modifier<span class="sr-only"> : {}</span></a></td></tr>',
            ((li["libelle"], li["valeur"], li["url"], li["libelle"].lower()) for li in lignes),
        ),
    )
