"""Imports of the files administrators receive, previewed before they change anything.

- a zonage CSV per commune (INSEE code — old codes of merged communes included —, or postal
  code + name; ZIP / ZAC / HZ / ZAR / NA in any of the usual spellings, numbered or not:
  « 1_ZIP », « 2_ZAC »), for the whole country or for one region;
- a table of CNAM percentiles (specialty, indicator, date, P30…P95, source).

``*_planifier`` reads a file and says, row by row, what would be added, changed, left
unchanged or rejected (with the reason); ``plan_appliquer`` then writes the changes with
their history, set-wise (a national file of 35 000 communes in a few seconds, through
``rules.bulk``). Re-importing the same file changes nothing. ``rules.undo`` undoes one
import as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
)

from rules.bulk import millesimes_ajouter
from rules.catalogue import donnees_modifiees
from rules.files import FichierInvalide, separateur_deviner
from rules.models import (
    PERCENTILES,
    AncienCodeCommune,
    Commune,
    ImportApplique,
    Percentiles,
    Region,
    Specialite,
    ZonageMillesime,
    date_donnees_verifier,
    percentiles_verifier,
)
from rules.reference_data import texte_normaliser

Statut = Literal["ajout", "modification", "inchange", "rejet"]
LIGNE_STATUTS: dict[str, str] = {
    "ajout": "ajoutées",
    "modification": "modifiées",
    "inchange": "inchangées",
    "rejet": "rejetées",
}
# Every spelling the import page promises, after accents, case, underscores and a leading
# number (« 1_ZIP », « 2 - ZAC », « 3_HZ ») are set aside.
ZONAGES = {
    "zip": "ZIP",
    "zone d'intervention prioritaire": "ZIP",
    "zac": "ZAC",
    "zone d'action complementaire": "ZAC",
    "hz": "HZ",
    "hors zonage": "HZ",
    "hors zone": "HZ",
    "zar": "ZAR",
    "zone d'accompagnement regional": "ZAR",
    "na": "NA",
    "n/a": "NA",
    "non disponible": "NA",
}
COLONNES_CODE = ("code_insee", "code_insee_cog2026", "codgeo", "insee", "code_commune", "com")
COLONNES_ZONAGE = ("zonage", "zone", "zonage_medecins")
COLONNES_POSTAL = ("code_postal", "cp")
COLONNES_NOM = ("nom", "nom_commune", "commune", "libelle")


@dataclass
class Ligne:
    numero: int
    cle: str
    statut: Statut
    avant: str = ""
    apres: str = ""
    raison: str = ""
    valeurs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    type: Literal["zonage", "percentiles"]
    lignes: list[Ligne]
    # A region's file: the communes of the region it does not name (kept as they are).
    manquantes: list[str] = field(default_factory=list)

    @property
    def compte(self) -> dict[str, int]:
        compte = dict.fromkeys(LIGNE_STATUTS, 0)
        for ligne in self.lignes:
            compte[ligne.statut] += 1
        return compte

    @property
    def changements(self) -> list[Ligne]:
        return [ligne for ligne in self.lignes if ligne.statut in {"ajout", "modification"}]

    def resume(self) -> str:
        return ", ".join(f"{n} {LIGNE_STATUTS[s]}" for s, n in self.compte.items())


def _lire(texte: str) -> tuple[list[str], list[dict[str, str]]]:
    texte = texte.lstrip("\ufeff")
    if not texte.strip():
        raise FichierInvalide("Le fichier est vide.")
    lecteur = csv.DictReader(
        io.StringIO(texte), delimiter=separateur_deviner(texte.splitlines()[0])
    )
    lignes: list[dict[str, str]] = []
    try:
        colonnes = [texte_normaliser(c).replace(" ", "_") for c in (lecteur.fieldnames or [])]
        for brut in lecteur:
            valeurs = list(brut.values())
            if not any(isinstance(v, str) and v.strip() for v in valeurs):
                lignes.append({})  # a blank line (« ;; »): skipped, its number kept
                continue
            lignes.append(
                {
                    c: (v or "").strip()
                    for c, v in zip(colonnes, valeurs, strict=False)
                    if isinstance(v, str)
                }
            )
    except csv.Error as exc:
        raise FichierInvalide(f"CSV illisible : {exc}") from None
    return colonnes, lignes


def _colonne(colonnes: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in colonnes), None)


def _zonage_cle(brut: str) -> str:
    """Accents, case, apostrophes, underscores and dashes set aside; a leading number
    (« 1_ZIP », « 2 - ZAC ») too."""
    cle = re.sub(r"[\s_\-–'’]+", " ", texte_normaliser(brut)).strip()
    return re.sub(r"^\d+\s*", "", cle)


def _zonage_lire(brut: str) -> str | None:
    """ZIP, ZAC, HZ, ZAR or NA from the usual spellings; None if not recognised."""
    if brut.strip().lower().startswith("n/a"):
        return "NA"
    return ZONAGES_LUS.get(_zonage_cle(brut))


ZONAGES_LUS = {_zonage_cle(libelle): zonage for libelle, zonage in ZONAGES.items()}


def _zonage_verifier_entete(date_zonage: dt.date, source: str) -> None:
    if raison := date_donnees_verifier(date_zonage):
        raise FichierInvalide(f"Date du zonage refusée : {raison}.")
    if not source.strip():
        raise FichierInvalide("Indiquez la source du zonage (arrêté, site de l'ARS…).")


def _millesimes_lire(date_zonage: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per commune: the vintage dated ``date_zonage`` if any, and the one in force that day."""
    le_jour: dict[str, Any] = {}
    en_vigueur: dict[str, Any] = {}
    for m in ZonageMillesime.objects.filter(date__lte=date_zonage).values(
        "commune_id", "zonage", "date", "source"
    ):
        if m["date"] == date_zonage:
            le_jour[m["commune_id"]] = m
        actuel = en_vigueur.get(m["commune_id"])
        if actuel is None or actuel["date"] < m["date"]:
            en_vigueur[m["commune_id"]] = m
    return le_jour, en_vigueur


