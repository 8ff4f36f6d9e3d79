"""The yearly aid: the amount column of the doctor's position, dated by each contract year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rules.core import formatting as fmt
from rules.core.context import OPTIONS_SECOND_ASSISTANT, Calcul
from rules.core.dates import annees_ajouter, annees_contrat
from rules.core.parameters import ValeurDatee
from rules.core.result import (
    Aide,
    AnneeAide,
)
from rules.core.situation import (
    OPTIONS,
)


def bareme_determiner(ctx: Calcul) -> str:
    """standard, p90_p95 or p95: the amount column of the doctor's position."""
    bareme = ctx.position.bareme if ctx.position is not None else None
    if ctx.position is not None and ctx.position.contradiction:
        _contradiction_signaler(ctx, bareme or "standard")
    if bareme is None:
        ctx.avertir(
            "L’aide est majorée à partir de la 3ᵉ année si votre patientèle dépasse le P90 de votre "
            "spécialité, et maintenue au niveau de la 1ʳᵉ année au-delà du P95\u00a0: ces percentiles "
            "ne sont pas connus ici, la CPAM le vérifie."
        )
        return "standard"
    return bareme


def _contradiction_signaler(ctx: Calcul, bareme: str) -> None:
    """A stated band the published P50/P95 contradict: both readings, with their amounts."""
    assert ctx.position is not None and ctx.position.tranche_contredite is not None
    declaree = ctx.position.tranche_contredite
    bareme_declare = declaree if declaree in {"p90_p95", "p95"} else "standard"
    colonnes = ctx.parametres.montants.get(ctx.situation.option)  # type: ignore[arg-type]
    if colonnes is None:
        return
    annee_3 = annees_ajouter(ctx.situation.date_signature, 2)

    def montant(b: str) -> str:
        valeur = getattr(colonnes, _colonne(b, 3)[0]).a_la_date(annee_3).valeur
        return fmt.euros(valeur)

    ctx.avertir(
        f"{ctx.position.contradiction} Le calcul suit les percentiles publiés\u00a0: "
        f"{montant(bareme)} par an à partir de la 3ᵉ année\u00a0; avec la tranche que vous "
        f"indiquez, ce serait {montant(bareme_declare)}. Vérifiez la tranche sur votre relevé\u00a0: "
        "la CPAM tranchera."
    )


@lru_cache(maxsize=256)
def _versement_decrire(observation: int, part_acompte: Decimal | None) -> str:
    texte = (
        f"Années 1 et {observation}\u00a0: aide versée en totalité, même si la patientèle n’a "
        "pas encore progressé (période d’observation). "
    )
    if part_acompte is not None:
        return texte + (
            f"À partir de la 3ᵉ année\u00a0: acompte de {fmt.taux(part_acompte)} à la "
            "date anniversaire du contrat, solde selon l’atteinte des objectifs."
        )
    return texte + "À partir de la 3ᵉ année\u00a0: aide versée selon l’atteinte des objectifs."


# Column of the amount table for a band: attribute and label, by contract year.
_COLONNES: dict[str, tuple[tuple[str, str], ...]] = {
    "standard": (
        ("annee_1", "1ʳᵉ année"),
        ("annee_2", "2ᵉ année"),
        ("annee_3_et_suivantes", "3ᵉ année et suivantes"),
    ),
    "p90_p95": (
        ("annee_1", "1ʳᵉ année"),
        ("annee_2", "2ᵉ année"),
        ("annee_3_et_suivantes_p90_p95", "3ᵉ année et suivantes, P90–P95"),
    ),
    "p95": (("forte_patientele_p95", "forte patientèle (≥ P95), chaque année"),),
}


def _colonne(bareme: str, annee: int) -> tuple[str, str]:
    """The column of ``annee`` (1, 2, …): the last one holds for every later year."""
    colonnes = _COLONNES[bareme]
    return colonnes[min(annee, len(colonnes)) - 1]


@lru_cache(maxsize=32)
def _colonnes_annees(bareme: str, duree: int) -> tuple[tuple[int, str, str], ...]:
    """(contract year, attribute, label) of the column of each year of a contract."""
    return tuple((k, *_colonne(bareme, k)) for k in range(1, duree + 1))


