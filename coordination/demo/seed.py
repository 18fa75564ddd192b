"""Demo data of the shared core: the units, agencies and people of the seed articles.

Each app's records are added by a module beside this one (charters.py, meetings.py, voters.py,
reviews.py) with a `seed(context)` function; `manage.py seed_demo` runs them in order. All of it is idempotent.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from coordination.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitLevel, User
from coordination.reference import reference_data_load
from coordination.units import units_load

DEMO_PASSWORD = "demo-phoihop-2026"  # noqa: S105 - documented demo password, demo data only
_demo_password_hashes = {}


def demo_password_hash():
    """The demo password hashed once per run (and per hasher setting) for every demo account: one PBKDF2 hash
    costs ~0.25 s of CPU, so hashing it for each of the 54 accounts was ~13 s, a third of `make run`'s seeding."""
    key = tuple(settings.PASSWORD_HASHERS)
    if key not in _demo_password_hashes:
        _demo_password_hashes[key] = make_password(DEMO_PASSWORD)
    return _demo_password_hashes[key]


ADMIN_USERNAME = "admin"

PARTY_NAMES = {
    AgencyKind.HDND: "Thường trực HĐND {place}",
    AgencyKind.UBND: "UBND {place}",
    AgencyKind.MTTQ: "Ban Thường trực Ủy ban MTTQ Việt Nam {place}",
    AgencyKind.DBQH: "Đoàn đại biểu Quốc hội {place}",
}
PARTY_SHORT = {
    AgencyKind.HDND: "HĐND",
    AgencyKind.UBND: "UBND",
    AgencyKind.MTTQ: "UBMTTQ",
    AgencyKind.DBQH: "Đoàn ĐBQH",
}

# Departments that answer petitions at province level (cơ quan chuyên môn của UBND).
PROVINCE_DEPARTMENTS = [
    ("Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("Sở Xây dựng", "Sở XD"),
    ("Sở Y tế", "Sở YT"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("Sở Tài chính", "Sở TC"),
    ("Công an {place}", "Công an"),
    ("Bảo hiểm xã hội {place}", "BHXH"),
]


# Each council's own term number (khóa) per term: the People's Councils are numbered from their own first
# council, so Đà Nẵng's 2021–2026 council is the 10th and Thanh Hóa's the 18th. A ward formed on 1 July 2025
# starts at I (its council finishes the 2021–2026 term).
COUNCIL_TERMS = {
    "danang": {"2016–2021": "IX", "2021–2026": "X", "2026–2031": "XI"},
    "thanhhoa": {"2016–2021": "XVII", "2021–2026": "XVIII", "2026–2031": "XIX"},
    "hanoi": {"2016–2021": "XV", "2021–2026": "XVI", "2026–2031": "XVII"},
    "backan": {"2016–2021": "IX", "2021–2026": "X"},
    "thainguyen": {"2016–2021": "XIII", "2021–2026": "XIV", "2026–2031": "XV"},
    "govapward": {"2021–2026": "I", "2026–2031": "II"},
}


@dataclass
class DemoUnit:
    key: str  # used in usernames: danang.hdnd.clerk
    unit: AdministrativeUnit
    place: str
    kinds: list
    agencies: dict = field(default_factory=dict)  # kind -> Agency
    departments: list = field(default_factory=list)
    active_from: date | None = None  # a unit formed by the 2025 reorganisation has no records before it existed

    @property
    def is_live(self):
        """False for a unit dissolved by the 2025 reorganisation: it keeps its history and gets no new activity,
        which lives under its successor (a unit of its own in the demo)."""
        return self.unit.is_active and self.unit.dissolved_on is None

    def council_term(self, day):
        """ "khóa X" of this unit's council on `day`, or "" when the demo does not know it."""
        from coordination.models import Term

        term = Term.objects.filter(start_date__lte=day, end_date__gte=day).first()
        number = COUNCIL_TERMS.get(self.key, {}).get(term.name if term else "")
        return f"khóa {number}" if number else ""


@dataclass
class DemoContext:
    units: dict = field(default_factory=dict)  # key -> DemoUnit
    admin: User | None = None
    today: date = field(default_factory=date.today)


def _legacy_unit(*, code, name, division_type, level, parent, successor, dissolved_on):
    unit, _ = AdministrativeUnit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "division_type": division_type,
            "level": level,
            "parent": parent,
            "successor": successor,
            "is_active": False,
            "dissolved_on": dissolved_on,
        },
    )
    return unit


def _user(username, *, first_name, last_name, agency, role, position):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "position": position,
            "email": f"{username}@demo.phoihop.local",
        },
    )
    if created:
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
    return user


