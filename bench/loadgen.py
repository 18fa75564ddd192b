"""Synthetic data at a province's real scale for the benchmark: `manage.py generate_load_data`.

Rows are written straight to the tables (COPY on PostgreSQL, batched `bulk_create` elsewhere), with the
columns the services would have written: folded `search_text` (the same `search_text_for` shape: reference,
content, locality, commune name), `version` bumped once per service write, forwardings/answers/evaluations
for the states that have them, duplicates mirroring their primary's group fields, due dates from the
national `petition-answer-local` rule. No audit events are written per synthetic row: the timeline of a
generated petition is empty, which is fine for measuring but means these rows are not an audit record.

Deterministic: the same seed, reference day and starting database give the same rows (`random.Random(seed)`;
timestamps derive from the generated dates, never from the wall clock).
"""

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from charters.models import Article, Charter, Task
from coordination.dashboard.summary import petition_summary_refresh
from coordination.deadlines import deadline_compute, deadline_rule_for
from coordination.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    CoordinationArea,
    PetitionDailySummary,
    PetitionMonthlySummary,
    UnitLevel,
)
from coordination.text import fold
from meetings.models import Meeting
from voters.models import Answer, Evaluation, Forwarding, Petition

CHUNK = 20_000
PETITION_RULE = "petition-answer-local"

PARTY_NAMES = {
    AgencyKind.HDND: ("Thường trực HĐND {place}", "HĐND"),
    AgencyKind.UBND: ("UBND {place}", "UBND"),
    AgencyKind.MTTQ: ("Ban Thường trực Ủy ban MTTQ Việt Nam {place}", "UBMTTQ"),
    AgencyKind.DBQH: ("Đoàn đại biểu Quốc hội {place}", "Đoàn ĐBQH"),
}
DEPARTMENTS = [
    ("Sở Nông nghiệp và Môi trường {place}", "Sở NN&MT"),
    ("Sở Xây dựng {place}", "Sở XD"),
    ("Sở Y tế {place}", "Sở YT"),
    ("Sở Giáo dục và Đào tạo {place}", "Sở GD&ĐT"),
    ("Sở Tài chính {place}", "Sở TC"),
    ("Công an {place}", "Công an"),
    ("Bảo hiểm xã hội {place}", "BHXH"),
]
# Which department answers which field (index into DEPARTMENTS).
DEPARTMENT_FOR_FIELD = {
    "land": 0,
    "environment": 0,
    "infrastructure": 1,
    "health": 2,
    "education": 3,
    "economy": 4,
    "security": 5,
    "social_policy": 6,
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Thu", "Xuân", "Công", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn",
         "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"]  # fmt: skip
ROADS = ["Quốc lộ 1A", "tỉnh lộ 602", "đường liên xã", "đường Nguyễn Tất Thành", "đường Trần Phú",
         "đường ven biển", "đường liên thôn", "đường Lê Lợi"]  # fmt: skip
HAMLET = ["Thôn {n}", "Tổ dân phố {n}", "Khu phố {n}", "Ấp {n}", "Bản {n}"]

