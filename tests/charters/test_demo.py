"""The demo charters of the seed articles: statuses, supersession, a realistic task mix, idempotent."""

from datetime import date

import pytest

from charters.models import Charter, CharterStatus, Task, TaskOrigin
from coordination.demo import charters as demo
from coordination.demo.seed import DemoContext, seed_core

TODAY = date(2026, 11, 24)


@pytest.mark.django_db
def test_demo_charters_and_programmes():
    context = DemoContext(today=TODAY)
    seed_core(context)
    demo.seed(context)

    by_number = {charter.number: charter for charter in Charter.objects.all()}
    old, new = by_number["35/QCPH"], by_number["02/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ"]
    assert old.status == CharterStatus.SUPERSEDED
    assert new.status == CharterStatus.IN_FORCE
    assert new.supersedes_id == old.pk
    assert old.signed_on == date(2017, 7, 1)
    assert new.party_links.count() == 4
    assert old.articles.exclude(area=None).values("area").distinct().count() == 7
    bac_kan = by_number["03/QCPH-HĐND-UBND-UBMTTQ"]
    assert (bac_kan.signed_on, bac_kan.party_links.count(), bac_kan.status) == (date(2023, 2, 7), 3, "expired")
    go_vap = Charter.objects.get(unit__name="Quận Gò Vấp")
    assert go_vap.status == CharterStatus.EXPIRED

    tasks = Task.objects.filter(charter__status=CharterStatus.IN_FORCE)
    assert tasks.done_on_time().exists()
    assert tasks.done_late().exists()
    assert tasks.overdue(TODAY).exists()
    assert tasks.open().filter(due_date__gt=TODAY).exists()
    assert tasks.filter(origin=TaskOrigin.ARISING).exists()
    assert set(tasks.dates("due_date", "year").values_list("due_date__year", flat=True)) >= {2025, 2026}

    count = Task.objects.count()
    demo.seed(context)
    demo.seed_session_tasks(context)
    assert Task.objects.count() == count
    assert Charter.objects.count() == len(by_number)
