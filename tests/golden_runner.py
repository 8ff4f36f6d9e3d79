"""Read the golden YAML files and check a result against a case's expectations.

A case: ``nom`` (plain French), ``source`` (where the figures come from), ``situation``
(docs/contrat.md keys), ``attendu`` (dotted paths into the result JSON → expected value),
optionally ``percentiles`` (rows to add first, for specialties the CNAM does not
publish), ``suivi`` (a follow-up year, checked under the ``suivi.`` paths), ``cout``
(the cost estimate's inputs, ``position`` or ``salaire_brut``, possibly empty; checked
under the ``cout.`` paths) or ``erreur`` (field → expected words of the French message; with ``suivi``, the
follow-up's error).

Paths: ``objectifs.file_active.hausse``; a list item is picked by its ``code``,
``annee`` or ``indicateur``: ``eligibilite.conditions[secteur].statut``,
``aide.annees[3].montant``, ``suivi.trace[<libelle>].valeur``; ``len(...)`` is not needed: compare whole lists instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

GOLDEN_DIR = Path(__file__).parent / "golden"
_SEGMENT = re.compile(r"^([^\[\]]+)(?:\[([^\]]+)\])?$")
CLES_CAS = {"nom", "source", "situation", "attendu", "percentiles", "suivi", "cout", "erreur"}


@dataclass
class Cas:
    fichier: str
    nom: str
    source: str
    situation: dict[str, Any]
    attendu: dict[str, Any]
    percentiles: list[dict[str, Any]]
    suivi: dict[str, Any] | None
    erreur: dict[str, str] | None
    cout: dict[str, Any] | None = None

    @property
    def ident(self) -> str:
        return f"{self.fichier}: {self.nom}"


def cas_charger() -> list[Cas]:
    cas: list[Cas] = []
    for chemin in sorted(GOLDEN_DIR.glob("*.yaml")):
        document = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        commun = document.get("situation_commune", {})
        for brut in document["cas"]:
            inconnues = set(brut) - CLES_CAS
            assert not inconnues, f"{chemin.name} / {brut.get('nom')}: clés inconnues {inconnues}"
            assert brut.get("nom") and brut.get("source"), f"{chemin.name}: nom et source requis"
            assert brut.get("attendu") or brut.get("erreur"), f"{brut['nom']}: rien n'est vérifié"
            cas.append(
                Cas(
                    fichier=chemin.stem,
                    nom=brut["nom"],
                    source=brut["source"],
                    situation={**commun, **brut["situation"]},
                    attendu=brut.get("attendu") or {},
                    percentiles=brut.get("percentiles") or [],
                    suivi=brut.get("suivi"),
                    erreur=brut.get("erreur"),
                    cout=brut.get("cout"),
                )
            )
    return cas


def cout_document(resultat: Any, saisie: dict[str, Any]) -> Any:
    """The cost estimate of a case, as the result page computes it."""
    from decimal import Decimal

    from rules.core.cost import cout_calculer
    from rules.core.parameters import parametres_obtenir

    salaire = saisie.get("salaire_brut")
    cout = cout_calculer(
        resultat=resultat,
        parametres=parametres_obtenir(),
        salaire_brut_mensuel=None if salaire is None else Decimal(str(salaire)),
        position=saisie.get("position"),
    )
    return None if cout is None else cout.model_dump(mode="json")


def valeur_lire(document: Any, chemin: str) -> Any:
    courant = document
    for segment in chemin.split("."):
        m = _SEGMENT.match(segment)
        assert m, f"chemin invalide : {chemin}"
        cle, selecteur = m.groups()
        assert isinstance(courant, dict) and cle in courant, f"{chemin} : « {cle} » absent"
        courant = courant[cle]
        if selecteur is not None:
            trouves = [
                item
                for item in courant
                if any(
                    str(item.get(k)) == selecteur
                    for k in ("code", "annee", "indicateur", "libelle")
                )
            ]
            assert len(trouves) == 1, f"{chemin} : « [{selecteur}] » trouvé {len(trouves)} fois"
            courant = trouves[0]
    return courant


def ecarts(document: Any, attendu: dict[str, Any]) -> list[str]:
    problemes = []
    for chemin, valeur in attendu.items():
        try:
            obtenu = valeur_lire(document, chemin)
        except AssertionError as exc:
            problemes.append(str(exc))
            continue
        if obtenu != valeur:
            problemes.append(f"{chemin} : attendu {valeur!r}, obtenu {obtenu!r}")
    return problemes
