"""The seeds' own conferences, as the source reports tell them: who attended with which title, what was
reviewed, the shortcomings found and the directions given. Written through the meetings services (audit
entries included) after the charters exist; idempotent by a fixed token per meeting.

Seed 000: Đà Nẵng, afternoon of 19/10/2021 — the review of Quy chế 35/QCPH (1/7/2017) and the signing of the
new charter. Seed 001: Bắc Kạn, morning of 31/01/2024 — the review of the charter's year 2023. Seed 003:
Thanh Hóa, afternoon of 21/9/2021 — the signing conference of the 2021–2026 charter, witnessed by the
province's leaders. (Gò Vấp's review of 31/5/2019 and Hà Nội's 2019 programme live in the work-programme demo.)
Times of day the seeds give only as "sáng"/"chiều" are set to 08:00 and 14:00.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from charters.models import Charter
from coordination.models import AdministrativeUnit, Agency, AgencyKind, CoordinationArea, UnitLevel
from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingSubkind

DEMO_MARK = "(dữ liệu minh họa)"
STORY_NAMESPACE = uuid.UUID("0c7e36a4-5d0f-4b8e-9a52-41b2a3f0d019")
H, U, M, D = AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ, AgencyKind.DBQH


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


BAC_KAN_SHORTCOMINGS = [
    "Chất lượng một số tờ trình chưa cao; còn có nội dung tờ trình dự thảo nghị quyết, báo cáo tiếp thu giải trình "
    "chưa được đại biểu HĐND tỉnh đánh giá cao",
    "Một số tờ trình, báo cáo tiếp thu giải trình gửi chậm so với thời gian quy định",
    "UBND tỉnh chưa chủ động rà soát, báo cáo kịp thời các nội dung phát sinh cần trình HĐND tỉnh, dẫn đến có nội "
    "dung phải trình, thẩm tra ngay tại kỳ họp",
    "Thường trực HĐND chưa chỉ đạo sát sao các Ban HĐND trong việc rà soát, kiến nghị UBND tỉnh điều chỉnh, thay "
    "thế, bổ sung các nghị quyết của HĐND hoặc các văn bản mới của Trung ương có nội dung cần phải thông qua HĐND",
    "Một số cơ quan, tổ chức, đơn vị, địa phương chưa nghiêm túc thực hiện xây dựng báo cáo theo yêu cầu của Đoàn "
    "giám sát, khảo sát, thậm chí có tổ chức không gửi báo cáo giám sát mặc dù được thông báo, đôn đốc",
    "Một số nội dung kiến nghị sau giám sát chậm hoặc chưa được thực hiện, ảnh hưởng đến chất lượng, hiệu quả hoạt "
    "động giám sát của HĐND tỉnh",
    "Một số ý kiến của cử tri phản ánh chưa đầy đủ, chưa chính xác nên việc trả lời, giải quyết chưa đúng theo ý "
    "kiến cử tri",
    "Một số ý kiến, kiến nghị của cử tri chưa được giải quyết do khó khăn về bố trí vốn đầu tư xây dựng công trình",
    "Một số ý kiến, kiến nghị chuyển chưa đúng thẩm quyền giải quyết",
    "Việc trả lời, giải quyết kiến nghị của một số cử tri của các cơ quan liên quan có lúc chưa kịp thời, chưa trả "
    "lời đúng trọng tâm kiến nghị của cử tri, chưa nêu được hướng giải quyết, thời gian giải quyết",
]

BAC_KAN_DIRECTIONS = [
    ("Thống nhất tiếp tục thực hiện quy chế phối hợp số 03/QCPH-HĐND-UBND-UBMTTQ ngày 07/02/2023.", None),
    (
        "Các cơ quan, đơn vị trong quá trình phối hợp cần bám sát nội dung Quy chế, phát huy cao nhất tinh thần chủ "
        "động, tích cực trao đổi, chia sẻ thông tin, tận dụng tối đa thế mạnh của mỗi cơ quan, đơn vị để phối hợp "
        "triển khai thực hiện có hiệu quả các nhiệm vụ.",
        None,
    ),
    (
        "Mỗi cơ quan cần chủ động thông tin, báo cáo đột xuất, định kỳ theo yêu cầu của quy chế phối hợp, quan tâm, "
        "kịp thời điều chỉnh, bổ sung những nội dung mới để công tác phối hợp bảo đảm sát thực tiễn.",
        None,
    ),
    (
        "Ngay sau Hội nghị, từng cơ quan triển khai đầy đủ các nội dung tới các đơn vị trực thuộc để việc thực hiện "
        "Quy chế đạt kết quả cao.",
        None,
    ),
]

DA_NANG_DIRECTIONS = [
    (
        "Đoàn đại biểu Quốc hội thành phố tiếp tục có tiếng nói giúp UBND thành phố với các Bộ, ngành Trung ương "
        "nhằm tạo sự quan tâm, sớm giải quyết đối với những kiến nghị của thành phố (đề nghị của Chủ tịch UBND "
        "thành phố Lê Trung Chinh).",
        D,
    ),
    (
        "Ủy ban MTTQ Việt Nam thành phố tiếp tục phát huy công tác giám sát, phản biện xã hội; tuyên truyền, vận "
        "động nhân dân đồng thuận, thực hiện các chủ trương, chính sách của thành phố; kịp thời phản ánh những kiến "
        "nghị của cử tri đến các cấp có thẩm quyền của thành phố (đề nghị của Chủ tịch UBND thành phố).",
        M,
    ),
    (
        "HĐND thành phố tham gia ngay từ đầu vào các cuộc họp bàn, xây dựng cơ chế, chính sách của UBND thành phố "
        "(đề nghị của Chủ tịch UBND thành phố).",
        H,
    ),
    (
        "Từ đây đến cuối năm, các cơ quan phối hợp với Thường trực HĐND thành phố chuẩn bị kỳ họp HĐND thành phố "
        "cuối năm 2021; các chương trình tiếp xúc cử tri trước và sau kỳ họp; các hội nghị đối thoại giữa Chủ tịch "
        "UBND các quận, phường với nhân dân trước kỳ họp; giải trình, xử lý đơn thư; tổ chức các đoàn kiểm tra, "
        "giám sát (đề nghị của Chủ tịch HĐND thành phố Lương Nguyễn Minh Triết).",
        H,
    ),
    (
        "Bổ sung vào quy chế nội dung quan hệ phối hợp giữa Thường trực HĐND thành phố và Thường trực UBND thành "
        "phố, Thường trực Ủy ban MTTQ Việt Nam thành phố; quy chế yêu cầu tổ chức rút kinh nghiệm sau mỗi kỳ họp "
        "(chỉ đạo của Bí thư Thành ủy Nguyễn Văn Quảng).",
        None,
    ),
    (
        "Sau khi ký kết, tổ chức quán triệt nội dung quy chế đến từng cán bộ, công chức, người lao động, đặc biệt là "
        "cơ quan tham mưu giúp việc của 4 cơ quan; nêu cao vai trò, trách nhiệm của người đứng đầu (chỉ đạo của Bí "
        "thư Thành ủy).",
        None,
    ),
]

THANH_HOA_DIRECTIONS = [
    (
        "Ba cơ quan khẩn trương cụ thể hóa quy chế thông qua việc xây dựng các chương trình, kế hoạch phối hợp chi "
        "tiết có lộ trình những việc cụ thể; phân công rõ trách nhiệm trong triển khai thực hiện.",
        None,
    ),
    (
        "Thành lập các kênh thông tin, đẩy mạnh ứng dụng công nghệ, thành lập các nhóm để thảo luận, thống nhất nội "
        "dung phối hợp.",
        None,
    ),
    (
        "Phối hợp chặt chẽ trong việc theo dõi, đôn đốc thực hiện các kiến nghị sau giám sát, bảo đảm các kiến nghị "
        "của cử tri và Nhân dân được giải quyết đúng tiến độ, theo đúng quy định của pháp luật.",
        None,
    ),
    (
        "Mỗi cơ quan tuân thủ nghiêm chế độ thông tin báo cáo; định kỳ kiểm điểm, đánh giá rút kinh nghiệm, kịp "
        "thời điều chỉnh, bổ sung những nội dung mới để công tác phối hợp sát với thực tiễn.",
        None,
    ),
]

STORIES = [
    {
        "key": "danang",
        "charter": "35/QCPH",
        "title": "Hội nghị đánh giá kết quả thực hiện Quy chế số 35/QCPH ngày 1-7-2017 và ký kết Quy chế phối hợp "
        "công tác giữa Đoàn đại biểu Quốc hội, Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam "
        "thành phố",
        "kind": MeetingKind.REVIEW_CONFERENCE,
        "subkind": MeetingSubkind.END_OF_TERM,
        "host": H,
        "participants": [D, U, M],
        "starts_at": _at(datetime.date(2021, 10, 19), 14),
        "place": "",
        "chair": "",
        "area": "information",
        "attendance": [
            (
                "Nguyễn Văn Quảng",
                "Ủy viên Trung ương Đảng, Bí thư Thành ủy, Trưởng Đoàn đại biểu Quốc hội thành phố",
                D,
            ),
            (
                "Lương Nguyễn Minh Triết",
                "Ủy viên dự khuyết Trung ương Đảng, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố",
                H,
            ),
            ("Lê Trung Chinh", "Phó Bí thư Thành ủy, Chủ tịch UBND thành phố", U),
            ("Ngô Xuân Thắng", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố", M),
            ("Cao Thị Huyền Trân", "Phó Chủ tịch HĐND thành phố", H),
        ],
        "agenda": [
            ("Báo cáo kết quả 4 năm thực hiện Quy chế số 35/QCPH ngày 1-7-2017", "Cao Thị Huyền Trân"),
            ("Phát biểu của Chủ tịch UBND thành phố", "Lê Trung Chinh"),
            ("Phát biểu của Chủ tịch HĐND thành phố", "Lương Nguyễn Minh Triết"),
            ("Lãnh đạo 4 cơ quan ký kết Quy chế phối hợp công tác", ""),
            ("Phát biểu chỉ đạo hội nghị", "Nguyễn Văn Quảng"),
        ],
        "minutes": (
            "Qua 4 năm triển khai thực hiện Quy chế số 35/QCPH ngày 1-7-2017 về phối hợp công tác giữa Đoàn đại biểu "
            "Quốc hội, Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam thành phố, 4 cơ quan đã rất chủ "
            "động triển khai nghiêm túc, đảm bảo nguyên tắc và yêu cầu phối hợp. Công tác xây dựng pháp luật cơ bản "
            "đảm bảo chất lượng, tiến độ; hoạt động giám sát của Đoàn đại biểu Quốc hội, HĐND, giám sát, phản biện xã "
            "hội của Mặt trận có nhiều đổi mới, hiệu quả; kịp thời tiếp nhận, phản ánh và đôn đốc giải quyết ý kiến, "
            "kiến nghị của cử tri và nhân dân.\n\n"
            "Sau hơn 4 năm thực hiện, Quy chế số 35/QCPH đã phát huy được rất nhiều tác dụng và hiệu quả, với 7 mặt "
            "công tác phối hợp. Qua tổng kết, đã hoàn thiện, bổ sung, xây dựng quy chế mới phù hợp với tình hình thực "
            "tiễn thành phố, nhất là trong điều kiện thí điểm mô hình chính quyền đô thị theo Nghị quyết 119 của "
            "Quốc hội.\n\nLãnh đạo 4 cơ quan ký kết Quy chế phối hợp công tác."
        ),
        "directions": DA_NANG_DIRECTIONS,
    },
    {
        "key": "backan",
        "charter": "03/QCPH-HĐND-UBND-UBMTTQ",
        "title": "Hội nghị đánh giá tình hình thực hiện Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ủy "
        "ban MTTQ Việt Nam tỉnh Bắc Kạn năm 2023",
        "kind": MeetingKind.REVIEW_CONFERENCE,
        "subkind": MeetingSubkind.ANNUAL,
        "host": H,
        "participants": [U, M],
        "starts_at": _at(datetime.date(2024, 1, 31), 8),
        "place": "",
        "chair": "Phương Thị Thanh, Nguyễn Đăng Bình, Đỗ Thị Minh Hoa (đồng chủ trì)",
        "area": "information",
        "attendance": [
            ("Phương Thị Thanh", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh", H),
            ("Nguyễn Đăng Bình", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", U),
            ("Đỗ Thị Minh Hoa", "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", M),
        ],
        "agenda": [
            (
                "Báo cáo đánh giá kết quả thực hiện Quy chế phối hợp công tác năm 2023, nhiệm vụ, giải pháp năm 2024",
                "",
            ),
            ("Thảo luận", ""),
            ("Phát biểu kết luận", "Phương Thị Thanh"),
        ],
        "minutes": (
            "Dự hội nghị có các đồng chí Thường trực HĐND tỉnh, lãnh đạo các Ban HĐND tỉnh, Văn phòng HĐND và Đoàn "
            "ĐBQH tỉnh, Văn phòng UBND tỉnh, Ban Thường trực Ủy ban MTTQVN tỉnh.\n\n"
            "Trong năm 2023 các bên đã chủ động phối hợp triển khai thực hiện nghiêm túc, đảm bảo nguyên tắc, các "
            "nội dung và hình thức phối hợp đã đề ra, thường xuyên trao đổi, cung cấp thông tin và tham dự các hội "
            "nghị, phiên họp do mỗi bên tổ chức.\n\nTồn tại, hạn chế:\n"
            + "\n".join(f"- {item};" for item in BAC_KAN_SHORTCOMINGS)
        ),
        "directions": BAC_KAN_DIRECTIONS,
    },
    {
        "key": "thanhhoa",
        "charter": "01/QCPH-ĐĐBQH-HĐND-UBMTTQ",
        "title": "Hội nghị ký kết Quy chế công tác giữa Đoàn ĐBQH tỉnh, HĐND tỉnh và Ủy ban MTTQ tỉnh Thanh Hóa, "
        "nhiệm kỳ 2021–2026",
        "kind": MeetingKind.OTHER,
        "subkind": "",
        "host": H,
        "participants": [D, M],
        "starts_at": _at(datetime.date(2021, 9, 21), 14),
        "place": "",
        "chair": "",
        "area": "information",
        "attendance": [
            ("Đỗ Trọng Hưng", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh", H),
            ("Lại Thế Nguyên", "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh", D),
            ("Phạm Thị Thanh Thủy", "Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy, Chủ tịch Ủy ban MTTQ tỉnh", M),
            ("Lê Tiến Lam", "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực HĐND tỉnh", H),
            ("Mai Văn Hải", "Tỉnh ủy viên, Phó Trưởng đoàn ĐBQH tỉnh", D),
            ("Nguyễn Quang Hải", "Tỉnh ủy viên, Phó Chủ tịch HĐND tỉnh", H),
        ],
        "agenda": [
            ("Ký kết Quy chế phối hợp công tác nhiệm kỳ 2021–2026", ""),
            ("Phát biểu chỉ đạo", "Đỗ Trọng Hưng"),
        ],
        "minutes": (
            "Đồng chí Đỗ Trọng Hưng, Lại Thế Nguyên cùng các đồng chí lãnh đạo tỉnh chứng kiến ký kết quy chế phối "
            "hợp. Ba cơ quan thống nhất phối hợp chặt chẽ các lĩnh vực: tuyên truyền, tập hợp, xây dựng khối Đại đoàn "
            "kết toàn dân, phổ biến pháp luật và hoạt động đối ngoại Nhân dân; tham gia xây dựng Luật, các văn bản quy "
            "phạm pháp luật của tỉnh; tiếp xúc cử tri; tiếp công dân, xử lý đơn thư; giám sát và phản biện xã hội; "
            "công tác bầu cử, bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh; chế độ hội họp và thông tin."
        ),
        "directions": THANH_HOA_DIRECTIONS,
    },
]


def _multilevel_briefing(context):
    """Invented, in the seeds' manner (seed 004: Hà Nội's giao ban of the city's Thường trực HĐND with the districts'
    every quarter): since 2025 the city's Thường trực HĐND briefs with the councils of its wards and communes, a
    meeting of two levels."""
    demo_unit = context.units.get("hanoi")
    if demo_unit is None:
        return
    token = uuid.uuid5(STORY_NAMESPACE, "hanoi:multilevel:2026Q2")
    if Meeting.objects.filter(idempotency_token=token).exists():
        return
    communes = AdministrativeUnit.objects.filter(parent=demo_unit.unit, level=UnitLevel.COMMUNE, is_active=True)
    councils = []
    for commune in communes.order_by("code")[:3]:
        agency, _ = Agency.objects.get_or_create(
            unit=commune,
            kind=AgencyKind.HDND,
            defaults={"name": f"Thường trực HĐND {commune.name[:1].lower()}{commune.name[1:]}", "short_name": "HĐND"},
        )
        councils.append(agency)
    if not councils:
        return
    day = datetime.date(2026, 6, 25)
    meeting = services.meeting_create(
        actor=context.admin,
        title="Hội nghị giao ban giữa Thường trực HĐND thành phố Hà Nội với Thường trực HĐND các phường, xã quý "
        f"II/2026 {DEMO_MARK}",
        kind=MeetingKind.JOINT_BRIEFING,
        unit=demo_unit.unit,
        host_agency=demo_unit.agencies[H],
        starts_at=_at(day, 8),
        ends_at=_at(day, 11),
        place=f"Phòng họp Thường trực HĐND thành phố {DEMO_MARK}",
        participating_agencies=councils,
        idempotency_token=token,
        agenda=[
            {"title": "Kết quả hoạt động của HĐND các phường, xã quý II/2026", "presenter": ""},
            {"title": "Thảo luận chuyên đề: công tác tiếp công dân, xử lý đơn thư", "presenter": ""},
        ],
    )
    services.meeting_record_minutes(
        actor=context.admin,
        meeting=meeting,
        text="Thường trực HĐND các phường, xã báo cáo kết quả hoạt động quý II/2026 và trao đổi kinh nghiệm tổ "
        f"chức kỳ họp, giám sát, tiếp công dân. {DEMO_MARK}",
        recorded_at=_at(day, 16),
    )


@transaction.atomic
def seed(context):
    _multilevel_briefing(context)
    areas = {area.code: area for area in CoordinationArea.objects.all()}
    for index, story in enumerate(STORIES):
        demo_unit = context.units.get(story["key"])
        if demo_unit is None:
            continue
        token = uuid.uuid5(STORY_NAMESPACE, f"{story['key']}:{index}")
        if Meeting.objects.filter(idempotency_token=token).exists():
            continue
        agencies = demo_unit.agencies
        charter = Charter.objects.filter(unit=demo_unit.unit, number=story["charter"]).first()
        area = areas.get(story["area"])
        meeting = services.meeting_create(
            actor=context.admin,
            title=story["title"],
            kind=story["kind"],
            subkind=story["subkind"],
            unit=demo_unit.unit,
            host_agency=agencies[story["host"]],
            starts_at=story["starts_at"],
            ends_at=story["starts_at"] + datetime.timedelta(hours=3),
            place=story["place"],
            chair=story["chair"],
            charter=charter,
            article=charter.articles.filter(area=area).first() if charter and area else None,
            area=area,
            participating_agencies=[agencies[kind] for kind in story["participants"] if kind in agencies],
            idempotency_token=token,
            agenda=[{"title": title, "presenter": presenter} for title, presenter in story["agenda"]],
            attendance=[
                {"person_name": name, "position": position, "agency": agencies.get(kind), "status": "present"}
                for name, position, kind in story["attendance"]
            ],
        )
        services.meeting_record_minutes(
            actor=context.admin,
            meeting=meeting,
            text=story["minutes"],
            recorded_at=story["starts_at"] + datetime.timedelta(days=1),
            conclusions=[
                {"text": text, "responsible_agency": agencies.get(kind) if kind else None}
                for text, kind in story["directions"]
            ],
        )