CONTENT = {
    "land": [
        "Cử tri {loc} đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã sử dụng đất ổn định "
        "từ trước năm 1993, hồ sơ đã nộp từ năm {year} nhưng đến nay chưa được giải quyết.",
        "Cử tri phản ánh việc bồi thường, hỗ trợ tái định cư dự án {road} chậm, giá bồi thường thấp hơn giá thị "
        "trường; đề nghị xem xét điều chỉnh đơn giá và bố trí đất tái định cư cho {n} hộ dân.",
        "Đề nghị kiểm tra việc lấn chiếm đất công, xây dựng trái phép tại {loc}; xử lý dứt điểm các trường hợp "
        "vi phạm để tạo sự công bằng.",
    ],
    "infrastructure": [
        "Cử tri {loc} phản ánh {road} xuống cấp nghiêm trọng, nhiều ổ gà, mùa mưa ngập sâu; đề nghị sớm bố trí "
        "kinh phí sửa chữa, nâng cấp.",
        "Đề nghị đầu tư hệ thống điện chiếu sáng và mương thoát nước tại {loc}, hiện nay nước thải chảy tràn ra "
        "đường gây mất vệ sinh.",
        "Cử tri kiến nghị sớm hoàn thành công trình cầu dân sinh tại {loc}, công trình thi công kéo dài từ năm "
        "{year} ảnh hưởng việc đi lại của Nhân dân và học sinh.",
    ],
    "social_policy": [
        "Cử tri đề nghị xem xét chế độ chính sách cho người có công với cách mạng tại {loc}, hồ sơ đã gửi từ năm "
        "{year} nhưng chưa được giải quyết.",
        "Đề nghị nâng mức trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật; rà soát hộ nghèo, hộ cận "
        "nghèo bảo đảm đúng đối tượng.",
        "Cử tri phản ánh việc chi trả lương hưu, trợ cấp qua tài khoản gây khó khăn cho người cao tuổi ở {loc}.",
    ],
    "health": [
        "Cử tri phản ánh tình trạng thiếu thuốc bảo hiểm y tế tại trạm y tế {loc}; người bệnh phải tự mua thuốc "
        "bên ngoài; đề nghị bảo đảm đủ thuốc theo danh mục.",
        "Đề nghị hỗ trợ mức đóng bảo hiểm y tế cho hộ cận nghèo và người làm nông, lâm, ngư nghiệp có mức sống "
        "trung bình.",
        "Cử tri đề nghị tăng cường bác sĩ về trạm y tế xã, nâng cấp trang thiết bị khám chữa bệnh tại {loc}.",
    ],
    "education": [
        "Cử tri {loc} đề nghị đầu tư xây dựng thêm phòng học cho trường tiểu học, hiện nay học sinh phải học "
        "nhờ tại nhà văn hóa thôn.",
        "Đề nghị quản lý chặt các khoản thu đầu năm học, tình trạng lạm thu tại một số trường gây bức xúc cho "
        "phụ huynh.",
        "Cử tri kiến nghị bố trí đủ giáo viên cho các trường vùng khó khăn, giải quyết chế độ cho giáo viên hợp "
        "đồng lâu năm.",
    ],
    "environment": [
        "Cử tri phản ánh tình trạng ngập úng kéo dài tại {loc} mỗi khi mưa lớn; đề nghị nạo vét kênh mương, "
        "nâng cấp hệ thống thoát nước.",
        "Đề nghị xử lý dứt điểm ô nhiễm môi trường do cơ sở chăn nuôi, sản xuất gần khu dân cư {loc} gây ra.",
        "Cử tri kiến nghị tăng tần suất thu gom rác thải sinh hoạt; bãi rác tạm tại {loc} gây ô nhiễm nguồn nước.",
    ],
    "security": [
        "Cử tri phản ánh tình trạng thanh thiếu niên tụ tập đua xe trái phép trên {road} vào ban đêm; đề nghị "
        "tăng cường tuần tra, xử lý.",
        "Đề nghị lắp đặt camera an ninh, đèn tín hiệu giao thông tại nút giao {road} thường xảy ra tai nạn.",
        "Cử tri đề nghị xử lý nghiêm tình trạng cho vay nặng lãi, lừa đảo qua mạng trên địa bàn {loc}.",
    ],
    "economy": [
        "Cử tri đề nghị hỗ trợ vốn vay ưu đãi, giống cây trồng cho nông dân bị thiệt hại do bão lũ tại {loc}.",
        "Đề nghị có giải pháp bao tiêu nông sản, ổn định giá cả cho người dân vùng sản xuất tập trung.",
        "Cử tri kiến nghị công khai, minh bạch việc sử dụng ngân sách xây dựng nông thôn mới tại {loc}.",
    ],
    "other": [
        "Cử tri đề nghị rút ngắn thời gian giải quyết thủ tục hành chính, đặc biệt là thủ tục đất đai và hộ tịch "
        "trên cổng dịch vụ công.",
        "Cử tri kiến nghị sau khi sắp xếp đơn vị hành chính, bố trí trụ sở làm việc thuận tiện cho người dân {loc}.",
    ],
}
FIELD_WEIGHTS = {"land": 24, "infrastructure": 22, "social_policy": 12, "health": 9, "education": 8,
                 "environment": 10, "security": 6, "economy": 5, "other": 4}  # fmt: skip

ANSWERS = {
    "resolved": "UBND đã chỉ đạo các cơ quan chuyên môn kiểm tra, giải quyết dứt điểm nội dung cử tri kiến nghị; "
    "kết quả đã thông báo đến cử tri.",
    "in_progress_with_plan": "Nội dung cử tri kiến nghị đã được đưa vào kế hoạch đầu tư công trung hạn; dự kiến "
    "hoàn thành trong năm {year}.",
    "explained": "Nội dung cử tri kiến nghị đã được giải quyết theo đúng quy định của pháp luật; cơ quan chức năng "
    "đã giải thích cụ thể cho cử tri.",
    "not_feasible": "Do chưa cân đối được nguồn vốn nên chưa thể thực hiện trong giai đoạn này; sẽ tiếp tục xem xét "
    "khi có điều kiện.",
}
OUTCOME_WEIGHTS = {"resolved": 40, "in_progress_with_plan": 25, "explained": 30, "not_feasible": 5}

