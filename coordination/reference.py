"""Reference data every installation needs: terms, coordination areas, national deadline rules.

Loaded idempotently by `manage.py load_reference` (and by `seed_demo`). Administrators may edit
the rows afterwards; loading again only creates what is missing and never overwrites edits.
The legal bases are quoted as offices cite them; check the current texts before relying on a
rule in a dispute — the rules are data precisely so that an office can correct them.
"""

from datetime import date

from django.db import transaction

from .models import Anchor, CoordinationArea, DayType, DeadlineRule, Direction, Term

TERMS = [
    ("2016–2021", 2016, 2021, date(2016, 7, 1), date(2021, 6, 30)),
    ("2021–2026", 2021, 2026, date(2021, 7, 1), date(2026, 6, 30)),
    ("2026–2031", 2026, 2031, date(2026, 7, 1), date(2031, 6, 30)),
]

# (code, Vietnamese name, English name)
AREAS = [
    ("council-sessions", "Chuẩn bị và tổ chức kỳ họp HĐND", "Preparing and holding council sessions"),
    ("law-making", "Xây dựng pháp luật, ban hành nghị quyết", "Law-making and resolutions"),
    ("voter-contact", "Tiếp xúc cử tri", "Voter contact"),
    ("citizen-reception", "Tiếp công dân, giải quyết khiếu nại, tố cáo", "Citizen reception and complaint handling"),
    ("supervision", "Giám sát, phản biện xã hội", "Supervision and social criticism"),
    ("elections", "Bầu cử, bãi nhiệm đại biểu", "Elections and recall of deputies"),
    ("information", "Thông tin, báo cáo", "Information and reporting"),
    (
        "socio-economic",
        "Phát triển kinh tế - xã hội, quốc phòng, an ninh",
        "Socio-economic development, defence and security",
    ),
    # Named by the charters of the seed articles (Thanh Hóa 2021, Gò Vấp 2018): added by migration 0008 too.
    ("propaganda", "Tuyên truyền", "Propaganda and public information"),
    ("law-dissemination", "Phổ biến, giáo dục pháp luật", "Law dissemination and education"),
    ("mobilisation", "Vận động Nhân dân", "Mobilising the people"),
    ("national-unity", "Xây dựng khối đại đoàn kết toàn dân tộc", "Great national unity"),
    ("people-diplomacy", "Đối ngoại Nhân dân", "People's diplomacy"),
]

