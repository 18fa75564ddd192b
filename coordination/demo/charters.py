"""Demo charters of the seed articles (Đà Nẵng, Bắc Kạn, Thanh Hóa, Hà Nội, Gò Vấp) and their work programmes."""

import zlib
from datetime import date, timedelta

from django.db import transaction

from charters.models import Charter, CharterStatus, Task, TaskOrigin, TaskStatus
from charters.services import (
    charter_bring_into_force,
    charter_create,
    charter_expire,
    charter_sign,
    obligation_create,
    task_create,
    tasks_generate,
)
from coordination.models import AgencyKind, CoordinationArea, DeadlineRule, Term, User

H, U, M, D = AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ, AgencyKind.DBQH

# Articles shared by the demo charters. Each: area code, title, text, lead kind, supporting kinds, duties
# (description, responsible kind, cadence, day, month, deadline rule code). Kinds that are not parties of a
# charter are left out of it.
ARTICLES = [
    (
        "council-sessions",
        "Phối hợp chuẩn bị và tổ chức kỳ họp Hội đồng nhân dân",
        "Thường trực HĐND chủ trì, phối hợp với UBND, Ban Thường trực Ủy ban MTTQ Việt Nam dự kiến chương trình, "
        "nội dung, thời gian tổ chức kỳ họp. UBND chỉ đạo các cơ quan chuyên môn chuẩn bị tờ trình, dự thảo nghị "
        "quyết, báo cáo bảo đảm chất lượng và gửi đúng thời hạn quy định để các Ban HĐND thẩm tra.",
        H,
        [U, M, D],
        [
            (
                "UBND gửi dự thảo nghị quyết, tờ trình, báo cáo đến Thường trực HĐND trước mỗi kỳ họp",
                U,
                "each_session",
                1,
                None,
                "session-documents",
            ),
            (
                "Thường trực HĐND gửi tài liệu kỳ họp đến đại biểu HĐND",
                H,
                "each_session",
                1,
                None,
                "session-documents-delegates",
            ),
            (
                "Ban Thường trực Ủy ban MTTQ thông báo ý kiến, kiến nghị của cử tri và Nhân dân tại kỳ họp",
                M,
                "each_session",
                1,
                None,
                None,
            ),
        ],
    ),
    (
        "law-making",
        "Phối hợp xây dựng nghị quyết và văn bản quy phạm pháp luật",
        "UBND rà soát, đề xuất danh mục nghị quyết cần trình HĐND; Ủy ban MTTQ tổ chức lấy ý kiến Nhân dân, "
        "phản biện xã hội đối với dự thảo nghị quyết có nội dung liên quan trực tiếp đến quyền và lợi ích của "
        "Nhân dân.",
        U,
        [H, M],
        [
            ("UBND gửi Thường trực HĐND danh mục nghị quyết dự kiến trình HĐND năm sau", U, "yearly", 15, 11, None),
            ("Ủy ban MTTQ tổ chức phản biện xã hội đối với dự thảo nghị quyết quan trọng", M, "yearly", 30, 9, None),
        ],
    ),
    (
        "voter-contact",
        "Phối hợp tổ chức tiếp xúc cử tri",
        "Ban Thường trực Ủy ban MTTQ chủ trì, phối hợp với Thường trực HĐND, Đoàn ĐBQH xây dựng kế hoạch tiếp xúc "
        "cử tri trước và sau mỗi kỳ họp; tổng hợp đầy đủ, chuyển ý kiến, kiến nghị cử tri đến cơ quan có thẩm "
        "quyền giải quyết và theo dõi, đôn đốc việc trả lời.",
        M,
        [H, U, D],
        [
            (
                "Ủy ban MTTQ tổng hợp, chuyển kiến nghị cử tri sau mỗi đợt tiếp xúc cử tri",
                M,
                "each_session",
                1,
                None,
                "petition-compile",
            ),
            ("UBND báo cáo kết quả giải quyết kiến nghị cử tri gửi Thường trực HĐND", U, "quarterly", 20, 3, None),
        ],
    ),
    (
        "citizen-reception",
        "Phối hợp tiếp công dân, giải quyết khiếu nại, tố cáo",
        "Các cơ quan phối hợp tổ chức tiếp công dân định kỳ và đột xuất; xử lý đơn thư đúng thẩm quyền, "
        "thời hạn; thông báo kết quả giải quyết cho Thường trực HĐND và Ban Thường trực Ủy ban MTTQ.",
        U,
        [H, M, D],
        [
            ("UBND báo cáo tình hình tiếp công dân, giải quyết khiếu nại, tố cáo", U, "monthly", 25, None, None),
            ("Thường trực HĐND tổ chức tiếp công dân định kỳ", H, "monthly", 15, None, None),
        ],
    ),
    (
        "supervision",
        "Phối hợp giám sát và phản biện xã hội",
        "Thường trực HĐND, Ban Thường trực Ủy ban MTTQ và Đoàn ĐBQH thống nhất chương trình giám sát hằng năm, "
        "tránh trùng lặp; UBND chỉ đạo các cơ quan, đơn vị báo cáo đầy đủ, đúng hạn theo yêu cầu của đoàn giám sát "
        "và thực hiện kiến nghị sau giám sát.",
        H,
        [M, D, U],
        [
            ("Thống nhất chương trình giám sát năm giữa các cơ quan", H, "yearly", 20, 1, None),
            ("UBND báo cáo kết quả thực hiện kiến nghị sau giám sát", U, "quarterly", 25, 3, None),
        ],
    ),
    (
        "elections",
        "Phối hợp trong công tác bầu cử",
        "Phối hợp tổ chức bầu cử đại biểu Quốc hội và đại biểu HĐND các cấp, hiệp thương lựa chọn, giới thiệu người "
        "ứng cử; bầu Hội thẩm nhân dân; xem xét việc bãi nhiệm đại biểu theo quy định.",
        M,
        [H, U, D],
        [],
    ),
    (
        "information",
        "Chế độ giao ban, thông tin và báo cáo",
        "Định kỳ hằng quý tổ chức giao ban giữa các cơ quan ký kết; hằng năm tổ chức hội nghị đánh giá kết quả thực "
        "hiện Quy chế vào tháng Giêng. Văn phòng các cơ quan trao đổi chương trình công tác, báo cáo tháng.",
        H,
        [U, M, D],
        [
            ("Giao ban định kỳ giữa các cơ quan ký kết Quy chế", H, "quarterly", 10, 1, None),
            (
                "Các cơ quan tổ chức hội nghị đánh giá kết quả thực hiện Quy chế vào tháng Giêng hằng năm",
                H,
                "yearly",
                25,
                1,
                None,
            ),
            (
                "Văn phòng UBND gửi chương trình công tác và báo cáo tình hình kinh tế - xã hội tháng",
                U,
                "monthly",
                5,
                None,
                None,
            ),
            ("Đoàn ĐBQH thông báo kết quả kỳ họp Quốc hội đến các cơ quan", D, "yearly", 15, 12, None),
        ],
    ),
]

