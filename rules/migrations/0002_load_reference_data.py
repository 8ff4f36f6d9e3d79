"""Load the reference data shipped in rules/data, so a fresh clone runs with one command."""

from django.db import migrations


def charger(apps, schema_editor):
    from rules.reference_data import reference_data_load

    reference_data_load(modele=lambda nom: apps.get_model("rules", nom))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
