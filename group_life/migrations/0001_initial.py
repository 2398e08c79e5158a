# Group life takes over the tables created by matching (0002) and evaluation (0006): the
# models move in the state only, and their rows stay where they are.

import django.core.validators
import django.db.models.deletion
import group_life.models
from django.conf import settings
from django.db import migrations, models


MOVED = {
    "matching": [
        "blindsidenote",
        "endproduct",
        "grouplifesettings",
        "groupmeeting",
        "groupworkspace",
        "meetingslot",
        "nudge",
        "pairrequest",
        "problemdraft",
        "subgroup",
    ],
    "evaluation": ["reflectionentry", "reflectionprompt"],
}


def move_content_types(apps, schema_editor):
    """Content types (and with them permissions and admin history) follow the models."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models_moved in MOVED.items():
        content_type.objects.filter(app_label=app_label, model__in=models_moved).update(
            app_label="group_life"
        )


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models_moved in MOVED.items():
        content_type.objects.filter(app_label="group_life", model__in=models_moved).update(
            app_label=app_label
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('matching', '0002_group_life'),
        ('evaluation', '0006_reflection_journal'),
        ('programmes', '0003_stage_one'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProblemDraft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=2000, verbose_name='problem statement')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='problem_drafts', to='matching.group')),
                    ],
                    options={
                        'verbose_name': 'problem statement draft',
                        'verbose_name_plural': 'problem statement drafts',
                        'db_table': 'matching_problemdraft',
                        'ordering': ('-created_at', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='GroupWorkspace',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('distilled_at', models.DateTimeField(blank=True, null=True)),
                        ('on_progress_board', models.BooleanField(default=False, verbose_name='show our progress on the board')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('distilled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='workspace', to='matching.group')),
                        ('distilled', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='group_life.problemdraft', verbose_name='distilled problem statement')),
                    ],
                    options={
                        'verbose_name': 'group workspace',
                        'verbose_name_plural': 'group workspaces',
                        'db_table': 'matching_groupworkspace',
                    },
                ),
                migrations.CreateModel(
                    name='ReflectionPrompt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('question', models.TextField(max_length=1000, verbose_name='question')),
                        ('due_on', models.DateField(verbose_name='answer by')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reflection_prompts', to='matching.group')),
                    ],
                    options={
                        'verbose_name': 'reflection prompt',
                        'verbose_name_plural': 'reflection prompts',
                        'db_table': 'evaluation_reflectionprompt',
                        'ordering': ('-due_on', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='BlindSideNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quadrant', models.CharField(choices=[('know_know', 'We know that we know'), ('know_dont', "We know that we don't know"), ('dont_know', "We don't know that we know"), ('dont_dont', "We don't know that we don't know")], max_length=20, verbose_name='quadrant')),
                        ('text', models.CharField(max_length=500, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('moved_at', models.DateTimeField(blank=True, null=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blind_side_notes', to='matching.group')),
                        ('moved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'Blind Side note',
                        'verbose_name_plural': 'Blind Side notes',
                        'db_table': 'matching_blindsidenote',
                        'ordering': ('quadrant', 'created_at', 'pk'),
                        'constraints': [models.CheckConstraint(condition=models.Q(('quadrant__in', ['know_know', 'know_dont', 'dont_know', 'dont_dont'])), name='blind_side_quadrant_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='EndProduct',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('text', models.TextField(blank=True, max_length=20000, verbose_name='text')),
                        ('file', models.FileField(blank=True, upload_to=group_life.models.product_upload_to, verbose_name='file')),
                        ('submitted_at', models.DateTimeField()),
                        ('new_ideas', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='new peer-driven ideas')),
                        ('different_experiences', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='use of different experiences')),
                        ('peer_interaction', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='peer interaction')),
                        ('rubric_note', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                        ('scored_at', models.DateTimeField(blank=True, null=True)),
                        ('group', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='end_product', to='matching.group')),
                        ('scored_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'end product',
                        'verbose_name_plural': 'end products',
                        'db_table': 'matching_endproduct',
                        'constraints': [models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='end_product_has_title'), models.CheckConstraint(condition=models.Q(('new_ideas__isnull', True), models.Q(('new_ideas__gte', 1), ('new_ideas__lte', 4)), _connector='OR'), name='end_product_new_ideas_range'), models.CheckConstraint(condition=models.Q(('different_experiences__isnull', True), models.Q(('different_experiences__gte', 1), ('different_experiences__lte', 4)), _connector='OR'), name='end_product_different_experiences_range'), models.CheckConstraint(condition=models.Q(('peer_interaction__isnull', True), models.Q(('peer_interaction__gte', 1), ('peer_interaction__lte', 4)), _connector='OR'), name='end_product_peer_interaction_range')],
                    },
                ),
                migrations.CreateModel(
                    name='GroupLifeSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('no_contact_weeks', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(26)], verbose_name='weeks without contact before a flag')),
                        ('programme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='group_life_settings', to='programmes.programme')),
                    ],
                    options={
                        'verbose_name': 'group life settings',
                        'verbose_name_plural': 'group life settings',
                        'db_table': 'matching_grouplifesettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('no_contact_weeks__gte', 1)), name='group_life_weeks_positive')],
                    },
                ),
                migrations.CreateModel(
                    name='GroupMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='date')),
                        ('notes', models.TextField(blank=True, max_length=4000, verbose_name='what we did')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.activity')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='matching.group')),
                        ('logged_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'group meeting',
                        'verbose_name_plural': 'group meetings',
                        'db_table': 'matching_groupmeeting',
                        'ordering': ('-held_on', '-pk'),
                        'constraints': [models.UniqueConstraint(fields=('group', 'held_on'), name='group_meeting_one_per_day')],
                    },
                ),
                migrations.CreateModel(
                    name='MeetingSlot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('every', models.PositiveSmallIntegerField(choices=[(0, 'Every working day'), (1, 'Every week'), (2, 'Every two weeks'), (4, 'Every four weeks')], verbose_name='how often')),
                        ('weekday', models.PositiveSmallIntegerField(blank=True, choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], null=True, verbose_name='day')),
                        ('time', models.TimeField(verbose_name='time')),
                        ('duration_minutes', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(600)], verbose_name='minutes')),
                        ('starts_on', models.DateField(verbose_name='from')),
                        ('location', models.CharField(blank=True, max_length=300, verbose_name='place or link')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_slots', to='matching.group')),
                    ],
                    options={
                        'verbose_name': 'meeting slot',
                        'verbose_name_plural': 'meeting slots',
                        'db_table': 'matching_meetingslot',
                        'ordering': ('group', 'weekday', 'time'),
                        'constraints': [models.CheckConstraint(condition=models.Q(('every', 0), ('weekday__isnull', False), _connector='OR'), name='meeting_slot_weekday')],
                    },
                ),
                migrations.CreateModel(
                    name='Nudge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('meeting', 'Meeting reminder'), ('reflection', 'Reflection reminder'), ('visit', 'Site visit reflection reminder')], max_length=20)),
                        ('subject_key', models.CharField(max_length=60)),
                        ('sent_on', models.DateField()),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'matching_nudge',
                        'ordering': ('-sent_at',),
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind', 'subject_key', 'sent_on'), name='nudge_once_a_day')],
                    },
                ),
                migrations.CreateModel(
                    name='PairRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('purpose', models.TextField(max_length=2000, verbose_name='why you want to pair')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('learning_agenda', models.TextField(blank=True, max_length=4000, verbose_name='learning agenda')),
                        ('reflection', models.TextField(blank=True, max_length=4000, verbose_name='reflection after the visit')),
                        ('reflected_at', models.DateTimeField(blank=True, null=True)),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pair_requests_sent', to=settings.AUTH_USER_MODEL)),
                        ('requested_of', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pair_requests_received', to=settings.AUTH_USER_MODEL, verbose_name='pair with')),
                        ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.activity', verbose_name='site visit')),
                    ],
                    options={
                        'verbose_name': 'pair',
                        'verbose_name_plural': 'pairs',
                        'db_table': 'matching_pairrequest',
                        'ordering': ('-created_at', '-pk'),
                        'constraints': [models.CheckConstraint(condition=models.Q(('requested_by', models.F('requested_of')), _negated=True), name='pair_two_people'), models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('programme', 'requested_by', 'requested_of'), name='pair_one_pending_request')],
                    },
                ),
                migrations.CreateModel(
                    name='ReflectionEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('learned', models.TextField(max_length=4000, verbose_name='what I learned')),
                        ('from_whom', models.CharField(blank=True, max_length=300, verbose_name='from whom')),
                        ('will_act', models.TextField(blank=True, max_length=4000, verbose_name='how I will act on it')),
                        ('visibility', models.CharField(choices=[('private', 'Only me'), ('group', 'My group and the facilitators'), ('facilitators', 'The facilitators'), ('programme', 'Everyone in the programme')], default='private', max_length=20, verbose_name='who may read it')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.activity', verbose_name='activity')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reflections', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reflections', to='matching.group', verbose_name='group')),
                        ('peer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='peer')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                        ('prompt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='entries', to='group_life.reflectionprompt')),
                    ],
                    options={
                        'verbose_name': 'reflection',
                        'verbose_name_plural': 'reflections',
                        'db_table': 'evaluation_reflectionentry',
                        'ordering': ('-created_at', '-pk'),
                        'indexes': [models.Index(fields=['programme', 'author'], name='evaluation__program_cbc86a_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('visibility__in', ['private', 'group', 'facilitators'])), name='reflection_journal_visibility'), models.CheckConstraint(condition=models.Q(models.Q(('visibility', 'group'), _negated=True), ('group__isnull', False), _connector='OR'), name='reflection_group_visibility_needs_group'), models.CheckConstraint(condition=models.Q(('learned', ''), _negated=True), name='reflection_has_text')],
                    },
                ),
                migrations.CreateModel(
                    name='SubGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('problem', models.TextField(max_length=2000, verbose_name='shared problem')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('groups', models.ManyToManyField(related_name='sub_groups', to='matching.group', verbose_name='groups')),
                        ('members', models.ManyToManyField(related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='members')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                    ],
                    options={
                        'verbose_name': 'cross-group sub-group',
                        'verbose_name_plural': 'cross-group sub-groups',
                        'db_table': 'matching_subgroup',
                        'ordering': ('name',),
                        'constraints': [models.UniqueConstraint(fields=('programme', 'name'), name='sub_group_unique_name')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