SIGNER_POSITIONS = {
    H: "Chủ tịch HĐND",
    U: "Chủ tịch UBND",
    M: "Chủ tịch Ủy ban MTTQ Việt Nam",
    D: "Trưởng Đoàn đại biểu Quốc hội",
}

# key, number, title, term, kinds with signers, signed, final status, supersedes number, years to generate
CHARTERS = [
    (
        "danang",
        "35/QCPH",
        "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực Ủy ban "
        "MTTQ Việt Nam thành phố Đà Nẵng",
        "2016–2021",
        [(D, ""), (H, ""), (U, ""), (M, "")],
        date(2017, 7, 1),
        CharterStatus.IN_FORCE,
        None,
        [],
    ),
    (
        "danang",
        "02/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ",
        "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực Ủy ban "
        "MTTQ Việt Nam thành phố Đà Nẵng nhiệm kỳ 2021–2026",
        "2021–2026",
        [(D, "Nguyễn Văn Quảng"), (H, "Lương Nguyễn Minh Triết"), (U, "Lê Trung Chinh"), (M, "Ngô Xuân Thắng")],
        date(2021, 10, 19),
        CharterStatus.IN_FORCE,
        "35/QCPH",
        [2025, 2026],
    ),
    (
        "backan",
        "03/QCPH-HĐND-UBND-UBMTTQ",
        "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Bắc Kạn",
        "2021–2026",
        [(H, "Phương Thị Thanh"), (U, "Nguyễn Đăng Bình"), (M, "Đỗ Thị Minh Hoa")],
        date(2023, 2, 7),
        CharterStatus.EXPIRED,
        None,
        [2025],
    ),
    (
        "thanhhoa",
        "01/QCPH-ĐĐBQH-HĐND-UBMTTQ",
        "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội tỉnh, Hội đồng nhân dân tỉnh và Ủy ban MTTQ Việt Nam "
        "tỉnh Thanh Hóa nhiệm kỳ 2021–2026",
        "2021–2026",
        [(D, "Lại Thế Nguyên"), (H, "Đỗ Trọng Hưng"), (M, "Phạm Thị Thanh Thủy")],
        date(2021, 9, 21),
        CharterStatus.IN_FORCE,
        None,
        [2025, 2026],
    ),
    (
        "hanoi",
        "01/QCPH-HĐND-UBND-UBMTTQ-ĐĐBQH",
        "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND, Ban Thường trực Ủy ban MTTQ Việt Nam và Đoàn đại "
        "biểu Quốc hội thành phố Hà Nội nhiệm kỳ 2021–2026",
        "2021–2026",
        [(H, ""), (U, ""), (M, ""), (D, "")],
        date(2021, 8, 12),
        CharterStatus.IN_FORCE,
        None,
        [2025, 2026],
    ),
    (
        "govap",
        "01/QCPH-HĐND-UBND-UBMTTQ",
        "Quy chế phối hợp công tác giữa Thường trực Hội đồng nhân dân, Ủy ban nhân dân và Ban Thường trực Ủy ban "
        "MTTQ Việt Nam quận Gò Vấp",
        "2016–2021",
        [(H, "Thân Trọng Minh"), (U, "Lê Hoàng Hà"), (M, "Vũ Thị Nga")],
        date(2018, 4, 15),
        CharterStatus.EXPIRED,
        None,
        [],
    ),
]

