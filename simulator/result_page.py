"""What the result page shows besides the result itself: the situation in one line, the
what-if form, and the assistant's cost (with its own editable assumptions)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict
from django.template import engines
from markupsafe import Markup

from rules.services import (
    OPTIONS,
    POSITIONS,
    SALAIRE_MAX,
    TRANCHES_PERCENTILE,
    Aide,
    Cout,
    Resultat,
    cout_estimer,
    option_second_assistant,
    parametres_obtenir,
    salaire_position,
)
from rules.services import formatting as fmt
from simulator.fields import AccessibleForm, NombrePatientsField, PourcentageField
from simulator.formats import graphique_barres
from simulator.recapitulatif import Ligne

# The official texts a result points to, printed in full on paper. The ameli page holds
# the Assurance Maladie's own simulator; the convention is found on Légifrance by its
# approval order (arrêté du 20 juin 2024, Journal officiel du 21 juin 2024).
LIENS_OFFICIELS = {
    "ameli": "https://www.ameli.fr/medecin/aide-emploi-assistant-medical",
    "convention": "https://www.legifrance.gouv.fr/search/jorf?query=%22convention+nationale+"
    "organisant+les+rapports+entre+les+m%C3%A9decins+lib%C3%A9raux%22+2024",
    # Printed instead of the search link: where to find the text by hand.
    "convention_reference": "legifrance.gouv.fr, Journal officiel du 21 juin 2024, arrêté du "
    "20 juin 2024",
}

# Query-string keys of the cost estimate: not part of the situation (docs/contrat.md).
CLES_COUT = ("position", "salaire_brut")


def _positions_choix(jour: dt.date | None = None) -> list[tuple[str, str]]:
    params = parametres_obtenir().cout_assistant
    jour = jour or dt.date.today()
    choix = [("", "Par défaut\u00a0: position 5, ou le SMIC s’il est plus élevé")]
    for position in POSITIONS:
        minimum = salaire_position(params, position, jour)
        assert minimum is not None
        choix.append((str(position), f"Position {position} (minimum {fmt.euros(minimum)})"))
    return choix


class CoutForm(AccessibleForm):
    position = forms.TypedChoiceField(
        label="Position dans la convention collective",
        help_text="Convention collective du personnel des cabinets médicaux\u00a0: un assistant "
        "médical est classé de la position 5 à la position 9 (minimum de la position 7 non "
        "repris ici\u00a0: saisissez le salaire).",
        choices=_positions_choix,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choisissez une position de la liste (5, 6, 8 ou 9)."},
    )
    salaire_brut = PourcentageField(
        label="Ou salaire brut mensuel à temps plein (€)",
        help_text="Remplace la position\u00a0; jamais moins que le SMIC.",
        min_value=Decimal(500),
        max_value=SALAIRE_MAX,
        max_digits=8,
        required=False,
        error_messages={
            "invalid": "Saisissez un montant en euros, par exemple 1 950.",
            "min_value": "Le salaire ne peut pas être inférieur à 500 €.",
            "max_value": "Valeur trop élevée\u00a0: au plus 20 000 € par mois.",
        },
    )


class SimulationRapideForm(AccessibleForm):
    """What-if on the result page: another option, other patientèle figures."""

    option = forms.ChoiceField(label="Option", widget=forms.RadioSelect)
    patientele_mt = NombrePatientsField(label="Patientèle médecin traitant")
    file_active = NombrePatientsField(label="File active")


def situation_resumer(lignes: list[Ligne], resultat: Resultat) -> list[str]:
    """The situation in one line: specialty, place and zone, sector, patientèle, option, date."""
    valeurs = {ligne.cle: ligne.valeur for ligne in lignes}
    morceaux = [valeurs.get("specialite", "")]
    lieu = resultat.lieu
    if lieu.commune_nom:
        zone = lieu.zone_libelle[:1].lower() + lieu.zone_libelle[1:]
        morceaux.append(f"{lieu.commune_nom}, {zone}")
    elif lieu.zone:
        morceaux.append(lieu.zone_libelle)
    morceaux.append(valeurs.get("secteur", ""))
    if resultat.situation.patientele_mt is not None:
        morceaux.append(f"{fmt.nombre(resultat.situation.patientele_mt)} patients médecin traitant")
    file_active = f"file active de {fmt.nombre(resultat.situation.file_active)}"
    if resultat.situation.tranche_percentile is not None:
        tranche = TRANCHES_PERCENTILE[resultat.situation.tranche_percentile]
        file_active += f" ({tranche} selon votre CPAM)"
    morceaux.append(file_active)
    s = resultat.situation
    # What changes the rules for this doctor: on the line, or the result reads unexplained.
    if s.primo_installe:
        morceaux.append("nouvellement installé(e)")
    if s.age_65_ans_ou_plus:
        morceaux.append("65\u00a0ans ou plus")
    if s.rqth_ald:
        morceaux.append("RQTH ou ALD")
    if s.part_activite_liberale is not None and s.part_activite_liberale != 100:
        morceaux.append(f"activité libérale à {fmt.nombre(s.part_activite_liberale)}\u00a0%")
    morceaux.append(OPTIONS[resultat.situation.option])
    morceaux.append(f"signature le {fmt.date_fr(resultat.situation.date_signature)}")
    return [m for m in morceaux if m]


def cout_lire(donnees: QueryDict, resultat: Resultat) -> tuple[CoutForm | None, Cout | None]:
    """The cost estimate with the assumptions typed in the URL (defaults otherwise); the
    form only when something was typed (``cout_champs`` renders the empty one)."""
    brut = {cle: donnees.get(cle, "") for cle in CLES_COUT}
    salaire = position = None
    form = None
    if any(brut.values()):
        form = CoutForm(brut)
        # What was typed right is kept when another field is wrong: a bad salary must
        # not send the table back to position 5 behind the doctor's chosen position.
        form.is_valid()
        salaire = form.cleaned_data.get("salaire_brut")
        position = form.cleaned_data.get("position")
    cout = cout_estimer(resultat=resultat, salaire_brut_mensuel=salaire, position=position)
    return form, cout


# Per-process memories of rendered markup. Each is keyed on the macros of the template
# that rendered it: a template edited while developing (auto_reload) gives new macros,
# hence new entries; in production the templates never change while a process runs.


def _macros(nom: str) -> Any:
    """The macros of a template (``Template.module``)."""
    return engines["jinja2"].env.get_template(nom).module  # type: ignore[attr-defined]


def champ_rendre(champ: BoundField, macros: Any = None) -> Markup:
    """One field as every public form shows it: the ``champ`` macro of _formulaires.jinja."""
    return Markup((macros or _macros("_formulaires.jinja")).champ(champ))


def simulation_rapide_champs(resultat: Resultat, reponses: dict[str, str]) -> dict[str, Markup]:
    """The what-if form's fields, rendered, with the situation's figures."""
    macros = _macros("_formulaires.jinja")
    regime = parametres_obtenir().regime_a_la_date(resultat.situation.date_signature)
    options = tuple(o for o in (regime.options if regime else []) if not option_second_assistant(o))
    champs = {"option": _option_champ(macros, options, reponses.get("option"))}
    for nom in ("patientele_mt", "file_active"):
        valeur = getattr(resultat.situation, nom)
        if valeur is not None:
            avant, apres = _nombre_champ(macros, nom)
            champs[nom] = Markup(f"{avant}{valeur:d}{apres}")
    return champs


@functools.lru_cache(maxsize=64)
def _option_champ(macros: Any, options: tuple[str, ...], choisie: str | None) -> Markup:
    """The option's radio buttons depend on the regime's options and the one chosen alone:
    rendered once per pair and process instead of on every page (0,09 ms of a 3,5 ms
    page, bench/page_resultat.py)."""
    form = SimulationRapideForm(initial={"option": choisie})
    form.fields["option"].choices = [(o, OPTIONS[o]) for o in options]  # type: ignore[attr-defined]
    return champ_rendre(form["option"], macros)


# What the patientèle fields show before their figure is put in (a whole number, which
# HTML never escapes).
_FIGURE = "__figure__"


@functools.lru_cache(maxsize=4)
def _nombre_champ(macros: Any, nom: str) -> tuple[str, str]:
    """A patientèle field of the what-if form, rendered around its value: the rest of it
    (label, attributes, help) is the same on every page, so it is rendered once per
    process and the page's figure put in between — 0,15 ms of a 2,9 ms page for the two
    fields and their form (bench/page_resultat.py)."""
    form = SimulationRapideForm(initial={nom: _FIGURE})
    avant, apres = str(champ_rendre(form[nom], macros)).split(f'value="{_FIGURE}"')
    return f'{avant}value="', f'"{apres}'


def cout_champs(form: CoutForm | None) -> Mapping[str, Markup]:
    """The cost form's fields, rendered. Empty (no assumption typed: nearly every result
    page), they depend on the day alone (each position's minimum wage): rendered once a
    day per process instead of on every page — 0,2 ms of a 3,5 ms page
    (bench/page_resultat.py), the select of positions alone costing 0,16 ms."""
    macros = _macros("_formulaires.jinja")
    if form is not None:
        return {nom: champ_rendre(form[nom], macros) for nom in form.fields}
    return _cout_champs_vides(macros, dt.date.today())


@functools.lru_cache(maxsize=2)
def _cout_champs_vides(macros: Any, jour: dt.date) -> Mapping[str, Markup]:
    form = CoutForm()
    form.fields["position"].choices = _positions_choix(jour)  # type: ignore[attr-defined]
    return MappingProxyType({nom: champ_rendre(form[nom], macros) for nom in form.fields})


# The charts already drawn, by their five years' amounts, ceilings and conditions.
_GRAPHIQUES: dict[tuple[Any, tuple[tuple[int, int | None, int | None, bool], ...]], Markup] = {}


def graphique_rendre(aide: Aide) -> Markup:
    """The aid bar chart (inline SVG, ``_graphique.jinja``). It depends on the five years'
    amounts alone, which vary far less than the figures typed (14 distinct charts for 255
    varied result pages): drawn once per chart and process — 45 µs of a page's 0,5 ms of
    template (bench/page_resultat.py)."""
    macros = _macros("_graphique.jinja")
    cle = (
        macros,
        tuple((a.annee, a.montant, a.montant_maximum, a.conditionnel) for a in aide.annees),
    )
    if (html := _GRAPHIQUES.get(cle)) is None:
        if len(_GRAPHIQUES) >= 512:  # bounded: the prorated amounts are many
            _GRAPHIQUES.clear()
        html = _GRAPHIQUES[cle] = Markup(macros.graphique(graphique_barres(aide)))
    return html
