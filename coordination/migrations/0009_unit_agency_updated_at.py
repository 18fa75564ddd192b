# The read API's incremental sync (`updated_since`) of units and agencies.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0008_unit_publish_answers_by_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="administrativeunit",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="updated at"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agency",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="updated at"
            ),
            preserve_default=False,
        ),
    ]