# Tasks that arose during the year (Hà Nội counts 361 such items next to 273 planned ones).
ARISING = [
    ("Chuẩn bị nội dung phiên giải trình về ô nhiễm môi trường tại các khu dân cư", H, "supervision", 40),
    ("Khảo sát việc thực hiện chính sách bảo hiểm y tế cho học sinh, sinh viên", M, "supervision", -25),
    (
        "Tổ chức hội nghị đối thoại giữa Chủ tịch UBND với Nhân dân về bồi thường, giải phóng mặt bằng",
        U,
        "citizen-reception",
        -60,
    ),
    ("Báo cáo kết quả giải quyết vụ khiếu nại đông người tại dự án khu đô thị mới", U, "citizen-reception", 5),
    ("Tổng hợp ý kiến Nhân dân góp ý dự thảo sửa đổi, bổ sung Hiến pháp năm 2013", M, "law-making", -150),
    ("Rà soát các nghị quyết của HĐND cần sửa đổi sau sắp xếp đơn vị hành chính", H, "law-making", 20),
]

EVIDENCE = [
    "Văn bản số {n}/BC-{short} ngày {d}",
    "Đã tổ chức hội nghị ngày {d}; biên bản lưu tại Văn phòng",
    "Công văn số {n}/{short}-VP gửi các cơ quan ngày {d}",
]


def _roll(*parts):
    """A stable number in [0, 1) from the parts: the demo mix is the same on every machine and every run."""
    return zlib.crc32("|".join(str(part) for part in parts).encode()) / 2**32


def _actor(key):
    return User.objects.filter(username=f"{key}.hdnd.clerk").first()


def _articles_for(kinds, agencies, areas):
    rows, duties = [], []
    for number, (area, title, text, lead, supporting, obligations) in enumerate(ARTICLES, start=1):
        lead = lead if lead in kinds else kinds[0]
        rows.append(
            {
                "number": number,
                "title": title,
                "text": text,
                "area": areas.get(area),
                "lead_agency": agencies[lead],
                "supporting_agencies": [agencies[kind] for kind in supporting if kind in kinds and kind != lead],
            }
        )
        duties.append([duty for duty in obligations if duty[1] in kinds])
    return rows, duties


def _charter(spec, context, areas, rules, terms):
    key, number, title, term, signers, signed_on, final, supersedes, years = spec
    demo_unit = context.units[key]
    existing = Charter.objects.filter(unit=demo_unit.unit, number=number).first()
    if existing is not None:
        return existing, years, False
    actor = _actor(key) or context.admin
    kinds = [kind for kind, _name in signers]
    agencies = demo_unit.agencies
    rows, duties = _articles_for(kinds, agencies, areas)
    charter = charter_create(
        actor=actor,
        unit=demo_unit.unit,
        number=number,
        title=title,
        term=terms[term],
        signed_on=signed_on,
        supersedes=Charter.objects.filter(unit=demo_unit.unit, number=supersedes).first() if supersedes else None,
        parties=[
            {"agency": agencies[kind], "signer_name": name, "signer_position": SIGNER_POSITIONS[kind]}
            for kind, name in signers
        ],
        articles=rows,
        idempotency_token=f"demo-charter-{key}-{number}",
    )
    for article, article_duties in zip(charter.articles.order_by("number"), duties, strict=True):
        for description, kind, cadence, day, month, rule in article_duties:
            obligation_create(
                actor=actor,
                article=article,
                description=description,
                responsible_agency=agencies[kind],
                cadence=cadence,
                day_of_period=day,
                month=month,
                deadline_rule=rules.get(rule),
            )
    charter_sign(actor=actor, charter=charter, signed_on=signed_on)
    if final in (CharterStatus.IN_FORCE, CharterStatus.EXPIRED):
        charter_bring_into_force(actor=actor, charter=charter, effective_from=signed_on)
    return charter, years, True


