"""What the printed report says must be true, read back from the PDF (pypdf) and the Word copy (python-docx):
the issuing agencies with their unit, no invented zeros, the draft marking, frozen figures and appendix,
per-charter figures, signature blocks and "Nơi nhận:" placement."""

import io
import re
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader

from charters.reviews.docx import review_docx
from charters.reviews.models import ApprovalMethod, ReviewStatus
from charters.reviews.report import review_pdf
from charters.reviews.services import (
    review_approval_record,
    review_approve,
    review_create,
    review_reopen,
    review_submit,
    review_update,
)
from charters.reviews.stats import statistics_compute
from coordination.models import Role
from meetings.models import MeetingKind
from tests.charters import review_factories as rf
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY
from tests.factories import member

MM = 72 / 25.4
# A zero stated as a fact: "0 tài liệu", "0 phiên giải trình", "đạt 0%", "0 kiến nghị" …
INVENTED_ZERO = re.compile(r"(?<![\d.,])0 (tài liệu|phiên|kiến nghị|cuộc|nhiệm vụ|buổi|kỳ họp|nội dung|ý kiến)|đạt 0%")


def _latest(review):
    return review.versions.order_by("-number").first().data


def _pdf(review, *, with_appendix=False):
    review.refresh_from_db()
    data, _pages = review_pdf(review, _latest(review), with_appendix=with_appendix)
    return PdfReader(io.BytesIO(data))


def _words(reader):
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _docx(review, *, with_appendix=False):
    review.refresh_from_db()
    data, _pages = review_docx(review, _latest(review), with_appendix=with_appendix)
    return Document(io.BytesIO(data))


def _docx_text(document):
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return " ".join(" ".join(parts).replace("\u00a0", " ").split())


def _approve_all(review, agencies, kinds=("hdnd", "ubnd", "mttq")):
    for kind in kinds:
        agency = getattr(agencies, kind)
        boss = member(agency, Role.LEADER, username=f"{kind}_boss")
        review = review_approve(actor=boss, review=review, agency=agency)
    return review


def _issue(review, secretariat, agencies):
    review = review_update(
        actor=secretariat, review=review, version=review.version, number="15", issued_on=date(2026, 2, 5)
    )
    review = review_submit(actor=secretariat, review=review, version=review.version)
    return _approve_all(review, agencies)


def test_the_header_names_each_issuing_agency_in_full_with_its_unit(review):
    words = _words(_pdf(review)).replace("\u00a0", " ")
    for line in (
        "THƯỜNG TRỰC HĐND THÀNH PHỐ ĐÀ NẴNG",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
        "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ ĐÀ NẴNG",
    ):
        assert line in words
    assert "UBND THÀNH PHỐ" not in words
    # The unit's name is one unbreakable run: the header never splits "THÀNH PHỐ ĐÀ NẴNG" across lines.
    assert all("THÀNH\u00a0PHỐ\u00a0ĐÀ\u00a0NẴNG" in issuer["line"] for issuer in review.stats["issuers"])
    header = _docx(review).tables[0].cell(0, 0).text.replace("\u00a0", " ")
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in header


def test_the_delegation_is_named_when_it_is_a_party(agencies, secretariat):
    charter = rf.charter_in_force(agencies, kinds=("dbqh", "hdnd", "ubnd", "mttq"))
    review = review_create(actor=secretariat, charter=charter, year=2025, today=TODAY)
    assert "ĐOÀN ĐẠI BIỂU QUỐC HỘI THÀNH PHỐ ĐÀ NẴNG" in _words(_pdf(review))


def test_a_year_without_records_states_no_zero_and_prints_no_empty_table(charter, secretariat):
    review = review_create(actor=secretariat, charter=charter, year=2025, today=TODAY)
    pdf_words = _words(_pdf(review))
    docx_words = _docx_text(_docx(review))
    for words in (pdf_words, docx_words):
        assert not INVENTED_ZERO.search(words), INVENTED_ZERO.search(words).group(0)
        assert "Bảng 1" not in words
        assert "không phát sinh" in words