MEETING_KINDS = {"voter_contact_before": 25, "voter_contact_after": 25, "citizen_reception": 20,
                 "joint_briefing": 10, "supervision": 8, "council_session": 4, "dialogue": 3,
                 "explanation_hearing": 2, "review_conference": 1, "other": 2}  # fmt: skip
MEETING_TITLES = {
    "voter_contact_before": "Tiếp xúc cử tri trước kỳ họp HĐND tại {place}",
    "voter_contact_after": "Tiếp xúc cử tri sau kỳ họp HĐND tại {place}",
    "citizen_reception": "Tiếp công dân định kỳ tháng {month} tại {place}",
    "joint_briefing": "Giao ban giữa Thường trực HĐND, UBND và Ủy ban MTTQ {place} tháng {month}",
    "supervision": "Giám sát việc giải quyết kiến nghị cử tri tại {place}",
    "council_session": "Kỳ họp HĐND {place}",
    "dialogue": "Đối thoại với Nhân dân về công tác bồi thường, giải phóng mặt bằng tại {place}",
    "explanation_hearing": "Phiên giải trình về việc giải quyết kiến nghị cử tri lĩnh vực đất đai",
    "review_conference": "Hội nghị sơ kết thực hiện Quy chế phối hợp năm {year}",
    "other": "Làm việc với các cơ quan về công tác chuẩn bị kỳ họp",
}
MEETING_HOST = {"council_session": "HDND", "voter_contact_before": "MTTQ", "voter_contact_after": "MTTQ",
                "citizen_reception": "HDND", "joint_briefing": "HDND", "supervision": "HDND", "dialogue": "UBND",
                "explanation_hearing": "HDND", "review_conference": "HDND", "other": "UBND"}  # fmt: skip
TASK_TITLES = [
    "Chuẩn bị tờ trình, dự thảo nghị quyết trình kỳ họp HĐND",
    "Tổng hợp ý kiến, kiến nghị cử tri gửi đến kỳ họp",
    "Báo cáo kết quả giải quyết kiến nghị cử tri",
    "Tổ chức giám sát chuyên đề về công tác bồi thường, giải phóng mặt bằng",
    "Xây dựng kế hoạch tiếp xúc cử tri năm {year}",
    "Báo cáo tình hình thực hiện Quy chế phối hợp quý {quarter}",
    "Tham gia phản biện xã hội dự thảo quy hoạch sử dụng đất",
    "Triển khai kết luận phiên giải trình về xử lý ngập úng đô thị",
]


@dataclass
class UnitAgencies:
    unit_id: int
    province_id: int
    is_province: bool
    place: str
    commune_name_folded: str
    parties: dict = field(default_factory=dict)  # kind -> agency id
    departments: list = field(default_factory=list)  # agency ids (province level only)


@dataclass
class LoadReport:
    agencies: int = 0
    petitions: int = 0
    forwardings: int = 0
    answers: int = 0
    evaluations: int = 0
    meetings: int = 0
    tasks: int = 0
    timings: dict = field(default_factory=dict)


def _place(unit):
    prefix = (unit.division_type or "").strip()
    return f"{prefix} {unit.place_name}".strip() if prefix else unit.name


def agencies_ensure():
    """HĐND, UBND and MTTQ in every active province and commune, the Đoàn ĐBQH and departments per province.

    Keeps agencies that exist (e.g. the demo's); returns (units by id, number created)."""
    units = list(
        AdministrativeUnit.objects.filter(is_active=True, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE]).order_by(
            "id"
        )
    )
    existing = {}
    for agency_id, unit_id, kind, name in Agency.objects.order_by("id").values_list("id", "unit_id", "kind", "name"):
        existing.setdefault(unit_id, []).append((agency_id, kind, name))
    missing = []
    for unit in units:
        have = existing.get(unit.pk, [])
        kinds = {kind for _id, kind, _name in have}
        wanted = ["HDND", "UBND", "MTTQ"] + (["DBQH"] if unit.level == UnitLevel.PROVINCE else [])
        place = _place(unit)
        for kind in wanted:
            if kind not in kinds:
                name, short = PARTY_NAMES[kind]
                missing.append(Agency(unit=unit, kind=kind, name=name.format(place=place), short_name=short))
        if unit.level == UnitLevel.PROVINCE and not any(kind == "OTHER" for kind in kinds):
            for name, short in DEPARTMENTS:
                missing.append(Agency(unit=unit, kind="OTHER", name=name.format(place=place), short_name=short))
    Agency.objects.bulk_create(missing, batch_size=2000)
    by_unit = {}
    for unit in units:
        province_id = unit.pk if unit.level == UnitLevel.PROVINCE else unit.parent_id
        by_unit[unit.pk] = UnitAgencies(
            unit_id=unit.pk,
            province_id=province_id,
            is_province=unit.level == UnitLevel.PROVINCE,
            place=_place(unit),
            commune_name_folded=fold(unit.name),
        )
    for agency_id, unit_id, kind, _name in (
        Agency.objects.filter(unit_id__in=by_unit, is_active=True)
        .order_by("id")
        .values_list("id", "unit_id", "kind", "name")
    ):
        entry = by_unit[unit_id]
        if kind == "OTHER":
            entry.departments.append(agency_id)
        else:
            entry.parties.setdefault(kind, agency_id)
    return by_unit, len(missing)