def _statut_millesime(existant: dict[str, Any] | None, zonage: str, source: str) -> Statut:
    """A new vintage at that date, the correction of the one dated so, or nothing."""
    if existant is None:
        return "ajout"
    if (existant["zonage"], existant["source"]) == (zonage, source):
        return "inchange"
    return "modification"


def _code_lire(brut: str, communes: dict[str, Any], anciens: dict[str, str]) -> tuple[str, str]:
    """Today's INSEE code for a cell (an old code leads to today's commune), and the key
    the preview shows."""
    code = brut.upper().zfill(5) if brut else ""
    if code not in communes and code in anciens:
        return anciens[code], f"{code} (ancien code de {anciens[code]})"
    return code, code


def zonage_planifier(
    *, texte: str, date_zonage: dt.date, source: str, region: str | None = None
) -> Plan:
    """What a zonage file dated ``date_zonage`` would change: one vintage per commune at that
    date (« ajout »), or the correction of the vintage already dated so (« modification »).
    With ``region``, only the communes of that region are read: the others are rejected
    and left as they are, and the plan lists the region's communes the file lacks."""
    _zonage_verifier_entete(date_zonage, source)
    colonnes, lignes = _lire(texte)
    col_code = _colonne(colonnes, COLONNES_CODE)
    col_zonage = _colonne(colonnes, COLONNES_ZONAGE)
    col_postal = _colonne(colonnes, COLONNES_POSTAL)
    col_nom = _colonne(colonnes, COLONNES_NOM)
    if col_zonage is None:
        raise FichierInvalide("Colonne de zonage introuvable (attendue : zonage ou zone).")
    if col_code is None and not (col_postal and col_nom):
        raise FichierInvalide(
            "Colonnes introuvables : il faut le code INSEE (code_insee) ou le code postal et le "
            "nom de la commune (code_postal, nom)."
        )
    communes = {
        c["code_insee"]: c
        for c in Commune.objects.values(
            "code_insee", "nom", "codes_postaux", "nom_recherche", "departement__region_id"
        )
    }
    anciens = dict(AncienCodeCommune.objects.values_list("code_insee", "commune_id"))
    nom_region = Region.objects.filter(code=region).values_list("nom", flat=True).first()
    le_jour, en_vigueur = _millesimes_lire(date_zonage)
    par_postal_nom: dict[tuple[str, str], list[str]] = defaultdict(list)
    if col_code is None:
        for c in communes.values():
            for cp in c["codes_postaux"].split("|"):
                par_postal_nom[cp, c["nom_recherche"]].append(c["code_insee"])
    vus: dict[str, int] = {}
    plan = []
    for numero, ligne in enumerate(lignes, start=2):
        if not ligne:
            continue  # a blank line
        brut = ligne.get(col_zonage, "")
        zonage = _zonage_lire(brut)
        if col_code:
            code, cle = _code_lire(ligne.get(col_code, ""), communes, anciens)
        else:
            cp, nom = ligne.get(col_postal or "", ""), ligne.get(col_nom or "", "")
            codes = par_postal_nom.get((cp.zfill(5), texte_normaliser(nom)), [])
            cle = f"{cp} {nom}"
            if len(codes) != 1:
                raison = (
                    "plusieurs communes" if codes else "commune introuvable (code postal et nom)"
                )
                plan.append(Ligne(numero, cle, "rejet", raison=raison, apres=brut))
                continue
            code = codes[0]
        commune = communes.get(code)
        if commune is None:
            plan.append(
                Ligne(numero, cle or "(vide)", "rejet", raison="code INSEE inconnu", apres=brut)
            )
            continue
        cle = f"{cle} {commune['nom']}"
        if region and commune["departement__region_id"] != region:
            plan.append(
                Ligne(numero, cle, "rejet", raison=f"hors de la région {nom_region}", apres=brut)
            )
            continue
        actuel = en_vigueur.get(code)
        avant = f"{actuel['zonage']} au {actuel['date']:%d/%m/%Y}" if actuel else "—"
        if zonage is None:
            plan.append(
                Ligne(
                    numero,
                    cle,
                    "rejet",
                    avant=avant,
                    raison=f"zonage « {brut} » non reconnu (ZIP, ZAC, HZ, ZAR ou NA)",
                )
            )
            continue
        if code in vus:
            plan.append(
                Ligne(
                    numero,
                    cle,
                    "rejet",
                    raison=f"commune déjà présente ligne {vus[code]}",
                    apres=zonage,
                )
            )
            continue
        vus[code] = numero
        plan.append(
            Ligne(
                numero,
                cle,
                _statut_millesime(le_jour.get(code), zonage, source),
                avant=avant,
                apres=f"{zonage} au {date_zonage:%d/%m/%Y}",
                valeurs={"code": code, "zonage": zonage},
            )
        )
    manquantes = []
    if region:
        manquantes = sorted(
            f"{c['code_insee']} {c['nom']}"
            for c in communes.values()
            if c["departement__region_id"] == region and c["code_insee"] not in vus
        )
    return Plan("zonage", plan, manquantes)


