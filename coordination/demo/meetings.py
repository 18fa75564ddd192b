"""Demo meetings for each demo unit: the 2025–2026 cycle of sessions, voter contact, briefings,
supervision, citizen reception and review conferences, with documents, minutes and conclusions."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from charters.models import Article, Charter, CharterStatus, Task, TaskOrigin, TaskStatus
from charters.services import task_create
from coordination.audit import audit_event, audit_record_many
from coordination.deadlines import deadline_for, is_working_day
from coordination.models import AdministrativeUnit, AgencyKind, CoordinationArea, UnitLevel, User
from meetings.models import (
    SESSION_DOCUMENTS_RULE_CODE,
    AgendaItem,
    Attendance,
    Conclusion,
    Meeting,
    MeetingKind,
    SessionDocument,
)

DEMO_NAMESPACE = uuid.UUID("5b0f3f4e-9a53-4c61-9d3c-6d2f1e0a7c11")
YEARS = (2025, 2026)
UNDELIVERED = "undelivered"  # a document still missing: overdue once its due date passes

# Leaders named in the demo, by agency kind (the same people as the demo accounts, plus the heads).
HEADS = {
    AgencyKind.HDND: ("Trần Văn Hùng", "Phó Chủ tịch HĐND"),
    AgencyKind.UBND: ("Võ Thanh Bình", "Phó Chủ tịch UBND"),
    AgencyKind.MTTQ: ("Huỳnh Văn Sơn", "Phó Chủ tịch Ủy ban MTTQ"),
    AgencyKind.DBQH: ("Nguyễn Thị Mai", "Phó Trưởng Đoàn ĐBQH chuyên trách"),
}


def _token(*parts):
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(part) for part in parts))


def _at(day, hour=8, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_on_or_after(day):
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@dataclass
class Planned:
    token: uuid.UUID
    title: str
    kind: str
    subkind: str
    host: object
    participants: list
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    chair: str
    area_code: str
    agenda: list
    minutes: str = ""
    conclusions: list = field(default_factory=list)  # (text, agency or None, due offset days or None, make task)
    # (kind, title, agency, delivered: days after the due date | None = due later by agreement | UNDELIVERED)
    documents: list = field(default_factory=list)
    session_token: uuid.UUID | None = None
    constituency_unit: AdministrativeUnit | None = None
    constituency: str = ""
    skip_minutes: bool = False


def _communes(demo_unit, count):
    if demo_unit.unit.level != UnitLevel.PROVINCE:
        return []
    return list(
        AdministrativeUnit.objects.filter(parent=demo_unit.unit, level=UnitLevel.COMMUNE, is_active=True).order_by(
            "code"
        )[:count]
    )


def _department(demo_unit, short):
    for agency in demo_unit.departments:
        if agency.short_name == short:
            return agency
    return demo_unit.agencies[AgencyKind.UBND]


def _plan_unit(demo_unit, today):
    """All demo meetings of one unit, as plain data; the caller writes the missing ones."""
    agencies = demo_unit.agencies
    hdnd, ubnd, mttq = agencies[AgencyKind.HDND], agencies[AgencyKind.UBND], agencies[AgencyKind.MTTQ]
    dbqh = agencies.get(AgencyKind.DBQH)
    place = demo_unit.place
    key = demo_unit.key
    four = [ubnd, mttq] + ([dbqh] if dbqh else [])
    hall = f"Hội trường {hdnd.name.replace('Thường trực ', '')}"
    finance = _department(demo_unit, "Sở TC")
    construction = _department(demo_unit, "Sở XD")
    environment = _department(demo_unit, "Sở NN&MT")
    health = _department(demo_unit, "Sở YT")
    communes = _communes(demo_unit, 3)
    plans = []

    for year in YEARS:
        # --- January review conference of the previous year.
        review_day = _working_on_or_after(datetime.date(year, 1, 15))
        plans.append(
            Planned(
                token=_token(key, "review", year),
                title=f"Hội nghị đánh giá kết quả thực hiện Quy chế phối hợp năm {year - 1}, "
                f"triển khai nhiệm vụ năm {year}",
                kind=MeetingKind.REVIEW_CONFERENCE,
                subkind="annual",
                host=hdnd,
                participants=four,
                starts_at=_at(review_day, 14),
                ends_at=_at(review_day, 17),
                place=hall,
                chair=HEADS[AgencyKind.HDND][0],
                area_code="information",
                agenda=[
                    ("Báo cáo đánh giá kết quả thực hiện Quy chế phối hợp năm " + str(year - 1), "Văn phòng HĐND"),
                    ("Ý kiến thảo luận của các cơ quan", ""),
                    ("Kết luận của đồng chí chủ trì hội nghị", HEADS[AgencyKind.HDND][0]),
                ],
                minutes=(
                    f"Hội nghị đánh giá kết quả thực hiện Quy chế phối hợp năm {year - 1} giữa Thường trực HĐND, "
                    f"UBND, Ban Thường trực Ủy ban MTTQ Việt Nam {place}"
                    + (" và Đoàn đại biểu Quốc hội" if dbqh else "")
                    + ".\n\nCác cơ quan thống nhất đánh giá: công tác phối hợp tiếp tục đi vào nền nếp, chủ động, "
                    "đúng nguyên tắc; việc chuẩn bị các kỳ họp, tiếp xúc cử tri, giám sát và tiếp công dân được "
                    "triển khai đồng bộ. Tuy nhiên, một số tờ trình, dự thảo nghị quyết còn gửi chậm so với quy định; "
                    "việc trả lời một số kiến nghị cử tri chưa đúng trọng tâm, chưa nêu rõ lộ trình giải quyết.\n\n"
                    "Hội nghị thống nhất các nhiệm vụ trọng tâm năm " + str(year) + "."
                ),
                conclusions=[
                    (
                        "UBND chỉ đạo các sở, ngành gửi tờ trình, dự thảo nghị quyết đúng thời hạn quy định "
                        "trước mỗi kỳ họp; không đề nghị bổ sung nội dung sát ngày khai mạc.",
                        ubnd,
                        45,
                        True,
                    ),
                    (
                        "Văn phòng HĐND chủ trì, phối hợp Văn phòng UBND và Ủy ban MTTQ xây dựng kế hoạch phối hợp "
                        f"năm {year}, trình Thường trực HĐND trước ngày 28/02/{year}.",
                        hdnd,
                        40,
                        True,
                    ),
                    ("Các cơ quan tiếp tục thực hiện nghiêm Quy chế phối hợp đã ký kết.", None, None, False),
                ],
            )
        )

        # --- Quarterly joint briefings.
        for quarter, month in ((1, 3), (2, 6), (3, 9), (4, 12)):
            day = _working_on_or_after(datetime.date(year, month, 24))
            roman = ["I", "II", "III", "IV"][quarter - 1]
            plans.append(
                Planned(
                    token=_token(key, "briefing", year, quarter),
                    title=f"Giao ban quý {roman}/{year} giữa Thường trực HĐND, UBND và Ban Thường trực UBMTTQ",
                    kind=MeetingKind.JOINT_BRIEFING,
                    subkind="",
                    host=hdnd,
                    participants=four,
                    starts_at=_at(day, 8),
                    ends_at=_at(day, 11, 30),
                    place=f"Phòng họp Thường trực HĐND {place}",
                    chair=HEADS[AgencyKind.HDND][0],
                    area_code="information",
                    agenda=[
                        (f"Tình hình thực hiện nhiệm vụ quý {roman}", "Văn phòng UBND"),
                        ("Tình hình giải quyết ý kiến, kiến nghị cử tri", "Ban Thường trực UBMTTQ"),
                        ("Thống nhất chương trình công tác quý tiếp theo", "Văn phòng HĐND"),
                    ],
                    minutes=(
                        f"Giao ban quý {roman}/{year}. Văn phòng UBND báo cáo tiến độ thực hiện các nhiệm vụ phát "
                        "triển kinh tế - xã hội; Ban Thường trực Ủy ban MTTQ thông tin tình hình tư tưởng, dư luận "
                        "nhân dân và kết quả giám sát; Văn phòng HĐND báo cáo tình hình giải quyết kiến nghị cử tri "
                        "sau kỳ họp.\n\nCác đại biểu thống nhất nội dung phối hợp trong quý tới."
                    ),
                    conclusions=[
                        (
                            "UBND chỉ đạo Sở Xây dựng rà soát, báo cáo tiến độ các công trình chậm triển khai "
                            "mà cử tri phản ánh.",
                            construction,
                            30,
                            quarter in (2, 3),
                        ),
                        (
                            "Ban Thường trực UBMTTQ tổng hợp ý kiến cử tri về an sinh xã hội gửi Thường trực HĐND.",
                            mttq,
                            20,
                            quarter == 1,
                        ),
                    ],
                    skip_minutes=(key in ("thanhhoa", "hanoi") and year == 2026 and quarter == 3),
                )
            )

        # --- Supervision visits and an explanation hearing.
        topics = [
            ("Giám sát việc giải quyết ý kiến, kiến nghị cử tri gửi đến kỳ họp", ubnd, datetime.date(year, 4, 14)),
            (
                "Giám sát công tác bồi thường, hỗ trợ, tái định cư các dự án trọng điểm",
                environment,
                datetime.date(year, 10, 13),
            ),
        ]
        for index, (topic, supervised, day) in enumerate(topics, start=1):
            day = _working_on_or_after(day)
            plans.append(
                Planned(
                    token=_token(key, "supervision", year, index),
                    title=f"{topic} ({year})",
                    kind=MeetingKind.SUPERVISION,
                    subkind="",
                    host=hdnd,
                    participants=[mttq, supervised],
                    starts_at=_at(day, 8),
                    ends_at=_at(day, 16, 30),
                    place=f"Trụ sở {supervised.name}",
                    chair=HEADS[AgencyKind.HDND][0],
                    area_code="supervision",
                    agenda=[
                        ("Cơ quan chịu sự giám sát báo cáo", supervised.name),
                        ("Thành viên đoàn giám sát đặt câu hỏi, làm rõ", ""),
                        ("Trưởng đoàn giám sát kết luận", HEADS[AgencyKind.HDND][0]),
                    ],
                    minutes=(
                        f"Đoàn giám sát của Thường trực HĐND {place} làm việc với {supervised.name}. "
                        "Qua giám sát, Đoàn ghi nhận nhiều kết quả tích cực; tuy nhiên một số nội dung còn chậm, "
                        "việc trả lời cử tri có nội dung chưa đúng trọng tâm, chưa nêu rõ thời gian hoàn thành."
                    ),
                    conclusions=[
                        (
                            f"{supervised.name} báo cáo kết quả khắc phục các tồn tại, hạn chế Đoàn giám sát nêu.",
                            supervised,
                            60,
                            True,
                        ),
                    ],
                    skip_minutes=(year == 2026 and index == 2),
                )
            )
        hearing_day = _working_on_or_after(datetime.date(year, 8, 19))
        plans.append(
            Planned(
                token=_token(key, "hearing", year),
                title=f"Phiên giải trình về công tác quản lý, chăm sóc sức khỏe nhân dân ({year})",
                kind=MeetingKind.EXPLANATION_HEARING,
                subkind="",
                host=hdnd,
                participants=[ubnd, health, mttq],
                starts_at=_at(hearing_day, 8),
                ends_at=_at(hearing_day, 11, 30),
                place=hall,
                chair=HEADS[AgencyKind.HDND][0],
                area_code="supervision",
                agenda=[("Giám đốc Sở Y tế giải trình", health.name), ("Đại biểu chất vấn", "")],
                minutes=(
                    "Phiên giải trình làm rõ nguyên nhân thiếu thuốc, vật tư y tế tại một số cơ sở; "
                    "Sở Y tế cam kết hoàn thành đấu thầu tập trung trong quý."
                ),
                conclusions=[
                    ("Sở Y tế hoàn thành đấu thầu tập trung thuốc, vật tư y tế.", health, 75, True),
                ],
            )
        )

        # --- Monthly citizen reception days.
        for month in range(1, 13):
            day = _working_on_or_after(datetime.date(year, month, 15))
            plans.append(
                Planned(
                    token=_token(key, "reception", year, month),
                    title=f"Tiếp công dân định kỳ tháng {month:02d}/{year}",
                    kind=MeetingKind.CITIZEN_RECEPTION,
                    subkind="",
                    host=hdnd,
                    participants=[ubnd, mttq],
                    starts_at=_at(day, 7, 30),
                    ends_at=_at(day, 11, 30),
                    place=f"Trụ sở Tiếp công dân {place}",
                    chair=HEADS[AgencyKind.HDND][0],
                    area_code="citizen-reception",
                    agenda=[("Tiếp công dân, tiếp nhận đơn thư", "")],
                    minutes=(
                        f"Trong buổi tiếp công dân tháng {month:02d}/{year}, đã tiếp {3 + month % 5} lượt công dân "
                        "với các nội dung chủ yếu về đất đai, bồi thường giải phóng mặt bằng và chế độ chính sách. "
                        "Các ý kiến đã được hướng dẫn, giải thích hoặc chuyển cơ quan có thẩm quyền giải quyết."
                    ),
                    conclusions=[
                        (
                            "Chuyển đơn của công dân đến cơ quan có thẩm quyền; theo dõi, đôn đốc việc giải quyết.",
                            ubnd,
                            30,
                            False,
                        )
                    ],
                    skip_minutes=(year == 2026 and month in (10, 11)),
                )
            )

        # --- Two regular council sessions, each with voter contact before and after.
        for half, (month, day_of_month) in (("giữa năm", (7, 8)), ("cuối năm", (12, 8))):
            opening = _working_on_or_after(datetime.date(year, month, day_of_month))
            session_token = _token(key, "session", year, month)
            mid = month == 7
            documents = [
                (
                    "report",
                    "Báo cáo tình hình kinh tế - xã hội " + ("6 tháng đầu năm" if mid else f"năm {year}"),
                    ubnd,
                    -2,
                ),
                (
                    "submission",
                    ("Tờ trình phê chuẩn quyết toán ngân sách địa phương năm " + str(year - 1))
                    if mid
                    else f"Tờ trình về dự toán ngân sách địa phương năm {year + 1}",
                    finance,
                    3 if year == 2025 else -1,
                ),
                (
                    "draft_resolution",
                    "Dự thảo nghị quyết điều chỉnh kế hoạch đầu tư công trung hạn"
                    if mid
                    else f"Dự thảo nghị quyết về kế hoạch đầu tư công năm {year + 1}",
                    ubnd,
                    0 if year == 2025 else (6 if mid else UNDELIVERED),
                ),
                (
                    "report",
                    "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân",
                    mttq,
                    -1,
                ),
                (
                    "draft_resolution",
                    "Dự thảo nghị quyết quy định mức hỗ trợ đối với người hoạt động không chuyên trách",
                    _department(demo_unit, "Sở TC"),
                    None if (year == 2026 and not mid) else (1 if mid else -3),
                ),
            ]
            term = demo_unit.council_term(opening)
            plans.append(
                Planned(
                    token=session_token,
                    title=f"Kỳ họp thường lệ {half} {year}, HĐND {place}" + (f" {term}" if term else ""),
                    kind=MeetingKind.COUNCIL_SESSION,
                    subkind="regular",
                    host=hdnd,
                    participants=four,
                    starts_at=_at(opening, 8),
                    ends_at=_at(opening + datetime.timedelta(days=2), 17),
                    place=hall,
                    chair=HEADS[AgencyKind.HDND][0],
                    area_code="council-sessions",
                    agenda=[
                        ("Khai mạc kỳ họp", HEADS[AgencyKind.HDND][0]),
                        ("UBND trình bày các báo cáo, tờ trình", HEADS[AgencyKind.UBND][0]),
                        ("Ủy ban MTTQ thông báo ý kiến, kiến nghị của cử tri", HEADS[AgencyKind.MTTQ][0]),
                        ("Các Ban HĐND trình bày báo cáo thẩm tra", ""),
                        ("Thảo luận tổ, thảo luận tại hội trường, chất vấn và trả lời chất vấn", ""),
                        ("Biểu quyết thông qua các nghị quyết; bế mạc", ""),
                    ],
                    minutes=(
                        f"Kỳ họp thường lệ {half} {year} của HĐND {place} diễn ra trong 03 ngày. "
                        "HĐND đã nghe và thảo luận các báo cáo, tờ trình của UBND; nghe Ủy ban MTTQ thông báo "
                        "ý kiến, kiến nghị của cử tri; tiến hành chất vấn và trả lời chất vấn; biểu quyết thông qua "
                        "các nghị quyết trình kỳ họp."
                    ),
                    conclusions=[
                        (
                            "UBND chỉ đạo các cơ quan chuyên môn trả lời đầy đủ kiến nghị cử tri gửi đến kỳ họp, "
                            "nêu rõ lộ trình, thời gian giải quyết.",
                            ubnd,
                            60,
                            True,
                        ),
                    ],
                    documents=documents,
                )
            )
            rounds = (("before", -14, MeetingKind.VOTER_CONTACT_BEFORE), ("after", 16, MeetingKind.VOTER_CONTACT_AFTER))
            for when, offset, kind in rounds:
                spots = communes or [None]
                for index, commune in enumerate(spots):
                    day = _working_on_or_after(opening + datetime.timedelta(days=offset + 2 * index))
                    where = commune.name if commune else place
                    label = "trước" if when == "before" else "sau"
                    plans.append(
                        Planned(
                            token=_token(key, "contact", year, month, when, index),
                            title=f"Tiếp xúc cử tri {label} kỳ họp {half} {year} tại {where}",
                            kind=kind,
                            subkind="",
                            host=mttq,
                            participants=[hdnd, ubnd],
                            starts_at=_at(day, 8),
                            ends_at=_at(day, 11),
                            place=f"Nhà văn hóa {where}",
                            chair=HEADS[AgencyKind.MTTQ][0],
                            area_code="voter-contact",
                            agenda=[
                                (
                                    "Đại biểu HĐND thông báo dự kiến nội dung kỳ họp"
                                    if when == "before"
                                    else "Đại biểu HĐND thông báo kết quả kỳ họp",
                                    "Tổ đại biểu HĐND",
                                ),
                                ("Cử tri phát biểu ý kiến, kiến nghị", ""),
                                ("Đại diện UBND tiếp thu, giải trình", "Lãnh đạo UBND"),
                            ],
                            minutes=(
                                f"Có {80 + 15 * index} cử tri tham dự. Cử tri phản ánh về tiến độ cấp giấy chứng "
                                "nhận quyền sử dụng đất, ngập úng cục bộ khi mưa lớn, xuống cấp tuyến đường liên "
                                "khu dân cư và chế độ cho người hoạt động không chuyên trách. Đại diện UBND đã tiếp "
                                "thu, giải trình một số nội dung thuộc thẩm quyền; các kiến nghị còn lại được tổng "
                                "hợp gửi cơ quan có thẩm quyền."
                            ),
                            conclusions=[
                                (
                                    "Ban Thường trực UBMTTQ tổng hợp ý kiến, kiến nghị cử tri gửi Thường trực HĐND.",
                                    mttq,
                                    10,
                                    False,
                                )
                            ],
                            session_token=session_token,
                            constituency_unit=commune,
                            constituency=f"Tổ đại biểu HĐND số {index + 1}",
                            skip_minutes=(year == 2026 and mid and when == "after" and index == 0),
                        )
                    )
    return plans


def _attendance_rows(plan, meeting, demo_unit, seed_index):
    rows = []
    people = list(dict.fromkeys([plan.host, *plan.participants]))
    for position, agency in enumerate(people, start=1):
        head = HEADS.get(agency.kind)
        name, title = head if head else (f"Lãnh đạo {agency.short_name or agency.name}", "Phó Giám đốc")
        status = "present"
        delegate = ""
        # Now and then a leader sends a deputy, or is away; regular enough to show on the pages.
        if agency.kind == AgencyKind.UBND and seed_index % 4 == 1:
            status, delegate = "delegated", "Chánh Văn phòng UBND"
        elif agency.kind == AgencyKind.DBQH and seed_index % 5 == 2:
            status = "absent"
        rows.append(
            Attendance(
                meeting=meeting,
                order=position,
                person_name=name,
                position=title,
                agency=agency,
                status=status,
                delegate_name=delegate,
            )
        )
    return rows


@transaction.atomic
def seed(context):
    """Create the demo meetings that do not exist yet (identified by a fixed token); fast and idempotent."""
    today = context.today
    areas = {area.code: area for area in CoordinationArea.objects.all()}
    all_plans = []
    for demo_unit in context.units.values():
        if not demo_unit.is_live:
            continue  # a dissolved unit: its 2025–2026 meetings are its successor's
        charter = (
            Charter.objects.filter(unit=demo_unit.unit, status=CharterStatus.IN_FORCE)
            .order_by("-effective_from", "-id")
            .first()
        )
        articles = {}
        if charter is not None:
            for article in Article.objects.filter(charter=charter).order_by("number"):
                articles.setdefault(article.area_id, article)
        for plan in _plan_unit(demo_unit, today):
            if demo_unit.active_from and timezone.localtime(plan.starts_at).date() < demo_unit.active_from:
                continue  # before the unit existed
            all_plans.append((demo_unit, charter, articles, plan))

    existing = set(
        Meeting.objects.filter(idempotency_token__in=[plan.token for *_, plan in all_plans]).values_list(
            "idempotency_token", flat=True
        )
    )
    todo = [item for item in all_plans if item[3].token not in existing]
    if not todo:
        return
    clerks = {
        user.membership.agency_id: user
        for user in User.objects.filter(username__endswith=".clerk").select_related("membership")
        if hasattr(user, "membership")
    }
    # Sessions first so voter-contact meetings can point at them.
    todo.sort(key=lambda item: 0 if item[3].kind == MeetingKind.COUNCIL_SESSION else 1)
    meetings = []
    for _demo_unit, charter, articles, plan in todo:
        area = areas.get(plan.area_code)
        has_minutes = timezone.localtime(plan.ends_at).date() < today and not plan.skip_minutes
        meetings.append(
            Meeting(
                title=plan.title,
                kind=plan.kind,
                subkind=plan.subkind,
                unit=plan.host.unit,
                host_agency=plan.host,
                charter=charter,
                article=articles.get(area.pk) if area else None,
                area=area,
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                place=plan.place,
                chair=plan.chair,
                constituency_unit=plan.constituency_unit,
                constituency=plan.constituency,
                minutes_text=plan.minutes if has_minutes else "",
                minutes_recorded_at=plan.ends_at + datetime.timedelta(days=2) if has_minutes else None,
                idempotency_token=plan.token,
                created_by=clerks.get(plan.host.pk),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=200)
    by_token = {
        meeting.idempotency_token: meeting
        for meeting in Meeting.objects.filter(idempotency_token__in=[plan.token for *_, plan in todo])
    }
    sessions = dict(
        Meeting.objects.filter(kind=MeetingKind.COUNCIL_SESSION, idempotency_token__isnull=False).values_list(
            "idempotency_token", "pk"
        )
    )
    to_link = []
    through = Meeting.participating_agencies.through
    participants, agenda, attendance, documents = [], [], [], []
    conclusions, task_jobs = [], []
    for seed_index, (demo_unit, _charter, _articles, plan) in enumerate(todo):
        meeting = by_token[plan.token]
        if plan.session_token and plan.session_token in sessions:
            meeting.session_id = sessions[plan.session_token]
            to_link.append(meeting)
        participant_ids = dict.fromkeys(agency.pk for agency in plan.participants if agency.pk != plan.host.pk)
        participants += [through(meeting_id=meeting.pk, agency_id=agency_id) for agency_id in participant_ids]
        agenda += [
            AgendaItem(meeting=meeting, order=order, title=title, presenter=presenter)
            for order, (title, presenter) in enumerate(plan.agenda, start=1)
        ]
        if plan.starts_at.date() <= today:  # attendance is known once the meeting has taken place
            attendance += _attendance_rows(plan, meeting, demo_unit, seed_index)
        if plan.documents:
            due = deadline_for(SESSION_DOCUMENTS_RULE_CODE, anchor_date=plan.starts_at.date(), unit=meeting.unit)
            for kind, title, agency, delivered_offset in plan.documents:
                delivered_on = None
                overridden = False
                doc_due = due
                if delivered_offset == UNDELIVERED:
                    pass
                elif delivered_offset is not None:
                    delivered_on = due + datetime.timedelta(days=delivered_offset)
                    if delivered_on > today:
                        delivered_on = None
                elif plan.starts_at.date() > today:
                    # A supplementary draft the HĐND office agreed to take later than the rule.
                    doc_due, overridden = plan.starts_at.date() - datetime.timedelta(days=7), True
                documents.append(
                    SessionDocument(
                        meeting=meeting,
                        kind=kind,
                        title=title,
                        responsible_agency=agency,
                        due_date=doc_due,
                        due_date_overridden=overridden,
                        delivered_on=delivered_on,
                    )
                )
        if meeting.minutes_recorded_at:
            for order, (text, agency, offset, make_task) in enumerate(plan.conclusions, start=1):
                due_date = plan.starts_at.date() + datetime.timedelta(days=offset) if offset else None
                conclusion = Conclusion(
                    meeting=meeting, order=order, text=text, responsible_agency=agency, due_date=due_date
                )
                conclusions.append(conclusion)
                if make_task and agency is not None:
                    task_jobs.append((conclusion, meeting, plan.token, order))
    Meeting.objects.bulk_update(to_link, ["session"], batch_size=200)
    through.objects.bulk_create(participants, batch_size=500)
    AgendaItem.objects.bulk_create(agenda, batch_size=500)
    Attendance.objects.bulk_create(attendance, batch_size=500)
    SessionDocument.objects.bulk_create(documents, batch_size=500)
    Conclusion.objects.bulk_create(conclusions, batch_size=500)

    # Follow-up tasks go through the charters service (a few dozen), then past ones are mostly done.
    linked = []
    done_ids = []
    for number, (conclusion, meeting, token, order) in enumerate(task_jobs):
        task = task_create(
            actor=meeting.created_by or context.admin,  # the service authorizes its actor: a named user
            unit=meeting.unit,
            title=conclusion.text,
            responsible_agency=conclusion.responsible_agency,
            due_date=conclusion.due_date,
            origin=TaskOrigin.CONCLUSION,
            charter=meeting.charter,
            article=meeting.article,
            area=meeting.area,
            idempotency_token=_token(token, "task", order),
        )
        conclusion.task = task
        linked.append(conclusion)
        if conclusion.due_date < today and number % 4 != 3:
            done_ids.append((task.pk, conclusion.due_date - datetime.timedelta(days=number % 9)))
    Conclusion.objects.bulk_update(linked, ["task"], batch_size=200)
    for task_pk, completed_on in done_ids:
        Task.objects.filter(pk=task_pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE,
            completed_on=completed_on,
            evidence_note="Đã có báo cáo kết quả thực hiện gửi Thường trực HĐND.",
        )

    events = []
    for _demo_unit, _charter, _articles, plan in todo:
        meeting = by_token[plan.token]
        events.append(
            audit_event(
                actor=meeting.created_by, obj=meeting, action="create", summary="Lập lịch cuộc họp (dữ liệu mẫu)"
            )
        )
        if meeting.minutes_recorded_at:
            events.append(
                audit_event(
                    actor=meeting.created_by,
                    obj=meeting,
                    action="minutes_record",
                    summary="Đã ghi biên bản (dữ liệu mẫu)",
                )
            )
    audit_record_many(events, batch_size=500)
