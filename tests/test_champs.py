"""Every field of every public form, as the pages show it (the ``champ`` macro of
templates/jinja2/_formulaires.jinja around Django's stock Jinja2 widgets): labelled,
described by texts that exist, invalid when in error, what was typed kept and escaped."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import Jinja2
from django.template import engines

from simulator.forms import FORMULAIRES
from simulator.parcours import Contexte
from simulator.result_page import CoutForm, SimulationRapideForm
from simulator.tool_forms import ContratEnCoursForm, LotForm, SuiviForm


class _Lecteur(HTMLParser):
    """The ids, the labels' targets, the legends and the form controls of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.cibles: set[str] = set()
        self.controles: list[dict[str, str | None]] = []
        self.legendes = 0
        self.texte: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "label" and a.get("for"):
            self.cibles.add(str(a["for"]))
        if tag == "legend":
            self.legendes += 1
        if tag in {"input", "select", "textarea"}:
            self.controles.append({"balise": tag, **a})

    def handle_data(self, data: str) -> None:
        self.texte.append(data)


def _champ(champ: Any) -> str:
    macros = engines["jinja2"].env.get_template("_formulaires.jinja").module  # type: ignore[attr-defined]
    return str(macros.champ(champ))


def _lire(html: str) -> _Lecteur:
    lecteur = _Lecteur()
    lecteur.feed(html)
    return lecteur


def _et_si() -> forms.Form:
    form = SimulationRapideForm(initial={"option": "mi_temps", "file_active": 1200})
    form.fields["option"].choices = [("mi_temps", "Mi-temps"), ("temps_plein", "Temps plein")]  # type: ignore[attr-defined]
    return form


def _fabriques() -> dict[str, Callable[[], forms.Form]]:
    """Every public form, empty and with bad data."""
    contexte = Contexte({"specialite": "01", "date_signature": "2024-09-01"})
    fabriques: dict[str, Callable[[], forms.Form]] = {
        "cout": lambda: CoutForm({"salaire_brut": "<b>1 950,50</b>", "position": "7"}),
        "et-si": _et_si,
        "suivi": lambda: SuiviForm({"annee": "3", "file_active_atteinte": "-4"}, demande_mt=True),
        "contrat": lambda: ContratEnCoursForm({"date_signature": "demain"}),
        "lot": lambda: LotForm({}),
    }
    for slug, F in FORMULAIRES.items():
        fabriques[slug] = partial(F, contexte=contexte)
        fabriques[f"{slug}-saisi"] = partial(F, {"file_active": '"><script>'}, contexte=contexte)
    return fabriques


@pytest.mark.parametrize("fabrique", list(_fabriques().values()), ids=list(_fabriques()))
def test_chaque_champ_est_nomme_decrit_et_signale_en_erreur(
    fabrique: Callable[[], forms.Form],
) -> None:
    form = fabrique()
    assert isinstance(form.renderer, Jinja2)
    for champ in form:
        html = _champ(champ)
        page = _lire(html)
        visibles = [c for c in page.controles if c.get("type") != "hidden"]
        if champ.is_hidden:
            assert not visibles
            continue
        assert visibles, html
        for controle in visibles:
            # Named: a <label for> each, or the group's <legend> for radio buttons.
            assert controle.get("id") in page.cibles or (
                controle.get("type") == "radio" and page.legendes == 1
            ), html
            # Every text an input points to is there.
            for cible in (controle.get("aria-describedby") or "").split():
                assert cible in page.ids, html
        if champ.errors:
            assert "champ-en-erreur" in html
            assert all(str(e) in "".join(page.texte) for e in champ.errors)
            if champ.field.widget.input_type != "radio":
                assert visibles[0].get("aria-invalid") == "true", html
        if champ.help_text:
            assert f'id="id_{champ.name}_aide"' in html


def test_ce_qui_a_ete_saisi_reste_dans_le_champ_echappe() -> None:
    form = FORMULAIRES["patientele"](
        {"file_active": '"><script>x</script>'}, contexte=Contexte({"specialite": "01"})
    )
    html = _champ(form["file_active"])
    assert "<script>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in html or (
        'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    )
    assert _lire(html).controles[0]["value"] == '"><script>x</script>'


def test_l_administration_garde_le_rendu_de_django() -> None:
    """Only the public forms moved to Jinja2: the admin's widgets keep their templates."""
    assert not isinstance(AuthenticationForm().renderer, Jinja2)
