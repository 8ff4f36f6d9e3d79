"""Formerly gave every reference row a first history record; now empty.

``python manage.py load_reference`` writes that first record for every row it loads (see
0002). Databases that applied this migration keep their history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_historique_et_imports")]

    operations = []
