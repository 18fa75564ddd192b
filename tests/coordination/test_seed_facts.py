"""The demo tells the seeds' story: each fact a source report states (numbers, dates, signers with their titles,
witnesses, areas, the review conferences with their shortcomings and directions) is read back from the database
the demo built, one test per fact; no dissolved unit has activity after its dissolution; every council has its own
term number; and the history of every demo record shows no raw field name.

The expected values are copied from the seed texts by hand, not from the demo module. The demo is loaded once for
the module inside a transaction that is rolled back at the end (seed_demo takes a while)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from charters.models import Charter, CharterStatus, Task
from coordination.models import AdministrativeUnit, AuditEvent, CoordinationArea
from coordination.templatetags.ui import audit_changes
from meetings.models import Meeting, MeetingKind
from voters.models import Petition

# One worker runs the whole module (run_tests uses --dist loadgroup), so the demo is loaded once, not per worker.
pytestmark = pytest.mark.xdist_group("seed_facts")

TODAY = date(2026, 11, 24)
DISSOLVED_ON = date(2025, 7, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--today", TODAY.isoformat(), verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _charter(number, unit_name=None):
    charters = Charter.objects.filter(number=number)
    if unit_name:
        charters = charters.filter(unit__name=unit_name)
    return charters.get()


def _signers(number):
    return [
        (link.agency.kind, link.signer_name, link.signer_position)
        for link in _charter(number).party_links.select_related("agency")
    ]


def _witnesses(number):
    return [(witness.name, witness.position) for witness in _charter(number).witnesses.all()]


def _area_names(number):
    return sorted(area.name for area in _charter(number).areas.all())


def _own_areas(number):
    return sorted(area.name for area in _charter(number).areas.filter(in_catalogue=False))


def _meeting(unit_name, day, kind):
    return Meeting.objects.get(unit__name=unit_name, starts_at__date=day, kind=kind)


def _attendees(unit_name, day, kind):
    return [(row.person_name, row.position) for row in _meeting(unit_name, day, kind).attendance.order_by("order")]


def _minutes(unit_name, day, kind):
    return _meeting(unit_name, day, kind).minutes_text


def _conclusions(unit_name, day, kind):
    return [conclusion.text for conclusion in _meeting(unit_name, day, kind).conclusions.order_by("order")]


DN, BK, TH, GV = "Thành phố Đà Nẵng", "Bắc Kạn", "Thanh Hóa", "Quận Gò Vấp"
REVIEW, OTHER = MeetingKind.REVIEW_CONFERENCE, MeetingKind.OTHER
DN_NEW = "02/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ"
BK_CHARTER = "03/QCPH-HĐND-UBND-UBMTTQ"
TH_CHARTER = "01/QCPH-ĐĐBQH-HĐND-UBMTTQ"

# (seed, fact, read from the database, expected). "in" facts: every expected item is found in what is read.
FACTS = [
    # --- Seed 000: Đà Nẵng, 19/10/2021.
    ("000", "Quy chế 35/QCPH signed on 1/7/2017", lambda: _charter("35/QCPH").signed_on, date(2017, 7, 1)),
    (
        "000",
        "35/QCPH has the four bodies as parties",
        lambda: sorted(kind for kind, _n, _t in _signers("35/QCPH")),
        ["DBQH", "HDND", "MTTQ", "UBND"],
    ),
    ("000", "35/QCPH superseded by the new charter", lambda: _charter("35/QCPH").status, CharterStatus.SUPERSEDED),
    ("000", "new charter signed on 19/10/2021", lambda: _charter(DN_NEW).signed_on, date(2021, 10, 19)),
    ("000", "signing conference on 19/10/2021", lambda: _charter(DN_NEW).conference_on, date(2021, 10, 19)),
    (
        "000",
        "leaders of the 4 bodies sign with their titles",
        lambda: _signers(DN_NEW),
        [
            ("DBQH", "Nguyễn Văn Quảng", "Trưởng Đoàn đại biểu Quốc hội thành phố"),
            ("HDND", "Lương Nguyễn Minh Triết", "Chủ tịch HĐND thành phố"),
            ("UBND", "Lê Trung Chinh", "Chủ tịch UBND thành phố"),
            ("MTTQ", "Ngô Xuân Thắng", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
        ],
    ),
    (
        "000",
        "the review-and-signing conference with its attendees' titles",
        lambda: _attendees(DN, date(2021, 10, 19), REVIEW),
        [
            ("Nguyễn Văn Quảng", "Ủy viên Trung ương Đảng, Bí thư Thành ủy, Trưởng Đoàn đại biểu Quốc hội thành phố"),
            (
                "Lương Nguyễn Minh Triết",
                "Ủy viên dự khuyết Trung ương Đảng, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố",
            ),
            ("Lê Trung Chinh", "Phó Bí thư Thành ủy, Chủ tịch UBND thành phố"),
            ("Ngô Xuân Thắng", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
            ("Cao Thị Huyền Trân", "Phó Chủ tịch HĐND thành phố"),
        ],
    ),
    (
        "000",
        "the conference reviews 35/QCPH: 4 years, 7 areas of coordination, Resolution 119",
        lambda: _minutes(DN, date(2021, 10, 19), REVIEW),
        ["4 năm", "7 mặt công tác phối hợp", "Nghị quyết 119"],
    ),
    (
        "000",
        "directions: Thường trực–Thường trực coordination, lessons after each session, dissemination to all staff",
        lambda: " ".join(_conclusions(DN, date(2021, 10, 19), REVIEW)),
        [
            "quan hệ phối hợp giữa Thường trực HĐND thành phố và Thường trực UBND thành phố",
            "rút kinh nghiệm sau mỗi kỳ họp",
            "quán triệt nội dung quy chế đến từng cán bộ, công chức, người lao động",
        ],
    ),
    # --- Seed 001: Bắc Kạn, 31/01/2024.
    ("001", "charter 03 of 07/02/2023", lambda: _charter(BK_CHARTER).signed_on, date(2023, 2, 7)),
    (
        "001",
        "charter 03 between the three bodies",
        lambda: sorted(kind for kind, _n, _t in _signers(BK_CHARTER)),
        ["HDND", "MTTQ", "UBND"],
    ),
    (
        "001",
        "charter 03 lists the areas the review names",
        lambda: _area_names(BK_CHARTER),
        sorted(
            [
                "Chuẩn bị và tổ chức kỳ họp HĐND",
                "Giám sát, phản biện xã hội",
                "Tiếp xúc cử tri",
                "Tiếp công dân, giải quyết khiếu nại, tố cáo",
                "Xử lý các vấn đề giữa hai kỳ họp",
            ]
        ),
    ),
    (
        "001",
        "review conference of 31/01/2024 co-chaired by the three heads",
        lambda: _meeting(BK, date(2024, 1, 31), REVIEW).chair,
        "Phương Thị Thanh, Nguyễn Đăng Bình, Đỗ Thị Minh Hoa (đồng chủ trì)",
    ),
    (
        "001",
        "the co-chairs with their titles",
        lambda: _attendees(BK, date(2024, 1, 31), REVIEW),
        [
            ("Phương Thị Thanh", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
            ("Nguyễn Đăng Bình", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"),
            ("Đỗ Thị Minh Hoa", "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
        ],
    ),
    (
        "001",
        "the conference reviews the year 2023",
        lambda: _meeting(BK, date(2024, 1, 31), REVIEW).title,
        "Hội nghị đánh giá tình hình thực hiện Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ủy ban MTTQ "
        "Việt Nam tỉnh Bắc Kạn năm 2023",
    ),
    (
        "001",
        "the shortcomings the conference found",
        lambda: _minutes(BK, date(2024, 1, 31), REVIEW),
        [
            "Chất lượng một số tờ trình chưa cao",
            "gửi chậm so với thời gian quy định",
            "phải trình, thẩm tra ngay tại kỳ họp",
            "Thường trực HĐND chưa chỉ đạo sát sao các Ban HĐND",
            "thậm chí có tổ chức không gửi báo cáo giám sát mặc dù được thông báo, đôn đốc",
            "Một số nội dung kiến nghị sau giám sát chậm hoặc chưa được thực hiện",
            "khó khăn về bố trí vốn đầu tư xây dựng công trình",
            "chuyển chưa đúng thẩm quyền giải quyết",
            "chưa nêu được hướng giải quyết, thời gian giải quyết",
        ],
    ),
    (
        "001",
        "the directions: continue charter 03, share information, report, deploy to subordinate units",
        lambda: " ".join(_conclusions(BK, date(2024, 1, 31), REVIEW)),
        [
            "tiếp tục thực hiện quy chế phối hợp số 03/QCPH-HĐND-UBND-UBMTTQ ngày 07/02/2023",
            "tích cực trao đổi, chia sẻ thông tin",
            "thông tin, báo cáo đột xuất, định kỳ",
            "triển khai đầy đủ các nội dung tới các đơn vị trực thuộc",
        ],
    ),
    ("001", "four directions", lambda: len(_conclusions(BK, date(2024, 1, 31), REVIEW)), 4),
    # --- Seed 002: Gò Vấp's charter (its 31/5/2019 review is the work-programme demo's).
    (
        "002",
        "signers with the titles the report gives (a Phó Chủ tịch Thường trực, not a Chủ tịch)",
        lambda: _signers("01/QCPH-HĐND-UBND-UBMTTQ"),
        [
            ("HDND", "Thân Trọng Minh", "Phó Chủ tịch Thường trực HĐND quận"),
            ("UBND", "Lê Hoàng Hà", "Chủ tịch UBND quận"),
            ("MTTQ", "Vũ Thị Nga", "Chủ tịch Ủy ban MTTQ Việt Nam quận"),
        ],
    ),
    (
        "002",
        "areas the review names, people's diplomacy and overseas Vietnamese among them",
        lambda: _area_names("01/QCPH-HĐND-UBND-UBMTTQ"),
        [
            "Tuyên truyền",
            "Phổ biến, giáo dục pháp luật",
            "Vận động Nhân dân",
            "Đối ngoại Nhân dân",
            "Công tác vận động kiều bào",
            "Thực hiện quy chế dân chủ ở cơ sở",
        ],
    ),
    (
        "002",
        "the district's charter ended with its term",
        lambda: _charter("01/QCPH-HĐND-UBND-UBMTTQ").status,
        CharterStatus.EXPIRED,
    ),
    # --- Seed 003: Thanh Hóa, 21/9/2021.
    ("003", "signed on 21/9/2021", lambda: _charter(TH_CHARTER).signed_on, date(2021, 9, 21)),
    ("003", "term 2021–2026", lambda: _charter(TH_CHARTER).term.name, "2021–2026"),
    (
        "003",
        "Đoàn ĐBQH, HĐND and Ủy ban MTTQ sign (not the UBND)",
        lambda: sorted(kind for kind, _n, _t in _signers(TH_CHARTER)),
        ["DBQH", "HDND", "MTTQ"],
    ),
    (
        "003",
        "the HĐND signs through its Phó Chủ tịch Thường trực",
        lambda: [(name, title) for kind, name, title in _signers(TH_CHARTER) if kind == "HDND"],
        [("Lê Tiến Lam", "Phó Chủ tịch Thường trực HĐND tỉnh")],
    ),
    (
        "003",
        "the province's leaders witnessed, not signed",
        lambda: _witnesses(TH_CHARTER),
        [
            ("Đỗ Trọng Hưng", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"),
            ("Lại Thế Nguyên", "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh"),
        ],
    ),
    (
        "003",
        "no witness is a signer",
        lambda: {name for _k, name, _t in _signers(TH_CHARTER)} & {name for name, _t in _witnesses(TH_CHARTER)},
        set(),
    ),
    ("003", "signing conference on 21/9/2021", lambda: _charter(TH_CHARTER).conference_on, date(2021, 9, 21)),
    (
        "003",
        "the areas the charter lists",
        lambda: _area_names(TH_CHARTER),
        [
            "Tuyên truyền",
            "Xây dựng khối đại đoàn kết toàn dân tộc",
            "Phổ biến, giáo dục pháp luật",
            "Đối ngoại Nhân dân",
            "Xây dựng pháp luật, ban hành nghị quyết",
            "Tiếp xúc cử tri",
            "Tiếp công dân, giải quyết khiếu nại, tố cáo",
            "Giám sát, phản biện xã hội",
            "Bầu cử, bãi nhiệm đại biểu",
            "Thông tin, báo cáo",
            "Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh",
        ],
    ),
    ("003", "an area of its own", lambda: _own_areas(TH_CHARTER), ["Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh"]),
    (
        "003",
        "the six leaders at the conference, each with the title the report gives",
        lambda: _attendees(TH, date(2021, 9, 21), OTHER),
        [
            ("Đỗ Trọng Hưng", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"),
            ("Lại Thế Nguyên", "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh"),
            ("Phạm Thị Thanh Thủy", "Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy, Chủ tịch Ủy ban MTTQ tỉnh"),
            ("Lê Tiến Lam", "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực HĐND tỉnh"),
            ("Mai Văn Hải", "Tỉnh ủy viên, Phó Trưởng đoàn ĐBQH tỉnh"),
            ("Nguyễn Quang Hải", "Tỉnh ủy viên, Phó Chủ tịch HĐND tỉnh"),
        ],
    ),
    (
        "003",
        "directions: follow up post-supervision recommendations",
        lambda: " ".join(_conclusions(TH, date(2021, 9, 21), OTHER)),
        ["kiến nghị sau giám sát", "chế độ thông tin báo cáo"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "fact", "read", "expected"), FACTS, ids=[f"{s}-{f}" for s, f, _r, _e in FACTS])
def test_seed_fact(demo, seed, fact, read, expected):
    actual = read()
    if isinstance(expected, list) and expected and isinstance(actual, str):
        missing = [item for item in expected if item not in actual]
        assert not missing, f"seed {seed}: {fact}: missing {missing}"
    elif fact.startswith("areas the review names"):
        assert set(expected) <= set(actual), f"seed {seed}: {fact}: missing {set(expected) - set(actual)}"
    elif fact == "the areas the charter lists":
        assert sorted(actual) == sorted(expected), f"seed {seed}: {fact}"
    else:
        assert actual == expected, f"seed {seed}: {fact}"


@pytest.mark.django_db
def test_dissolved_units_have_no_activity_after_their_dissolution(demo):
    dissolved = list(AdministrativeUnit.objects.filter(name__in=[BK, GV]))
    assert len(dissolved) == 2 and all(unit.dissolved_on == DISSOLVED_ON for unit in dissolved)
    assert all(unit.successor_id for unit in dissolved if unit.name == BK)
    for unit in dissolved:
        after = timezone.make_aware(timezone.datetime(2025, 7, 1))
        assert not Meeting.objects.filter(unit=unit, starts_at__gte=after).exists(), unit.name
        assert not Petition.objects.filter(unit=unit, received_on__gte=DISSOLVED_ON).exists(), unit.name
        assert not Task.objects.filter(unit=unit, due_date__gte=DISSOLVED_ON).exists(), unit.name
        assert not Charter.objects.filter(unit=unit, signed_on__gte=DISSOLVED_ON).exists(), unit.name
    # Their later life is the successors': Thái Nguyên and the ward of Gò Vấp hold 2025–2026 records.
    for name in ("Thái Nguyên", "Phường Gò Vấp"):
        assert Meeting.objects.filter(unit__name=name, starts_at__gte=after).exists(), name
        assert Petition.objects.filter(unit__name=name, received_on__gte=DISSOLVED_ON).exists(), name
        assert Charter.objects.filter(unit__name=name, status=CharterStatus.IN_FORCE).exists(), name
    # Nor does the ward have records from before it existed.
    assert not Meeting.objects.filter(unit__name="Phường Gò Vấp", starts_at__lt=after).exists()


@pytest.mark.django_db
def test_each_council_has_its_own_term_number(demo):
    sessions = Meeting.objects.filter(kind=MeetingKind.COUNCIL_SESSION, starts_at__year=2025, starts_at__month=12)
    titles = {meeting.unit.name: meeting.title for meeting in sessions.select_related("unit")}
    assert titles["Thành phố Đà Nẵng"].endswith("khóa X")
    assert titles["Thanh Hóa"].endswith("khóa XVIII")
    assert titles["Thành phố Hà Nội"].endswith("khóa XVI")
    assert titles["Thái Nguyên"].endswith("khóa XIV")
    assert titles["Phường Gò Vấp"].endswith("khóa I")


@pytest.mark.django_db
def test_catalogue_holds_the_areas_the_seeds_name(demo):
    names = set(CoordinationArea.objects.filter(in_catalogue=True).values_list("name", flat=True))
    assert {
        "Tuyên truyền",
        "Phổ biến, giáo dục pháp luật",
        "Vận động Nhân dân",
        "Xây dựng khối đại đoàn kết toàn dân tộc",
        "Đối ngoại Nhân dân",
    } <= names


@pytest.mark.django_db
def test_invented_charters_are_marked_as_demo(demo):
    for number in ("01/QCPH-HĐND-UBND-UBMTTQ-ĐĐBQH", "05/QCPH-ĐĐBQH-HĐND-UBND-UBMTTQ", "09/QCPH-HĐND-UBND-UBMTTQ"):
        assert "(dữ liệu minh họa)" in _charter(number).title, number


@pytest.mark.django_db
def test_the_history_of_every_demo_record_shows_no_raw_field_name(demo):
    raw = set()
    with translation.override("vi"):
        for event in AuditEvent.objects.exclude(changes={}).iterator():
            for label, _old, _new in audit_changes(event):
                text = str(label)
                if text.isascii() and (("_" in text) or text == text.lower()):
                    raw.add((event.content_type.model, text))
    assert not raw, sorted(raw)


@pytest.mark.django_db
def test_a_briefing_of_two_levels(demo):
    meeting = Meeting.objects.get(title__startswith="Hội nghị giao ban giữa Thường trực HĐND thành phố Hà Nội")
    participants = list(meeting.participating_agencies.select_related("unit"))
    assert len(participants) == 3
    assert all(agency.unit.parent_id == meeting.unit_id for agency in participants)
