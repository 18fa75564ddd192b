"""Demo data of the reviews: the 2025 review of each demo unit's charter in force, as a draft (no PDF rendered).

The voters demo dates its petitions around today (2026), so a 2025 review would have no petitions to count:
this seeder first adds the 2024 and 2025 petitions of the units under review (answered, late, overdue,
returned, judged unsatisfactory — as a real year looks), so the report and its year-on-year comparison
have figures. Bulk-created, idempotent (skipped when the unit already has petitions in that year).
"""

import datetime
import random

from django.db import transaction

from charters.models import Charter, CharterStatus
from charters.reviews.models import AnnualReview, ReviewKind
from charters.reviews.services import review_create
from coordination.models import AgencyKind, Membership, Role
from coordination.text import fold
from voters.models import Answer, Evaluation, EvaluationResult, Field, Forwarding, Outcome, Petition, Source, Status

DEMO_YEAR = 2025
HISTORY = {2024: 96, 2025: 124}  # petitions per unit and year

CONTENT = {
    Field.LAND: [
        "Đề nghị đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã nộp hồ sơ từ lâu.",
        "Đề nghị xem xét lại đơn giá bồi thường, hỗ trợ khi thu hồi đất thực hiện dự án mở rộng đường.",
    ],
    Field.INFRASTRUCTURE: [
        "Tuyến đường liên xã xuống cấp nghiêm trọng, nhiều ổ gà, đề nghị sớm bố trí vốn sửa chữa.",
        "Đề nghị lắp đặt hệ thống chiếu sáng và đèn tín hiệu giao thông tại nút giao thường xảy ra tai nạn.",
    ],
    Field.ENVIRONMENT: [
        "Tình trạng ngập úng cục bộ mỗi khi mưa lớn do hệ thống thoát nước quá tải, đề nghị khắc phục.",
        "Đề nghị xử lý dứt điểm điểm tập kết rác tự phát gây ô nhiễm môi trường khu dân cư.",
    ],
    Field.SOCIAL_POLICY: [
        "Đề nghị xem xét giải quyết chế độ cho người có công và thân nhân còn vướng mắc hồ sơ.",
        "Đề nghị nâng mức hỗ trợ cho hộ nghèo, hộ cận nghèo và người cao tuổi không có lương hưu.",
    ],
    Field.HEALTH: ["Đề nghị bổ sung thuốc bảo hiểm y tế và bác sĩ cho trạm y tế xã, giảm quá tải tuyến trên."],
    Field.EDUCATION: ["Trường tiểu học thiếu phòng học, đề nghị đầu tư xây dựng thêm để học sinh học hai buổi/ngày."],
    Field.SECURITY: ["Đề nghị tăng cường tuần tra, xử lý tình trạng đua xe trái phép vào ban đêm."],
    Field.ECONOMY: ["Đề nghị có chính sách hỗ trợ vốn, tiêu thụ sản phẩm cho hộ kinh doanh nhỏ và hợp tác xã."],
}
FIELD_WEIGHTS = {
    Field.LAND: 24,
    Field.INFRASTRUCTURE: 22,
    Field.ENVIRONMENT: 14,
    Field.SOCIAL_POLICY: 14,
    Field.HEALTH: 8,
    Field.EDUCATION: 8,
    Field.SECURITY: 6,
    Field.ECONOMY: 4,
}
ANSWER_TEXT = (
    "Tiếp thu ý kiến cử tri, cơ quan đã chỉ đạo các đơn vị liên quan kiểm tra, xử lý; kết quả đã thông tin đến cử tri."
)


def _day(rng, year, start_month=1, end_month=12):
    start = datetime.date(year, start_month, 1)
    end = datetime.date(year, end_month, 28)
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _add(day, days):
    return day + datetime.timedelta(days=days)


