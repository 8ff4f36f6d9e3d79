"""Django's form renderer, with the plain ``<input>`` widgets written in Python.

Each input went through three Django templates (text.html → input.html → attrs.html):
on the result page that was a quarter of the rendering time (profile in docs/deployment.md). The
markup below is those templates' own, character for character (a test compares them);
every other widget (select, textarea, admin widgets…) still uses its template.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.forms.renderers import DjangoTemplates

_DOSSIER = "django/forms/widgets/"
# The widget templates whose whole content is {% include "django/forms/widgets/input.html" %}.
_ENTREES = {
    _DOSSIER + nom
    for nom in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
}
# One choice of a radio or checkbox group (input_option.html), when it does not wrap its label.
_CHOIX = {_DOSSIER + "radio_option.html", _DOSSIER + "checkbox_option.html"}


def _attribut(valeur: Any) -> str:
    """What {{ value|stringformat:'s' }} prints: str(), then escaped."""
    return escape(str(valeur))


def entree_html(widget: dict[str, Any]) -> str:
    """input.html and attrs.html, in Python."""
    morceaux = [f'<input type="{_attribut(widget["type"])}" name="{_attribut(widget["name"])}"']
    if widget["value"] is not None:
        morceaux.append(f' value="{_attribut(widget["value"])}"')
    for nom, valeur in widget["attrs"].items():
        if valeur is False:
            continue
        morceaux.append(
            f" {_attribut(nom)}" if valeur is True else f' {_attribut(nom)}="{_attribut(valeur)}"'
        )
    morceaux.append(">")
    return "".join(morceaux)


class RenduFormulaires(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None and (
            template_name in _ENTREES or (template_name in _CHOIX and not widget.get("wrap_label"))
        ):
            return entree_html(widget)
        return super().render(template_name, context, request)
