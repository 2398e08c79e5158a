"""Cohorts (per programme), working groups (per cohort) and organisations (per country) are
unique by name whatever the case of its letters.

Names that differ only in case may exist already (two made at the same instant): the oldest
keeps its name and each later one is renamed "<name> (2)", "<name> (3)"... so no row, link or
membership is lost and the facilitator can merge or rename them by hand.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def _rename_duplicates(model, scope: str) -> None:
    taken: dict[tuple[object, str], int] = {}
    rows = model.objects.order_by(scope, "pk").values_list("pk", scope, "name")
    names = {(group, name.lower()) for _pk, group, name in rows}
    for pk, group, name in rows:
        key = (group, name.lower())
        if key not in taken:
            taken[key] = 1
            continue
        number = taken[key]
        while True:
            number += 1
            suffix = f" ({number})"
            renamed = f"{name[: 200 - len(suffix)]}{suffix}"
            if (group, renamed.lower()) not in names:
                break
        taken[key] = number
        names.add((group, renamed.lower()))
        model.objects.filter(pk=pk).update(name=renamed)


def rename_duplicates(apps, schema_editor) -> None:
    _rename_duplicates(apps.get_model("programmes", "Cohort"), "programme_id")
    _rename_duplicates(apps.get_model("programmes", "WorkingGroup"), "cohort_id")
    _rename_duplicates(apps.get_model("programmes", "Organisation"), "country")


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0009_merge_20261126_0438"),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="cohort", name="cohort_unique_name"),
        migrations.RemoveConstraint(model_name="workinggroup", name="working_group_unique_name"),
        migrations.RemoveConstraint(model_name="organisation", name="organisation_unique_name"),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.UniqueConstraint(
                Lower("name"),
                "programme",
                name="cohort_unique_name_ci",
                violation_error_message="There is already a cohort with this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="workinggroup",
            constraint=models.UniqueConstraint(
                Lower("name"),
                "cohort",
                name="working_group_unique_name_ci",
                violation_error_message="There is already a working group with this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organisation_unique_name_ci",
                violation_error_message="This organisation exists already in this country.",
            ),
        ),
    ]