def _etape_annee(
    k: int, debut_txt: str, montant: int, valeur: ValeurDatee, formule: str
) -> tuple[str, str, dict[str, Any]]:
    return (
        f"Aide de l’année {k} (à partir du {debut_txt})",
        fmt.euros(montant),
        {"parametre": valeur, "formule": formule},
    )


def _etape_total(total: int, montants: tuple[int, ...]) -> tuple[str, str, dict[str, Any]]:
    formule = " + ".join(map(fmt.euros, montants))
    return f"Total sur {len(montants)} ans", fmt.euros(total), {"formule": formule}


def aide_calculer(ctx: Calcul, *, eligible: bool) -> Aide:
    s, regime, params = ctx.situation, ctx.regime, ctx.parametres
    observation = int(ctx.parametre(params.conditions.annees_observation).valeur)
    part_acompte = ctx.facultatif(params.conditions.part_acompte)
    versement = _versement_decrire(observation, part_acompte.valeur if part_acompte else None)
    prorata = s.part_activite_liberale / 100
    part_txt = f"{fmt.nombre(s.part_activite_liberale)} %"
    duree = int(ctx.parametre(params.conditions.duree_contrat_annees).valeur)
    debuts = annees_contrat(s.date_signature, duree)
    if s.option in OPTIONS_SECOND_ASSISTANT or s.option not in regime.options:
        formule = (
            "Montant fixé par la CPAM (non publié)."
            if s.option in OPTIONS_SECOND_ASSISTANT
            else "Option non ouverte sous ce régime."
        )
        annees = [
            AnneeAide(
                annee=k + 1,
                debut=d,
                montant=None if eligible else 0,
                montant_maximum=None,
                conditionnel=k + 1 > observation,
                bareme="cpam",
                formule=formule,
            )
            for k, d in enumerate(debuts)
        ]
        ctx.etape("Montant de l’aide", formule, source=ctx.source(regime.source))
        return Aide(
            option=s.option,
            option_libelle=OPTIONS[s.option],
            annees=annees,
            total_5_ans=None if eligible else 0,
            part_activite_liberale=part_txt,
            versement=versement,
        )
    bareme = bareme_determiner(ctx)
    colonnes = params.montants[s.option]  # type: ignore[index]
    annees = []
    montants = []
    revalorisation: dt.date | None = None
    entier = prorata == 1
    signature = s.date_signature
    for (k, attribut, nom), debut in zip(_colonnes_annees(bareme, duree), debuts, strict=True):
        valeur = getattr(colonnes, attribut).a_la_date(debut)
        if valeur.depuis > signature:
            revalorisation = valeur.depuis
        maximum = int(valeur.valeur) if entier else fmt.euros_arrondir(valeur.valeur * prorata)
        montant = maximum if eligible else 0
        montants.append(montant)
        debut_txt = fmt.date_fr(debut)
        formule = f"barème «\u00a0{nom}\u00a0» en vigueur le {debut_txt}\u00a0: {fmt.euros(valeur.valeur)}"
        if not entier:
            formule += f" × {part_txt} d’activité libérale = {fmt.euros(maximum)}"
        if not eligible:
            formule += " ; non éligible\u00a0: 0 €"
        annees.append(
            AnneeAide(
                annee=k,
                debut=debut,
                montant=montant,
                montant_maximum=maximum,
                conditionnel=k > observation,
                bareme=bareme,
                formule=formule,
            )
        )
        ctx.decrire(_etape_annee, k, debut_txt, montant, valeur, formule)
    total = sum(montants)
    ctx.decrire(_etape_total, total, tuple(montants))
    if revalorisation is not None:
        ctx.avertir(
            f"Le barème a été revalorisé le {fmt.date_fr(revalorisation)}, après la signature\u00a0: "
            "le nouveau montant s’applique à votre contrat à partir de la date anniversaire "
            "suivante."
        )
    return Aide(
        option=s.option,
        option_libelle=OPTIONS[s.option],
        annees=annees,
        total_5_ans=total,
        part_activite_liberale=part_txt,
        versement=versement,
    )