def _percentiles_lire(ligne: dict[str, str], raisons: list[str]) -> dict[str, int | None]:
    """P30…P95 of a row (None when empty); a cell that is no plausible count adds a reason."""
    valeurs: dict[str, int | None] = {}
    for n in PERCENTILES:
        texte_valeur = re.sub(r"\s", "", ligne.get(n, ""))
        if not texte_valeur:
            valeurs[n] = None
        elif re.fullmatch(r"-?\d{1,7}", texte_valeur):
            valeurs[n] = int(texte_valeur)
        else:
            raisons.append(
                f"{n.upper()} « {texte_valeur[:20]}{'…' if len(texte_valeur) > 20 else ''} » "
                "n'est pas un nombre de patients plausible"
            )
            valeurs[n] = None
    return valeurs


def percentiles_planifier(*, texte: str) -> Plan:
    colonnes, lignes = _lire(texte)
    requises = {"specialite", "indicateur", "date_donnees", "source"}
    manquantes = requises - set(colonnes)
    if manquantes:
        raise FichierInvalide(f"Colonnes manquantes : {', '.join(sorted(manquantes))}.")
    specialites = set(Specialite.objects.values_list("code", flat=True))
    indicateurs = {c for c, _ in Percentiles.INDICATEURS}
    existants = {
        (p.specialite_id, p.indicateur, p.date_donnees): p for p in Percentiles.objects.all()
    }
    plan = []
    vus: set[tuple[str, str, dt.date]] = set()
    for numero, ligne in enumerate(lignes, start=2):
        if not ligne:
            continue  # a blank line
        code = ligne.get("specialite", "").zfill(2)
        indicateur = ligne.get("indicateur", "")
        cle = f"{code} {indicateur} {ligne.get('date_donnees', '')}"
        raisons = []
        if code not in specialites:
            raisons.append(f"spécialité « {code} » inconnue")
        if indicateur not in indicateurs:
            raisons.append(
                f"indicateur « {indicateur} » inconnu ({', '.join(sorted(indicateurs))})"
            )
        try:
            date_donnees: dt.date | None = dt.date.fromisoformat(ligne.get("date_donnees", ""))
        except ValueError:
            raisons.append("date invalide (AAAA-MM-JJ)")
            date_donnees = None
        if date_donnees is not None and (raison := date_donnees_verifier(date_donnees)):
            raisons.append(raison)
        valeurs = _percentiles_lire(ligne, raisons)
        if not raisons:
            raisons += list(percentiles_verifier(valeurs).values())
        source = ligne.get("source", "")
        if not source:
            raisons.append("source manquante")
        if raisons or date_donnees is None:
            plan.append(Ligne(numero, cle, "rejet", raison=" ; ".join(raisons)))
            continue
        cle_naturelle = (code, indicateur, date_donnees)
        if cle_naturelle in vus:
            plan.append(Ligne(numero, cle, "rejet", raison="ligne en double dans le fichier"))
            continue
        vus.add(cle_naturelle)
        apres = " / ".join("—" if valeurs[n] is None else str(valeurs[n]) for n in PERCENTILES)
        existant = existants.get(cle_naturelle)
        donnees = {
            "specialite": code,
            "indicateur": indicateur,
            "date_donnees": date_donnees,
            "source": source,
            **valeurs,
        }
        if existant is None:
            plan.append(Ligne(numero, cle, "ajout", apres=apres, valeurs=donnees))
            continue
        avant = " / ".join(
            "—" if getattr(existant, n) is None else str(getattr(existant, n)) for n in PERCENTILES
        )
        identique = (
            all(getattr(existant, n) == valeurs[n] for n in PERCENTILES)
            and existant.source == source
        )
        plan.append(
            Ligne(
                numero,
                cle,
                "inchange" if identique else "modification",
                avant=avant,
                apres=apres,
                valeurs=donnees,
            )
        )
    return Plan("percentiles", plan)


