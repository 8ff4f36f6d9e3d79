"""Reference data an admin can trust: one truth for the zonage (its dated vintages), writes
only with the right permission, imports that preview, apply and undo as a whole, and no
staff page that answers 500.

Run on SQLite and on PostgreSQL (``bash scripts/tests_postgresql.sh
tests/test_donnees_reference.py``): the locking tests need PostgreSQL and are skipped on
SQLite.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils.formats import localize

import rules
from rules import models

AUJOURDHUI = dt.date.today()
# Orléans (45234) is a ZAC in the shipped zonage, dated 09/05/2025.
MEDECIN = {
    "specialite": "01",
    "secteur": "1",
    "commune": "45234",
    "exercice": "groupe",
    "exercice_coordonne": True,
    "patientele_mt": 900,
    "file_active": 1550,
    "option": "mi_temps",
}


def _zone(date_signature: dt.date, commune: str = "45234") -> tuple[str | None, str]:
    resultat = rules.simulate(
        {**MEDECIN, "commune": commune, "date_signature": date_signature.isoformat()}
    )
    return resultat.lieu.zone, str(resultat.lieu.zonage_date)


def _personnel(nom: str, *permissions: str) -> Client:
    """A staff member with only the given permissions (« view_commune »…)."""
    utilisateur = User.objects.create_user(nom, f"{nom}@example.org", "mot-de-passe-42-solide")
    utilisateur.is_staff = True
    utilisateur.save()
    utilisateur.user_permissions.set(
        Permission.objects.filter(content_type__app_label="rules", codename__in=permissions)
    )
    client = Client()
    client.force_login(utilisateur)
    return client


def _importer(texte: str, jour: dt.date, source: str = "Arrêté ARS") -> models.ImportApplique:
    from rules.imports import plan_appliquer, zonage_planifier

    plan = zonage_planifier(texte=texte, date_zonage=jour, source=source)
    return plan_appliquer(plan=plan, nom_fichier="z.csv", date_zonage=jour, source=source)


# ------------------------------------------------------------------ 1. one truth


def test_modifier_puis_retablir_rend_le_premier_resultat_aujourd_hui_et_en_2020(
    admin_client: Client,
) -> None:
    """Edit → result → history → revert → result gives back the first result."""
    avant = {jour: _zone(jour) for jour in (AUJOURDHUI, dt.date(2020, 3, 1))}
    millesime = models.ZonageMillesime.objects.get(commune_id="45234")
    url = reverse("admin:rules_zonagemillesime_change", args=[millesime.pk])
    premiere = millesime.history.first()
    admin_client.post(
        url,
        {"zonage": "ZIP", "date": "2025-05-09", "source": millesime.source, "motif": "saisie"},
    )
    assert _zone(AUJOURDHUI)[0] == "zip"
    liste = admin_client.get(reverse("admin:rules_commune_changelist"), {"q": "45234"})
    assert "ZIP — zone d&#x27;intervention prioritaire" in liste.content.decode()
    version = reverse(
        "admin:rules_zonagemillesime_simple_history", args=[millesime.pk, premiere.history_id]
    )
    admin_client.post(version, {"zonage": "ZAC", "date": "2025-05-09", "source": millesime.source})
    assert {jour: _zone(jour) for jour in avant} == avant
    liste = admin_client.get(reverse("admin:rules_commune_changelist"), {"q": "45234"})
    assert "ZAC — zone d&#x27;action complémentaire" in liste.content.decode()


def test_un_zonage_ajoute_aujourd_hui_puis_supprime_rend_le_premier_resultat(
    admin_client: Client,
) -> None:
    avant = _zone(AUJOURDHUI)
    admin_client.post(
        reverse("admin:rules_zonagemillesime_add"),
        {
            "commune": "45234",
            "zonage": "ZIP",
            "date": AUJOURDHUI.isoformat(),
            "source": "Arrêté ARS du jour",
        },
    )
    assert _zone(AUJOURDHUI)[0] == "zip"
    ajout = models.ZonageMillesime.objects.get(commune_id="45234", date=AUJOURDHUI)
    admin_client.post(
        reverse("admin:rules_zonagemillesime_delete", args=[ajout.pk]), {"post": "yes"}
    )
    assert _zone(AUJOURDHUI) == avant
    assert models.ZonageMillesime.history.filter(id=ajout.pk, history_type="-").exists()


def test_un_zonage_date_avant_le_dernier_dit_quels_contrats_il_touche(
    admin_client: Client,
) -> None:
    reponse = admin_client.post(
        reverse("admin:rules_zonagemillesime_add"),
        {
            "commune": "45234",
            "zonage": "ZIP",
            "date": "2024-01-01",
            "source": "Arrêté ARS du 01/01/2024",
        },
        follow=True,
    )
    page = reponse.content.decode()
    assert "contrats signés du 01/01/2024 au 08/05/2025" in page
    assert "le zonage reste ZAC" in page
    # Shown and computed alike: the list and a contract signed today keep the ZAC…
    assert _zone(AUJOURDHUI) == ("zac", "2025-05-09")
    liste = admin_client.get(reverse("admin:rules_commune_changelist"), {"q": "45234"})
    assert "ZAC — zone d&#x27;action complémentaire" in liste.content.decode()
    # …and a contract signed in 2024 gets the ZIP.
    assert _zone(dt.date(2024, 6, 1)) == ("zip", "2024-01-01")


def test_le_filtre_des_communes_suit_le_zonage_du_calcul(admin_client: Client) -> None:
    _importer("code_insee;zonage\n45234;ZIP\n", dt.date(2025, 10, 1))
    url = reverse("admin:rules_commune_changelist")
    zip_ = admin_client.get(url, {"zonage": "ZIP", "q": "45234"}).content.decode()
    zac = admin_client.get(url, {"zonage": "ZAC", "q": "45234"}).content.decode()
    assert ">45234<" in zip_ and ">45234<" not in zac
    assert _zone(AUJOURDHUI)[0] == "zip"


# ------------------------------------------------------------------ 2. history writes

HISTORISES: dict[str, Callable[[], Any]] = {
    "commune": lambda: models.Commune.objects.get(pk="45234"),
    "specialite": lambda: models.Specialite.objects.get(pk="01"),
    "reglespecialite": lambda: models.RegleSpecialite.objects.first(),
    "percentiles": lambda: models.Percentiles.objects.first(),
    "specialitedepartement2019": lambda: models.SpecialiteDepartement2019.objects.first(),
    "zonagemillesime": lambda: models.ZonageMillesime.objects.get(commune_id="45234"),
}


@pytest.mark.parametrize("modele", sorted(HISTORISES))
def test_restaurer_une_version_demande_le_droit_de_modifier(modele: str) -> None:
    objet = HISTORISES[modele]()
    version = objet.history.first()
    url = reverse(f"admin:rules_{modele}_simple_history", args=[objet.pk, version.history_id])
    lecteur = _personnel("lecteur", f"view_{modele}")
    assert lecteur.get(url).status_code == 200  # viewing a past version is allowed
    avant = objet.history.count()
    donnees = {"zonage": "ZIP", "p30": "1", "p50": "2", "p70": "3", "p90": "4", "p95": "5"}
    assert lecteur.post(url, donnees).status_code == 403
    assert objet.history.count() == avant


# ------------------------------------------------------------------ 3. undo permission


def _import_percentiles() -> models.ImportApplique:
    from rules.imports import percentiles_planifier, plan_appliquer

    plan = percentiles_planifier(
        texte="specialite;indicateur;date_donnees;p30;p50;p70;p90;p95;source\n"
        "03;file_active;2025-12-31;1200;1800;;;4000;CNAM au 31/12/2025\n"
    )
    return plan_appliquer(plan=plan, nom_fichier="p.csv")


def test_annuler_un_import_demande_le_droit_sur_ses_propres_donnees() -> None:
    journal = _import_percentiles()
    url = reverse("admin:rules_importapplique_annuler", args=[journal.pk])
    zonage = _personnel("zonage", "view_importapplique", "change_zonagemillesime", "change_commune")
    assert zonage.post(url).status_code == 403
    assert models.Percentiles.objects.filter(specialite_id="03").exists()
    percentiles = _personnel("percentiles", "view_importapplique", "change_percentiles")
    assert percentiles.get(url).status_code == 200
    percentiles.post(url)
    assert not models.Percentiles.objects.filter(specialite_id="03").exists()
    journal.refresh_from_db()
    assert journal.annule_le is not None


# ------------------------------------------------------------------ 4. set-wise


def test_appliquer_et_annuler_en_un_nombre_fixe_de_requetes(
    django_assert_max_num_queries: Any,
) -> None:
    """A national file must not cost a query per row: 800 communes, a handful of queries."""
    from rules.imports import plan_appliquer, zonage_planifier
    from rules.undo import import_annuler

    codes = list(models.Commune.objects.order_by("code_insee").values_list("pk", flat=True)[:800])
    texte = "code_insee;zonage\n" + "".join(f"{c};ZIP\n" for c in codes)
    jour = dt.date(2026, 1, 1)
    plan = zonage_planifier(texte=texte, date_zonage=jour, source="Arrêté national")
    with django_assert_max_num_queries(30):
        journal = plan_appliquer(plan=plan, nom_fichier="n.csv", date_zonage=jour, source="A")
    assert models.ZonageMillesime.objects.filter(date=jour).count() == 800
    with django_assert_max_num_queries(30):
        import_annuler(journal=journal)
    assert not models.ZonageMillesime.objects.filter(date=jour).exists()
    assert models.ZonageMillesime.history.filter(date=jour, history_type="-").count() == 800


def test_commande_d_annulation_hors_requete(capsys: Any) -> None:
    from django.core.management import call_command

    journal = _importer("code_insee;zonage\n45234;ZIP\n18279;ZAC\n", dt.date(2026, 1, 15))
    call_command("import_reference", "--annuler", str(journal.pk))
    assert "2 ajout(s) retiré(s)" in capsys.readouterr().out
    assert _zone(AUJOURDHUI) == ("zac", "2025-05-09")


# ------------------------------------------------------------------ 5. undo integrity


def test_annuler_dans_le_desordre_est_refuse_puis_l_ordre_rend_l_origine(
    admin_client: Client,
) -> None:
    jour = dt.date(2026, 1, 15)
    a = _importer("code_insee;zonage\n45234;ZIP\n", jour, "Arrêté A")
    b = _importer("code_insee;zonage\n45234;HZ\n", jour, "Arrêté B")
    reponse = admin_client.post(
        reverse("admin:rules_importapplique_annuler", args=[a.pk]), follow=True
    )
    page = reponse.content.decode()
    assert f"l&#x27;import n° {b.pk}, appliqué après lui, a modifié 1 de ses lignes" in page
    assert "Annulez d&#x27;abord cet import" in page
    a.refresh_from_db()
    assert a.annule_le is None and _zone(AUJOURDHUI)[0] == "hors_zone"
    for journal in (b, a):
        admin_client.post(reverse("admin:rules_importapplique_annuler", args=[journal.pk]))
        journal.refresh_from_db()
        assert journal.annule_le is not None
    assert _zone(AUJOURDHUI) == ("zac", "2025-05-09")  # back where it started
    assert not models.ZonageMillesime.objects.filter(commune_id="45234", date=jour).exists()


def test_une_seconde_annulation_est_refusee_en_francais(admin_client: Client) -> None:
    journal = _importer("code_insee;zonage\n45234;ZIP\n", dt.date(2026, 1, 15))
    url = reverse("admin:rules_importapplique_annuler", args=[journal.pk])
    admin_client.post(url)
    reponse = admin_client.post(url, follow=True)
    assert "est déjà annulé" in reponse.content.decode()
    assert models.ZonageMillesime.history.filter(history_type="-").count() == 1


@pytest.fixture
def postgresql_commit() -> Iterator[list[Any]]:
    """Threads of their own (each its own connection, committed) against the test
    database, on PostgreSQL only; what they leave is removed afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("verrous de lignes : PostgreSQL seulement")
    journaux: list[Any] = []
    yield journaux

    def nettoyer() -> None:
        try:
            models.ZonageMillesime.objects.filter(date=JOUR_VERROU).delete()
            models.ZonageMillesime.history.filter(date=JOUR_VERROU).delete()
            models.ImportApplique.objects.filter(pk__in=journaux).delete()
        finally:
            connections.close_all()

    fil = threading.Thread(target=nettoyer)
    fil.start()
    fil.join()


