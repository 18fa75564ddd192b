"""The annual reviews' models, moved from `charters` (charters/migrations/0008): added to this app's state
only, on the tables `charters` created (db_table), and their content types renamed from `charters` to
`reviews`, so the audit log's rows and the permissions keep pointing at them. On a fresh database there
is nothing to rename: post_migrate creates the content types of `reviews`."""

import charters.reviews.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("annualreview", "reviewapproval", "reviewversion", "reportfile")


def content_types_move(source, target):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MOVED_MODELS:
            # A row already under `target` would only exist if post_migrate had created it before this
            # migration ran; then the old row is left as it is rather than broken by a unique clash.
            if not types.filter(app_label=target, model=model).exists():
                types.filter(app_label=source, model=model).update(app_label=target)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('charters', '0008_annual_review_moved_to_reviews'),
        ('coordination', '0004_petition_summary'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AnnualReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('kind', models.CharField(choices=[('annual', 'Annual review'), ('end_of_term', 'End-of-term review')], default='annual', max_length=20, verbose_name='kind')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for approval'), ('approved', 'Approved')], db_index=True, default='draft', max_length=20, verbose_name='status')),
                        ('number', models.CharField(blank=True, help_text='Left blank until issued.', max_length=20, verbose_name='number')),
                        ('symbol', models.CharField(help_text='E.g. BC-HĐND-UBND-MTTQ.', max_length=80, verbose_name='symbol')),
                        ('place', models.CharField(max_length=100, verbose_name='place of issue')),
                        ('issued_on', models.DateField(blank=True, null=True, verbose_name='date of issue')),
                        ('summary', models.CharField(max_length=500, verbose_name='summary line')),
                        ('introduction', models.TextField(blank=True, verbose_name='introduction')),
                        ('results', models.TextField(blank=True, verbose_name='results per coordination area')),
                        ('shortcomings', models.TextField(blank=True, verbose_name='shortcomings')),
                        ('causes', models.TextField(blank=True, verbose_name='causes')),
                        ('next_tasks', models.TextField(blank=True, verbose_name='tasks and solutions for next year')),
                        ('recommendations', models.TextField(blank=True, verbose_name='recommendations')),
                        ('recipients', models.TextField(blank=True, help_text='One recipient per line.', verbose_name='recipients (Nơi nhận)')),
                        ('stats', models.JSONField(blank=True, default=dict, editable=False, verbose_name='statistics')),
                        ('stats_computed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='statistics computed at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                        ('idempotency_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('charter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='charters.charter', verbose_name='charter')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'annual review',
                        'verbose_name_plural': 'annual reviews',
                        'db_table': 'charters_annualreview',
                        'ordering': ['-year', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewApproval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('approved_at', models.DateTimeField(auto_now_add=True, verbose_name='approved at')),
                        ('review_version', models.PositiveIntegerField(verbose_name='version approved')),
                        ('comment', models.CharField(blank=True, max_length=500, verbose_name='comment')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='coordination.agency', verbose_name='agency')),
                        ('approved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='approvals', to='reviews.annualreview')),
                    ],
                    options={
                        'verbose_name': 'review approval',
                        'verbose_name_plural': 'review approvals',
                        'db_table': 'charters_reviewapproval',
                        'ordering': ['approved_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='version')),
                        ('action', models.CharField(max_length=30, verbose_name='action')),
                        ('data', models.JSONField(verbose_name='content')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='saved at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='reviews.annualreview')),
                    ],
                    options={
                        'verbose_name': 'review version',
                        'verbose_name_plural': 'review versions',
                        'db_table': 'charters_reviewversion',
                        'ordering': ['-number'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('with_appendix', models.BooleanField(default=False, verbose_name='with the petitions appendix')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('rendering', 'Rendering'), ('ready', 'Ready'), ('failed', 'Failed')], db_index=True, default='queued', max_length=20, verbose_name='status')),
                        ('file', models.FileField(blank=True, max_length=300, storage=charters.reviews.models.report_storage_get, upload_to='', verbose_name='file')),
                        ('size', models.PositiveIntegerField(default=0, verbose_name='size')),
                        ('pages', models.PositiveIntegerField(default=0, verbose_name='pages')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_files', to='reviews.annualreview')),
                        ('source_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_files', to='reviews.reviewversion', verbose_name='version')),
                    ],
                    options={
                        'verbose_name': 'report file',
                        'verbose_name_plural': 'report files',
                        'db_table': 'charters_reportfile',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='annualreview',
                    constraint=models.UniqueConstraint(fields=('charter', 'year', 'kind'), name='review_one_per_charter_year_kind'),
                ),
                migrations.AddConstraint(
                    model_name='annualreview',
                    constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='review_year_sane'),
                ),
                migrations.AddConstraint(
                    model_name='reviewapproval',
                    constraint=models.UniqueConstraint(fields=('review', 'agency'), name='review_approval_one_per_agency'),
                ),
                migrations.AddConstraint(
                    model_name='reviewversion',
                    constraint=models.UniqueConstraint(fields=('review', 'number'), name='review_version_unique'),
                ),
                migrations.AddConstraint(
                    model_name='reportfile',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'ready'), _negated=True), models.Q(('file', ''), _negated=True), _connector='OR'), name='report_ready_has_file'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('charters', 'reviews'), content_types_move('reviews', 'charters')),
    ]