def _weighted(weights):
    keys = list(weights)
    cumulative = []
    total = 0
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return keys, cumulative


def _pick(rng, table):
    keys, cumulative = table
    point = rng.random() * cumulative[-1]
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] <= point:
            low = middle + 1
        else:
            high = middle
    return keys[low]


def _aware(day, hour=8, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- writing -----------------------------------------------------------------------------------------


class Writer:
    """Appends rows (tuples in `columns` order) to a table: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, columns):
        self.model = model
        self.columns = columns
        self.table = model._meta.db_table

    def write(self, rows):
        if not rows:
            return
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(column) for column in self.columns)
            statement = f"COPY {connection.ops.quote_name(self.table)} ({names}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            objects = [self.model(**dict(zip(self.columns, row, strict=True))) for row in rows]
            self.model.objects.bulk_create(objects, batch_size=500)
            if "created_at" in self.columns and "id" in self.columns:
                # auto_now_add replaced the generated timestamps; put them back (SQLite path, small N only).
                self._restore_timestamps(rows)

    def _restore_timestamps(self, rows):
        stamp_columns = [name for name in ("created_at", "updated_at") if name in self.columns]
        indexes = [self.columns.index(name) for name in stamp_columns]
        id_index = self.columns.index("id")
        objects = []
        for row in rows:
            obj = self.model(id=row[id_index])
            for name, index in zip(stamp_columns, indexes, strict=True):
                setattr(obj, name, row[index])
            objects.append(obj)
        self.model.objects.bulk_update(objects, stamp_columns, batch_size=500)


def _next_id(model):
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _reset_sequences(models):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))",  # noqa: S608
                [table],
            )


@contextmanager
def indexes_rebuilt_after(models, enabled):
    """For a large load on PostgreSQL: drop the secondary indexes, load, then build them once (much faster
    than maintaining them row by row, above all the trigram GIN index). Indexes backing constraints stay."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            [tables],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)


# --- generation --------------------------------------------------------------------------------------


class LoadGenerator:
    def __init__(self, *, seed, today, stdout=None):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.today = today
        self.stdout = stdout
        self.report = LoadReport()
        self._due_cache = {}
        self._fold_cache = {}

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # -- shared lookups
    def prepare(self):
        self.units, self.report.agencies = agencies_ensure()
        rng = self.rng
        provinces = sorted(uid for uid, entry in self.units.items() if entry.is_province)
        self.communes_of = {pid: [] for pid in provinces}
        for uid in sorted(self.units):
            entry = self.units[uid]
            if not entry.is_province and entry.province_id in self.communes_of:
                self.communes_of[entry.province_id].append(uid)
        # Big cities weigh more: a skewed, seeded weight per province.
        self.province_table = _weighted({pid: rng.lognormvariate(0, 0.6) for pid in provinces})
        self.field_table = _weighted(FIELD_WEIGHTS)
        self.outcome_table = _weighted(OUTCOME_WEIGHTS)
        self.kind_table = _weighted(MEETING_KINDS)
        self.areas = list(CoordinationArea.objects.order_by("id").values_list("id", flat=True))
        self.rule = deadline_rule_for(PETITION_RULE, on_date=self.today)
        self.charters_of = {}
        for charter_id, unit_id in (
            Charter.objects.filter(status="in_force").order_by("id").values_list("id", "unit_id")
        ):
            self.charters_of.setdefault(unit_id, []).append(charter_id)
        self.articles_of = {}
        for article_id, charter_id, area_id in Article.objects.order_by("id").values_list(
            "id", "charter_id", "area_id"
        ):
            self.articles_of.setdefault(charter_id, []).append((article_id, area_id))

    def pick_unit(self):
        province = _pick(self.rng, self.province_table)
        communes = self.communes_of.get(province) or []
        if communes and self.rng.random() < 0.6:
            return self.units[self.rng.choice(communes)]
        return self.units[province]

    def due_for(self, dispatch_date):
        due = self._due_cache.get(dispatch_date)
        if due is None:
            if self.rule is not None:
                due = deadline_compute(self.rule, dispatch_date)
            else:
                due = dispatch_date + datetime.timedelta(days=42)
            self._due_cache[dispatch_date] = due
        return due

    def folded(self, text):
        value = self._fold_cache.get(text)
        if value is None:
            value = fold(text)
            if len(self._fold_cache) < 200_000:
                self._fold_cache[text] = value
        return value

    def past_day(self, max_days):
        return self.today - datetime.timedelta(days=int(self.rng.triangular(0, max_days, 0)))

    def person(self):
        rng = self.rng
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    # -- meetings
    def meetings(self, count):
        columns = ["id", "title", "kind", "subkind", "unit_id", "host_agency_id", "starts_at", "ends_at", "place",
                   "chair", "constituency", "minutes_text", "minutes_file", "minutes_file_name",
                   "minutes_recorded_at", "version", "created_at", "updated_at", "area_id"]  # fmt: skip
        writer = Writer(Meeting, columns)
        through = Meeting.participating_agencies.through
        through_writer = Writer(through, ["meeting_id", "agency_id"])
        rng = self.rng
        next_id = _next_id(Meeting)
        self.voter_meetings = {}
        rows, links = [], []
        for _ in range(count):
            unit = self.pick_unit()
            kind = _pick(rng, self.kind_table)
            if kind == "explanation_hearing" or kind == "review_conference":
                unit = self.units.get(unit.province_id, unit)
            day = self.today - datetime.timedelta(days=rng.randint(-60, 1095))
            starts = _aware(day, rng.choice([7, 8, 14]), rng.choice([0, 30]))
            host_kind = MEETING_HOST[kind]
            host = unit.parties.get(host_kind) or unit.parties.get("HDND")
            if host is None:
                continue
            subkind = ""
            if kind == "council_session":
                subkind = "regular" if rng.random() < 0.8 else "extraordinary"
            elif kind == "review_conference":
                subkind = "annual"
            title = MEETING_TITLES[kind].format(place=unit.place, month=day.month, year=day.year)
            recorded = None
            minutes = ""
            if day < self.today and rng.random() < 0.85:
                recorded = starts + datetime.timedelta(days=rng.randint(0, 6), hours=3)
                minutes = "Hội nghị đã thống nhất các nội dung; giao các cơ quan liên quan triển khai thực hiện."
            meeting_id = next_id + len(rows)
            rows.append(
                (meeting_id, title, kind, subkind, unit.unit_id, host, starts, starts + datetime.timedelta(hours=3),
                 f"Hội trường UBND {unit.place}", self.person(), "", minutes, "", "",
                 recorded, 2 if recorded else 1, starts - datetime.timedelta(days=7),
                 recorded or starts - datetime.timedelta(days=7), rng.choice(self.areas) if self.areas else None)
            )  # fmt: skip
            for other_kind in ("HDND", "UBND", "MTTQ"):
                other = unit.parties.get(other_kind)
                if other is not None and other != host:
                    links.append((meeting_id, other))
            if kind in ("voter_contact_before", "voter_contact_after", "citizen_reception") and day <= self.today:
                self.voter_meetings.setdefault(unit.unit_id, []).append((meeting_id, day))
            if len(rows) >= CHUNK:
                writer.write(rows)
                through_writer.write(links)
                next_id += len(rows)
                self.report.meetings += len(rows)
                rows, links = [], []
        writer.write(rows)
        through_writer.write(links)
        self.report.meetings += len(rows)

    # -- tasks
    def tasks(self, count):
        columns = ["id", "title", "unit_id", "charter_id", "article_id", "period_key", "area_id",
                   "responsible_agency_id", "due_date", "status", "origin", "completed_on", "evidence_note",
                   "evidence_link", "evidence_file", "version", "created_at", "updated_at"]  # fmt: skip
        writer = Writer(Task, columns)
        rng = self.rng
        next_id = _next_id(Task)
        rows = []
        for _ in range(count):
            unit = self.pick_unit()
            agencies = list(unit.parties.values()) + unit.departments
            if not agencies:
                continue
            due = self.today + datetime.timedelta(days=rng.randint(-730, 120))
            status, completed, version = "open", None, 1
            if due < self.today:
                roll = rng.random()
                if roll < 0.75:
                    status = "done"
                elif roll < 0.8:
                    status = "cancelled"
            elif rng.random() < 0.1:
                status = "done"
            if status == "done":
                completed = min(self.today, due + datetime.timedelta(days=rng.randint(-20, 15)))
                version = 2
            elif status == "cancelled":
                version = 2
            charter_id = article_id = None
            area_id = rng.choice(self.areas) if self.areas else None
            charters = self.charters_of.get(unit.unit_id)
            if charters:
                charter_id = rng.choice(charters)
                articles = self.articles_of.get(charter_id)
                if articles:
                    article_id, article_area = rng.choice(articles)
                    area_id = article_area or area_id
            origin = _pick(rng, _TASK_ORIGINS)
            title = rng.choice(TASK_TITLES).format(year=due.year, quarter=(due.month - 1) // 3 + 1)
            created = _aware(due - datetime.timedelta(days=rng.randint(20, 120)))
            rows.append(
                (next_id + len(rows), title, unit.unit_id, charter_id, article_id, "", area_id, rng.choice(agencies),
                 due, status, origin, completed,
                 "Đã có văn bản báo cáo kết quả." if status == "done" else "", "", "", version, created,
                 _aware(completed) if completed else created)
            )  # fmt: skip
            if len(rows) >= CHUNK:
                writer.write(rows)
                next_id += len(rows)
                self.report.tasks += len(rows)
                rows = []
        writer.write(rows)
        self.report.tasks += len(rows)

    # -- petitions
    def petitions(self, count):
        petition_columns = ["id", "unit_id", "originating_agency_id", "source", "meeting_id", "received_on",
                            "commune_id", "locality", "voter_name", "voter_address", "voter_phone", "content",
                            "field", "kind", "competence_level", "status", "lead_agency_id", "due_date",
                            "answered_on", "outcome", "flagged_for_supervision", "primary_id", "search_text",
                            "version", "created_at", "updated_at"]  # fmt: skip
        forwarding_columns = ["id", "petition_id", "agency_id", "dispatch_number", "dispatch_date", "due_date",
                              "due_date_set_by_hand", "acknowledged_at", "returned_at", "return_reason",
                              "created_at"]  # fmt: skip
        answer_columns = ["id", "petition_id", "forwarding_id", "agency_id", "text", "document_number",
                          "document_date", "outcome", "plan", "target_date", "created_at"]  # fmt: skip
        evaluation_columns = ["petition_id", "answer_id", "agency_id", "result", "comment", "created_at"]
        writers = (
            Writer(Petition, petition_columns),
            Writer(Forwarding, forwarding_columns),
            Writer(Answer, answer_columns),
            Writer(Evaluation, evaluation_columns),
        )
        rng = self.rng
        ids = [_next_id(Petition), _next_id(Forwarding), _next_id(Answer)]
        batches = ([], [], [], [])
        primaries = {}  # unit id -> recent (id, content, field, group fields)
        voter_meetings = getattr(self, "voter_meetings", {})
        for index in range(count):
            self._petition(rng, ids, batches, primaries, voter_meetings)
            if len(batches[0]) >= CHUNK or index == count - 1:
                for writer, batch in zip(writers, batches, strict=True):
                    writer.write(batch)
                self.report.petitions += len(batches[0])
                self.report.forwardings += len(batches[1])
                self.report.answers += len(batches[2])
                self.report.evaluations += len(batches[3])
                for batch in batches:
                    batch.clear()
                if index % (CHUNK * 10) == CHUNK * 10 - 1:
                    self.log(f"  {index + 1:,} petitions")

    def _petition(self, rng, ids, batches, primaries, voter_meetings):
        petitions, forwardings, answers, evaluations = batches
        today = self.today
        unit = self.pick_unit()
        origin_kinds = ["HDND", "MTTQ", "DBQH"] if unit.is_province else ["HDND", "MTTQ"]
        origin_kind = rng.choices(origin_kinds, weights=[60, 30, 10][: len(origin_kinds)])[0]
        originating = unit.parties.get(origin_kind) or unit.parties.get("HDND")
        if originating is None:
            return
        petition_id = ids[0]
        ids[0] += 1
        reference = f"KN-{petition_id:06d}"
        received = self.past_day(1095)
        source, meeting_id = "writing", None
        roll = rng.random()
        candidates = voter_meetings.get(unit.unit_id)
        if roll < 0.7 and candidates:
            meeting_id, received = rng.choice(candidates)
            source = "meeting"
        elif roll < 0.85:
            source = "reception"
        communes = self.communes_of.get(unit.unit_id)
        commune_id = unit.unit_id if not unit.is_province else (rng.choice(communes) if communes else None)
        commune_folded = self.units[commune_id].commune_name_folded if commune_id in self.units else ""
        locality = rng.choice(HAMLET).format(n=rng.randint(1, 12))
        created = _aware(received, 9)
        duplicate_of = None
        recent = primaries.get(unit.unit_id)
        if recent and rng.random() < 0.04:
            duplicate_of = rng.choice(recent)
        if duplicate_of is not None:
            primary_id, content, field_code, group = duplicate_of
            content = "Cử tri tiếp tục kiến nghị: " + content[0].lower() + content[1:]
            status, lead, due, answered_on, outcome = group
            kind, version = "petition", 3
        else:
            primary_id = None
            field_code = _pick(rng, self.field_table)
            content = rng.choice(CONTENT[field_code]).format(
                loc=f"{locality.lower()}, {unit.place}", road=rng.choice(ROADS), n=rng.randint(3, 120),
                year=rng.randint(2015, 2024),
            )  # fmt: skip
            kind = "petition" if rng.random() < 0.8 else "opinion"
            status, lead, due, answered_on, outcome, version = self._lifecycle(
                rng, unit, petition_id, field_code, originating, received, created, forwardings, answers, evaluations
            )
        search_text = " ".join(part for part in (reference.lower(), self.folded(content), self.folded(locality),
                                                  commune_folded) if part)  # fmt: skip
        updated = _aware(min(today, answered_on or due or received), 16) if status != "received" else created
        petitions.append(
            (petition_id, unit.unit_id, originating, source, meeting_id, received, commune_id, locality,
             self.person(), f"{locality}, {unit.place}", f"09{rng.randint(10_000_000, 99_999_999)}", content,
             field_code, kind, "" if status == "received" else ("province" if unit.is_province else "commune"),
             status, lead, due, answered_on, outcome, False, primary_id, search_text, version, created,
             max(updated, created))
        )  # fmt: skip
        if primary_id is None and status in ("forwarded", "answered", "closed"):
            group = (status, lead, due, answered_on, outcome)
            recent = primaries.setdefault(unit.unit_id, [])
            recent.append((petition_id, content, field_code, group))
            if len(recent) > 8:
                recent.pop(0)

    def _lifecycle(self, rng, unit, petition_id, field_code, originating, received, created, forwardings, answers,
                   evaluations):  # fmt: skip
        """State, lead, due, answered_on, outcome and version, with the typed rows the services write."""
        today = self.today
        age = (today - received).days
        if age < 10:
            weights = {"received": 50, "classified": 30, "forwarded": 20}
        elif age < 60:
            weights = {"received": 4, "classified": 5, "forwarded": 56, "returned": 5, "answered": 20, "closed": 10}
        elif age < 365:
            weights = {"forwarded": 12, "returned": 2, "answered": 26, "closed": 60}
        else:
            weights = {"forwarded": 3, "answered": 10, "closed": 87}
        status = rng.choices(list(weights), weights=list(weights.values()))[0]
        if status in ("received", "classified"):
            return status, None, None, None, "", 1 if status == "received" else 2
        lead = self._lead_for(rng, unit, field_code)
        dispatch = min(today, received + datetime.timedelta(days=rng.randint(2, 20)))
        due = self.due_for(dispatch)
        forwarding_id = self._forwarding_id
        self._forwarding_id += 1
        returned_at, reason = None, ""
        if status == "returned":
            returned_at = _aware(min(today, dispatch + datetime.timedelta(days=rng.randint(1, 10))), 10)
            reason = "Nội dung kiến nghị không thuộc thẩm quyền giải quyết của cơ quan; đề nghị chuyển đúng cơ quan."
        acknowledged = _aware(min(today, dispatch + datetime.timedelta(days=rng.randint(0, 5))), 11)
        forwardings.append(
            (forwarding_id, petition_id, lead, f"{rng.randint(10, 999)}/HĐND-VP", dispatch, due, False,
             acknowledged if rng.random() < 0.7 else None, returned_at, reason, _aware(dispatch, 10))
        )  # fmt: skip
        if status == "returned":
            return status, None, None, None, "", 4
        if status == "forwarded":
            return status, lead, due, None, "", 2
        answered_on = min(today, dispatch + datetime.timedelta(days=int(rng.triangular(3, 90, 30))))
        outcome = _pick(rng, self.outcome_table)
        plan, target = "", None
        if outcome == "in_progress_with_plan":
            plan = "Bố trí vốn trong kế hoạch đầu tư công; khởi công trong năm tới."
            target = answered_on + datetime.timedelta(days=rng.randint(90, 540))
        answer_id = self._answer_id
        self._answer_id += 1
        answers.append(
            (answer_id, petition_id, forwarding_id, lead, ANSWERS[outcome].format(year=answered_on.year + 1),
             f"{rng.randint(100, 9999)}/UBND-TH", answered_on, outcome, plan, target, _aware(answered_on, 15))
        )  # fmt: skip
        if status == "answered":
            return status, lead, due, answered_on, outcome, 3
        if rng.random() < 0.6:
            judged = min(today, answered_on + datetime.timedelta(days=14))
            evaluations.append((petition_id, answer_id, originating, "satisfactory", "", _aware(judged, 9)))
        return status, lead, due, answered_on, outcome, 4

    def _lead_for(self, rng, unit, field_code):
        province = self.units.get(unit.province_id) if unit.province_id else None
        departments = (province.departments if province else []) or unit.departments
        if unit.is_province:
            index = DEPARTMENT_FOR_FIELD.get(field_code)
            if departments and index is not None and index < len(departments) and rng.random() < 0.7:
                return departments[index]
            return unit.parties.get("UBND") or departments[0]
        if departments and rng.random() < 0.15:
            index = DEPARTMENT_FOR_FIELD.get(field_code, 0)
            return departments[min(index, len(departments) - 1)]
        return unit.parties.get("UBND")


_TASK_ORIGINS = _weighted({"planned": 60, "arising": 25, "conclusion": 15})


def load_data_generate(*, petitions, meetings, tasks, seed=1, today, stdout=None, rebuild_indexes=None):
    """Add `meetings`, `tasks` and `petitions` synthetic rows (in that order). Returns a `LoadReport`."""
    import time

    generator = LoadGenerator(seed=seed, today=today, stdout=stdout)
    if rebuild_indexes is None:
        # Rebuilding pays off when the load is large next to what is already there.
        rebuild_indexes = petitions >= 100_000 and petitions >= Petition.objects.count()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, a million rows would
            # queue millions of trigger events, and CREATE INDEX refuses to run while any are pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.monotonic()
        generator.prepare()
        generator._forwarding_id = _next_id(Forwarding)
        generator._answer_id = _next_id(Answer)
        generator.report.timings["agencies"] = time.monotonic() - started
        for name, count, method, models in (
            ("meetings", meetings, generator.meetings, [Meeting]),
            ("tasks", tasks, generator.tasks, [Task]),
            ("petitions", petitions, generator.petitions, [Petition, Forwarding, Answer, Evaluation]),
        ):
            started = time.monotonic()
            with indexes_rebuilt_after(models, enabled=rebuild_indexes and count >= 100_000):
                method(count)
            generator.report.timings[name] = time.monotonic() - started
            generator.log(f"{name}: {count:,} in {generator.report.timings[name]:.1f}s")
        _reset_sequences([Meeting, Task, Petition, Forwarding, Answer, Evaluation])
    if connection.vendor == "postgresql":
        started = time.monotonic()
        # VACUUM cannot run inside a transaction (e.g. a test's); ANALYZE alone can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Meeting, Task, Petition, Forwarding, Answer, Evaluation, Agency):
                cursor.execute(f"{command} {model._meta.db_table}")
        generator.report.timings["analyze"] = time.monotonic() - started
    # The dashboard reads petitions from its summary: count the new rows now rather than at the next beat.
    started = time.monotonic()
    petition_summary_refresh(today)
    generator.report.timings["dashboard summary"] = time.monotonic() - started
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Seen on the benchmark's cluster: the VACUUM right after the load sometimes leaves the new pages not
        # all-visible (cause not pinned down; a snapshot still held elsewhere, such as an autovacuum worker's,
        # would do it), and the petition list's counts then read the heap (~60 ms at 1M) instead of the index
        # alone (~4 ms). A second pass after the summary refresh marked them in every trial, as autovacuum
        # would in a database at rest.
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model in (Meeting, Task, Petition, Forwarding, Answer, Evaluation):
                cursor.execute(f"VACUUM {model._meta.db_table}")
            # The summary tables just rewritten: their statistics, for the dashboard's plans.
            for model in (PetitionDailySummary, PetitionMonthlySummary):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE relname = %s", [Petition._meta.db_table])
            visible, pages = cursor.fetchone()
        generator.report.timings["vacuum"] = time.monotonic() - started
        generator.log(f"petition pages all-visible: {visible:,} of {pages:,}")
    return generator.report
