"""The Python-written <input> markup is exactly what Django's widget templates print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from simulator.form_renderer import RenduFormulaires
from simulator.forms import FORMULAIRES
from simulator.parcours import Contexte
from simulator.result_page import CoutForm, SimulationRapideForm
from simulator.tool_forms import ContratEnCoursForm, SuiviForm


class Tous(forms.Form):
    texte = forms.CharField(
        help_text="aide",
        widget=forms.TextInput(attrs={"data-x": "a\"b<c>&'d", "autofocus": True, "off": False}),
    )
    nombre = forms.IntegerField(min_value=0, max_value=10)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    case = forms.BooleanField(required=False)
    cache = forms.CharField(widget=forms.HiddenInput)
    fichier = forms.FileField(required=False)
    courriel = forms.EmailField()
    choix = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")], widget=forms.RadioSelect)
    plusieurs = forms.MultipleChoiceField(
        choices=[("1", "un"), ("2", "deux")], widget=forms.CheckboxSelectMultiple
    )
    liste = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")])


DONNEES = {
    "texte": "« l'été » & <co>",
    "nombre": "12",
    "date": "2024-02-30",
    "case": "on",
    "cache": '"caché"',
    "courriel": "pas un courriel",
    "choix": "b",
    "plusieurs": ["2"],
    "liste": "y",
}


def _rendus(form: forms.Form) -> list[str]:
    rendus = []
    for champ in form:
        rendus.append(str(champ))
        rendus.extend(w.tag() for w in champ.subwidgets)
        rendus.extend(str(w) for w in champ.subwidgets)
    return rendus


def _fabriques() -> dict[str, Callable[[], forms.Form]]:
    """Every form of the site (unbound and with bad data) and every kind of widget."""
    contexte = Contexte({"specialite": "01", "date_signature": "2024-09-01"})
    fabriques: dict[str, Callable[[], forms.Form]] = {
        "tous-vide": lambda: Tous(),
        "tous-saisi": lambda: Tous(DONNEES),
        "tous-initial": lambda: Tous(initial={"date": dt.date(2024, 1, 2), "nombre": 3}),
        "cout": lambda: CoutForm({"salaire_brut": "1 950,50", "position": "7"}),
        "et-si": lambda: SimulationRapideForm(initial={"option": "mi_temps", "file_active": 1200}),
        "suivi": lambda: SuiviForm({"annee": "3", "file_active_atteinte": "-4"}, demande_mt=True),
        "contrat": lambda: ContratEnCoursForm({"date_signature": "demain"}),
    }
    for slug, F in FORMULAIRES.items():
        fabriques[slug] = partial(F, contexte=contexte)
        fabriques[f"{slug}-saisi"] = partial(F, {"x": "1"}, contexte=contexte)
    return fabriques


@pytest.mark.parametrize("fabrique", list(_fabriques().values()), ids=list(_fabriques()))
def test_meme_html_que_les_gabarits_de_django(fabrique: Callable[[], forms.Form]) -> None:
    rapide, django = fabrique(), fabrique()
    rapide.renderer, django.renderer = RenduFormulaires(), DjangoTemplates()
    rendus = _rendus(rapide)
    assert rendus == _rendus(django)
    assert any("<input" in r for r in rendus)