def test_tables_left_out_keep_consecutive_numbers(charter, agencies, secretariat):
    # Only petitions: no meeting, task or session document was recorded.
    rf.petition(charter.unit, agencies.hdnd, received=date(2025, 3, 1), lead=agencies.department,
                forwarded=date(2025, 3, 5), due=date(2025, 4, 5), answered=date(2025, 3, 20))  # fmt: skip
    review = review_create(actor=secretariat, charter=charter, year=2025, today=TODAY)
    words = _words(_pdf(review))
    numbers = [int(n) for n in re.findall(r"Bảng (\d+)\.", words)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    assert "theo loại" not in words  # the meetings table: no meeting recorded
    assert "Tài liệu trình kỳ họp theo cơ quan" not in words
    assert not INVENTED_ZERO.search(words), INVENTED_ZERO.search(words).group(0)


def test_a_previous_year_without_records_shows_a_dash_not_zero(year_data, secretariat):
    review = review_create(actor=secretariat, charter=year_data, year=2025, today=TODAY)
    previous = {entry["year"]: entry for entry in review.stats["previous"]}
    assert previous[2023]["empty"] and set(previous[2023]["figures"].values()) == {None}
    words = _words(_pdf(review))
    table = words[words.index("Bảng 1.") : words.index("Bảng 2.")]
    assert "Năm 2023" in table and "—" in table
    assert "Dấu “—”: năm không có số liệu trong hệ thống." in words


def test_a_draft_is_marked_and_carries_no_number_or_date(review, secretariat):
    review = review_update(
        actor=secretariat, review=review, version=review.version, number="15", issued_on=date(2026, 2, 5)
    )
    reader = _pdf(review)
    first = _words(PdfReader(io.BytesIO(review_pdf(review, _latest(review))[0])))
    assert "DỰ THẢO" in " ".join(reader.pages[0].extract_text().split())
    assert "Số: 15/" not in first and "ngày 05 tháng 02" not in first
    assert all("Dự thảo" in page.extract_text() for page in reader.pages)
    assert "DỰ THẢO" in _docx_text(_docx(review))


def test_an_approved_report_carries_number_and_date_and_no_draft_mark(review, secretariat, agencies):
    review = _issue(review, secretariat, agencies)
    assert review.status == ReviewStatus.APPROVED
    words = _words(_pdf(review))
    assert "Số: 15/BC-HĐND-UBND-MTTQ" in words and "Đà Nẵng, ngày 05 tháng 02 năm 2026" in words
    assert "DỰ THẢO" not in words and "Dự thảo" not in words
    docx_words = _docx_text(_docx(review))
    assert "Số: 15/BC-HĐND-UBND-MTTQ" in docx_words and "DỰ THẢO" not in docx_words


def test_an_approved_report_does_not_change_after_new_petitions(review, secretariat, agencies, year_data):
    review = _issue(review, secretariat, agencies)
    before = _words(_pdf(review, with_appendix=True))
    before_docx = _docx_text(_docx(review, with_appendix=True))
    assert "số liệu tính đến ngày 31/12/2025" in before
    # The appendix prints its rows' dates (received 10/01/2025, answered 20/02/2025) and its cut-off.
    appendix = before[before.index("PHỤ LỤC") :]
    assert "10/01/2025" in appendix and "20/02/2025" in appendix
    assert "số liệu tính đến ngày 31/12/2025" in appendix and "Báo cáo số 15/BC-HĐND-UBND-MTTQ" in appendix
    # Later: a new petition of the year, and the waiting one answered.
    rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 10, 1), content="Kiến nghị đến muộn")
    from voters.models import Petition

    Petition.objects.filter(answered_on__isnull=True, lead_agency__isnull=False).update(answered_on=date(2026, 2, 1))
    after = _words(_pdf(review, with_appendix=True))
    assert after == before
    assert "Kiến nghị đến muộn" not in after
    assert _docx_text(_docx(review, with_appendix=True)) == before_docx


