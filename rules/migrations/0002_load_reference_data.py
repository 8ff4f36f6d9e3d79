"""Formerly loaded the reference data of rules/data; now empty.

The shipped data are loaded by ``python manage.py load_reference`` (run by ``make setup``
and ``deploy/start.sh`` after ``migrate``), which uses today's models. A data migration importing today's loader broke fresh installs as soon
as a model changed. Databases that applied this migration keep what it loaded.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = []
