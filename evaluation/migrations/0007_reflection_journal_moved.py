# The reflection journal moved to the group_life app, which keeps these tables: only the
# state changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0006_reflection_journal'),
        ('group_life', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='reflectionprompt',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='reflectionprompt',
                    name='group',
                ),
                migrations.DeleteModel(
                    name='ReflectionEntry',
                ),
                migrations.DeleteModel(
                    name='ReflectionPrompt',
                ),
            ],
            database_operations=[],
        ),
    ]