def test_two_charters_of_one_unit_give_different_figures(year_data, agencies, secretariat):
    """The second charter (the delegation and the council) counts its own linked meetings and the
    delegation's petitions, not the whole unit's."""
    other = rf.charter_in_force(agencies, kinds=("dbqh", "hdnd"))
    linked = rf.meeting(other.unit, agencies.dbqh, MeetingKind.VOTER_CONTACT_BEFORE, date(2025, 5, 5))
    linked.charter = other
    linked.save()
    rf.petition(other.unit, agencies.dbqh, received=date(2025, 5, 5))
    first = statistics_compute(year_data, 2025, today=TODAY)
    second = statistics_compute(other, 2025, today=TODAY)
    assert first["petitions"]["received"] == 7  # the HĐND and MTTQ petitions (the delegation's is not a party's)
    assert first["meetings"]["total"] == 7
    # The HĐND is a party of both: its unlinked records count for both; the delegation's only for the second.
    assert second["petitions"]["received"] == 6
    assert second["meetings"]["voter_contact"] == 4
    assert first["headline"] != second["headline"]
    # A meeting linked to one charter never counts for the other.
    assert first["meetings"]["by_kind"]["voter_contact_before"] == 3


def _line_of(lines, text):
    return next(index for index, line in enumerate(lines) if text in line)


@pytest.mark.parametrize(
    "kinds", [("hdnd",), ("hdnd", "ubnd"), ("hdnd", "ubnd", "mttq"), ("dbqh", "hdnd", "ubnd", "mttq")]
)
def test_signature_blocks_and_recipients_are_placed_as_decree_30_sets(agencies, secretariat, kinds):
    charter = rf.charter_in_force(agencies, kinds=kinds)
    review = review_create(actor=secretariat, charter=charter, year=2025, today=TODAY)
    names = [signer["name"] for signer in review.signers]
    reader = _pdf(review)
    last = reader.pages[-1]
    text = " ".join(unicodedata.normalize("NFC", last.extract_text()).split())
    # Every signer and "Nơi nhận:" on the same (last) page.
    assert all(name in text for name in names), text
    assert "Nơi nhận:" in text
    # The layout text keeps lines and columns as printed.
    lines = unicodedata.normalize("NFC", last.extract_text(extraction_mode="layout")).splitlines()
    name_lines = [_line_of(lines, name) for name in names]
    recipients_line = _line_of(lines, "Nơi nhận:")
    if len(names) == 4:
        # Two rows of two.
        assert name_lines[0] == name_lines[1] < name_lines[2] == name_lines[3]
    else:
        assert len(set(name_lines)) == 1  # side by side
    if len(names) == 1:
        # One signer: "Nơi nhận:" at the bottom left, beside the signature block (left of it, above its name).
        assert recipients_line <= name_lines[0]
        assert lines[recipients_line].index("Nơi nhận:") < lines[name_lines[0]].index(names[0])
    else:
        # Several: below the last row of signatures, on the left.
        assert recipients_line > max(name_lines)
        assert lines[recipients_line].index("Nơi nhận:") < lines[name_lines[-1]].index(names[-1])
    # No title is broken inside a word: every word of every title line is found whole on the page.
    for signer in review.signers:
        for line in signer["lines"]:
            for word in line.split():
                assert word in text


