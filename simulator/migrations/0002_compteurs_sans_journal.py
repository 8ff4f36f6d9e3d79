"""The counters' table without write-ahead log on PostgreSQL (UNLOGGED): a counter
lives a minute, its loss in a crash costs nothing, and no commit of the limiter then
waits for a disk flush (docs/deployment.md)."""

from django.db import migrations


def sans_journal(apps: object, schema_editor: object) -> None:
    connexion = schema_editor.connection  # type: ignore[attr-defined]
    if connexion.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE simulateur_compteurs SET UNLOGGED")  # type: ignore[attr-defined]


def avec_journal(apps: object, schema_editor: object) -> None:
    connexion = schema_editor.connection  # type: ignore[attr-defined]
    if connexion.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE simulateur_compteurs SET LOGGED")  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    dependencies = [("simulator", "0001_compteurs")]

    operations = [migrations.RunPython(sans_journal, avec_journal)]
