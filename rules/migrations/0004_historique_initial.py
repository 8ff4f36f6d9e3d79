"""A first history record for every reference row, so the first admin edit has a before."""

from django.db import migrations


def historiser(apps, schema_editor):
    from rules.reference_data import historique_initial_creer

    historique_initial_creer(modele=lambda nom: apps.get_model("rules", nom))


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_historique_et_imports")]

    operations = [migrations.RunPython(historiser, migrations.RunPython.noop)]
