"""Zonage vintages from each commune's dated zonage; ENT under avenant 7 to be confirmed;
the GP P95 values cite the document they were read in (the 2023 URPS sheet)."""

from django.db import migrations

ANCIENNE_SOURCE_P95 = "P95 (brochure Assurance Maladie 2023, cas 3)"
NOUVELLE_SOURCE_P95 = (
    "P95 (fiche URPS 2023, « cas particuliers » ; cas 3 de la brochure Assurance Maladie 2023)"
)


def migrer(apps, schema_editor):
    from rules.reference_data import (
        REMARQUE_ORL_2019,
        historique_initial_creer,
        millesimes_initiaux_creer,
    )

    def modele(nom):
        return apps.get_model("rules", nom)

    millesimes_initiaux_creer(modele=modele)
    Regle = modele("RegleSpecialite")
    Regle.objects.filter(
        specialite_id="11", regime="avenant_7", classe__in=["eligible", "a_confirmer"], remarque=""
    ).update(classe="a_confirmer", remarque=REMARQUE_ORL_2019)
    Percentiles = modele("Percentiles")
    for p in Percentiles.objects.filter(source__contains=ANCIENNE_SOURCE_P95):
        p.source = p.source.replace(ANCIENNE_SOURCE_P95, NOUVELLE_SOURCE_P95)
        p.save(update_fields=["source"])
    historique_initial_creer(modele=modele)


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_millesimes_zonage_et_remarques")]

    operations = [migrations.RunPython(migrer, migrations.RunPython.noop)]
