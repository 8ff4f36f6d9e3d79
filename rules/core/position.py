"""Where a doctor's patientèle sits in the CNAM distribution of his specialty.

Avenant 7 (the 2019 « mode d'emploi » sheet) places the doctor in ONE band: each band is
defined on MT *and* FA, the top one on MT *et/ou* FA, and a real 2020 contract got the rate
of the higher band on both indicators (docs/regles.md §4). Inner bounds belong to the upper
band (872 MT is P50–P70);
P95 itself is still P90–P95 (« entre 1 502 et 1 721 », top band « supérieures à »).

From 2023, « très forte patientèle » means BOTH indicators at or above P95 (the 2023 URPS sheet:
« 3 207 patients au sein de votre file active dont au minimum 2 187 … médecin
traitant »); the amount columns follow the lower of the indicators that count.

Where the admin has no percentiles for the specialty (most specialists), the band the
CPAM gave the doctor (``tranche_percentile``) stands in for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.core import formatting as fmt
from rules.core.facts import Percentiles
from rules.core.situation import TRANCHES_PERCENTILE

TRANCHES = ("p30_p50", "p50_p70", "p70_p90", "p90_p95", "p95")
_RANG = {"sous_p30": 0, **{t: i + 1 for i, t in enumerate(TRANCHES)}}
# The bands a doctor may state (situation.TRANCHES_PERCENTILE), and the one below P30 a
# derogation may place him in: one wording on the form, the trace and the targets.
TRANCHE_LIBELLES = {"sous_p30": "sous le P30", **TRANCHES_PERCENTILE}


def percentiles_choisir(
    *, serie: tuple[Percentiles, ...], jour: dt.date, depuis: dt.date
) -> tuple[Percentiles | None, str | None]:
    """Latest snapshot on or before ``jour`` in the regime's window, else the first after
    it. ``serie``: one indicator's snapshots, oldest first (``Faits.series``)."""
    dans_la_fenetre = [p for p in serie if p.date_donnees >= depuis]
    choisi = None
    for p in dans_la_fenetre:
        if p.date_donnees > jour:
            break
        choisi = p
    if choisi is not None:
        return choisi, None
    if dans_la_fenetre:
        premier = dans_la_fenetre[0]
        return premier, (
            f"Aucun relevé CNAM antérieur à la signature pour ce régime\u00a0: le relevé du "
            f"{fmt.date_fr(premier.date_donnees)} est utilisé."
        )
    return None, None


def tranche_situer(valeur: int, p: Percentiles) -> str | None:
    """Avenant 7 band of ``valeur`` (see the module docstring). None if a bound is unknown."""
    if None in (p.p30, p.p50, p.p70, p.p90, p.p95):
        return None
    assert p.p30 and p.p50 and p.p70 and p.p90 and p.p95
    if valeur > p.p95:
        return "p95"
    for nom, borne in (("p90_p95", p.p90), ("p70_p90", p.p70), ("p50_p70", p.p50)):
        if valeur >= borne:
            return nom
    return "p30_p50" if valeur >= p.p30 else "sous_p30"


def bornes_decrire(valeur: int, tranche: str, p: Percentiles) -> str:
    """« tranche entre P90 et P95 (1 502 ≤ 1 721 ≤ 1 721) »: the bounds that placed the value."""
    bas, haut, haut_inclus = {
        "sous_p30": (None, p.p30, False),
        "p30_p50": (p.p30, p.p50, False),
        "p50_p70": (p.p50, p.p70, False),
        "p70_p90": (p.p70, p.p90, False),
        "p90_p95": (p.p90, p.p95, True),
        "p95": (None, None, False),
    }[tranche]
    if tranche == "p95":
        texte = f"{fmt.nombre(valeur)} > P95 ({fmt.nombre(p.p95 or 0)})"
    else:
        texte = f"{fmt.nombre(bas)} ≤ " if bas is not None else ""
        texte += fmt.nombre(valeur)
        if haut is not None:
            texte += f" {'≤' if haut_inclus else '<'} {fmt.nombre(haut)}"
    return f"tranche {TRANCHE_LIBELLES[tranche]} ({texte})"


@dataclass(frozen=True, slots=True)
class Position:
    """The doctor's place, as each regime reads it."""

    # Avenant 7: the band of each indicator that counts (None: percentiles unknown).
    tranches: dict[str, str | None]
    # The doctor's band: the highest an indicator reaches, or the one he declared.
    tranche: str | None
    declaree: bool
    divergentes: bool
    # Amount column: "standard", "p90_p95" or "p95"; None when it cannot be told.
    bareme: str | None
    # From 2023: every indicator that counts at or above P95 (None: unknown).
    tres_forte: bool | None
    # A band the doctor stated that the published P50/P95 contradict: the stated band and
    # the published figures, shown together (the calculation follows the published ones).
    tranche_contredite: str | None = None
    contradiction: str | None = None


