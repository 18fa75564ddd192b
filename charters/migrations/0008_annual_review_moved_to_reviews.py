"""The annual reviews moved to their own app (`charters.reviews`, label `reviews`): removed from this app's
state only. Their tables stay where they are (the models keep db_table); reviews/migrations/0001_initial.py
adds them to the new app's state and moves their content types."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('charters', '0007_task_dashboard_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='reviewversion',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='reviewapproval',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='reportfile',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='reportfile',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='reportfile',
                    name='source_version',
                ),
                migrations.RemoveField(
                    model_name='reviewapproval',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='reviewapproval',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='reviewversion',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='AnnualReview',
                ),
                migrations.DeleteModel(
                    name='ReportFile',
                ),
                migrations.DeleteModel(
                    name='ReviewApproval',
                ),
                migrations.DeleteModel(
                    name='ReviewVersion',
                ),
            ],
            database_operations=[],
        ),
    ]
