"""Small builders for the review tests: a signed charter with parties, and the year's records to count."""

import datetime
import itertools

from django.utils import timezone

from charters.models import Article, Charter, CharterParty, CharterStatus, Task, TaskOrigin, TaskStatus
from meetings.models import Meeting, SessionDocument
from tests.factories import AreaFactory, TermFactory
from voters.models import Answer, Evaluation, EvaluationResult, Forwarding, Petition, Status

_numbers = itertools.count(1)


def charter_in_force(agencies, *, kinds=("hdnd", "ubnd", "mttq"), number=None):
    term = TermFactory()
    charter = Charter.objects.create(
        number=number or f"{next(_numbers)}/QCPH-HĐND-UBND-MTTQ",
        title="Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực UBMTTQ Việt Nam thành phố",
        unit=agencies.hdnd.unit,
        term=term,
        status=CharterStatus.IN_FORCE,
        signed_on=datetime.date(2021, 9, 15),
        effective_from=datetime.date(2021, 9, 15),
    )
    signers = {
        "hdnd": ("Ngô Xuân Thắng", "Chủ tịch HĐND thành phố"),
        "ubnd": ("Lê Trung Chinh", "Chủ tịch UBND thành phố"),
        "mttq": ("Lê Văn Trung", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
        "dbqh": ("Nguyễn Văn Quảng", "Trưởng Đoàn ĐBQH thành phố"),
    }
    for order, kind in enumerate(kinds):
        name, position = signers[kind]
        CharterParty.objects.create(
            charter=charter, agency=getattr(agencies, kind), signer_name=name, signer_position=position, order=order
        )
    return charter


def article(charter, number, *, title="Phối hợp tiếp xúc cử tri", area_code="voter-contact", lead=None):
    area = AreaFactory(code=area_code, name="Tiếp xúc cử tri" if area_code == "voter-contact" else area_code)
    return Article.objects.create(charter=charter, number=number, title=title, area=area, lead_agency=lead)


def task(charter, agency, *, due, article=None, status=TaskStatus.OPEN, completed=None, origin=TaskOrigin.PLANNED):
    return Task.objects.create(
        title=f"Nhiệm vụ {next(_numbers)}",
        unit=charter.unit,
        charter=charter,
        article=article,
        responsible_agency=agency,
        due_date=due,
        status=status,
        completed_on=completed,
        origin=origin,
    )


def at(day, hour=8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(unit, host, kind, day):
    return Meeting.objects.create(title=f"Cuộc họp {kind}", kind=kind, unit=unit, host_agency=host, starts_at=at(day))


def session_document(session, agency, *, due, delivered=None):
    return SessionDocument.objects.create(
        meeting=session, title="Tờ trình", responsible_agency=agency, due_date=due, delivered_on=delivered
    )


def petition(
    unit,
    origin,
    *,
    received,
    field="land",
    lead=None,
    forwarded=None,
    due=None,
    answered=None,
    returned_at=None,
    unsatisfactory_by=None,
    content="Đề nghị sớm nâng cấp tuyến đường liên thôn bị xuống cấp",
):
    status = Status.RECEIVED
    if forwarded:
        status = Status.ANSWERED if answered else Status.RETURNED if returned_at else Status.FORWARDED
    item = Petition.objects.create(
        unit=unit,
        originating_agency=origin,
        received_on=received,
        content=content,
        field=field,
        status=status,
        lead_agency=lead if forwarded else None,
        due_date=due,
        answered_on=answered,
        outcome="resolved" if answered else "",
    )
    if forwarded:
        forwarding = Forwarding.objects.create(petition=item, agency=lead, dispatch_date=forwarded, due_date=due)
        if returned_at:
            forwarding.returned_at = at(returned_at)
            forwarding.return_reason = "Không thuộc thẩm quyền"
            forwarding.save()
        if answered:
            answer = Answer.objects.create(
                petition=item,
                forwarding=forwarding,
                agency=lead,
                text="Đã bố trí vốn sửa chữa",
                document_date=answered,
                outcome="resolved",
            )
            if unsatisfactory_by:
                Evaluation.objects.create(
                    petition=item, answer=answer, agency=unsatisfactory_by, result=EvaluationResult.UNSATISFACTORY
                )
    return item
