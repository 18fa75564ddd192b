"""Fixtures of the security tests: one unit's records of every kind, with files, and the actors of the matrix."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Notification, Role
from coordination.reference import reference_data_load
from tests.factories import member
from tests.records import make_base
from tests.shared_data import shared_or_new, shares

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The actors of the permission matrix, in the order of its columns.
ACTORS = ("anonymous", "owner_clerk", "agency_clerk", "unit_outsider", "leader", "secretariat", "admin")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_upload(name="tai-lieu.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_actors(clerk, leader, secretariat, outsider, site_admin, agencies):
    """owner_clerk: HĐND clerk (the HĐND takes in the petitions, hosts the meetings, is party to the charters);
    agency_clerk: a clerk of the unit's National Assembly delegation, which none of the records involves."""
    return {
        "anonymous": None,
        "owner_clerk": clerk,
        "agency_clerk": member(agencies.dbqh, Role.CLERK, username="dbqh_clerk"),
        "unit_outsider": outsider,
        "leader": leader,
        "secretariat": secretariat,
        "admin": site_admin,
    }


def security_records():
    """What a test asking for `world` gets, built once for the tests around it (tests/shared_data.py)."""
    records = make_base(users=("clerk", "leader", "secretariat", "outsider", "site_admin"))
    reference_data_load()
    records.reference_data = None
    r = records
    records.actors = make_actors(r.clerk, r.leader, r.secretariat, r.outsider, r.site_admin, r.agencies)
    records.world = make_world(r.agencies, r.clerk, r.secretariat)
    return records


@pytest.fixture
def actors(request, clerk, leader, secretariat, outsider, site_admin, agencies):
    return shared_or_new(request, "actors", make_actors, clerk, leader, secretariat, outsider, site_admin, agencies)


@pytest.fixture
@shares(security_records)
def world(request, shared_records_ready, agencies, reference_data, actors, clerk, secretariat):
    """Records of every kind in the test unit, owned by its HĐND, with their files attached."""
    return shared_or_new(request, "world", make_world, agencies, clerk, secretariat)


def make_world(agencies, clerk, secretariat):
    from charters import services as charter_services
    from charters.models import CharterStatus
    from charters.reviews.models import ReportFile, ReportStatus
    from charters.reviews.services import review_create
    from meetings import services as meeting_services
    from tests.charters.factories import make_charter
    from tests.meetings.factories import CouncilSessionFactory, SessionDocumentFactory
    from tests.voters.factories import PetitionFactory
    from voters import services as petition_services

    department_clerk = member(agencies.department, Role.CLERK, username="sxd_clerk_security")

    charter = make_charter(agencies, actor=clerk)
    article = charter.articles.order_by("number").first()
    obligation = charter_services.obligation_create(
        actor=clerk,
        article=article,
        description="Gửi dự thảo nghị quyết trước mỗi kỳ họp",
        responsible_agency=agencies.hdnd,
        cadence="yearly",
        month=12,
    )
    charter_services.charter_scan_attach(actor=clerk, charter=charter, upload=pdf_upload("quy-che.pdf"))
    in_force = make_charter(agencies, actor=clerk, number="35/QCPH", status=CharterStatus.IN_FORCE)

    task = charter_services.task_create(
        actor=clerk,
        unit=in_force.unit,
        charter=in_force,
        title="Báo cáo kết quả giám sát",
        responsible_agency=agencies.hdnd,
        due_date=datetime.date(2026, 12, 15),
    )
    task.evidence_file.save("minh-chung.pdf", ContentFile(PDF))

    review = review_create(actor=secretariat, charter=in_force, year=2025, today=datetime.date(2026, 1, 20))
    report = ReportFile(review=review, source_version=review.versions.get(number=1), status=ReportStatus.READY)
    report.file.save(f"reports/bao-cao-{review.pk}.pdf", ContentFile(PDF), save=False)
    report.size, report.pages = len(PDF), 1
    report.save()
    report_docx = ReportFile(
        review=review, source_version=review.versions.get(number=1), status=ReportStatus.READY, format="docx"
    )
    report_docx.file.save(f"reports/bao-cao-{review.pk}.docx", ContentFile(b"PK\x03\x04word"), save=False)
    report_docx.size = 8
    report_docx.save()

    session = CouncilSessionFactory(host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd])
    meeting_services.meeting_record_minutes(actor=clerk, meeting=session, text="", file=pdf_upload("bien-ban.pdf"))
    conclusion = meeting_services.conclusion_add(
        actor=clerk, meeting=session, text="Đề nghị UBND báo cáo tiến độ giải phóng mặt bằng"
    )
    document = SessionDocumentFactory(meeting=session, responsible_agency=agencies.hdnd)
    feed = meeting_services.calendar_feed_token_regenerate(actor=clerk, user=clerk)

    received = PetitionFactory(originating_agency=agencies.hdnd)
    forwarded = PetitionFactory(originating_agency=agencies.hdnd)
    petition_services.petition_forward(
        actor=clerk,
        petition=forwarded,
        agency=agencies.department,
        dispatch_number="125/HĐND-VP",
        dispatch_date=datetime.date(2026, 11, 16),
    )
    forwarded.refresh_from_db()
    answered = PetitionFactory(originating_agency=agencies.hdnd)
    petition_services.petition_forward(
        actor=clerk,
        petition=answered,
        agency=agencies.department,
        dispatch_number="126/HĐND-VP",
        dispatch_date=datetime.date(2026, 11, 16),
    )
    answered.refresh_from_db()
    answer = petition_services.petition_answer(
        actor=department_clerk,
        petition=answered,
        version=answered.version,
        text="Sở Xây dựng đã bố trí kinh phí sửa chữa trong quý I/2027.",
        document_number="456/SXD-QLĐT",
        document_date=datetime.date(2026, 11, 20),
        outcome="resolved",
        attachments=[pdf_upload("tra-loi.pdf")],
    )
    answered.refresh_from_db()

    notification = Notification.objects.create(
        recipient=clerk,
        item_kind="task",
        item_key=f"task:{task.pk}",
        kind="due_3",
        level="info",
        title=task.title,
        url=f"/charters/tasks/{task.pk}/",
        due_date=task.due_date,
        day=datetime.date(2026, 11, 24),
    )
    # A finished petition export of the owner clerk: only its requester sees or downloads it.
    from voters.export_jobs import export_request, export_run

    export_job = export_run(job_id=export_request(actor=clerk, fmt="csv", params={}).pk)
    return SimpleNamespace(
        export_job=export_job,
        charter=charter,
        article=article,
        obligation=obligation,
        in_force=in_force,
        task=task,
        review=review,
        report=report,
        report_docx=report_docx,
        session=session,
        conclusion=conclusion,
        document=document,
        feed_token=getattr(feed, "token", None) or clerk.calendar_feed_token.token,
        received=received,
        forwarded=forwarded,
        answered=answered,
        attachment=answer.attachments.get(),
        notification=notification,
        department_clerk=department_clerk,
    )
