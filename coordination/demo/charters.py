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
        "hiện Quy chế vào tháng 01. Văn phòng các cơ quan trao đổi chương trình công tác, báo cáo tháng.",
        H,
        [U, M, D],
        [
            ("Giao ban định kỳ giữa các cơ quan ký kết Quy chế", H, "quarterly", 10, 1, None),
            (
                "Các cơ quan tổ chức hội nghị đánh giá kết quả thực hiện Quy chế vào tháng 01 hằng năm",
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

# Marks a record the seeds do not report: invented for the demo, plausible, and said to be so.
DEMO_MARK = "(dữ liệu minh họa)"

# The charters. Each signer with the title they signed in (a person holds a title, not an agency kind: Thanh Hóa's
# HĐND signed through its Phó Chủ tịch Thường trực while the Chủ tịch witnessed). Facts the seeds state are
# copied exactly (seeds 000–004 in the design notes); what they do not state is invented and marked DEMO_MARK.
CHARTERS = [
    {
        # Seed 000: "Quy chế số 35/QCPH ngày 1-7-2017" of the four bodies of Đà Nẵng; signers not named.
        "key": "danang",
        "number": "35/QCPH",
        "title": "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực "
        "Ủy ban MTTQ Việt Nam thành phố Đà Nẵng",
        "term": "2016–2021",
        "signers": [(D, "", ""), (H, "", ""), (U, "", ""), (M, "", "")],
        "signed_on": date(2017, 7, 1),
        "final": CharterStatus.IN_FORCE,
        "supersedes": None,
        "years": [],
    },
    {
        # Seed 000: reviewed and the new charter signed by the leaders of the 4 bodies, afternoon of 19/10/2021.
        "key": "danang",
        "number": "02/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ",  # the seed gives no number: invented
        "title": "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực "
        "Ủy ban MTTQ Việt Nam thành phố Đà Nẵng nhiệm kỳ 2021–2026",
        "term": "2021–2026",
        "signers": [
            (D, "Nguyễn Văn Quảng", "Trưởng Đoàn đại biểu Quốc hội thành phố"),
            (H, "Lương Nguyễn Minh Triết", "Chủ tịch HĐND thành phố"),
            (U, "Lê Trung Chinh", "Chủ tịch UBND thành phố"),
            (M, "Ngô Xuân Thắng", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
        ],
        "signed_on": date(2021, 10, 19),
        "final": CharterStatus.IN_FORCE,
        "supersedes": "35/QCPH",
        "years": [2025, 2026],
        # The seed names no areas of the new charter ("7 mặt công tác phối hợp" of the old one, unlisted).
        "record": {"conference_on": date(2021, 10, 19)},
    },
    {
        # Seed 001: "quy chế phối hợp số 03/QCHH-HĐND-UBND-UBMTTQ ngày 07/02/2023" (QCHH as printed is a typo of
        # QCPH, the symbol of a Quy chế phối hợp); the signers are not named: the three heads of 2024 are assumed.
        "key": "backan",
        "number": "03/QCPH-HĐND-UBND-UBMTTQ",
        "title": "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh "
        "Bắc Kạn",
        "term": "2021–2026",
        "signers": [
            (H, "Phương Thị Thanh", "Chủ tịch HĐND tỉnh"),
            (U, "Nguyễn Đăng Bình", "Chủ tịch UBND tỉnh"),
            (M, "Đỗ Thị Minh Hoa", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
        ],
        "signed_on": date(2023, 2, 7),
        "final": CharterStatus.EXPIRED,
        "supersedes": None,
        # Only years the province still existed: it merged into Thái Nguyên on 1 July 2025.
        "years": [2023, 2024],
        # "…các nội dung trong quy chế phối hợp như: Tổ chức các kỳ họp HĐND, hoạt động giám sát, khảo sát, hoạt động
        # tiếp xúc cử tri, tiếp công dân, việc xử lý các vấn đề giữa hai kỳ họp…"
        "areas": ["council-sessions", "supervision", "voter-contact", "citizen-reception"],
        "own_areas": ["Xử lý các vấn đề giữa hai kỳ họp"],
    },
    {
        # Seed 003: signed on the afternoon of 21/9/2021, term 2021–2026, by the Đoàn ĐBQH, the HĐND and the Ủy ban
        # MTTQ of Thanh Hóa, WITNESSED by Đỗ Trọng Hưng and Lại Thế Nguyên. Signing for the HĐND and the Đoàn
        # therefore fell to their deputies present, Lê Tiến Lam and Mai Văn Hải (inferred from the seed's list).
        "key": "thanhhoa",
        "number": "01/QCPH-ĐĐBQH-HĐND-UBMTTQ",  # the seed gives no number: invented
        "title": "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội tỉnh, Hội đồng nhân dân tỉnh và Ủy ban MTTQ "
        "Việt Nam tỉnh Thanh Hóa nhiệm kỳ 2021–2026",
        "term": "2021–2026",
        "signers": [
            (D, "Mai Văn Hải", "Phó Trưởng Đoàn đại biểu Quốc hội tỉnh"),
            (H, "Lê Tiến Lam", "Phó Chủ tịch Thường trực HĐND tỉnh"),
            (M, "Phạm Thị Thanh Thủy", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
        ],
        "signed_on": date(2021, 9, 21),
        "final": CharterStatus.IN_FORCE,
        "supersedes": None,
        "years": [2025, 2026],
        "record": {"conference_on": date(2021, 9, 21)},
        "witnesses": [
            {"name": "Đỗ Trọng Hưng", "position": "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"},
            {"name": "Lại Thế Nguyên", "position": "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh"},
        ],
        # "Tuyên truyền, tập hợp, xây dựng khối Đại đoàn kết toàn dân, phổ biến pháp luật và hoạt động đối ngoại
        # Nhân dân. Tham gia xây dựng Luật… Tiếp xúc cử tri… Tiếp công dân… Giám sát và phản biện xã hội. … bầu cử
        # …, bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh. Thực hiện chế độ hội họp và thông tin."
        "areas": [
            "propaganda",
            "national-unity",
            "law-dissemination",
            "people-diplomacy",
            "law-making",
            "voter-contact",
            "citizen-reception",
            "supervision",
            "elections",
            "information",
        ],
        "own_areas": ["Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh"],
    },
    {
        "key": "hanoi",
        "number": "01/QCPH-HĐND-UBND-UBMTTQ-ĐĐBQH",
        "title": "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND, Ban Thường trực Ủy ban MTTQ Việt Nam và Đoàn "
        f"đại biểu Quốc hội thành phố Hà Nội nhiệm kỳ 2021–2026 {DEMO_MARK}",
        "term": "2021–2026",
        "signers": [(H, "", ""), (U, "", ""), (M, "", ""), (D, "", "")],
        "signed_on": date(2021, 8, 12),
        "final": CharterStatus.IN_FORCE,
        "supersedes": None,
        "years": [2025, 2026],
    },
    {
        # Seed 002 reviews Gò Vấp's charter over 15/4/2018–15/4/2019 and lists where it worked: those areas.
        # Number and signing date are not given: invented (the reviewed period's first day). The signers are the
        # leaders the seed names, each with the title it gives.
        "key": "govap",
        "number": "01/QCPH-HĐND-UBND-UBMTTQ",
        "title": "Quy chế phối hợp công tác giữa Thường trực Hội đồng nhân dân, Ủy ban nhân dân và Ban Thường trực Ủy "
        "ban MTTQ Việt Nam quận Gò Vấp",
        "term": "2016–2021",
        "signers": [
            (H, "Thân Trọng Minh", "Phó Chủ tịch Thường trực HĐND quận"),
            (U, "Lê Hoàng Hà", "Chủ tịch UBND quận"),
            (M, "Vũ Thị Nga", "Chủ tịch Ủy ban MTTQ Việt Nam quận"),
        ],
        "signed_on": date(2018, 4, 15),
        "final": CharterStatus.EXPIRED,
        "supersedes": None,
        "years": [],
        "areas": [
            "propaganda",
            "law-dissemination",
            "council-sessions",
            "supervision",
            "voter-contact",
            "mobilisation",
            "national-unity",
            "people-diplomacy",
        ],
        "own_areas": [
            "Xây dựng chính quyền và quản lý nhà nước",
            "Thực hiện quy chế dân chủ ở cơ sở",
            "Công tác vận động kiều bào",
        ],
    },
    {
        # Invented: the successor of Bắc Kạn's charter once the merged province had its bodies.
        "key": "thainguyen",
        "number": "05/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ",
        "title": "Quy chế phối hợp công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực "
        f"Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên sau sắp xếp đơn vị hành chính {DEMO_MARK}",
        "term": "2021–2026",
        "signers": [(D, "", ""), (H, "", ""), (U, "", ""), (M, "", "")],
        "signed_on": date(2025, 8, 15),
        "final": CharterStatus.IN_FORCE,
        "supersedes": None,
        "years": [2025, 2026],
        "record": {
            "conference_on": date(2025, 8, 15),
            "conference_place": f"Hội trường Tỉnh ủy Thái Nguyên {DEMO_MARK}",
            "disseminated_on": date(2025, 8, 29),
            "dissemination": "Văn phòng HĐND gửi Quy chế đến các sở, ngành và HĐND, UBND, Ủy ban MTTQ các xã, "
            f"phường; đăng trên Cổng thông tin điện tử của tỉnh {DEMO_MARK}.",
        },
        "areas": ["council-sessions", "law-making", "voter-contact", "citizen-reception", "supervision"],
    },
    {
        # Invented: the ward formed on 1 July 2025 from the district's centre, with a council, a committee and a Front.
        "key": "govapward",
        "number": "09/QCPH-HĐND-UBND-UBMTTQ",
        "title": "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam "
        f"phường Gò Vấp {DEMO_MARK}",
        "term": "2021–2026",
        "signers": [(H, "", ""), (U, "", ""), (M, "", "")],
        "signed_on": date(2025, 9, 5),
        "final": CharterStatus.IN_FORCE,
        "supersedes": None,
        "years": [2025, 2026],
        "areas": ["council-sessions", "voter-contact", "citizen-reception", "supervision", "mobilisation"],
    },
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
    key, number = spec["key"], spec["number"]
    demo_unit = context.units[key]
    existing = Charter.objects.filter(unit=demo_unit.unit, number=number).first()
    if existing is not None:
        return existing, False
    actor = _actor(key) or context.admin
    kinds = [kind for kind, _name, _title in spec["signers"]]
    agencies = demo_unit.agencies
    rows, duties = _articles_for(kinds, agencies, areas)
    supersedes = spec["supersedes"]
    charter = charter_create(
        actor=actor,
        unit=demo_unit.unit,
        number=number,
        title=spec["title"],
        term=terms[spec["term"]],
        signed_on=spec["signed_on"],
        supersedes=Charter.objects.filter(unit=demo_unit.unit, number=supersedes).first() if supersedes else None,
        parties=[
            {"agency": agencies[kind], "signer_name": name, "signer_position": title}
            for kind, name, title in spec["signers"]
        ],
        articles=rows,
        idempotency_token=f"demo-charter-{key}-{number}",
        witnesses=spec.get("witnesses", ()),
        areas=[areas[code] for code in spec.get("areas", ())],
        own_areas=spec.get("own_areas", ()),
        **spec.get("record", {}),
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
    charter_sign(actor=actor, charter=charter, signed_on=spec["signed_on"])
    if spec["final"] in (CharterStatus.IN_FORCE, CharterStatus.EXPIRED):
        charter_bring_into_force(actor=actor, charter=charter, effective_from=spec["signed_on"])
    return charter, True


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


# The day before a dissolved unit's dissolution, or the end of the charter's term: when its charter expired.
EXPIRY = {"backan": date(2025, 6, 30), "govap": date(2021, 6, 30)}


@transaction.atomic
def seed(context):
    areas = {area.code: area for area in CoordinationArea.objects.all()}
    terms = {term.name: term for term in Term.objects.all()}
    rules = {rule.code: rule for rule in DeadlineRule.objects.filter(unit__isnull=True).order_by("effective_from")}
    for spec in CHARTERS:
        key, final = spec["key"], spec["final"]
        if key not in context.units:
            continue
        charter, created = _charter(spec, context, areas, rules, terms)
        if charter.status == CharterStatus.IN_FORCE:
            for year in spec["years"]:
                tasks_generate(charter=charter, year=year, actor=None, today=context.today)
            if final == CharterStatus.IN_FORCE:
                _arising(charter, key, context, areas)
            elif created:
                # Bắc Kạn merged into Thái Nguyên on 1 July 2025; Gò Vấp's term (and later the district) ended.
                charter_expire(actor=_actor(key) or context.admin, charter=charter, expired_on=EXPIRY[key])
        _mix(list(Task.objects.filter(charter=charter)), min(context.today, _last_day(context, key)), key)


def _last_day(context, key):
    """Tasks of a dissolved unit are settled as of its last day, not as of today."""
    dissolved = context.units[key].unit.dissolved_on
    return dissolved - timedelta(days=1) if dissolved else context.today


@transaction.atomic
def seed_session_tasks(context):
    """Run after the meetings' demo: the duties "before/after each council session" get their tasks now that
    the sessions exist, with the same mix of done, late and open."""
    for spec in CHARTERS:
        key = spec["key"]
        if key not in context.units or not context.units[key].is_live:
            continue
        charter = Charter.objects.filter(unit=context.units[key].unit, number=spec["number"]).first()
        if charter is None or charter.status != CharterStatus.IN_FORCE:
            continue
        for year in spec["years"]:
            tasks_generate(charter=charter, year=year, actor=None, today=context.today)
        _mix(list(Task.objects.filter(charter=charter, period_key__startswith="S")), context.today, key)
