"""The printed report read back from the PDF: Decree 30 header, diacritics, the figures, page numbers, fonts."""

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from charters.reviews.report import date_line, signature_lines
from charters.reviews.services import (
    report_request_sync,
    review_approve,
    review_stats_refresh,
    review_submit,
    review_update,
)
from charters.reviews.tasks import review_report_render
from coordination.models import Role
from tests.charters import review_factories as rf
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY
from tests.factories import member


def _render(review, *, with_appendix=False):
    report = report_request_sync(review=review, with_appendix=with_appendix)
    review_report_render(report.pk)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return report, PdfReader(report.file.path)


def _text(page):
    return unicodedata.normalize("NFC", page.extract_text())


def _font_names(reader):
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def approve_all(review, agencies):
    """Every party's leader approves (only an approved version prints its number and date)."""
    for kind in ("hdnd", "ubnd", "mttq"):
        agency = getattr(agencies, kind)
        leader = member(agency, Role.LEADER, username=f"{kind}_approver")
        review = review_approve(actor=leader, review=review, agency=agency)
    return review


@pytest.fixture
def issued_review(review, secretariat, agencies):
    review = review_update(
        actor=secretariat, review=review, version=review.version, number="15", issued_on=date(2026, 2, 5)
    )
    review = review_submit(actor=secretariat, review=review, version=review.version)
    return approve_all(review, agencies)


@pytest.mark.smoke
def test_the_report_reads_back_with_the_decree_30_header_and_the_figures(issued_review, agencies):
    report, reader = _render(issued_review)
    first = " ".join(_text(reader.pages[0]).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số: 15/BC-HĐND-UBND-MTTQ" in first
    assert "Đà Nẵng, ngày 05 tháng 02 năm 2026" in first
    assert "BÁO CÁO" in first
    assert "THƯỜNG TRỰC HĐND THÀNH PHỐ ĐÀ NẴNG" in first
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in first
    assert "UBND THÀNH PHỐ" not in first
    assert "DỰ THẢO" not in first

    whole = " ".join(" ".join(_text(page) for page in reader.pages).split())
    assert "I. ĐÁNH GIÁ CHUNG" in whole
    assert "II. KẾT QUẢ THỰC HIỆN QUY CHẾ PHỐI HỢP NĂM 2025" in whole
    assert "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" in whole
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ GIẢI PHÁP NĂM 2026" in whole
    # The figures are those counted from the database (see test_review_stats for the hand count).
    assert "Tổng số ý kiến, kiến nghị cử tri tiếp nhận trong năm là 7, trong đó" in whole
    assert "đã chuyển 6 kiến nghị" in whole
    assert "1 kiến nghị quá hạn chưa trả lời" in whole
    assert "Nơi nhận:" in whole
    assert "TM. ỦY BAN NHÂN DÂN" in whole
    assert "Lê Trung Chinh" in whole

    assert len(reader.pages) == report.pages
    assert 4 <= report.pages <= 8


def _positions_of(page, wanted):
    """(x, y) in points, origin bottom-left, of each text run equal to `wanted` on `page`."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() == wanted:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((x, y))

    page.extract_text(visitor_text=visit)
    return found


MM = 72 / 25.4


def test_page_numbers_are_centred_at_the_top_from_page_two(issued_review):
    _report, reader = _render(issued_review)
    assert len(reader.pages) >= 3
    height = float(reader.pages[0].mediabox.height)
    width = float(reader.pages[0].mediabox.width)
    text_centre = (30 * MM + width - 15 * MM) / 2  # between the 30 mm left and 15 mm right margins
    assert not [pos for pos in _positions_of(reader.pages[0], "1") if pos[1] > height - 25 * MM]
    for number, page in enumerate(reader.pages[1:], start=2):
        top = [pos for pos in _positions_of(page, str(number)) if pos[1] > height - 25 * MM]
        assert len(top) == 1, (number, _positions_of(page, str(number)))
        assert abs(top[0][0] - text_centre) < 10 * MM


def test_the_bundled_font_is_embedded(issued_review):
    _report, reader = _render(issued_review)
    names = _font_names(reader)
    # WeasyPrint names a subset after the font file's own family name: "ABCDEF+Liberation-Serif-Bold".
    assert names and all("LiberationSerif" in name.replace("-", "") for name in names), names
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor


def test_the_appendix_lists_the_year_petitions_on_landscape_pages(review, secretariat, year_data, agencies):
    for day in range(1, 41):
        rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 3, 1 + day % 28), field="health")
    review = review_stats_refresh(actor=secretariat, review=review, version=review.version, today=TODAY)
    _report, reader = _render(review, with_appendix=True)
    last = reader.pages[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)
    assert float(reader.pages[0].mediabox.width) < float(reader.pages[0].mediabox.height)
    whole = " ".join(_text(page) for page in reader.pages)
    assert "PHỤ LỤC" in whole
    assert "KN-" in whole
    assert whole.count("Đề nghị sớm nâng cấp tuyến đường") == 47


def test_a_printed_report_does_not_change_when_data_changes(issued_review, year_data, agencies):
    first, _reader = _render(issued_review)
    before = Path(first.file.path).read_bytes()
    rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 9, 9))
    _second, reader2 = _render(issued_review)
    whole = " ".join(" ".join(_text(page) for page in reader2.pages).split())
    assert "tiếp nhận trong năm là 7," in whole
    assert Path(first.file.path).read_bytes() == before


def test_date_line_follows_decree_30():
    assert date_line("Đà Nẵng", date(2026, 2, 5), 2026) == "Đà Nẵng, ngày 05 tháng 02 năm 2026"
    assert date_line("Thanh Hóa", date(2026, 3, 15), 2026) == "Thanh Hóa, ngày 15 tháng 3 năm 2026"
    assert date_line("Hà Nội", None, 2026).endswith("năm 2026")


def test_signature_lines_sign_on_behalf_of_the_collective():
    assert signature_lines("UBND", "UBND thành phố", "Chủ tịch UBND thành phố") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signature_lines("HDND", "Thường trực HĐND", "Phó Chủ tịch Thường trực HĐND") == [
        "TM. THƯỜNG TRỰC HĐND",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]


def test_a_long_appendix_is_laid_out_in_parts_without_gaps(review, secretariat, year_data, agencies, monkeypatch):
    from charters.reviews import report as review_report

    monkeypatch.setattr(review_report, "APPENDIX_PART_ROWS", 20)
    for day in range(60):
        rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 4, 1 + day % 28), content=f"Kiến nghị số {day}")
    review = review_stats_refresh(actor=secretariat, review=review, version=review.version, today=TODAY)
    report, reader = _render(review, with_appendix=True)
    assert len(reader.pages) == report.pages
    whole = " ".join(_text(page) for page in reader.pages)
    references = [word for word in whole.split() if word.startswith("KN-")]
    assert len(references) == len(set(references)) == 67
    for number, page in enumerate(reader.pages[1:], start=2):
        top = float(page.mediabox.height) - 25 * MM
        assert [pos for pos in _positions_of(page, str(number)) if pos[1] > top], number