# (key, role, kind, last name, first name, position)
PEOPLE = [
    ("hdnd.clerk", Role.CLERK, AgencyKind.HDND, "Nguyễn Thị", "Lan", "Chuyên viên Văn phòng HĐND"),
    ("hdnd.leader", Role.LEADER, AgencyKind.HDND, "Trần Văn", "Hùng", "Phó Chủ tịch HĐND"),
    ("hdnd.secretariat", Role.SECRETARIAT, AgencyKind.HDND, "Lê Thị", "Hoa", "Chánh Văn phòng"),
    ("ubnd.clerk", Role.CLERK, AgencyKind.UBND, "Phạm Minh", "Tuấn", "Chuyên viên Văn phòng UBND"),
    ("ubnd.leader", Role.LEADER, AgencyKind.UBND, "Võ Thanh", "Bình", "Phó Chủ tịch UBND"),
    ("mttq.clerk", Role.CLERK, AgencyKind.MTTQ, "Đặng Thu", "Hà", "Chuyên viên Ban Dân chủ - Pháp luật"),
    ("mttq.leader", Role.LEADER, AgencyKind.MTTQ, "Huỳnh Văn", "Sơn", "Phó Chủ tịch Ủy ban MTTQ"),
    ("dbqh.clerk", Role.CLERK, AgencyKind.DBQH, "Bùi Quang", "Minh", "Chuyên viên Văn phòng Đoàn ĐBQH"),
]


@transaction.atomic
def seed_core(context):
    units_load()
    reference_data_load()
    province = {
        name: AdministrativeUnit.objects.get(level=UnitLevel.PROVINCE, name=name)
        for name in ["Thành phố Đà Nẵng", "Thanh Hóa", "Thành phố Hà Nội", "Thái Nguyên", "Thành phố Hồ Chí Minh"]
    }
    # Bắc Kạn merged into Thái Nguyên on 1 July 2025; Gò Vấp district was dissolved the same day.
    bac_kan = _legacy_unit(
        code="L-P06",
        name="Bắc Kạn",
        division_type="tỉnh",
        level=UnitLevel.PROVINCE,
        parent=None,
        successor=province["Thái Nguyên"],
        dissolved_on=date(2025, 7, 1),
    )
    go_vap = _legacy_unit(
        code="L-D764",
        name="Quận Gò Vấp",
        division_type="quận",
        level=UnitLevel.DISTRICT,
        parent=province["Thành phố Hồ Chí Minh"],
        successor=None,
        dissolved_on=date(2025, 7, 1),
    )
    go_vap_successor = AdministrativeUnit.objects.filter(
        level=UnitLevel.COMMUNE, parent=province["Thành phố Hồ Chí Minh"], name="Phường Gò Vấp"
    ).first()
    if go_vap_successor and go_vap.successor_id != go_vap_successor.pk:
        go_vap.successor = go_vap_successor
        go_vap.save(update_fields=["successor"])

    all_kinds = [AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ, AgencyKind.DBQH]
    three = [AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ]
    specs = [
        ("danang", province["Thành phố Đà Nẵng"], "thành phố Đà Nẵng", all_kinds),
        ("backan", bac_kan, "tỉnh Bắc Kạn", three),
        ("thanhhoa", province["Thanh Hóa"], "tỉnh Thanh Hóa", all_kinds),
        ("hanoi", province["Thành phố Hà Nội"], "thành phố Hà Nội", all_kinds),
        ("govap", go_vap, "quận Gò Vấp", three),
        # The successors: Thái Nguyên took in Bắc Kạn, the ward of Gò Vấp the district's centre, on 1 July 2025.
        ("thainguyen", province["Thái Nguyên"], "tỉnh Thái Nguyên", all_kinds),
    ]
    if go_vap_successor is not None:
        specs.append(("govapward", go_vap_successor, "phường Gò Vấp", three))
    for key, unit, place, kinds in specs:
        demo_unit = DemoUnit(
            key=key, unit=unit, place=place, kinds=kinds, active_from=date(2025, 7, 1) if key == "govapward" else None
        )
        for kind in kinds:
            agency, _ = Agency.objects.get_or_create(
                unit=unit,
                kind=kind,
                defaults={"name": PARTY_NAMES[kind].format(place=place), "short_name": PARTY_SHORT[kind]},
            )
            demo_unit.agencies[kind] = agency
        if unit.level == UnitLevel.PROVINCE:
            for name, short in PROVINCE_DEPARTMENTS:
                full = name.format(place=place)
                if "{place}" not in name:
                    full = f"{name} {place}"
                agency, _ = Agency.objects.get_or_create(
                    unit=unit, kind=AgencyKind.OTHER, name=full, defaults={"short_name": short}
                )
                demo_unit.departments.append(agency)
        for suffix, role, kind, last_name, first_name, position in PEOPLE:
            if kind in demo_unit.agencies:
                _user(
                    f"{key}.{suffix}",
                    first_name=first_name,
                    last_name=last_name,
                    agency=demo_unit.agencies[kind],
                    role=role,
                    position=position,
                )
        context.units[key] = demo_unit

    admin, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "is_superuser": True,
            "is_staff": True,
            # Shown family-name-first (User.display_name), so the whole title sits in last_name.
            "first_name": "",
            "last_name": "Quản trị hệ thống",
            "email": "admin@demo.phoihop.local",
        },
    )
    if created:
        admin.password = demo_password_hash()
        admin.save(update_fields=["password"])
    context.admin = admin
    return context