def _dans_un_fil(fonction: Any) -> threading.Thread:
    def corps() -> None:
        try:
            fonction()
        finally:
            connections.close_all()

    fil = threading.Thread(target=corps)
    fil.start()
    return fil


JOUR_VERROU = dt.date(2026, 2, 3)


def test_deux_annulations_simultanees_une_seule_passe(postgresql_commit: list[Any]) -> None:
    from rules.undo import AnnulationImpossible, import_annuler

    journal: list[models.ImportApplique] = []
    _dans_un_fil(
        lambda: journal.append(_importer("code_insee;zonage\n45234;ZIP\n", JOUR_VERROU))
    ).join()
    postgresql_commit.append(journal[0].pk)
    issues: list[str] = []

    def annuler() -> None:
        try:
            import_annuler(journal=models.ImportApplique.objects.get(pk=journal[0].pk))
            issues.append("annulé")
        except AnnulationImpossible as exc:
            issues.append(str(exc))

    fils = [_dans_un_fil(annuler) for _ in range(2)]
    for fil in fils:
        fil.join()
    assert issues.count("annulé") == 1
    assert any(issue.endswith("est déjà annulé.") for issue in issues)
    suppressions = models.ZonageMillesime.history.filter(date=JOUR_VERROU, history_type="-")
    assert suppressions.count() == 1


