"""Demo voter petitions for the demo units: a few hundred, in every state, dated around `context.today`.

The history bypasses the services for speed (bulk_create) but writes the same rows the services would,
with their audit events dated when each step happened, so timelines, lists and statistics look real.
Today's handoffs in Đà Nẵng (a forward, a bulk forward, a return, an answer, an unsatisfactory judgement)
go through the services themselves, so the demo users find the notifications and states a real office
would have under the bell, in their digest and on their home page.
"""

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from coordination.audit import audit_event, audit_record_many
from coordination.deadlines import deadline_compute, deadline_rule_for, due_date_for
from coordination.models import AdministrativeUnit, AgencyKind, AuditEvent, User
from coordination.text import fold
from meetings.models import Meeting, MeetingKind
from voters import services
from voters.models import Answer, Evaluation, Forwarding, Petition

PER_UNIT = {"danang": 90, "hanoi": 80, "thanhhoa": 75, "thainguyen": 45, "govapward": 45}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thanh", "Ngọc", "Quang", "Thu", "Hữu", "Xuân", "Công", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thành",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
STREETS = [
    "Lê Duẩn",
    "Trần Phú",
    "Nguyễn Văn Linh",
    "Hùng Vương",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Phan Châu Trinh",
    "Hai Bà Trưng",
    "Nguyễn Trãi",
    "Lê Lợi",
    "Điện Biên Phủ",
    "Võ Nguyên Giáp",
]
FALLBACK_LOCALITIES = {
    "backan": ["Phường Đức Xuân", "Xã Nông Thượng", "Xã Cẩm Giàng", "Phường Sông Cầu", "Xã Bằng Thành"],
    "govap": ["Phường 1", "Phường 3", "Phường 5", "Phường 10", "Phường 16", "Phường 17"],
    "govapward": ["Khu phố 1", "Khu phố 5", "Khu phố 12", "Khu phố 23", "Khu phố 31", "Khu phố 40"],
}

