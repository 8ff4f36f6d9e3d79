"""Formerly created the first zonage vintages, the ENT remark under avenant 7 and the GP
P95 sources; now empty.

``python manage.py load_reference`` loads all of these from rules/data with today's models
(see 0002). Databases that applied this migration keep what it wrote.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_millesimes_zonage_et_remarques")]

    operations = []