def test_une_modification_pendant_l_annulation_attend_et_n_est_pas_ecrasee(
    postgresql_commit: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules import undo as imports

    journaux: list[models.ImportApplique] = []

    def preparer() -> None:
        journaux.append(_importer("code_insee;zonage\n45234;ZIP\n", JOUR_VERROU, "A"))
        journaux.append(_importer("code_insee;zonage\n45234;HZ\n", JOUR_VERROU, "B"))

    _dans_un_fil(preparer).join()
    postgresql_commit.extend(j.pk for j in journaux)
    verrouille = threading.Event()
    planifier = imports.annulation_planifier

    def lent(**kwargs: Any) -> Any:
        resultat = planifier(**kwargs)
        verrouille.set()
        time.sleep(1.5)  # the edit below tries to commit meanwhile
        return resultat

    monkeypatch.setattr(imports, "annulation_planifier", lent)
    annulation = _dans_un_fil(lambda: imports.import_annuler(journal=journaux[1]))
    verrouille.wait(10)

    def modifier() -> None:
        millesime = models.ZonageMillesime.objects.get(commune_id="45234", date=JOUR_VERROU)
        millesime.source = "Correction à la main"
        models.ZonageMillesime.objects.filter(pk=millesime.pk).update(source=millesime.source)

    edition = _dans_un_fil(modifier)
    annulation.join()
    edition.join()
    final = models.ZonageMillesime.objects.get(commune_id="45234", date=JOUR_VERROU)
    # The undo restored A's ZIP; the edit, which waited for it, came after and stays.
    assert (final.zonage, final.source) == ("ZIP", "Correction à la main")


# ------------------------------------------------------------------ 6. the import flow


def _deposer(client: Client, texte: str, **champs: str) -> str:
    reponse = client.post(
        reverse("admin:rules_commune_importer"),
        {
            "fichier": SimpleUploadedFile("zonage.csv", texte.encode()),
            "zonage_date": "2026-01-15",
            "zonage_source": "Arrêté ARS du 15/01/2026",
            **champs,
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    return str(reponse["Location"])


def test_qui_a_depose_et_qui_a_confirme() -> None:
    droits = ("change_zonagemillesime", "view_importapplique", "view_commune")
    depot, confirmation = _personnel("depose", *droits), _personnel("confirme", *droits)
    apercu = _deposer(depot, "code_insee;zonage\n45234;ZIP\n")
    reponse = confirmation.post(apercu, {"confirmer": "1"}, follow=True)
    journal = models.ImportApplique.objects.get()
    assert (journal.depose_par.username, journal.applique_par.username) == (  # type: ignore[union-attr]
        "depose",
        "confirme",
    )
    page = reponse.content.decode()
    assert "depose" in page and "confirme" in page


def test_anciens_codes_libelles_promis_et_lignes_vides(admin_client: Client) -> None:
    from rules.imports import zonage_planifier

    plan = zonage_planifier(
        texte="code_insee;zonage\n01003;1_ZIP\n;\n45234;2_ZAC\n18279;Zone d'action complémentaire\n"
        ";;\n01053;3 - HZ\n",
        date_zonage=dt.date(2026, 1, 15),
        source="Arrêté",
    )
    assert plan.compte == {"ajout": 4, "modification": 0, "inchange": 0, "rejet": 0}
    assert plan.lignes[0].cle.startswith("01003 (ancien code de 01165)")
    assert [ligne.valeurs["zonage"] for ligne in plan.lignes] == ["ZIP", "ZAC", "ZAC", "HZ"]
    depot = admin_client.get(reverse("admin:rules_commune_importer")).content.decode()
    assert "1_ZIP" in depot and "2_ZAC" in depot


def test_l_apercu_et_l_annulation_parlent_des_memes_lignes(admin_client: Client) -> None:
    apercu = _deposer(admin_client, "code_insee;zonage\n45234;ZIP\n18279;ZIP\n")
    page = admin_client.get(apercu).content.decode()
    assert "2 ajout(s)" in page and "0 modification(s)" in page
    reponse = admin_client.post(apercu, {"confirmer": "1"}, follow=True)
    journal = models.ImportApplique.objects.get()
    # The import's own page, with its undo button, then a confirmation page.
    assert reponse.redirect_chain[-1][0].endswith(f"/importapplique/{journal.pk}/change/")
    url = reverse("admin:rules_importapplique_annuler", args=[journal.pk])
    assert url in reponse.content.decode() and "Annuler cet import" in reponse.content.decode()
    confirmation = admin_client.get(url).content.decode()
    assert "2 ajout(s) retiré(s)" in confirmation and "Oui, annuler cet import" in confirmation
    assert models.ZonageMillesime.objects.filter(date=dt.date(2026, 1, 15)).count() == 2
    fin = admin_client.post(url, follow=True).content.decode()
    assert "2 ajout(s) retiré(s), 0 modification(s) défaite(s)" in fin
    assert not models.ZonageMillesime.objects.filter(date=dt.date(2026, 1, 15)).exists()


def test_l_accueil_de_l_administration_sans_nom_d_outil(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Axes" not in page and "AXES" not in page
    assert "Sécurité des connexions" in page


# ------------------------------------------------------------------ 7. no 500 for staff

ADRESSES_HOSTILES = [
    "/admin/rules/commune/?zonage__exact=%00",
    "/admin/rules/commune/?zonage=%00",
    "/admin/rules/commune/?region=%00",
    "/admin/rules/commune/%00/change/",
    "/admin/rules/commune/%00/history/",
    "/admin/rules/zonagemillesime/%00/history/",
    "/admin/rules/percentiles/?date_donnees__year=99999999999",
    "/admin/rules/zonagemillesime/?date__year=99999999999",
    "/admin/rules/importapplique/%00/change/",
    "/admin/rules/importapplique/%00/annuler/",
]


@pytest.mark.parametrize("adresse", ADRESSES_HOSTILES)
def test_pas_de_500_pour_le_personnel(admin_client: Client, adresse: str) -> None:
    assert admin_client.get(adresse).status_code in {400, 404}


# ------------------------------------------------------------------ 9. freshness


def test_un_fichier_regional_ne_touche_que_sa_region(admin_client: Client) -> None:
    # Auvergne-Rhône-Alpes (84): Bourg-en-Bresse (01053) and Lyon (69123); Orléans is not.
    apercu = _deposer(
        admin_client,
        "code_insee;zonage\n01053;ZIP\n69123;ZAC\n45234;ZIP\n",
        region="84",
    )
    page = admin_client.get(apercu).content.decode()
    assert "2 ajout(s)" in page and "1 ligne(s) rejetée(s)" in page
    assert "hors de la région Auvergne-Rhône-Alpes" in page
    manquantes = models.Commune.objects.filter(departement__region_id="84").count() - 2
    assert f"{localize(manquantes)} commune(s) de la région absente(s) du fichier" in page
    admin_client.post(apercu, {"confirmer": "1"})
    assert _zone(AUJOURDHUI)[0] == "zac"  # Orléans untouched
    assert _zone(AUJOURDHUI, "01053") == ("zip", "2026-01-15")


def test_commande_d_import_regional(tmp_path: Any, capsys: Any) -> None:
    from django.core.management import CommandError, call_command

    fichier = tmp_path / "ara.csv"
    fichier.write_text("code_insee;zonage\n01053;ZIP\n45234;ZIP\n", encoding="utf-8")
    arguments = ["--zonage", str(fichier), "--date", "2026-01-15", "--source", "Arrêté ARS"]
    call_command("import_reference", *arguments, "--region", "84")
    sortie = capsys.readouterr().out
    assert "1 ajoutées" in sortie and "hors de la région Auvergne-Rhône-Alpes" in sortie
    assert "commune(s) de la région absente(s) du fichier" in sortie
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("import_reference", *arguments, "--region", "99")


def test_sources_et_accueil_disent_la_date_du_zonage_par_region(admin_client: Client) -> None:
    codes = models.Commune.objects.filter(departement__region_id="84").values_list("pk", flat=True)
    texte = "code_insee;zonage\n" + "".join(f"{c};HZ\n" for c in codes)
    _importer(texte, dt.date(2026, 1, 1), "Arrêté ARS ARA 2026")
    page = Client().get(reverse("sources")).content.decode()
    tableau = page[page.index('id="zonage-regions"') :]
    tableau = tableau[: tableau.index("</table>")]
    # Oldest first: every other region (09/05/2025) before Auvergne-Rhône-Alpes (2026).
    assert tableau.index("Centre-Val de Loire") < tableau.index("Auvergne-Rhône-Alpes")
    ara = tableau[tableau.index("Auvergne-Rhône-Alpes") :]
    assert "01/01/2026" in ara[:200] and "Arrêté ARS ARA 2026 (" in ara
    accueil = admin_client.get(reverse("admin:index")).content.decode()
    assert f"Arrêté ARS ARA 2026 ({localize(len(codes))})" in accueil