def position_determiner(
    *,
    tranches_conjointes: bool,
    valeurs: dict[str, int],
    percentiles: dict[str, Percentiles | None],
    tranche_declaree: str | None,
) -> Position:
    """``valeurs``: the indicators that count for the specialty, with the doctor's figures."""
    if tranches_conjointes:
        return _position_avenant_7(valeurs, percentiles, tranche_declaree)
    return _position_depuis_2023(valeurs, percentiles, tranche_declaree)


def _position_avenant_7(
    valeurs: dict[str, int], percentiles: dict[str, Percentiles | None], declaree: str | None
) -> Position:
    tranches: dict[str, str | None] = {}
    for indicateur, valeur in valeurs.items():
        p = percentiles.get(indicateur)
        tranches[indicateur] = tranche_situer(valeur, p) if p is not None else None
    connues = [t for t in tranches.values() if t is not None]
    utilise_declaree = declaree is not None and len(connues) < len(tranches)
    if utilise_declaree:
        assert declaree is not None
        connues.append(declaree)
    tranche = max(connues, key=_RANG.__getitem__) if connues else None
    bareme = None
    if tranche is not None:
        bareme = tranche if tranche in {"p90_p95", "p95"} else "standard"
    return Position(
        tranches=tranches,
        tranche=tranche,
        declaree=utilise_declaree and not [t for t in tranches.values() if t is not None],
        divergentes=len(set(connues)) > 1,
        bareme=bareme,
        tres_forte=tranche == "p95" if tranche is not None else None,
    )


def _rangs_possibles(valeur: int, p: Percentiles | None) -> tuple[int, int]:
    """The bands (as ranks) an indicator can sit in, from the published P50 and P95 only."""
    if p is None or p.p50 is None or p.p95 is None:
        return 0, _RANG["p95"]
    if valeur >= p.p95:
        return _RANG["p95"], _RANG["p95"]
    if valeur >= p.p50:
        return _RANG["p50_p70"], _RANG["p90_p95"]
    return 0, _RANG["p30_p50"]


def _contradiction_decrire(
    declaree: str, valeurs: dict[str, int], percentiles: dict[str, Percentiles | None]
) -> str:
    libelles = {"patientele_mt": "patientèle médecin traitant", "file_active": "file active"}
    morceaux = []
    for indicateur, valeur in valeurs.items():
        p = percentiles.get(indicateur)
        if p is not None and p.p50 is not None and p.p95 is not None:
            morceaux.append(
                f"{libelles.get(indicateur, indicateur)} {fmt.nombre(valeur)} (P50 "
                f"{fmt.nombre(p.p50)}, P95 {fmt.nombre(p.p95)})"
            )
    return (
        f"Vous indiquez la tranche « {TRANCHE_LIBELLES[declaree]} », mais les percentiles "
        f"publiés disent autre chose : {' ; '.join(morceaux)}."
    )


def _position_depuis_2023(
    valeurs: dict[str, int], percentiles: dict[str, Percentiles | None], declaree: str | None
) -> Position:
    """From 2023 the amount column follows the lower of the indicators that count. A band
    stated by the doctor (the CPAM's; the GP P90 is not published) stands in for what the
    published P50/P95 cannot tell, unless they contradict it."""
    if declaree is not None:
        rangs = [_rangs_possibles(v, percentiles.get(i)) for i, v in valeurs.items()]
        bas = min((r[0] for r in rangs), default=0)
        haut = min((r[1] for r in rangs), default=_RANG["p95"])
        if bas <= _RANG[declaree] <= haut:
            bareme = declaree if declaree in {"p90_p95", "p95"} else "standard"
            return Position({}, declaree, True, False, bareme, declaree == "p95")
        publiee = _position_publiee(valeurs, percentiles)
        return Position(
            publiee.tranches,
            publiee.tranche,
            False,
            False,
            publiee.bareme,
            publiee.tres_forte,
            tranche_contredite=declaree,
            contradiction=_contradiction_decrire(declaree, valeurs, percentiles),
        )
    return _position_publiee(valeurs, percentiles)


def _position_publiee(
    valeurs: dict[str, int], percentiles: dict[str, Percentiles | None]
) -> Position:
    au_p95: list[bool | None] = []
    au_p90: list[bool | None] = []
    for indicateur, valeur in valeurs.items():
        p = percentiles.get(indicateur)
        if p is None or p.p95 is None:
            au_p95.append(None)
            au_p90.append(None)
            continue
        au_p95.append(valeur >= p.p95)
        if valeur >= p.p95:
            au_p90.append(True)
        elif p.p90 is not None:
            au_p90.append(valeur >= p.p90)
        else:
            # P90 unpublished: below P50 it certainly is not reached.
            au_p90.append(False if p.p50 is not None and valeur < p.p50 else None)
    connu = None not in au_p95 and bool(au_p95)
    tres_forte = all(au_p95) if connu else (False if False in au_p95 else None)
    bareme: str | None
    if tres_forte:
        bareme = "p95"
    elif None in au_p90 or not au_p90:
        bareme = "standard" if False in au_p90 else None
    else:
        bareme = "p90_p95" if all(au_p90) else "standard"
    return Position({}, None, False, False, bareme, tres_forte)