@transaction.atomic
def plan_appliquer(
    *,
    plan: Plan,
    nom_fichier: str,
    utilisateur: Any = None,
    date_zonage: dt.date | None = None,
    source: str = "",
    depose_par: Any = None,
) -> ImportApplique:
    """Write the plan's additions and changes, each with its history record, under one
    import number (``ImportApplique``) that ``import_annuler`` can undo as a whole.
    ``depose_par`` uploaded the file, ``utilisateur`` confirmed its preview."""
    journal = ImportApplique.objects.create(
        type=plan.type,
        nom_fichier=nom_fichier[:200],
        applique_par=utilisateur if getattr(utilisateur, "pk", None) else None,
        depose_par=depose_par if getattr(depose_par, "pk", None) else None,
        resume=plan.resume()[:200],
    )
    motif = journal.motif
    changements = plan.changements
    if plan.type == "zonage":
        assert date_zonage is not None
        codes = {ligne.valeurs["code"]: ligne.valeurs["zonage"] for ligne in changements}
        millesimes_ajouter(
            codes=codes, date=date_zonage, source=source, utilisateur=utilisateur, motif=motif
        )
    else:
        nouveaux, modifies = [], []
        existants = {
            (p.specialite_id, p.indicateur, p.date_donnees): p for p in Percentiles.objects.all()
        }
        for ligne in changements:
            v = ligne.valeurs
            existant = existants.get((v["specialite"], v["indicateur"], v["date_donnees"]))
            if existant is None:
                nouveaux.append(
                    Percentiles(
                        specialite_id=v["specialite"],
                        indicateur=v["indicateur"],
                        date_donnees=v["date_donnees"],
                        source=v["source"],
                        **{n: v[n] for n in PERCENTILES},
                    )
                )
            else:
                for n in (*PERCENTILES, "source"):
                    setattr(existant, n, v[n])
                modifies.append(existant)
        if nouveaux:
            bulk_create_with_history(
                nouveaux, Percentiles, default_user=utilisateur, default_change_reason=motif
            )
        if modifies:
            bulk_update_with_history(
                modifies,
                Percentiles,
                [*PERCENTILES, "source"],
                default_user=utilisateur,
                default_change_reason=motif,
            )
    donnees_modifiees()  # bulk writes send no signal: processes reload their snapshot
    return journal


MODELES_CSV = {
    "zonage": "code_insee;nom;zonage\n45234;Orléans;ZAC\n18279;Vierzon;ZIP\n",
    "percentiles": (
        "specialite;indicateur;date_donnees;p30;p50;p70;p90;p95;source\n"
        "03;file_active;2025-12-31;1200;1800;;;4000;CNAM au 31/12/2025\n"
    ),
}
