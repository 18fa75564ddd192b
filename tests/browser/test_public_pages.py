"""The citizens' pages in Chromium, signed out: every page without console errors or CSP violations, readable on
a phone (nothing scrolls sideways), no serious or critical axe-core violation, and the lookup works with the
keyboard and without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from tests.browser.conftest import look
from tests.voters.factories import PetitionFactory
from voters import services

pytestmark = pytest.mark.browser


@pytest.fixture
def published(agencies, leader, department_clerk_public):
    """Three answered and published petitions of the test unit (one late), with personal data inside the text."""
    rows = []
    for index, (content, answered_on) in enumerate(
        [
            ("Cử tri Nguyễn Văn An (0905 123 456) đề nghị sửa chữa tuyến đường liên xã bị sụt lún, ổ gà.", 20),
            ("Đề nghị bố trí thêm đèn chiếu sáng tại kiệt 45 đường Hà Huy Tập vì buổi tối rất tối.", 21),
            ("Kiến nghị nạo vét kênh thoát nước khu dân cư tổ 12, mùa mưa thường xuyên ngập.", 31),
        ]
    ):
        petition = PetitionFactory(originating_agency=agencies.hdnd, content=content, field="infrastructure")
        services.petition_forward(
            actor=leader,
            petition=petition,
            agency=agencies.department,
            dispatch_date=petition.received_on,
            due_date=datetime.date(2026, 12, 25),
        )
        petition.refresh_from_db()
        services.petition_answer(
            actor=department_clerk_public,
            petition=petition,
            version=petition.version,
            text=f"Sở Xây dựng đã làm việc với ông Trần Minh Quân và bố trí kinh phí năm 2027 (văn bản {index}).",
            document_number=f"{450 + index}/SXD-QLĐT",
            document_date=datetime.date(2026, 11, answered_on) if answered_on <= 30 else datetime.date(2026, 12, 28),
            outcome="resolved",
        )
        petition.refresh_from_db()
        services.petition_answer_publish(actor=leader, petition=petition)
        rows.append(petition)
    return rows


@pytest.fixture
def department_clerk_public(agencies):
    from coordination.models import Role
    from tests.factories import member

    return member(agencies.department, Role.CLERK, username="sxd_clerk_browser")


def test_the_public_pages_read_well_and_pass_axe(live_server, watch, agencies, published, clerk):
    from coordination.models import AdministrativeUnit, UnitLevel

    page, base = watch.page, live_server.url
    code = agencies.hdnd.unit.code
    AdministrativeUnit.objects.create(
        code="L-P49",
        name="Tỉnh Quảng Nam",
        level=UnitLevel.PROVINCE,
        successor=agencies.hdnd.unit,
        is_active=False,
        dissolved_on=datetime.date(2025, 7, 1),
    )
    for name, url in (
        ("public-index", reverse("public:index")),
        ("public-unit", reverse("public:unit", args=[code])),
        ("public-unit-search", reverse("public:unit", args=[code]) + "?q=den+chieu+sang"),
        ("public-figures", reverse("public:figures", args=[code]) + "?year=2026"),
        ("public-open-data", reverse("public:open_data") + f"?province={code}&year=2026"),
        ("public-lookup", reverse("public:lookup")),
        ("public-former-unit", reverse("public:unit", args=["L-P49"])),
    ):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url
        if name == "public-unit":
            text = page.inner_text("main")
            assert "Nguyễn Văn An" not in text and "0905 123 456" not in text and "Trần Minh Quân" not in text
            assert "sụt lún" in text
        if name == "public-former-unit":
            with page.expect_navigation():
                page.get_by_role("link", name="Xem trả lời kiến nghị của Thành phố Đà Nẵng").click()
            assert "sụt lún" in page.inner_text("main")
        if name == "public-unit-search":
            assert "đèn chiếu sáng" in page.inner_text("main") and "sụt lún" not in page.inner_text("main")
        look(page, name)


def test_a_voter_looks_up_the_petition_with_the_receipts_code(live_server, watch, agencies, clerk):
    petition = PetitionFactory(originating_agency=agencies.hdnd, content="Đề nghị sửa cống")
    code = services.petition_receipt_issue(actor=clerk, petition=petition)
    page, base = watch.page, live_server.url
    page.goto(base + reverse("public:lookup"))
    page.locator("#id_reference").focus()
    page.keyboard.type(petition.reference)
    page.keyboard.press("Tab")
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert petition.reference in page.inner_text("main")
    assert "Đề nghị sửa cống" not in page.inner_text("main"), "the state, not the content"
    look(page, "public-lookup-found", fresh_phone=False)
