"""The zonage has one truth, the dated vintages: the commune's copy of its latest zonage
goes. Before it goes, a commune whose dated zonage has no vintage of that date gets one
(nothing is lost). Self-contained: historical models only, no project code."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def millesimes_completer(apps, schema_editor):
    Commune = apps.get_model("rules", "Commune")
    Millesime = apps.get_model("rules", "ZonageMillesime")
    existants = set(Millesime.objects.values_list("commune_id", "date"))
    manquants = [
        Millesime(commune_id=code, zonage=zonage, date=date, source=source or "Zonage repris")
        for code, zonage, date, source in Commune.objects.exclude(zonage="")
        .exclude(zonage_date=None)
        .values_list("code_insee", "zonage", "zonage_date", "zonage_source")
        .iterator(chunk_size=2000)
        if (code, date) not in existants
    ]
    Millesime.objects.bulk_create(manquants, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0008_orl_chirurgical_centre_val_de_loire"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(millesimes_completer, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="commune",
            name="zonage",
        ),
        migrations.RemoveField(
            model_name="commune",
            name="zonage_date",
        ),
        migrations.RemoveField(
            model_name="commune",
            name="zonage_source",
        ),
        migrations.RemoveField(
            model_name="historicalcommune",
            name="zonage",
        ),
        migrations.RemoveField(
            model_name="historicalcommune",
            name="zonage_date",
        ),
        migrations.RemoveField(
            model_name="historicalcommune",
            name="zonage_source",
        ),
        migrations.AddField(
            model_name="importapplique",
            name="depose_par",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="déposé par",
            ),
        ),
        migrations.AddField(
            model_name="importenattente",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to="rules.region",
                verbose_name="région",
            ),
        ),
        migrations.AlterField(
            model_name="importapplique",
            name="applique_par",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="confirmé par",
            ),
        ),
    ]