def _history_seed(demo_unit, year, count):
    unit = demo_unit.unit
    if Petition.objects.filter(unit=unit, received_on__year=year).exists():
        return
    rng = random.Random(f"review-demo-{demo_unit.key}-{year}")  # noqa: S311 - demo data, not security
    agencies = demo_unit.agencies
    originating = [agencies[kind] for kind in (AgencyKind.HDND, AgencyKind.MTTQ, AgencyKind.DBQH) if kind in agencies]
    leads = (
        [agencies[AgencyKind.UBND], *demo_unit.departments] if AgencyKind.UBND in agencies else demo_unit.departments
    )
    if not originating or not leads:
        return
    year_end = datetime.date(year, 12, 31)
    fields = list(FIELD_WEIGHTS)
    weights = list(FIELD_WEIGHTS.values())
    plans = []
    for _index in range(count):
        field = rng.choices(fields, weights)[0]
        received = _day(rng, year)
        roll = rng.random()
        plan = {"field": field, "received": received, "origin": rng.choice(originating), "lead": rng.choice(leads)}
        if roll < 0.06 and received.month < 12:
            plan["state"] = "not_forwarded"
        else:
            forwarded = _add(received, rng.randint(3, 12))
            plan.update(forwarded=forwarded, due=_add(forwarded, 30))
            if roll < 0.10:
                plan["state"] = "returned"
            elif roll < 0.20 and plan["due"] < year_end:
                plan["state"] = "overdue"
            elif plan["due"] >= year_end and roll < 0.30:
                plan["state"] = "waiting"
            else:
                late = rng.random() < 0.18
                answered = _add(forwarded, rng.randint(32, 60) if late else rng.randint(8, 29))
                plan.update(state="answered", answered=answered, unsatisfactory=rng.random() < 0.05)
        plans.append(plan)

    petitions = []
    for plan in plans:
        content = rng.choice(CONTENT[plan["field"]])
        state = plan["state"]
        status = {
            "not_forwarded": Status.CLASSIFIED,
            "returned": Status.RETURNED,
            "overdue": Status.FORWARDED,
            "waiting": Status.FORWARDED,
            "answered": Status.CLOSED,
        }[state]
        petitions.append(
            Petition(
                unit=unit,
                originating_agency=plan["origin"],
                source=Source.MEETING if rng.random() < 0.8 else Source.RECEPTION,
                received_on=plan["received"],
                content=content,
                field=plan["field"],
                status=status,
                lead_agency=plan["lead"] if state in ("overdue", "waiting", "answered") else None,
                due_date=plan.get("due") if state in ("overdue", "waiting", "answered") else None,
                answered_on=plan.get("answered"),
                outcome=Outcome.RESOLVED if state == "answered" else "",
                search_text=fold(content),
            )
        )
    petitions = Petition.objects.bulk_create(petitions)
    forwardings = []
    for petition, plan in zip(petitions, plans, strict=True):
        if "forwarded" not in plan:
            continue
        forwarding = Forwarding(
            petition=petition, agency=plan["lead"], dispatch_date=plan["forwarded"], due_date=plan["due"]
        )
        if plan["state"] == "returned":
            forwarding.returned_at = _at(_add(plan["forwarded"], 7))
            forwarding.return_reason = "Nội dung kiến nghị không thuộc thẩm quyền giải quyết của cơ quan."
        forwardings.append(forwarding)
    forwardings = Forwarding.objects.bulk_create(forwardings)
    by_petition = {forwarding.petition_id: forwarding for forwarding in forwardings}
    answers = [
        Answer(
            petition=petition,
            forwarding=by_petition[petition.pk],
            agency=plan["lead"],
            text=ANSWER_TEXT,
            document_number=f"{rng.randint(100, 4999)}/UBND-VP",
            document_date=plan["answered"],
            outcome=Outcome.RESOLVED,
        )
        for petition, plan in zip(petitions, plans, strict=True)
        if plan["state"] == "answered"
    ]
    answers = Answer.objects.bulk_create(answers)
    plan_of = {petition.pk: plan for petition, plan in zip(petitions, plans, strict=True)}
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                petition_id=answer.petition_id,
                answer=answer,
                agency=originating[0],
                result=EvaluationResult.UNSATISFACTORY,
                comment="Trả lời chưa đúng trọng tâm, chưa nêu rõ lộ trình và thời gian giải quyết.",
            )
            for answer in answers
            if plan_of[answer.petition_id].get("unsatisfactory")
        ]
    )


def _at(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


# Reviews of charters no longer in force, as the seeds report them: Bắc Kạn reviewed its 2023 charter year.
PAST_REVIEWS = [("backan", "03/QCPH-HĐND-UBND-UBMTTQ", 2023)]


def _past_reviews(context):
    for key, number, year in PAST_REVIEWS:
        demo_unit = context.units.get(key)
        charter = demo_unit and Charter.objects.filter(unit=demo_unit.unit, number=number).first()
        if charter is None or charter.status == CharterStatus.DRAFT:
            continue
        if AnnualReview.objects.filter(charter=charter, year=year, kind=ReviewKind.ANNUAL).exists():
            continue
        review_create(
            actor=context.admin,
            charter=charter,
            year=year,
            kind=ReviewKind.ANNUAL,
            idempotency_token=f"demo-review-{charter.pk}-{year}",
            today=context.today,
        )


@transaction.atomic
def seed(context):
    _past_reviews(context)
    for demo_unit in context.units.values():
        if not demo_unit.is_live:
            continue
        charter = (
            Charter.objects.filter(unit=demo_unit.unit, status=CharterStatus.IN_FORCE)
            .order_by("-effective_from")
            .first()
        )
        if charter is None:
            continue
        for year, count in HISTORY.items():
            if demo_unit.active_from is None:  # a ward formed in 2025 has no history of its own
                _history_seed(demo_unit, year, count)
        if AnnualReview.objects.filter(charter=charter, year=DEMO_YEAR, kind=ReviewKind.ANNUAL).exists():
            continue
        secretariat = (
            Membership.objects.filter(agency__in=charter.parties.all(), role=Role.SECRETARIAT)
            .select_related("user")
            .order_by("agency__kind")
            .first()
        )
        review_create(
            actor=secretariat.user if secretariat else context.admin,
            charter=charter,
            year=DEMO_YEAR,
            kind=ReviewKind.ANNUAL,
            idempotency_token=f"demo-review-{charter.pk}-{DEMO_YEAR}",
            today=context.today,
        )
