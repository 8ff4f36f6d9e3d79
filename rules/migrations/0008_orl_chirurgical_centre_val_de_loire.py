"""Avenant 7: surgical ENT admitted in the zones sous-denses of Eure-et-Loir and Indre
(URPS Centre-Val de Loire fiche « L'assistant médical », list « en zone sous-dense »)."""

from django.db import migrations

LIGNES = [("28", "11"), ("36", "11")]


def ajouter(apps, schema_editor):
    SpecialiteDepartement2019 = apps.get_model("rules", "SpecialiteDepartement2019")
    Departement = apps.get_model("rules", "Departement")
    Specialite = apps.get_model("rules", "Specialite")
    for departement, specialite in LIGNES:
        if (
            Departement.objects.filter(code=departement).exists()
            and Specialite.objects.filter(code=specialite).exists()
        ):
            SpecialiteDepartement2019.objects.get_or_create(
                departement_id=departement, specialite_id=specialite, defaults={"source": "seed_000"}
            )


def retirer(apps, schema_editor):
    SpecialiteDepartement2019 = apps.get_model("rules", "SpecialiteDepartement2019")
    for departement, specialite in LIGNES:
        SpecialiteDepartement2019.objects.filter(
            departement_id=departement, specialite_id=specialite
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0007_imports_appliques")]

    operations = [migrations.RunPython(ajouter, retirer)]