def _mix(tasks, today, key):
    """Complete the demo tasks as offices do: most on time, some late, some still open or overdue."""
    done, short = [], key.upper()[:4]
    for task in tasks:
        if task.status != TaskStatus.OPEN:
            continue
        roll = _roll(key, task.title, task.period_key, task.due_date)
        if task.due_date < today:
            if roll < 0.66:
                completed = task.due_date - timedelta(days=int(roll * 10))
            elif roll < 0.84:
                completed = min(today, task.due_date + timedelta(days=1 + int(roll * 40) % 21))
            else:
                continue  # stays open: overdue
        elif task.due_date <= today + timedelta(days=20) and roll < 0.2:
            completed = today - timedelta(days=int(roll * 10))
        else:
            continue
        task.status = TaskStatus.DONE
        task.completed_on = completed
        task.evidence_note = EVIDENCE[int(roll * 1000) % len(EVIDENCE)].format(
            n=10 + int(roll * 300), short=short, d=completed.strftime("%d/%m/%Y")
        )
        done.append(task)
    Task.objects.bulk_update(done, ["status", "completed_on", "evidence_note"])
    return len(done)


def _arising(charter, key, context, areas):
    demo_unit = context.units[key]
    actor = _actor(key) or context.admin
    kinds = {link.agency.kind for link in charter.party_links.select_related("agency")}
    made = []
    for index, (title, kind, area, offset) in enumerate(ARISING):
        if kind not in kinds:
            continue
        made.append(
            task_create(
                actor=actor,
                unit=demo_unit.unit,
                title=title,
                responsible_agency=demo_unit.agencies[kind],
                due_date=context.today + timedelta(days=offset),
                origin=TaskOrigin.ARISING if index % 3 else TaskOrigin.PLANNED,
                charter=charter,
                area=areas.get(area),
                supporting_agencies=[agency for k, agency in demo_unit.agencies.items() if k != kind and k in kinds][
                    :1
                ],
                idempotency_token=f"demo-task-{key}-{index}",
            )
        )
    return made


@transaction.atomic
def seed(context):
    areas = {area.code: area for area in CoordinationArea.objects.all()}
    terms = {term.name: term for term in Term.objects.all()}
    rules = {rule.code: rule for rule in DeadlineRule.objects.filter(unit__isnull=True).order_by("effective_from")}
    for spec in CHARTERS:
        key, final = spec[0], spec[6]
        if key not in context.units:
            continue
        charter, years, created = _charter(spec, context, areas, rules, terms)
        if charter.status == CharterStatus.IN_FORCE:
            for year in years:
                tasks_generate(charter=charter, year=year, actor=None, today=context.today)
            if final == CharterStatus.IN_FORCE:
                _arising(charter, key, context, areas)
            elif created:
                # Bắc Kạn merged into Thái Nguyên on 1 July 2025; Gò Vấp's term (and later the district) ended.
                end = date(2025, 6, 30) if key == "backan" else date(2021, 6, 30)
                charter_expire(actor=_actor(key) or context.admin, charter=charter, expired_on=end)
        _mix(list(Task.objects.filter(charter=charter)), context.today, key)


@transaction.atomic
def seed_session_tasks(context):
    """Run after the meetings' demo: the duties "before/after each council session" get their tasks now that
    the sessions exist, with the same mix of done, late and open."""
    for key, number, *_rest, years in CHARTERS:
        if key not in context.units:
            continue
        charter = Charter.objects.filter(unit=context.units[key].unit, number=number).first()
        if charter is None or charter.status != CharterStatus.IN_FORCE:
            continue
        for year in years:
            tasks_generate(charter=charter, year=year, actor=None, today=context.today)
        _mix(list(Task.objects.filter(charter=charter, period_key__startswith="S")), context.today, key)
