"""Demo of the citizens' pages: answers published by the offices, through the publication service.

Đà Nẵng publishes every answer as it is recorded (the unit's default, for the answers recorded from now on) and
all its earlier ones; the other demo units published every other answer, so the public pages show that an
unpublished answer stays off them."""

from django.db import transaction

from coordination.models import AdministrativeUnit, User
from voters import services
from voters.models import Petition

DEFAULT_ON = ("danang",)


def seed(context):
    for key, demo_unit in context.units.items():
        leader = User.objects.filter(username=f"{key}.hdnd.leader").first()
        if leader is None:
            continue
        if key in DEFAULT_ON and not demo_unit.unit.publish_answers_by_default:
            AdministrativeUnit.objects.filter(pk=demo_unit.unit.pk).update(publish_answers_by_default=True)
        answered = Petition.objects.filter(
            unit=demo_unit.unit, answered_on__isnull=False, primary__isnull=True
        ).order_by("id")
        if answered.filter(answer_published_at__isnull=False).exists():
            continue  # published on an earlier run: the demo is idempotent
        with transaction.atomic():
            for index, petition in enumerate(answered):
                if key in DEFAULT_ON or index % 2 == 0:
                    services.petition_answer_publish(actor=leader, petition=petition)