def test_signers_are_chosen_per_report(review, secretariat):
    signers = [
        {"lines": ["TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "name": "Trần Thị Hoa"},
        {"lines": ["Q. CHỦ TỊCH UBND"], "name": "Phạm Văn Nam"},
    ]
    review = review_update(actor=secretariat, review=review, version=review.version, signers=signers)
    words = _words(_pdf(review))
    assert "KT. CHỦ TỊCH" in words and "PHÓ CHỦ TỊCH" in words and "Trần Thị Hoa" in words
    assert "Q. CHỦ TỊCH UBND" in words and "Phạm Văn Nam" in words
    assert "Lê Trung Chinh" not in words
    assert "Trần Thị Hoa" in _docx_text(_docx(review))


def test_qualitative_sections_and_the_decision_on_the_charter_print(review, secretariat):
    review = review_update(
        actor=secretariat,
        review=review,
        version=review.version,
        general_assessment="Công tác phối hợp được triển khai đồng bộ.",
        conference_conclusions="Hội nghị đánh giá cao sự phối hợp giữa các cơ quan.",
        charter_decision="amend",
    )
    words = _words(_pdf(review))
    assert "ĐÁNH GIÁ CHUNG" in words and "Công tác phối hợp được triển khai đồng bộ." in words
    assert "KẾT LUẬN CỦA HỘI NGHỊ SƠ KẾT" in words
    # (a long number may wrap after a hyphen)
    assert f"sửa đổi, bổ sung Quy chế phối hợp số {review.charter.number}" in words.replace("- ", "-")


def test_a_free_area_of_the_charter_gets_its_own_results(charter, agencies, secretariat):
    article = rf.article(charter, 3, title="Xử lý các vấn đề phát sinh giữa hai kỳ họp")
    article.area = None
    article.save()
    rf.task(charter, agencies.hdnd, article=article, due=date(2025, 5, 1))
    review = review_create(actor=secretariat, charter=charter, year=2025, today=TODAY)
    assert "Xử lý các vấn đề phát sinh giữa hai kỳ họp" in review.results
    assert "Xử lý các vấn đề phát sinh giữa hai kỳ họp" in _words(_pdf(review))


def test_the_word_copy_has_the_decree_30_page_and_font(review):
    document = _docx(review)
    section = document.sections[0]
    # Word stores twentieths of a point: compare in whole millimetres.
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert (section.left_margin.mm, section.right_margin.mm) == pytest.approx((30, 15), abs=0.1)
    assert (section.top_margin.mm, section.bottom_margin.mm) == pytest.approx((20, 20), abs=0.1)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    header = document.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert runs and all(run.font.name == "Times New Roman" for run in runs)
    # The same figures as the PDF.
    assert "Tổng số ý kiến, kiến nghị cử tri tiếp nhận trong năm là 7" in _docx_text(document)


def test_a_party_without_a_leader_account_approves_through_a_signed_copy(review, secretariat, agencies):
    review = review_submit(actor=secretariat, review=review, version=review.version)
    review = _approve_all(review, agencies, kinds=("hdnd", "ubnd"))
    with pytest.raises(ValidationError):
        review_approval_record(
            actor=secretariat,
            review=review,
            agency=agencies.mttq,
            signed_copy=SimpleUploadedFile("scan.pdf", b"not a pdf at all"),
        )
    review = review_approval_record(
        actor=secretariat,
        review=review,
        agency=agencies.mttq,
        signed_copy=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%signed copy\n"),
        signed_on=date(2026, 2, 3),
    )
    assert review.status == ReviewStatus.APPROVED
    approval = review.approvals.get(agency=agencies.mttq)
    assert approval.method == ApprovalMethod.SIGNED_COPY and approval.recorded_by == secretariat
    assert approval.signed_copy.name and len(approval.signed_copy_sha256) == 64
    from coordination.models import AuditEvent

    assert AuditEvent.objects.filter(action="approve_signed_copy").exists()


def test_an_approved_review_reopens_as_a_new_version_and_the_old_one_is_kept(review, secretariat, agencies):
    review = _issue(review, secretariat, agencies)
    approved_version = review.version
    with pytest.raises(ValidationError):
        review_reopen(actor=secretariat, review=review, version=review.version, reason=" ")
    review = review_reopen(actor=secretariat, review=review, version=review.version, reason="Sửa số liệu Bảng 3")
    assert review.status == ReviewStatus.DRAFT and review.version == approved_version + 1
    old = review.versions.get(number=approved_version)
    assert old.data["status"] == ReviewStatus.APPROVED
    # The approved version still prints as approved; the reopened draft as a draft.
    assert "Số: 15/" in _words(PdfReader(io.BytesIO(review_pdf(review, old.data)[0])))
    assert "DỰ THẢO" in _words(_pdf(review))
