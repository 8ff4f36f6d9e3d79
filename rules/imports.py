"""Imports of the files administrators receive, previewed before they change anything.

- a zonage CSV per commune (INSEE code, or postal code + name; ZIP / ZAC / HZ / ZAR / NA in
  any of the usual spellings, « 1_ZIP » included);
- a table of CNAM percentiles (specialty, indicator, date, P30…P95, source).

``*_planifier`` reads a file and says, row by row, what would be added, changed, left
unchanged or rejected (with the reason); ``plan_appliquer`` then writes the changes with
their history. Re-importing the same file changes nothing.
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
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
)

from rules.catalogue import donnees_modifiees
from rules.files import FichierInvalide, separateur_deviner
from rules.models import (
    PERCENTILES,
    Commune,
    ImportApplique,
    Percentiles,
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
ZONAGES = {
    "zip": "ZIP",
    "1_zip": "ZIP",
    "zone d'intervention prioritaire": "ZIP",
    "zac": "ZAC",
    "2_zac": "ZAC",
    "zone d'action complementaire": "ZAC",
    "hz": "HZ",
    "3_hz": "HZ",
    "hors zonage": "HZ",
    "hors_zone": "HZ",
    "zar": "ZAR",
    "4_zar": "ZAR",
    "na": "NA",
    "n/a": "NA",
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
    lignes = []
    try:
        colonnes = [texte_normaliser(c).replace(" ", "_") for c in (lecteur.fieldnames or [])]
        for brut in lecteur:
            valeurs = list(brut.values())
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


def _zonage_lire(brut: str) -> str | None:
    """ZIP, ZAC, HZ, ZAR or NA from the usual spellings; None if not recognised."""
    if brut.lower().startswith("n/a") or brut.upper() == "NA":
        return "NA"
    return ZONAGES.get(texte_normaliser(brut).replace(" ", "_")) or ZONAGES.get(
        brut.strip().lower()
    )


def _zonage_verifier_entete(date_zonage: dt.date, source: str) -> None:
    if raison := date_donnees_verifier(date_zonage):
        raise FichierInvalide(f"Date du zonage refusée : {raison}.")
    if not source.strip():
        raise FichierInvalide("Indiquez la source du zonage (arrêté, site de l'ARS…).")


def zonage_planifier(*, texte: str, date_zonage: dt.date, source: str) -> Plan:
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
    communes = {c.code_insee: c for c in Commune.objects.all()}
    par_postal_nom: dict[tuple[str, str], list[str]] = defaultdict(list)
    if col_code is None:
        for c in communes.values():
            for cp in c.codes_postaux.split("|"):
                par_postal_nom[cp, c.nom_recherche].append(c.code_insee)
    vus: dict[str, int] = {}
    plan = []
    for numero, ligne in enumerate(lignes, start=2):
        brut = ligne.get(col_zonage, "")
        zonage = _zonage_lire(brut)
        if col_code:
            code = ligne.get(col_code, "").upper().zfill(5) if ligne.get(col_code) else ""
            cle = code
        else:
            cp, nom = (
                ligne.get(col_postal or "", ""),
                texte_normaliser(ligne.get(col_nom or "", "")),
            )
            codes = par_postal_nom.get((cp.zfill(5), nom), [])
            cle = f"{cp} {ligne.get(col_nom or '', '')}"
            if len(codes) != 1:
                raison = (
                    "commune introuvable (code postal et nom)"
                    if not codes
                    else "plusieurs communes"
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
        if zonage is None:
            plan.append(
                Ligne(
                    numero,
                    f"{code} {commune.nom}",
                    "rejet",
                    avant=commune.zonage,
                    raison=f"zonage « {brut} » non reconnu (ZIP, ZAC, HZ, ZAR ou NA)",
                )
            )
            continue
        if code in vus:
            plan.append(
                Ligne(
                    numero,
                    f"{code} {commune.nom}",
                    "rejet",
                    raison=f"commune déjà présente ligne {vus[code]}",
                    apres=zonage,
                )
            )
            continue
        vus[code] = numero
        identique = (
            commune.zonage == zonage
            and commune.zonage_date == date_zonage
            and commune.zonage_source == source
        )
        if identique:
            statut: Statut = "inchange"
        elif not commune.zonage:
            statut = "ajout"
        else:
            statut = "modification"
        avant = commune.zonage or "—"
        if commune.zonage_date:
            avant += f" au {commune.zonage_date:%d/%m/%Y}"
        plan.append(
            Ligne(
                numero,
                f"{code} {commune.nom}",
                statut,
                avant=avant,
                apres=f"{zonage} au {date_zonage:%d/%m/%Y}",
                valeurs={"code": code, "zonage": zonage},
            )
        )
    return Plan("zonage", plan)


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


def millesimes_ajouter(
    *, codes: dict[str, str], date: dt.date, source: str, utilisateur: Any, motif: str
) -> None:
    """One vintage per commune at ``date`` (an arrêté): added, or corrected if it exists."""
    existants = {
        m.commune_id: m for m in ZonageMillesime.objects.filter(commune_id__in=codes, date=date)
    }
    nouveaux, modifies = [], []
    for code, zonage in codes.items():
        millesime = existants.get(code)
        if millesime is None:
            nouveaux.append(
                ZonageMillesime(commune_id=code, zonage=zonage, date=date, source=source)
            )
        elif (millesime.zonage, millesime.source) != (zonage, source):
            millesime.zonage, millesime.source = zonage, source
            modifies.append(millesime)
    bulk_create_with_history(
        nouveaux,
        ZonageMillesime,
        batch_size=2000,
        default_user=utilisateur,
        default_change_reason=motif,
    )
    bulk_update_with_history(
        modifies,
        ZonageMillesime,
        ["zonage", "source"],
        batch_size=2000,
        default_user=utilisateur,
        default_change_reason=motif,
    )


@transaction.atomic
def plan_appliquer(
    *,
    plan: Plan,
    nom_fichier: str,
    utilisateur: Any = None,
    date_zonage: dt.date | None = None,
    source: str = "",
) -> ImportApplique:
    """Write the plan's additions and changes, each with its history record, under one
    import number (``ImportApplique``) that ``import_annuler`` can undo as a whole."""
    journal = ImportApplique.objects.create(
        type=plan.type,
        nom_fichier=nom_fichier[:200],
        applique_par=utilisateur if getattr(utilisateur, "pk", None) else None,
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
        # The commune mirrors its latest vintage: an older arrêté only fills the history.
        communes = [
            c
            for c in Commune.objects.filter(code_insee__in=codes)
            if c.zonage_date is None or c.zonage_date <= date_zonage
        ]
        for commune in communes:
            commune.zonage = codes[commune.code_insee]
            commune.zonage_date = date_zonage
            commune.zonage_source = source
            commune._change_reason = motif  # type: ignore[attr-defined]
        bulk_update_with_history(
            communes,
            Commune,
            ["zonage", "zonage_date", "zonage_source"],
            batch_size=2000,
            default_user=utilisateur,
            default_change_reason=motif,
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


@transaction.atomic
def import_annuler(*, journal: ImportApplique, utilisateur: Any = None) -> dict[str, int]:
    """Undo what one import wrote: rows it added are deleted, rows it changed get their
    previous values back — each step a new history record. A row changed again since the
    import is left as it is (and counted): undoing must not erase a later edit."""
    if journal.annule_le is not None:
        raise FichierInvalide(f"{journal} est déjà annulé.")
    motif = f"Annulation de l'{str(journal)[0].lower()}{str(journal)[1:]}"
    compte = {"supprimees": 0, "restaurees": 0, "modifiees_depuis": 0}
    # Communes first: one changed since keeps its vintage too (the two stay in step).
    gardees: set[str] = set()
    for modele in (Commune, Percentiles, ZonageMillesime):
        historique = modele.history.model
        for version in historique.objects.filter(history_change_reason=journal.motif):
            if version.next_record is not None or getattr(version, "commune_id", None) in gardees:
                compte["modifiees_depuis"] += modele is not ZonageMillesime
                if modele is Commune:
                    gardees.add(version.code_insee)
                continue
            if version.history_type == "+":
                instance = version.instance
                instance._change_reason = motif
                instance._history_user = utilisateur
                instance.delete()
                compte["supprimees"] += 1
            elif version.prev_record is not None:
                instance = version.prev_record.instance
                instance._change_reason = motif
                instance._history_user = utilisateur
                instance.save()
                compte["restaurees"] += 1
    journal.annule_le = timezone.now()
    journal.annule_par = utilisateur if getattr(utilisateur, "pk", None) else None
    journal.save(update_fields=["annule_le", "annule_par"])
    donnees_modifiees()
    return compte


MODELES_CSV = {
    "zonage": "code_insee;nom;zonage\n45234;Orléans;ZAC\n18279;Vierzon;ZIP\n",
    "percentiles": (
        "specialite;indicateur;date_donnees;p30;p50;p70;p90;p95;source\n"
        "03;file_active;2025-12-31;1200;1800;;;4000;CNAM au 31/12/2025\n"
    ),
}
