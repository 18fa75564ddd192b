"""Demo work programmes and reviews of a period, as the seed reports state them.

- Hà Nội (seed 004, "Nâng cao chất lượng hoạt động HĐND các cấp", 25/01/2020): the Standing Committee's
  Chương trình công tác số 01/CTr-HĐND ngày 07/01/2019 "của Thường trực, các Ban và Văn phòng HĐND", 273 items
  (+8.3% on 2018, +56.9% on 2017), all completed on time, and 361 newly arising tasks, under the year's theme
  "Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị". The report gives only the 2019 figures and the
  two percentages: the 2018 and 2017 programmes here are invented (marked "dữ liệu minh họa") with the planned
  counts that give exactly those percentages, 252 and 174 (273/252 = +8.33%, 273/174 = +56.90%); so are the
  items' titles and due months. Hà Nội's 2019 programme is tied to no charter (the demo's Hà Nội charter is the
  2021–2026 one).
- Gò Vấp (seed 002, 31/05/2019): the conference of that day reviewed the charter over 15/4/2018–15/4/2019
  (sơ kết "năm 2018"); the review is a period review with the conference's assessment and the directions given
  there, and the conference is a meeting of 31/05/2019.

The programmes are recorded through the service, as the city's clerk; their items, all done, are bulk-created
(as the reviews demo writes its petitions). Idempotent: each record is looked up before it is written.
"""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from charters.models import Charter, Task, TaskOrigin, TaskStatus, WorkProgramme
from charters.reviews.models import AnnualReview, ReviewKind
from charters.reviews.services import review_create, review_update
from charters.services import work_programme_create
from coordination.models import Agency, AgencyKind, Membership, Role, User
from meetings.models import Meeting, MeetingKind

DEMO_NOTE = "dữ liệu minh họa"
HANOI_THEME = "Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị"
HANOI_TITLE = "Chương trình công tác năm {year} của Thường trực, các Ban và Văn phòng HĐND Thành phố"
# (year, number, issued on, planned, arising, stated by the seed)
HANOI_PROGRAMMES = [
    (2017, "01/CTr-HĐND", datetime.date(2017, 1, 6), 174, 0, False),
    (2018, "01/CTr-HĐND", datetime.date(2018, 1, 5), 252, 0, False),
    (2019, "01/CTr-HĐND", datetime.date(2019, 1, 7), 273, 361, True),
]
# The Hà Nội council's own bodies that carry the programme's items (agencies of kind OTHER of the city).
HANOI_COUNCIL_BODIES = [
    ("Ban Pháp chế HĐND thành phố Hà Nội", "Ban Pháp chế"),
    ("Ban Kinh tế - Ngân sách HĐND thành phố Hà Nội", "Ban KT-NS"),
    ("Ban Văn hóa - Xã hội HĐND thành phố Hà Nội", "Ban VH-XH"),
    ("Ban Đô thị HĐND thành phố Hà Nội", "Ban Đô thị"),
    ("Văn phòng HĐND thành phố Hà Nội", "Văn phòng HĐND"),
]
# Invented item titles, by the body in charge (index into [Thường trực, *HANOI_COUNCIL_BODIES]).
PLANNED_TITLES = [
    (0, "Tổ chức hội nghị giao ban Thường trực HĐND Thành phố với Thường trực HĐND quận, huyện, thị xã"),
    (0, "Chuẩn bị nội dung, chương trình kỳ họp HĐND Thành phố"),
    (1, "Thẩm tra báo cáo công tác phòng, chống tội phạm và vi phạm pháp luật trình kỳ họp"),
    (1, "Giám sát việc giải quyết khiếu nại, tố cáo của công dân"),
    (2, "Thẩm tra dự toán ngân sách và kế hoạch đầu tư công trình kỳ họp"),
    (2, "Khảo sát tình hình thực hiện các nghị quyết của HĐND về kinh tế - ngân sách"),
    (3, "Giám sát việc thực hiện chính sách an sinh xã hội trên địa bàn"),
    (3, "Thẩm tra các tờ trình về văn hóa, giáo dục, y tế trình kỳ họp"),
    (4, "Giám sát công tác quản lý trật tự xây dựng đô thị"),
    (4, "Khảo sát việc thực hiện quy hoạch và quản lý hạ tầng đô thị"),
    (5, "Tổng hợp ý kiến, kiến nghị cử tri trước và sau kỳ họp"),
    (5, "Bảo đảm điều kiện phục vụ hoạt động của Thường trực, các Ban HĐND"),
]
ARISING_TITLES = [
    (0, "Chỉ đạo giải quyết nội dung phát sinh theo yêu cầu của Thành ủy"),
    (0, "Tổ chức phiên giải trình về vấn đề cử tri quan tâm phát sinh"),
    (1, "Khảo sát đột xuất việc giải quyết đơn thư đông người"),
    (2, "Thẩm tra tờ trình bổ sung dự toán ngân sách phát sinh giữa hai kỳ họp"),
    (3, "Giám sát đột xuất công tác bảo đảm an toàn thực phẩm"),
    (4, "Làm việc với các sở về vướng mắc trong quản lý đô thị phát sinh"),
    (5, "Chuẩn bị hồ sơ kỳ họp chuyên đề phát sinh"),
]

