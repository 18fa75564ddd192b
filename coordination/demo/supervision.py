"""Demo supervision programmes and social criticism records (invented, plausible, marked `is_demo`), for the
units that still exist: a programme of each supervising body, reports received on time and late, one
overdue, recommendations done, overdue and open, two programmes that overlap (the warning), and the Front's
social criticism. Written through the supervision services, acting as the demo administrator; idempotent."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from coordination.models import Agency, AgencyKind
from meetings.selectors import MeetingKind, meetings_starting_between
from supervision import services
from supervision.models import SupervisionProgramme
from supervision.selectors import ProgrammeStatus

UNITS = ("danang", "thanhhoa", "hanoi")  # Bắc Kạn and Gò Vấp no longer exist: no new activity there


def _department(demo_unit, short_name):
    return next((agency for agency in demo_unit.departments if agency.short_name == short_name), None)


def _committee(demo_unit):
    """The council's economy and budget committee (Ban Kinh tế - Ngân sách): an agency of kind OTHER."""
    agency, _created = Agency.objects.get_or_create(
        unit=demo_unit.unit,
        kind=AgencyKind.OTHER,
        name=f"Ban Kinh tế - Ngân sách HĐND {demo_unit.place}",
        defaults={"short_name": "Ban KT-NS"},
    )
    return agency


def _programme(actor, *, agency, subject, supervised, start, end, status, **fields):
    return services.programme_create(
        actor=actor,
        supervising_agency=agency,
        supervised_agencies=[body for body in supervised if body is not None],
        subject=subject,
        period_start=start,
        period_end=end,
        status=status,
        is_demo=True,
        **fields,
    )


def _seed_unit(actor, demo_unit, today):
    day = lambda offset: today + timedelta(days=offset)  # noqa: E731 - a short local helper
    hdnd, ubnd = demo_unit.agencies[AgencyKind.HDND], demo_unit.agencies[AgencyKind.UBND]
    mttq, dbqh = demo_unit.agencies[AgencyKind.MTTQ], demo_unit.agencies.get(AgencyKind.DBQH)
    land, health, insurance = (_department(demo_unit, name) for name in ("Sở NN&MT", "Sở YT", "BHXH"))
    committee = _committee(demo_unit)

    land_programme = _programme(
        actor,
        agency=hdnd,
        subject="Việc thực hiện chính sách, pháp luật về quản lý, sử dụng đất đai",
        supervised=[ubnd, land],
        start=day(-150),
        end=day(-60),
        status=ProgrammeStatus.COMPLETED,
        plan_number="15/KH-HĐND",
        plan_date=day(-160),
        members="Phó Chủ tịch HĐND (Trưởng đoàn); Trưởng Ban Kinh tế - Ngân sách; đại diện Ủy ban MTTQ",
        plan="Nghe báo cáo của UBND; giám sát trực tiếp tại Sở Nông nghiệp và Môi trường; làm việc tại hai xã.",
    )
    on_time = services.report_request_create(
        actor=actor, programme=land_programme, agency=ubnd, requested_on=day(-150), due_date=day(-130)
    )
    services.report_receive(actor=actor, request=on_time, received_on=day(-132), received_document="512/BC-UBND")
    if land is not None:
        late = services.report_request_create(
            actor=actor, programme=land_programme, agency=land, requested_on=day(-150), due_date=day(-130)
        )
        services.report_receive(actor=actor, request=late, received_on=day(-121), received_document="88/BC-SNNMT")
    visits = meetings_starting_between(
        day(-150), day(-60), condition=Q(kind=MeetingKind.SUPERVISION, host_agency=hdnd)
    ).order_by("starts_at")
    land_programme.visits.add(*visits[:2])
    services.programme_update(
        actor=actor,
        programme=land_programme,
        findings="Việc cấp giấy chứng nhận quyền sử dụng đất còn chậm; công tác thanh tra, kiểm tra việc sử dụng "
        "đất sau giao, cho thuê chưa thường xuyên.",
    )
    done = services.recommendation_create(
        actor=actor,
        programme=land_programme,
        text="Rà soát, công bố thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu.",
        responsible_agency=ubnd,
        due_date=day(-30),
    )
    services.recommendation_complete(actor=actor, recommendation=done, done_on=day(-40), result="Đã công bố.")
    services.recommendation_create(
        actor=actor,
        programme=land_programme,
        text="Kiểm tra các dự án chậm đưa đất vào sử dụng, đề xuất thu hồi theo quy định.",
        responsible_agency=land or ubnd,
        due_date=day(-10),
    )
    services.recommendation_create(
        actor=actor,
        programme=land_programme,
        text="Báo cáo kết quả xử lý các kiến nghị sau giám sát tại kỳ họp thường lệ cuối năm.",
        responsible_agency=ubnd,
        due_date=day(20),
    )

    committee_programme = _programme(
        actor,
        agency=committee,
        subject="Quản lý, sử dụng đất đai",
        supervised=[land],
        start=day(-100),
        end=day(-20),
        status=ProgrammeStatus.IN_PROGRESS,
        plan_number="04/KH-BKTNS",
        plan_date=day(-105),
    )
    if land is not None:
        services.report_request_create(
            actor=actor, programme=committee_programme, agency=land, requested_on=day(-20), due_date=day(10)
        )

    if dbqh is not None:
        insurance_programme = _programme(
            actor,
            agency=dbqh,
            subject="Việc thực hiện chính sách, pháp luật về bảo hiểm y tế",
            supervised=[health, insurance],
            start=day(-40),
            end=day(30),
            status=ProgrammeStatus.IN_PROGRESS,
            plan_number="07/KH-ĐĐBQH",
            plan_date=day(-45),
        )
        if insurance is not None:
            services.report_request_create(
                actor=actor, programme=insurance_programme, agency=insurance, requested_on=day(-40), due_date=day(-5)
            )

    _programme(
        actor,
        agency=mttq,
        subject="Việc giải quyết đơn thư khiếu nại, tố cáo của công dân",
        supervised=[ubnd],
        start=day(20),
        end=day(80),
        status=ProgrammeStatus.PLANNED,
        plan_number="21/KH-MTTQ-BTT",
        plan_date=day(-3),
    )
    for offset, subject, number in (
        (-90, "Dự thảo Nghị quyết của HĐND quy định chính sách hỗ trợ người có công với cách mạng", "45/BC-MTTQ-BTT"),
        (-25, "Dự thảo Đề án phát triển mạng lưới trường học giai đoạn 2026–2030", "61/BC-MTTQ-BTT"),
    ):
        services.criticism_create(
            actor=actor,
            agency=mttq,
            subject=subject,
            held_on=day(offset),
            document_number=number,
            conclusion="Cơ bản đồng tình với dự thảo; đề nghị làm rõ nguồn lực thực hiện và đối tượng thụ hưởng.",
            is_demo=True,
        )


@transaction.atomic
def seed(context):
    """Once per unit: a unit that already has demo programmes is left as it is."""
    needed = (AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ)
    for key in UNITS:
        demo_unit = context.units.get(key)
        if demo_unit is None or any(kind not in demo_unit.agencies for kind in needed):
            continue
        if SupervisionProgramme.objects.filter(unit=demo_unit.unit, is_demo=True).exists():
            continue
        _seed_unit(context.admin, demo_unit, context.today)