# field → [(content template, lead department short name)]; {loc} is the locality, {street} a street.
CONTENT = {
    "land": [
        "Cử tri {loc} kiến nghị đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã nộp hồ sơ "
        "từ năm 2024 nhưng đến nay vẫn chưa được cấp.",
        "Cử tri {loc} đề nghị xem xét lại đơn giá bồi thường, hỗ trợ khi thu hồi đất thực hiện dự án mở rộng đường "
        "{street}, vì giá bồi thường thấp hơn nhiều so với giá thị trường.",
        "Cử tri phản ánh tình trạng lấn chiếm đất công, xây dựng trái phép tại khu vực {loc}; đề nghị các cơ quan chức "
        "năng kiểm tra, xử lý dứt điểm.",
        "Cử tri {loc} kiến nghị sớm bàn giao đất tái định cư cho các hộ dân bị ảnh hưởng bởi dự án khu dân cư đã chờ "
        "hơn hai năm.",
    ],
    "infrastructure": [
        "Cử tri {loc} kiến nghị sớm sửa chữa tuyến đường {street} bị xuống cấp nghiêm trọng, nhiều ổ gà gây mất an "
        "toàn giao thông, nhất là vào mùa mưa.",
        "Cử tri {loc} đề nghị lắp đặt hệ thống chiếu sáng công cộng trên tuyến đường liên thôn, hiện nay ban đêm rất "
        "tối, người dân đi lại khó khăn.",
        "Cử tri kiến nghị nạo vét hệ thống thoát nước, khắc phục tình trạng ngập úng mỗi khi mưa lớn tại đường "
        "{street}, {loc}.",
        "Cử tri {loc} đề nghị đầu tư xây dựng cầu dân sinh thay thế cầu tạm đã xuống cấp, học sinh qua lại rất nguy "
        "hiểm.",
    ],
    "social_policy": [
        "Cử tri {loc} kiến nghị xem xét nâng mức trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật có "
        "hoàn cảnh khó khăn.",
        "Cử tri đề nghị sớm chi trả chế độ, chính sách cho cán bộ không chuyên trách cấp xã dôi dư sau khi sắp xếp "
        "đơn vị hành chính.",
        "Cử tri {loc} kiến nghị hỗ trợ xây dựng nhà ở cho hộ nghèo, hộ cận nghèo hiện còn ở nhà tạm, nhà dột nát.",
    ],
    "health": [
        "Cử tri {loc} phản ánh tình trạng thiếu thuốc bảo hiểm y tế tại trạm y tế, người bệnh phải tự mua thuốc bên "
        "ngoài; đề nghị có giải pháp khắc phục.",
        "Cử tri đề nghị bổ sung bác sĩ và trang thiết bị cho trạm y tế {loc} để người dân được khám chữa bệnh ngay "
        "tại địa phương.",
        "Cử tri kiến nghị đơn giản hóa thủ tục thanh toán bảo hiểm y tế khi khám chữa bệnh trái tuyến.",
    ],
    "education": [
        "Cử tri {loc} kiến nghị đầu tư thêm phòng học, nhà vệ sinh cho trường tiểu học, nhiều phòng học đã xuống "
        "cấp, không bảo đảm an toàn.",
        "Cử tri đề nghị có giải pháp chấn chỉnh tình trạng thu các khoản ngoài học phí vào đầu năm học tại các trường "
        "trên địa bàn {loc}.",
        "Cử tri {loc} kiến nghị bố trí đủ giáo viên tiếng Anh, tin học cho các trường ở vùng khó khăn.",
    ],
    "environment": [
        "Cử tri {loc} phản ánh cơ sở chăn nuôi gây ô nhiễm mùi hôi, xả nước thải ra môi trường; đề nghị kiểm tra, xử "
        "lý nghiêm.",
        "Cử tri phản ánh rác thải sinh hoạt tại {loc} không được thu gom thường xuyên, gây ô nhiễm và mất mỹ quan.",
        "Cử tri {loc} kiến nghị xử lý tình trạng khai thác cát trái phép gây sạt lở bờ sông, ảnh hưởng đất sản xuất.",
    ],
    "security": [
        "Cử tri {loc} phản ánh tình trạng thanh thiếu niên tụ tập, đua xe trái phép vào ban đêm trên đường {street}; "
        "đề nghị tăng cường tuần tra.",
        "Cử tri đề nghị tăng cường kiểm tra, xử lý tình trạng cho vay nặng lãi, tín dụng đen trên địa bàn {loc}.",
        "Cử tri {loc} kiến nghị lắp đặt camera an ninh tại các tuyến đường, khu dân cư phức tạp về trật tự.",
    ],
    "economy": [
        "Cử tri {loc} kiến nghị có chính sách hỗ trợ tiêu thụ nông sản cho nông dân khi được mùa mất giá.",
        "Cử tri đề nghị công khai, minh bạch việc sử dụng ngân sách xây dựng nông thôn mới tại {loc}.",
        "Cử tri {loc} kiến nghị hỗ trợ vốn vay ưu đãi cho hộ kinh doanh nhỏ bị ảnh hưởng bởi thiên tai.",
    ],
    "other": [
        "Cử tri đề nghị tiếp tục đơn giản hóa thủ tục hành chính trên môi trường điện tử; nhiều người cao tuổi ở {loc} "
        "gặp khó khăn khi sử dụng dịch vụ công trực tuyến.",
        "Cử tri {loc} kiến nghị sớm ổn định trụ sở làm việc sau sáp nhập để thuận tiện cho người dân đến giao dịch.",
    ],
}
LEAD_BY_FIELD = {
    "land": "Sở NN&MT",
    "environment": "Sở NN&MT",
    "infrastructure": "Sở XD",
    "health": "Sở YT",
    "education": "Sở GD&ĐT",
    "economy": "Sở TC",
    "security": "Công an",
    "social_policy": "BHXH",
}
ANSWERS = {
    "resolved": "Tiếp thu ý kiến cử tri, cơ quan đã chỉ đạo các đơn vị liên quan kiểm tra và triển khai thực hiện; "
    "đến nay nội dung kiến nghị đã được giải quyết xong. Trân trọng thông tin đến cử tri.",
    "in_progress_with_plan": "Nội dung cử tri kiến nghị đã được đưa vào kế hoạch năm 2027; cơ quan đang hoàn thiện "
    "hồ sơ, bố trí nguồn vốn và sẽ triển khai theo lộ trình.",
    "explained": "Vấn đề cử tri nêu đã được thực hiện theo đúng quy định hiện hành; cơ quan xin giải thích cụ thể "
    "căn cứ pháp lý và quy trình giải quyết để cử tri được biết.",
    "not_feasible": "Do nguồn ngân sách năm 2026 còn hạn chế, chưa thể bố trí kinh phí thực hiện; cơ quan sẽ tổng "
    "hợp, xem xét trong giai đoạn tiếp theo khi cân đối được nguồn lực.",
}
RETURN_REASONS = [
    "Nội dung kiến nghị không thuộc thẩm quyền giải quyết của đơn vị; đề nghị chuyển Sở Xây dựng xem xét.",
    "Đây là nội dung thuộc thẩm quyền của UBND cấp xã theo phân cấp sau sắp xếp đơn vị hành chính.",
    "Kiến nghị liên quan chính sách bảo hiểm, thuộc thẩm quyền của cơ quan Bảo hiểm xã hội.",
]
UNSATISFACTORY = [
    "Trả lời chưa đúng trọng tâm, chưa nêu rõ lộ trình và thời gian giải quyết.",
    "Cử tri tiếp tục phản ánh chưa được giải quyết; đề nghị đưa vào nội dung giám sát chuyên đề.",
]