GO_VAP_CHARTER = "01/QCPH-HĐND-UBND-UBMTTQ"
GO_VAP_PERIOD = (datetime.date(2018, 4, 15), datetime.date(2019, 4, 15))
GO_VAP_CONFERENCE = datetime.date(2019, 5, 31)
GO_VAP_ASSESSMENT = (
    "Công tác phối hợp luôn bám sát Nghị quyết của Quận ủy - Ban Thường vụ Quận ủy, với những yêu cầu thiết thực "
    "để phát triển địa phương, những vấn đề cử tri quan tâm, bức xúc, từ đó có sự điều chỉnh, bổ sung kịp thời "
    "các chủ trương, kế hoạch phù hợp với tình hình thực tiễn. Duy trì tốt chế độ trao đổi thông tin giữa các đơn "
    "vị, tạo sự thống nhất trong việc giải quyết các vấn đề phát sinh có liên quan đến công tác phối hợp.\n\n"
    "Thường trực Hội đồng Nhân dân - Ủy ban Nhân dân và Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam Quận có "
    "nhiều đổi mới, nâng cao chất lượng phối hợp trên từng mặt công tác và đạt kết quả tốt. Những kết quả nêu "
    "trên đã góp phần tích cực trong việc tổ chức thực hiện và hoàn thành tốt các chỉ tiêu, nhiệm vụ phát triển "
    "kinh tế - xã hội của Quận, nhất là trong phối hợp triển khai thực hiện Nghị quyết số 54/2017/QH14 của Quốc "
    "hội về thí điểm cơ chế chính sách đặc thù phát triển Thành phố."
)
GO_VAP_CONCLUSIONS = (
    "Đồng chí Sử Ngọc Anh, Thành ủy viên, Bí thư Quận ủy đánh giá cao tinh thần nỗ lực phối hợp công tác giữa "
    "Thường trực Hội đồng Nhân dân, Thường trực Ủy ban Nhân dân và Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt "
    "Nam Quận thời gian qua và đề nghị tập trung những nhiệm vụ trọng tâm:\n"
    "- Phối hợp chặt chẽ trong công tác chuẩn bị các kỳ họp Hội đồng Nhân dân Quận; hoạt động giải trình; hoạt "
    "động giám sát; hoạt động tiếp xúc cử tri; tiếp công dân, tiếp nhận và chuyển kịp thời đơn thư khiếu nại, tố "
    "cáo và kiến nghị của công dân đến cơ quan có thẩm quyền xem xét, giải quyết.\n"
    "- Tiếp tục phối hợp tuyên truyền về những nội dung cơ bản của các luật đã được thông qua trong năm 2018 và "
    "các dự án luật dự kiến trình Quốc hội thông qua trong năm 2019; Nghị quyết số 54/2017/QH14 của Quốc hội.\n"
    "- Đẩy mạnh các phong trào thi đua yêu nước, các cuộc vận động do Mặt trận Tổ quốc Việt Nam Quận phát động; "
    "thực hiện có hiệu quả chủ đề năm 2019 “Năm đột phá cải cách hành chính và thực hiện Nghị quyết số 54 của "
    "Quốc hội”.\n"
    "- Tăng cường trao đổi thông tin giữa 3 Thường trực và các bộ phận chuyên môn, đội ngũ cán bộ, công chức của "
    "3 cơ quan."
)


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _council_bodies(demo_unit):
    bodies = [demo_unit.agencies[AgencyKind.HDND]]
    for name, short in HANOI_COUNCIL_BODIES:
        agency, _created = Agency.objects.get_or_create(
            unit=demo_unit.unit, kind=AgencyKind.OTHER, name=name, defaults={"short_name": short}
        )
        bodies.append(agency)
    return bodies


