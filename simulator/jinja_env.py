"""The one template engine of the public pages: Jinja2.

Every public page (and its htmx fragment, and each form field) is a Jinja2 template under
templates/jinja2/; only the admin keeps Django templates. Jinja2 compiles templates to
Python: on 40 varied result pages it costs about 60 % of Django templates' instructions
(figures in docs/architecture.md). The French formats are the functions of
``simulator.formats``.
"""

from __future__ import annotations

from typing import Any, cast

from django.forms.renderers import Jinja2 as RenduJinja2
from django.http import HttpRequest
from django.template import engines
from django.template.backends.jinja2 import Template
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.utils.text import capfirst
from jinja2 import Environment, StrictUndefined
from jinja2.utils import concat

from simulator import formats
from simulator.paths import chemin

# The forms of the public pages render their widgets with Django's stock Jinja2 templates
# (django/forms/jinja2/); the admin keeps the default renderer (Django templates). One
# instance: each renderer builds and caches its own environment.
RENDU_FORMULAIRES = RenduJinja2()


def environnement(**options: Any) -> Environment:
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        euros=formats.euros,
        nombre=formats.nombre,
        date_fr=formats.date_fr,
        indicateur_libelle=formats.indicateur_libelle,
        option_libelle=formats.option_libelle,
        premiere_majuscule=capfirst,
        reste_a_charge=formats.reste_a_charge,
        statut_libelle=formats.statut_libelle,
        statut_classe=formats.statut_classe,
        zonage_libelle=formats.zonage_libelle,
    )
    env.globals.update(url=chemin)
    return env


def page_rendre(
    request: HttpRequest | None, nom: str, contexte: dict[str, Any], *, bloc: str | None = None
) -> str:
    """A page, or one block of it (the main region for htmx, a fieldset refreshed alone).

    Django's Jinja2 backend renders whole templates only; a block is rendered with Jinja2's
    own API (``Template.blocks``), in the context Django would give the whole page."""
    gabarit = cast(Template, engines["jinja2"].get_template(nom))
    if bloc is None:
        return str(gabarit.render(contexte, request))
    contexte = dict(contexte)
    if request is not None:
        contexte["request"] = request
        contexte["csrf_input"] = csrf_input_lazy(request)
        contexte["csrf_token"] = csrf_token_lazy(request)
        for processeur in gabarit.backend.template_context_processors:
            contexte.update(processeur(request))
    jinja = gabarit.template
    return str(concat(jinja.blocks[bloc](jinja.new_context(contexte))))