# code, name, amount, day type, anchor, direction, legal basis
NATIONAL_RULES = [
    (
        "complaint-accept",
        "Thụ lý giải quyết khiếu nại lần đầu",
        10,
        DayType.CALENDAR,
        Anchor.RECEIVED,
        Direction.AFTER,
        "Luật Khiếu nại năm 2011, Điều 27: trong thời hạn 10 ngày kể từ ngày nhận được khiếu nại.",
    ),
    (
        "complaint-decide",
        "Giải quyết khiếu nại lần đầu",
        30,
        DayType.CALENDAR,
        Anchor.RECEIVED,
        Direction.AFTER,
        "Luật Khiếu nại năm 2011, Điều 28: không quá 30 ngày kể từ ngày thụ lý.",
    ),
    (
        "complaint-decide-complex",
        "Giải quyết khiếu nại lần đầu (vụ việc phức tạp)",
        45,
        DayType.CALENDAR,
        Anchor.RECEIVED,
        Direction.AFTER,
        "Luật Khiếu nại năm 2011, Điều 28: vụ việc phức tạp không quá 45 ngày kể từ ngày thụ lý.",
    ),
    (
        "denunciation-decide",
        "Giải quyết tố cáo",
        30,
        DayType.CALENDAR,
        Anchor.RECEIVED,
        Direction.AFTER,
        "Luật Tố cáo năm 2018, Điều 30: không quá 30 ngày kể từ ngày thụ lý tố cáo.",
    ),
    (
        "na-petition-answer",
        "Bộ, ngành trả lời kiến nghị cử tri gửi tới kỳ họp Quốc hội",
        40,
        DayType.CALENDAR,
        Anchor.FORWARDED,
        Direction.AFTER,
        "Quyết định số 33/2017/QĐ-TTg: trả lời trong 40 ngày kể từ ngày nhận kiến nghị.",
    ),
    (
        "na-petition-answer-joint",
        "Trả lời kiến nghị cử tri có cơ quan phối hợp",
        50,
        DayType.CALENDAR,
        Anchor.FORWARDED,
        Direction.AFTER,
        "Quyết định số 33/2017/QĐ-TTg: 50 ngày khi có cơ quan phối hợp.",
    ),
    (
        "na-petition-coordinator-reply",
        "Cơ quan phối hợp gửi ý kiến cho cơ quan chủ trì",
        15,
        DayType.CALENDAR,
        Anchor.FORWARDED,
        Direction.AFTER,
        "Quyết định số 33/2017/QĐ-TTg: cơ quan phối hợp trả lời trong 15 ngày.",
    ),
    (
        "petition-compile",
        "Tổng hợp ý kiến, kiến nghị cử tri sau kỳ họp",
        15,
        DayType.CALENDAR,
        Anchor.SESSION_CLOSING,
        Direction.AFTER,
        "Nghị quyết liên tịch số 72/2025: Đoàn ĐBQH và Ủy ban MTTQ tổng hợp trong 15 ngày sau khi bế mạc kỳ họp.",
    ),
    (
        "petition-answer-local",
        "Trả lời kiến nghị cử tri do HĐND chuyển đến",
        30,
        DayType.WORKING,
        Anchor.FORWARDED,
        Direction.AFTER,
        "Trả lời trước kỳ họp thường lệ tiếp theo của HĐND; mặc định 30 ngày làm việc kể từ ngày chuyển, "
        "tỉnh có thể quy định khác.",
    ),
    (
        "petition-reanswer",
        "Trả lời lại kiến nghị cử tri sau khi trả lời chưa đạt yêu cầu",
        15,
        DayType.WORKING,
        Anchor.EVALUATED,
        Direction.AFTER,
        "Quy chế phối hợp giữa Thường trực HĐND, UBND và Ban Thường trực UBMTTQ Việt Nam (điều về giải quyết, "
        "trả lời kiến nghị cử tri): nội dung trả lời chưa đạt yêu cầu được chuyển lại cơ quan chủ trì để trả lời "
        "lại; mặc định 15 ngày làm việc kể từ ngày đánh giá, quy chế của từng cấp có thể quy định khác.",
    ),
    (
        "session-documents",
        "Gửi tờ trình, dự thảo nghị quyết, báo cáo trình kỳ họp",
        20,
        DayType.CALENDAR,
        Anchor.SESSION_OPENING,
        Direction.BEFORE,
        "Quy chế phối hợp và Nội quy kỳ họp HĐND: hồ sơ gửi Thường trực HĐND để thẩm tra trước ngày khai mạc.",
    ),
    (
        "session-documents-delegates",
        "Gửi tài liệu kỳ họp đến đại biểu HĐND",
        7,
        DayType.CALENDAR,
        Anchor.SESSION_OPENING,
        Direction.BEFORE,
        "Luật Tổ chức chính quyền địa phương: tài liệu gửi đại biểu chậm nhất 07 ngày trước ngày khai mạc.",
    ),
    (
        "meeting-minutes",
        "Hoàn thành biên bản cuộc họp",
        5,
        DayType.WORKING,
        Anchor.MEETING_DATE,
        Direction.AFTER,
        "Quy định nội bộ: biên bản hoàn thành trong 05 ngày làm việc sau cuộc họp.",
    ),
]

RULES_EFFECTIVE_FROM = date(2017, 1, 1)


@transaction.atomic
def reference_data_load():
    """Create the terms, areas and national rules that are missing. Returns the number created."""
    created = 0
    for name, start_year, end_year, start, end in TERMS:
        _, made = Term.objects.get_or_create(
            name=name, defaults={"start_year": start_year, "end_year": end_year, "start_date": start, "end_date": end}
        )
        created += made
    for order, (code, name, name_en) in enumerate(AREAS, start=1):
        _, made = CoordinationArea.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
        created += made
    for code, name, amount, day_type, anchor, direction, basis in NATIONAL_RULES:
        _, made = DeadlineRule.objects.get_or_create(
            code=code,
            unit=None,
            effective_from=RULES_EFFECTIVE_FROM,
            defaults={
                "name": name,
                "amount": amount,
                "day_type": day_type,
                "anchor": anchor,
                "direction": direction,
                "legal_basis": basis,
            },
        )
        created += made
    return created
