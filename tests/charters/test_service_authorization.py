"""Every write service of charters checks its actor, whoever calls it (a view, a Celery task, a command):
a clerk of another unit, or no one at all, is refused with PermissionDenied and nothing is written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from charters import services
from charters.models import Article, Cadence, Charter, CharterParty, CharterStatus, Obligation, Task, TaskOrigin
from coordination.models import AuditEvent
from tests.charters.factories import factory_admin, make_charter, term_2021

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(agencies, draft_charter, in_force_charter):
    admin = factory_admin()
    signed = make_charter(agencies, number="07/QCPH", status=CharterStatus.SIGNED)
    article = in_force_charter.articles.get(number=2)
    obligation = services.obligation_create(
        actor=admin,
        article=article,
        description="UBND báo cáo tình hình tiếp công dân",
        responsible_agency=agencies.ubnd,
        cadence=Cadence.MONTHLY,
        day_of_period=25,
    )
    task = services.task_create(
        actor=admin,
        unit=agencies.hdnd.unit,
        title="Chuẩn bị phiên giải trình",
        responsible_agency=agencies.hdnd,
        due_date=date(2026, 12, 1),
        origin=TaskOrigin.ARISING,
    )
    return {
        "agencies": agencies,
        "draft": draft_charter,
        "signed": signed,
        "in_force": in_force_charter,
        "article": article,
        "obligation": obligation,
        "task": task,
    }


def _parties(w):
    return [{"agency": w["agencies"].hdnd}, {"agency": w["agencies"].ubnd}]


CALLS = {
    "charter_create": lambda actor, w: services.charter_create(
        actor=actor,
        unit=w["agencies"].hdnd.unit,
        number="99/QCPH",
        title="Quy chế mới",
        term=term_2021(),
        parties=_parties(w),
    ),
    "charter_update": lambda actor, w: services.charter_update(
        actor=actor,
        charter=w["draft"],
        version=w["draft"].version,
        number="03/QCPH-sửa",
        title="Quy chế đã sửa",
        term=term_2021(),
        parties=_parties(w),
    ),
    "charter_sign": lambda actor, w: services.charter_sign(actor=actor, charter=w["draft"]),
    "charter_record_update": lambda actor, w: services.charter_record_update(
        actor=actor, charter=w["in_force"], version=w["in_force"].version, dissemination="Đã quán triệt"
    ),
    "charter_bring_into_force": lambda actor, w: services.charter_bring_into_force(actor=actor, charter=w["signed"]),
    "charter_expire": lambda actor, w: services.charter_expire(actor=actor, charter=w["in_force"]),
    "charter_scan_attach": lambda actor, w: services.charter_scan_attach(
        actor=actor, charter=w["in_force"], upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    ),
    "obligation_create": lambda actor, w: services.obligation_create(
        actor=actor,
        article=w["article"],
        description="Báo cáo quý",
        responsible_agency=w["agencies"].ubnd,
        cadence=Cadence.QUARTERLY,
    ),
    "obligation_update": lambda actor, w: services.obligation_update(
        actor=actor, obligation=w["obligation"], version=w["obligation"].version, description="Đã sửa"
    ),
    "tasks_generate": lambda actor, w: services.tasks_generate(
        charter=w["in_force"], year=2026, actor=actor, today=date(2026, 6, 15)
    ),
    "task_create": lambda actor, w: services.task_create(
        actor=actor,
        unit=w["agencies"].hdnd.unit,
        title="Nhiệm vụ phát sinh",
        responsible_agency=w["agencies"].hdnd,
        due_date=date(2026, 12, 20),
    ),
    "task_update": lambda actor, w: services.task_update(
        actor=actor, task=w["task"], version=w["task"].version, title="Đã sửa"
    ),
    "task_complete": lambda actor, w: services.task_complete(
        actor=actor, task=w["task"], completed_on=date(2026, 6, 1), version=w["task"].version, evidence_note="CV 1"
    ),
    "task_cancel": lambda actor, w: services.task_cancel(actor=actor, task=w["task"], version=w["task"].version),
}

# Operations of the system itself (the yearly job, the generate_tasks command, the demo) run with actor=None.
SYSTEM_OPERATIONS = {"tasks_generate"}


def _stored():
    """Everything these services write, as it stands."""
    return (
        AuditEvent.objects.count(),
        list(Charter.objects.order_by("pk").values_list("pk", "version", "status", "number", "scan")),
        list(CharterParty.objects.order_by("pk").values_list("pk", "agency_id")),
        list(Article.objects.order_by("pk").values_list("pk", "title")),
        list(Obligation.objects.order_by("pk").values_list("pk", "version", "description")),
        list(Task.objects.order_by("pk").values_list("pk", "version", "status", "title")),
    )


def test_every_write_service_is_listed():
    writes = {
        name
        for name in dir(services)
        if name.startswith(("charter_", "obligation_", "task_", "tasks_"))
        and getattr(getattr(services, name), "__module__", None) == services.__name__
    }
    assert writes == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_outsider_is_refused_and_nothing_is_written(name, world, outsider):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](outsider, world)
    assert _stored() == before


@pytest.mark.parametrize("name", sorted(set(CALLS) - SYSTEM_OPERATIONS))
def test_no_actor_is_refused_outside_the_system_operations(name, world):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](None, world)
    assert _stored() == before


def test_a_party_clerk_may_act(world, clerk):
    """The check lets the right user through: the same call as the outsider's, by the HĐND clerk."""
    charter = CALLS["charter_update"](clerk, world)
    assert Charter.objects.get(pk=world["draft"].pk).number == "03/QCPH-sửa"
    assert charter.version == 2