def _items(programme, bodies, planned, arising, *, invented):
    """Every item done on time, as the report states for 2019: a planned item is due in a month (its last day),
    an arising one on a day; completed a few days before."""
    suffix = f" ({DEMO_NOTE})" if invented else ""
    tasks = []
    for index in range(planned):
        body, title = PLANNED_TITLES[index % len(PLANNED_TITLES)]
        due = _month_end(programme.year, index * 12 // planned + 1)
        tasks.append((f"{title}, nội dung {index + 1}{suffix}", bodies[body], due, True, TaskOrigin.PLANNED))
    for index in range(arising):
        body, title = ARISING_TITLES[index % len(ARISING_TITLES)]
        due = datetime.date(programme.year, 1, 10) + datetime.timedelta(days=index * 350 // max(arising, 1))
        tasks.append((f"{title}, nhiệm vụ {index + 1}", bodies[body], due, False, TaskOrigin.ARISING))
    Task.objects.bulk_create(
        [
            Task(
                unit=programme.unit,
                programme=programme,
                title=title,
                responsible_agency=agency,
                due_date=due,
                due_in_month=in_month,
                origin=origin,
                status=TaskStatus.DONE,
                completed_on=due - datetime.timedelta(days=(number % 5) + 1),
                evidence_note="Đã hoàn thành đúng thời gian, tiến độ và chất lượng.",
            )
            for number, (title, agency, due, in_month, origin) in enumerate(tasks)
        ],
        batch_size=1000,
    )


def _hanoi(context):
    demo_unit = context.units.get("hanoi")
    if demo_unit is None or AgencyKind.HDND not in demo_unit.agencies:
        return
    bodies = _council_bodies(demo_unit)
    clerk = User.objects.filter(username=f"{demo_unit.key}.hdnd.clerk").first() or context.admin
    for year, number, issued_on, planned, arising, stated in HANOI_PROGRAMMES:
        if WorkProgramme.objects.filter(unit=demo_unit.unit, year=year, number=number).exists():
            continue
        programme = work_programme_create(
            actor=clerk,
            unit=demo_unit.unit,
            year=year,
            number=number,
            issued_on=issued_on,
            issuer=demo_unit.agencies[AgencyKind.HDND],
            title=HANOI_TITLE.format(year=year) + ("" if stated else f" ({DEMO_NOTE})"),
            theme=HANOI_THEME if stated else "",
            idempotency_token=f"demo-work-programme-hanoi-{year}",
        )
        _items(programme, bodies, planned, arising, invented=not stated)


def _go_vap(context):
    demo_unit = context.units.get("govap")
    charter = demo_unit and Charter.objects.filter(unit=demo_unit.unit, number=GO_VAP_CHARTER).first()
    if charter is None:
        return
    hdnd = demo_unit.agencies[AgencyKind.HDND]
    start, end = GO_VAP_PERIOD
    conference_at = timezone.make_aware(datetime.datetime.combine(GO_VAP_CONFERENCE, datetime.time(8)))
    if not Meeting.objects.filter(
        unit=demo_unit.unit, kind=MeetingKind.REVIEW_CONFERENCE, starts_at__date=GO_VAP_CONFERENCE
    ).exists():
        meeting = Meeting.objects.create(
            title="Hội nghị sơ kết thực hiện Quy chế phối hợp công tác năm 2018 (từ ngày 15/4/2018 đến ngày 15/4/2019)",
            kind=MeetingKind.REVIEW_CONFERENCE,
            unit=demo_unit.unit,
            host_agency=hdnd,
            charter=charter,
            starts_at=conference_at,
            ends_at=conference_at + datetime.timedelta(hours=3),
            chair="Thân Trọng Minh",
            minutes_text=GO_VAP_ASSESSMENT + "\n\n" + GO_VAP_CONCLUSIONS,
        )
        meeting.participating_agencies.set(
            [agency for kind, agency in demo_unit.agencies.items() if kind != AgencyKind.HDND]
        )
    if AnnualReview.objects.filter(
        charter=charter, kind=ReviewKind.PERIOD, period_start=start, period_end=end
    ).exists():
        return
    secretariat = Membership.objects.filter(agency=hdnd, role=Role.SECRETARIAT).select_related("user").first()
    actor = secretariat.user if secretariat else context.admin
    review = review_create(
        actor=actor,
        charter=charter,
        year=2018,
        kind=ReviewKind.PERIOD,
        period_start=start,
        period_end=end,
        idempotency_token=f"demo-review-{charter.pk}-2018-04-15",
        today=GO_VAP_CONFERENCE,
    )
    # The conference's own words (seed 002) replace the pre-filled assessment and conclusions (version 2).
    review_update(
        actor=actor,
        review=review,
        version=review.version,
        general_assessment=GO_VAP_ASSESSMENT,
        conference_conclusions=GO_VAP_CONCLUSIONS,
        issued_on=GO_VAP_CONFERENCE,
    )


@transaction.atomic
def seed(context):
    _hanoi(context)
    _go_vap(context)
