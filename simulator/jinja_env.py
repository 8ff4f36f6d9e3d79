"""The Jinja2 environment of the heavy page regions (the result page's content).

Django templates render the page shell (base.html); the result's content, with its
dozens of rows, is a Jinja2 template: compiled to Python, it renders several times
faster (profile in docs/deployment.md). The filters and helpers are the Django ones, imported from
the ``simulateur`` template library, so each French format is written once.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from jinja2 import Environment, StrictUndefined

from simulator.paths import chemin
from simulator.templatetags import simulateur


def environnement(**options: Any) -> Environment:
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        euros=simulateur.euros,
        nombre=simulateur.nombre,
        date_fr=simulateur.date_fr,
        indicateur_libelle=simulateur.indicateur_libelle,
        negatif=simulateur.negatif,
        premiere_majuscule=capfirst,
        statut_libelle=simulateur.statut_libelle,
        statut_classe=simulateur.statut_classe,
    )
    env.globals.update(
        url=chemin,
        champ=simulateur.champ,
        graphique_barres=simulateur.graphique_barres,
        reponses_tableau=simulateur.reponses_tableau,
    )
    return env
