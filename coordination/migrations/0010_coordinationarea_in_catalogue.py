"""Areas a charter adds of its own (in_catalogue=False), and the catalogue's missing areas: propaganda, law
dissemination, mobilisation, great national unity and people's diplomacy, as the seed charters list them."""

from django.db import migrations, models

NEW_AREAS = [
    ("propaganda", "Tuyên truyền", "Propaganda and public information"),
    ("law-dissemination", "Phổ biến, giáo dục pháp luật", "Law dissemination and education"),
    ("mobilisation", "Vận động Nhân dân", "Mobilising the people"),
    ("national-unity", "Xây dựng khối đại đoàn kết toàn dân tộc", "Great national unity"),
    ("people-diplomacy", "Đối ngoại Nhân dân", "People's diplomacy"),
]


def add_areas(apps, schema_editor):
    CoordinationArea = apps.get_model("coordination", "CoordinationArea")
    if not CoordinationArea.objects.exists():
        return  # a fresh database: `load_reference` creates the whole catalogue, in its order
    last = CoordinationArea.objects.aggregate(models.Max("order"))["order__max"] or 0
    for offset, (code, name, name_en) in enumerate(NEW_AREAS, start=1):
        CoordinationArea.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": last + offset}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0009_unit_agency_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinationarea",
            name="in_catalogue",
            field=models.BooleanField(default=True, verbose_name="in the catalogue"),
        ),
        migrations.RunPython(add_areas, migrations.RunPython.noop),
    ]
