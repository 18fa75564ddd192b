"""A review covers any period: period_start/period_end, filled for the existing reviews from their year
(an annual review: the calendar year; an end-of-term review: its charter's term), and two more kinds."""

import datetime

from django.db import migrations, models


def periods_fill(apps, schema_editor):
    AnnualReview = apps.get_model("reviews", "AnnualReview")
    for review in AnnualReview.objects.select_related("charter__term").iterator():
        if review.kind == "end_of_term":
            start, end = review.charter.term.start_date, review.charter.term.end_date
        else:
            start, end = datetime.date(review.year, 1, 1), datetime.date(review.year, 12, 31)
        AnnualReview.objects.filter(pk=review.pk).update(period_start=start, period_end=end)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_review_report_fidelity"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="annualreview",
            name="review_one_per_charter_year_kind",
        ),
        migrations.AddField(
            model_name="annualreview",
            name="period_end",
            field=models.DateField(null=True, verbose_name="period to"),
        ),
        migrations.AddField(
            model_name="annualreview",
            name="period_start",
            field=models.DateField(null=True, verbose_name="period from"),
        ),
        migrations.RunPython(periods_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="annualreview",
            name="period_end",
            field=models.DateField(verbose_name="period to"),
        ),
        migrations.AlterField(
            model_name="annualreview",
            name="period_start",
            field=models.DateField(verbose_name="period from"),
        ),
        migrations.AlterField(
            model_name="annualreview",
            name="kind",
            field=models.CharField(
                choices=[
                    ("annual", "Annual review"),
                    ("period", "Review of a given period"),
                    ("mid_term", "Mid-term review"),
                    ("end_of_term", "End-of-term review"),
                ],
                default="annual",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreview",
            constraint=models.UniqueConstraint(
                fields=("charter", "kind", "period_start", "period_end"), name="review_one_per_charter_period_kind"
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreview",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_start__lte", models.F("period_end"))), name="review_period_ordered"
            ),
        ),
    ]