# (state, weight)
STATES = [
    ("received", 8),
    ("classified", 6),
    ("forwarded", 18),
    ("due_soon", 6),
    ("overdue", 14),
    ("returned", 5),
    ("reforwarded", 4),
    ("answered_on_time", 14),
    ("answered_late", 7),
    ("closed", 12),
    ("reopened", 6),  # judged unsatisfactory: re-answer requested
]


@dataclass
class _Plan:
    petition: Petition
    events: list = field(default_factory=list)  # (date, actor, action, summary, changes)
    forwardings: list = field(default_factory=list)  # (Forwarding, supporting list)
    answer: Answer | None = None
    evaluation: Evaluation | None = None


@contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create keep the `created_at` we set, so demo history is dated when it happened."""
    fields = [model._meta.get_field("created_at") for model in models]
    saved = [item.auto_now_add for item in fields]
    for item in fields:
        item.auto_now_add = False
    try:
        yield
    finally:
        for item, value in zip(fields, saved, strict=True):
            item.auto_now_add = value


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _localities(demo_unit, rng):
    names = list(
        AdministrativeUnit.objects.filter(parent=demo_unit.unit, level="commune").values_list("name", flat=True)[:40]
    )
    if not names:
        names = FALLBACK_LOCALITIES.get(demo_unit.key, ["Phường Trung tâm", "Xã Bình An", "Xã Tân Lập"])
    rng.shuffle(names)
    return names[:12]


def _voter(rng, locality):
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    address = f"Số {rng.randint(2, 280)} đường {rng.choice(STREETS)}, {locality}"
    phone = "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return name, address, phone


def seed(context):
    """Add demo petitions to every demo unit that has none yet."""
    users = {user.username: user for user in User.objects.filter(username__contains=".")}
    for key, demo_unit in context.units.items():
        if not demo_unit.is_live:
            continue  # a dissolved unit: petitions after 1 July 2025 are its successor's
        if Petition.objects.filter(unit=demo_unit.unit).exists():
            continue
        with transaction.atomic():
            _seed_unit(context, key, demo_unit, users)
            if key == LIVE_UNIT:
                _live_handoffs(context, demo_unit, users)


LIVE_UNIT = "danang"
LIVE_CONTENT = [
    "Cử tri đề nghị sớm sửa chữa tuyến đường {street} đoạn qua {loc} bị sụt lún, gây nguy hiểm cho người đi đường.",
    "Cử tri {loc} đề nghị nạo vét hệ thống thoát nước trên đường {street} trước mùa mưa bão.",
    "Cử tri {loc} đề nghị bổ sung đèn chiếu sáng công cộng tại các kiệt, hẻm trên đường {street}.",
    "Cử tri {loc} phản ánh tình trạng lấn chiếm vỉa hè trên đường {street}, đề nghị xử lý dứt điểm.",
    "Cử tri {loc} đề nghị đầu tư nhà văn hóa tổ dân phố đã xuống cấp nhiều năm.",
    "Cử tri {loc} đề nghị sớm giải quyết hồ sơ cấp giấy chứng nhận quyền sử dụng đất còn tồn đọng.",
    "Cử tri {loc} đề nghị tăng cường kiểm tra an toàn thực phẩm tại các chợ tạm.",
    "Cử tri {loc} đề nghị lắp đặt biển báo, gờ giảm tốc trước cổng trường tiểu học trên đường {street}.",
]


def _live_handoffs(context, demo_unit, users):
    """Today's handoffs in one unit, made by the services (permissions, deadlines, audit entries and the
    handoff notifications included): intake at the People's Council, a forward to the People's Committee
    with a department supporting, a bulk forward, a return as wrong authority, an answer, and an answer
    judged unsatisfactory (re-answer requested)."""
    hdnd, ubnd = demo_unit.agencies[AgencyKind.HDND], demo_unit.agencies[AgencyKind.UBND]
    council = users.get(f"{LIVE_UNIT}.hdnd.clerk")
    committee = users.get(f"{LIVE_UNIT}.ubnd.clerk")
    if council is None or committee is None:
        return
    rng = random.Random(f"voters-demo-live-{LIVE_UNIT}")  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    localities = _localities(demo_unit, rng)
    created = [
        services.petition_create(
            actor=council,
            originating_agency=hdnd,
            received_on=today,
            source="reception",
            content=text.format(loc=rng.choice(localities), street=rng.choice(STREETS)),
            field="infrastructure",
        )
        for text in LIVE_CONTENT
    ]
    supporting = [demo_unit.departments[0]] if demo_unit.departments else []

    def forward(petition):
        return services.petition_forward(
            actor=council,
            petition=petition,
            agency=ubnd,
            supporting_agencies=supporting,
            dispatch_number=f"{rng.randint(300, 900)}/HĐND-VP",
            dispatch_date=today,
        )

    forward(created[0])
    services.petition_bulk_forward(
        actor=council, petitions=created[1:4], agency=ubnd, dispatch_date=today, dispatch_number="915/HĐND-VP"
    )
    returned, answered, judged = created[4], created[5], created[6]
    for petition in (returned, answered, judged):
        forward(petition)
        petition.refresh_from_db()
    services.petition_return(
        actor=committee, petition=returned, reason="Nội dung thuộc thẩm quyền của UBND cấp xã theo phân cấp."
    )
    for petition in (answered, judged):
        services.petition_answer(
            actor=committee,
            petition=petition,
            version=petition.version,
            text=ANSWERS["explained"],
            document_number=f"{rng.randint(1000, 4800)}/UBND-VP",
            document_date=today,
            outcome="explained",
        )
        petition.refresh_from_db()
    services.petition_evaluate(actor=council, petition=judged, result="unsatisfactory", comment=UNSATISFACTORY[0])


def _seed_unit(context, key, demo_unit, users):
    rng = random.Random(f"voters-demo-{key}")  # noqa: S311 - demo data, not security
    today = context.today
    unit = demo_unit.unit
    agencies = demo_unit.agencies
    by_short = {agency.short_name: agency for agency in demo_unit.departments}
    ubnd = agencies[AgencyKind.UBND]
    originating = [agencies[AgencyKind.HDND]] * 3 + [agencies[AgencyKind.MTTQ]] * 2
    if AgencyKind.DBQH in agencies:
        originating.append(agencies[AgencyKind.DBQH])
    meetings = list(
        Meeting.objects.filter(
            unit=unit,
            kind__in=[
                MeetingKind.VOTER_CONTACT_BEFORE,
                MeetingKind.VOTER_CONTACT_AFTER,
                MeetingKind.CITIZEN_RECEPTION,
                MeetingKind.DIALOGUE,
            ],
            starts_at__date__lte=today,
        ).order_by("-starts_at")[:12]
    )
    localities = _localities(demo_unit, rng)
    rule = deadline_rule_for("petition-answer-local", unit=unit, on_date=today)
    reanswer_rule = deadline_rule_for("petition-reanswer", unit=unit, on_date=today) or rule

    def due_from(day):
        if rule is not None:
            return deadline_compute(rule, day)
        return due_date_for(amount=30, day_type="working", direction="after", anchor_date=day)

    def actor(agency, role="clerk"):
        kind = agency.kind.lower() if agency.kind != AgencyKind.OTHER else "ubnd"
        return users.get(f"{key}.{kind}.{role}") or users.get(f"{key}.ubnd.clerk")

    plans = []
    weights = [weight for _state, weight in STATES]
    states = [state for state, _weight in STATES]
    for _index in range(PER_UNIT.get(key, 40)):
        state = rng.choices(states, weights=weights)[0]
        field_code = rng.choice(list(CONTENT))
        locality = rng.choice(localities)
        content = rng.choice(CONTENT[field_code]).format(loc=locality, street=rng.choice(STREETS))
        origin = rng.choice(originating)
        # How long ago it was received depends on how far it has come.
        age = {
            "received": rng.randint(0, 12),
            "classified": rng.randint(2, 20),
            "forwarded": rng.randint(8, 40),
            "due_soon": 40,
            "overdue": rng.randint(60, 140),
            "returned": rng.randint(10, 35),
            "reforwarded": rng.randint(20, 45),
            "answered_on_time": rng.randint(30, 200),
            "answered_late": rng.randint(80, 220),
            "closed": rng.randint(60, 300),
            "reopened": rng.randint(70, 200),
        }[state]
        received = today - datetime.timedelta(days=age)
        meeting = None
        source = rng.choice(["meeting", "meeting", "meeting", "reception", "writing"])
        if source == "meeting" and meetings:
            meeting = rng.choice(meetings)
            received = min(timezone.localtime(meeting.starts_at).date(), today)
            if meeting.kind == MeetingKind.CITIZEN_RECEPTION:
                source = "reception"
        name, address, phone = _voter(rng, locality)
        petition = Petition(
            unit=unit,
            originating_agency=origin,
            source=source,
            meeting=meeting,
            received_on=received,
            locality=locality,
            voter_name=name if rng.random() > 0.15 else f"Nhóm cử tri {locality}",
            voter_address=address,
            voter_phone=phone if rng.random() > 0.3 else "",
            content=content,
            field=field_code,
            kind="opinion" if rng.random() < 0.2 else "petition",
            competence_level="" if state == "received" else rng.choice(["province", "province", "commune", "central"]),
            status="received",
            created_by=actor(origin),
        )
        petition.search_text = fold(f"{content} {locality}")
        plan = _Plan(petition=petition)
        clerk = actor(origin)
        plan.events.append((received, clerk, "create", "Tiếp nhận kiến nghị", {"source": source, "field": field_code}))
        if state in ("received",):
            plans.append(plan)
            continue
        classify_day = min(received + datetime.timedelta(days=rng.randint(0, 2)), today)
        petition.status = "classified"
        plan.events.append((classify_day, clerk, "classify", "Phân loại", {"field": field_code}))
        if state == "classified":
            plans.append(plan)
            continue
        lead = by_short.get(LEAD_BY_FIELD.get(field_code)) or ubnd
        supporting = [ubnd] if lead != ubnd and rng.random() < 0.4 else []
        dispatch = min(received + datetime.timedelta(days=rng.randint(1, 5)), today)
        if state == "due_soon":
            dispatch = today - datetime.timedelta(days=rng.randint(36, 40))
        number = rng.randint(40, 980)
        prefix = (
            "HĐND-VP"
            if origin.kind == AgencyKind.HDND
            else ("MTTQ-BTT" if origin.kind == AgencyKind.MTTQ else "ĐĐBQH-VP")
        )
        if state in ("returned", "reforwarded"):
            wrong = ubnd if lead != ubnd else (demo_unit.departments[0] if demo_unit.departments else ubnd)
            due = due_from(dispatch)
            returned_day = min(dispatch + datetime.timedelta(days=rng.randint(2, 6)), today)
            first = Forwarding(
                agency=wrong,
                dispatch_number=f"{number}/{prefix}",
                dispatch_date=dispatch,
                due_date=due,
                forwarded_by=clerk,
                acknowledged_at=_at(dispatch + datetime.timedelta(days=1), 10),
                acknowledged_by=actor(wrong),
                returned_at=_at(returned_day, 15),
                returned_by=actor(wrong),
                return_reason=rng.choice(RETURN_REASONS),
                created_at=_at(dispatch),
            )
            plan.forwardings.append((first, []))
            plan.events.append((dispatch, clerk, "forward", f"Chuyển {wrong.name}", {"due_date": due}))
            plan.events.append(
                (
                    returned_day,
                    actor(wrong),
                    "return",
                    "Trả lại: không thuộc thẩm quyền",
                    {"reason": first.return_reason},
                )
            )
            if state == "returned":
                petition.status = "returned"
                plans.append(plan)
                continue
            dispatch = min(returned_day + datetime.timedelta(days=rng.randint(1, 4)), today)
            number += 7
        due = due_from(dispatch)
        forwarding = Forwarding(
            agency=lead,
            dispatch_number=f"{number}/{prefix}",
            dispatch_date=dispatch,
            due_date=due,
            forwarded_by=clerk,
            created_at=_at(dispatch),
        )
        if rng.random() < 0.75 and dispatch < today:
            forwarding.acknowledged_at = _at(dispatch + datetime.timedelta(days=1), 10)
            forwarding.acknowledged_by = actor(lead)
        plan.forwardings.append((forwarding, supporting))
        action = "reforward" if state == "reforwarded" else "forward"
        plan.events.append((dispatch, clerk, action, f"Chuyển {lead.name}, hạn {due:%d/%m/%Y}", {"due_date": due}))
        petition.status = "forwarded"
        petition.lead_agency = lead
        petition.due_date = due
        if state in ("forwarded", "due_soon", "overdue", "reforwarded"):
            plans.append(plan)
            continue
        # Answered (on time or late), then perhaps judged.
        if state == "answered_late":
            answer_day = min(due + datetime.timedelta(days=rng.randint(3, 25)), today)
        else:
            span = max((min(due, today) - dispatch).days, 1)
            answer_day = dispatch + datetime.timedelta(days=rng.randint(max(span // 3, 1), span))
        outcome = rng.choice(["resolved", "resolved", "in_progress_with_plan", "explained", "not_feasible"])
        agency_code = {"Sở NN&MT": "SNNMT", "Sở XD": "SXD", "Sở YT": "SYT", "Sở GD&ĐT": "SGDĐT", "Sở TC": "STC"}
        answer = Answer(
            forwarding=forwarding,
            agency=lead,
            text=ANSWERS[outcome],
            document_number=f"{rng.randint(100, 4800)}/{agency_code.get(lead.short_name, 'UBND')}-VP",
            document_date=answer_day,
            outcome=outcome,
            due_date=due,
            plan="Bố trí vốn, tổ chức thi công theo kế hoạch đầu tư công năm 2027."
            if outcome == "in_progress_with_plan"
            else "",
            target_date=today + datetime.timedelta(days=rng.randint(60, 240))
            if outcome == "in_progress_with_plan"
            else None,
            answered_by=actor(lead),
            created_at=_at(answer_day, 14),
        )
        plan.answer = answer
        plan.events.append(
            (
                answer_day,
                actor(lead),
                "answer",
                f"{lead.name} trả lời",
                {"outcome": outcome, "on_time": answer_day <= due},
            )
        )
        petition.status = "answered"
        petition.answered_on = answer_day
        petition.outcome = outcome
        if state in ("answered_on_time", "answered_late"):
            plans.append(plan)
            continue
        judge = agencies[AgencyKind.HDND] if rng.random() < 0.6 else agencies[AgencyKind.MTTQ]
        judge_day = min(answer_day + datetime.timedelta(days=rng.randint(3, 20)), today)
        if state == "closed":
            plan.evaluation = Evaluation(
                agency=judge, result="satisfactory", evaluated_by=actor(judge), created_at=_at(judge_day, 16)
            )
            petition.status = "closed"
            plan.events.append((judge_day, actor(judge), "close", "Đánh giá: đạt yêu cầu; đóng", {}))
        else:
            comment = rng.choice(UNSATISFACTORY)
            reanswer_due = deadline_compute(reanswer_rule, judge_day) if reanswer_rule else due_from(judge_day)
            plan.evaluation = Evaluation(
                agency=judge,
                result="unsatisfactory",
                comment=comment,
                reanswer_due_date=reanswer_due,
                evaluated_by=actor(judge),
                created_at=_at(judge_day, 16),
            )
            petition.status = "reanswer"
            petition.flagged_for_supervision = True
            petition.due_date = reanswer_due
            petition.answered_on = None
            petition.outcome = ""
            plan.events.append(
                (
                    judge_day,
                    actor(judge),
                    "reanswer",
                    f"Đánh giá: chưa đạt; yêu cầu trả lời lại trước {reanswer_due:%d/%m/%Y}",
                    {"comment": comment, "due_date": reanswer_due},
                )
            )
        plans.append(plan)

    _add_duplicates(rng, plans, today, users, key, originating)
    _save(plans, unit)


def _add_duplicates(rng, plans, today, users, key, originating):
    """A few petitions repeated at other meetings, grouped under the first one."""
    candidates = [plan for plan in plans if plan.petition.status in ("forwarded", "answered", "closed")]
    rng.shuffle(candidates)
    for primary in candidates[:5]:
        for _copy in range(rng.randint(1, 3)):
            source = primary.petition
            locality = source.locality
            name, address, phone = _voter(rng, locality)
            received = max(
                source.received_on - datetime.timedelta(days=rng.randint(0, 10)), today - datetime.timedelta(days=400)
            )
            member = Petition(
                unit=source.unit,
                originating_agency=rng.choice(originating),
                source="meeting",
                meeting=source.meeting,
                received_on=received,
                locality=locality,
                voter_name=name,
                voter_address=address,
                voter_phone=phone,
                content=source.content.replace("Cử tri", "Nhiều cử tri", 1),
                field=source.field,
                kind=source.kind,
                competence_level=source.competence_level,
                status=source.status,
                lead_agency=source.lead_agency,
                due_date=source.due_date,
                answered_on=source.answered_on,
                outcome=source.outcome,
                flagged_for_supervision=source.flagged_for_supervision,
                created_by=source.created_by,
            )
            member.search_text = fold(f"{member.content} {locality}")
            plan = _Plan(petition=member)
            plan.events.append((received, source.created_by, "create", "Tiếp nhận kiến nghị", {}))
            plan.events.append(
                (received + datetime.timedelta(days=1), source.created_by, "merge", "Gộp vào kiến nghị trùng", {})
            )
            plan.duplicate_of = primary
            plans.append(plan)


def _save(plans, unit):
    with _explicit_timestamps(Forwarding, Answer, Evaluation, AuditEvent):
        petitions = Petition.objects.bulk_create([plan.petition for plan in plans])
        # Group members point at their primary once both have keys.
        members = []
        for plan in plans:
            primary = getattr(plan, "duplicate_of", None)
            if primary is not None:
                plan.petition.primary_id = primary.petition.pk
                members.append(plan.petition)
        Petition.objects.bulk_update(members, ["primary"])
        forwardings, supporting_links = [], []
        for plan in plans:
            for forwarding, supporting in plan.forwardings:
                forwarding.petition = plan.petition
                forwardings.append((forwarding, supporting))
        Forwarding.objects.bulk_create([item for item, _supporting in forwardings])
        through = Forwarding.supporting_agencies.through
        for forwarding, supporting in forwardings:
            for agency in supporting:
                supporting_links.append(through(forwarding_id=forwarding.pk, agency_id=agency.pk))
        through.objects.bulk_create(supporting_links)
        answers = []
        for plan in plans:
            if plan.answer is not None:
                plan.answer.petition = plan.petition
                answers.append(plan.answer)
        Answer.objects.bulk_create(answers)
        evaluations = []
        for plan in plans:
            if plan.evaluation is not None:
                plan.evaluation.petition = plan.petition
                plan.evaluation.answer = plan.answer
                evaluations.append(plan.evaluation)
        Evaluation.objects.bulk_create(evaluations)
        events = []
        for plan in plans:
            for day, actor, action, summary, changes in plan.events:
                event = audit_event(actor=actor, obj=plan.petition, action=action, changes=changes, summary=summary)
                event.created_at = _at(day, 8 + len(events) % 9)  # the history happened on its own days
                events.append(event)
        audit_record_many(events, batch_size=500)
    # The folded text includes the reference, known only now.
    for petition in petitions:
        petition.search_text = fold(f"{petition.reference} {petition.content} {petition.locality}")
    Petition.objects.bulk_update(petitions, ["search_text"], batch_size=500)
