"""The printed evaluation report: context from a saved review version, HTML from the template, PDF bytes."""

import datetime
import re

from django.db.models import BooleanField, ExpressionWrapper
from django.template.loader import render_to_string
from django.utils import translation

from voters.selectors import PetitionQuerySet, Status, petition_reference

from .models import ReviewKind, ReviewSnapshot
from .pdf import ASSET_BASE, pdf_concatenate, render_document, render_pdf
from .stats import Scope, issuers_of, review_period
from .text import (  # noqa: F401 - signature_lines is imported from here by callers
    comparison_rows,
    field_label,
    meeting_label,
    next_period_words,
    period_words,
    signature_lines,
    signers_default,
    vn_int,
    vn_percent,
)

REPORT_TEMPLATE = "charters/reports/review_report.html"
APPENDIX_TEMPLATE = "charters/reports/review_report_appendix.html"
# Rows laid out at a time in the appendix: about 15–20 landscape pages, so memory stays flat.
APPENDIX_PART_ROWS = 150
_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(.*)$")

PETITION_STATE_VI = {
    Status.RECEIVED: "Mới tiếp nhận",
    Status.CLASSIFIED: "Đã phân loại",
    Status.FORWARDED: "Đã chuyển, chờ trả lời",
    Status.RETURNED: "Bị trả lại (sai thẩm quyền)",
    Status.ANSWERED: "Đã trả lời",
    Status.REANSWER: "Yêu cầu trả lời lại",
    Status.CLOSED: "Đã kết thúc",
}


def date_line(place, day, year):
    """ "Đà Nẵng, ngày 05 tháng 02 năm 2026" (Decree 30: a leading zero for days below 10 and months 1–2);
    blanks where an unissued draft has no date yet."""
    if day is None:
        gap = "\u00a0" * 5
        return f"{place}, ngày{gap}tháng{gap}năm {year}"
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def text_blocks(text):
    """Narrative text as printable blocks: "1. …" lines are sub-headings, other lines paragraphs."""
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _HEADING.match(line)
        if match and len(line) < 160:
            blocks.append({"kind": "heading", "number": match.group(1), "text": match.group(2)})
        else:
            blocks.append({"kind": "paragraph", "text": line})
    return blocks


def _upper(text):
    return (text or "").upper()


APPENDIX_CONTENT_CHARS = 170


def _shorten(text):
    """The appendix summarises: cut at a word boundary with an ellipsis."""
    cut = text[: APPENDIX_CONTENT_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;: ") + "…"


def _without_place(name, unit):
    """ "Sở Xây dựng thành phố Đà Nẵng" → "Sở Xây dựng" in the appendix: the place is the report's own."""
    if not name:
        return ""
    for suffix in (f" thành phố {unit.place_name}", f" tỉnh {unit.place_name}", f" {unit.name}"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def appendix_rows_compute(charter, year, kind, as_of, period=None):
    """The petitions of the appendix as JSON rows, as they stand at `as_of` (frozen into a ReviewSnapshot when
    the figures are generated). An answer dated after the cut-off is not shown, as the figures do not count it."""
    start, end = review_period(charter, year, kind, period)
    unit = charter.unit
    rows = (
        Scope(charter, start, end)
        .petitions()
        .order_by("received_on", "id")
        .annotate(late=ExpressionWrapper(PetitionQuerySet.q_answered_late(), output_field=BooleanField()))
        .values_list(
            "pk", "received_on", "content", "field", "lead_agency__name", "due_date", "answered_on", "status", "late"
        )
    )
    result = []
    for index, (pk, received, content, field, agency, due, answered, status, late) in enumerate(
        rows.iterator(chunk_size=500), start=1
    ):
        if answered and answered > as_of:
            answered, status, late = None, Status.FORWARDED, False
        result.append(
            {
                "index": index,
                "reference": petition_reference(pk),
                "received_on": received.isoformat(),
                "content": content if len(content) <= APPENDIX_CONTENT_CHARS else _shorten(content),
                "field": field_label(field),
                "agency": _without_place(agency, unit),
                "due_date": due.isoformat() if due else "",
                "answered_on": answered.isoformat() if answered else "",
                "state": PETITION_STATE_VI.get(status, status),
                "late": bool(late),
            }
        )
    return result


def _vn_date(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _appendix_rows(review, data):
    """The frozen appendix rows of a version's figures (older versions without a snapshot: computed now)."""

    stats = data["stats"]
    snapshot = ReviewSnapshot.objects.filter(pk=stats.get("snapshot"), review=review).first()
    if snapshot is not None:
        rows = snapshot.rows
    else:
        rows = appendix_rows_compute(
            review.charter,
            review.year,
            review.kind,
            datetime.date.fromisoformat(stats["as_of"]),
            (review.period_start, review.period_end),
        )
    for row in rows:
        yield {
            **row,
            "received_on": _vn_date(row["received_on"]),
            "due_date": _vn_date(row["due_date"]),
            "answered_on": _vn_date(row["answered_on"]),
        }


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
DECISION_VI = {
    "keep": "Hội nghị thống nhất tiếp tục thực hiện Quy chế phối hợp số {number}.",
    "amend": "Hội nghị thống nhất sửa đổi, bổ sung Quy chế phối hợp số {number} cho phù hợp với tình hình thực tế.",
    "replace": "Hội nghị thống nhất xây dựng, ký kết Quy chế phối hợp mới thay thế Quy chế phối hợp số {number}.",
}


def _dash(value):
    return "—" if value is None else vn_int(value)


class Tables:
    """Numbers the tables in print order, so that a table left out leaves no gap."""

    def __init__(self):
        self.count = 0

    def table(self, caption, header, rows, *, footer=None):
        self.count += 1
        aligns = []
        for column, title in enumerate(header):
            values = [row[column] for row in rows]
            if title in ("STT", "Điều"):
                aligns.append("c")
            elif values and all(_NUMERIC.match(value or "") for value in values):
                aligns.append("n")
            else:
                aligns.append("")
        footer = footer or []
        return {
            "kind": "table",
            "caption": f"Bảng {self.count}. {caption}",
            "header": header,
            "aligns": aligns,
            "rows": rows,
            "cells": [list(zip(row, aligns, strict=True)) for row in rows],
            "footer": list(zip(footer, aligns, strict=True)) if footer else [],
        }


_NUMERIC = re.compile(r"^(?:[\d.]+|—)$")


def _paragraphs(blocks, heading_kind="heading"):
    out = []
    for block in blocks:
        if block["kind"] == "heading":
            out.append({"kind": heading_kind, "text": f"{block['number']}. {block['text']}"})
        else:
            out.append({"kind": "paragraph", "text": block["text"]})
    return out


FIELD_TABLE_HEADER = ["Lĩnh vực", "Tiếp nhận", "Đã chuyển", "Đã trả lời", "Đúng hạn", "Quá hạn", "Trả lại"]
FIELD_TABLE_HEADER.append("Chưa thỏa đáng")


def petitions_sentence(petitions, *, period_word="trong năm"):
    """The petitions paragraph, saying only what was recorded: a measure whose base is empty is left out."""
    received = petitions["received"]
    if not received:
        return ""
    parts = [f"Tổng số ý kiến, kiến nghị cử tri tiếp nhận {period_word} là {vn_int(received)}"]
    if petitions.get("from_voter_contact"):
        parts[0] += f", trong đó {vn_int(petitions['from_voter_contact'])} ý kiến, kiến nghị qua tiếp xúc cử tri"
    forwarded = petitions["forwarded"]
    if forwarded:
        parts.append(f"đã chuyển {vn_int(forwarded)} kiến nghị đến cơ quan có thẩm quyền")
        answered = petitions["answered"]
        if answered:
            text = f"đã trả lời {vn_int(answered)} kiến nghị (đạt {vn_percent(answered, forwarded)})"
            on_time, late = petitions["answered_on_time"], petitions["answered_late"]
            details = []
            if on_time:
                details.append(
                    f"{vn_int(on_time)} kiến nghị trả lời đúng hạn ({vn_percent(on_time, answered)} số đã trả lời)"
                )
            if late:
                details.append(f"{vn_int(late)} kiến nghị trả lời chậm")
            if details:
                text += ", trong đó " + ", ".join(details)
            parts.append(text)
        else:
            parts.append("chưa có kiến nghị được trả lời tính đến ngày chốt số liệu")
        if petitions["overdue"]:
            parts.append(f"{vn_int(petitions['overdue'])} kiến nghị quá hạn chưa trả lời")
    else:
        parts.append("chưa có kiến nghị được chuyển đến cơ quan có thẩm quyền tính đến ngày chốt số liệu")
    if petitions["returned"]:
        parts.append(f"{vn_int(petitions['returned'])} kiến nghị bị trả lại do chuyển sai thẩm quyền")
    if petitions["unsatisfactory"]:
        parts.append(f"{vn_int(petitions['unsatisfactory'])} nội dung trả lời được đánh giá chưa thỏa đáng")
    return "; ".join(parts) + "."


def supervision_sentence(figures):
    """The supervision paragraph (statistics frozen before supervision was counted have none: "")."""
    if not figures or not any(figures.values()):
        return ""
    parts = [f"Tổ chức {vn_int(figures['programmes_held'])} cuộc giám sát chuyên đề"]
    if figures["reports_requested"]:
        parts.append(
            f"yêu cầu {vn_int(figures['reports_requested'])} báo cáo, trong đó {vn_int(figures['reports_on_time'])} "
            f"báo cáo gửi đúng hạn, {vn_int(figures['reports_late'])} báo cáo gửi chậm, "
            f"{vn_int(figures['reports_outstanding'])} báo cáo chưa gửi"
        )
    if figures["recommendations_total"]:
        parts.append(
            f"{vn_int(figures['recommendations_total'])} kiến nghị sau giám sát, đã thực hiện "
            f"{vn_int(figures['recommendations_done'])}, quá hạn chưa thực hiện "
            f"{vn_int(figures['recommendations_overdue'])}, đang thực hiện {vn_int(figures['recommendations_open'])}"
        )
    if figures["social_criticisms"]:
        parts.append(f"Mặt trận Tổ quốc tổ chức {vn_int(figures['social_criticisms'])} hoạt động phản biện xã hội")
    return "; ".join(parts) + "."


def statistics_blocks(stats, tables, *, year, is_end_of_term, column=None):
    """The figures of the report as blocks (caption + table, paragraphs); tables without any figure are left
    out and the others keep consecutive numbers."""
    blocks = []
    comparison = comparison_rows(stats)
    if comparison["rows"]:
        years = comparison["years"]
        column = column or ("Nhiệm kỳ" if is_end_of_term else f"Năm {year}")
        header = ["STT", "Chỉ tiêu", column, *[f"Năm {y}" for y in years]]
        if years:
            header.append("So sánh")
        rows = []
        for index, row in enumerate(comparison["rows"], start=1):
            cells = [str(index), row["label"], _dash(row["current"]), *[_dash(v) for v in row["previous"]]]
            if years:
                cells.append("; ".join(change for change in row["changes"] if change))
            rows.append(cells)
        caption = "Các chỉ tiêu chủ yếu" + (" so với các năm trước" if years else "")
        blocks.append(tables.table(caption, header, rows))
        if years and any(entry.get("empty") for entry in stats.get("previous", [])):
            blocks.append({"kind": "note", "text": "Dấu “—”: năm không có số liệu trong hệ thống."})

    meetings = [(meeting_label(kind), count) for kind, count in stats["meetings"]["by_kind"].items() if count]
    if meetings:
        rows = [[str(i), label, vn_int(count)] for i, (label, count) in enumerate(meetings, start=1)]
        blocks.append(
            tables.table(
                "Các cuộc họp, hoạt động phối hợp theo loại",
                ["STT", "Loại hoạt động", "Số cuộc"],
                rows,
                footer=["", "Tổng cộng", vn_int(stats["meetings"]["total"])],
            )
        )

    petitions = stats["petitions"]
    sentence = petitions_sentence(petitions, period_word="trong nhiệm kỳ" if is_end_of_term else "trong năm")
    if sentence:
        blocks.append({"kind": "paragraph", "text": sentence})
    if petitions["received"] and petitions["by_field"]:
        keys = ("received", "forwarded", "answered", "answered_on_time", "overdue", "returned", "unsatisfactory")
        rows = [[field_label(row["field"]), *[vn_int(row[key]) for key in keys]] for row in petitions["by_field"]]
        blocks.append(
            tables.table(
                "Ý kiến, kiến nghị cử tri theo lĩnh vực",
                FIELD_TABLE_HEADER,
                rows,
                footer=["Tổng cộng", *[vn_int(petitions[key]) for key in keys]],
            )
        )
    if petitions["by_agency"]:
        keys = ("forwarded", "answered", "answered_on_time", "answered_late", "overdue", "returned")
        rows = [[row["name"], *[vn_int(row[key]) for key in keys]] for row in petitions["by_agency"]]
        blocks.append(
            tables.table(
                "Kết quả trả lời kiến nghị theo cơ quan giải quyết",
                ["Cơ quan giải quyết", "Được chuyển", "Đã trả lời", "Đúng hạn", "Trả lời chậm", "Quá hạn", "Trả lại"],
                rows,
            )
        )

    tasks = stats["tasks"]
    if tasks["total"]["total"] or tasks["total"]["cancelled"]:
        keys = ("total", "done_on_time", "done_late", "open", "overdue")
        rows = []
        for row in tasks["by_article"]:
            if not row["total"]:
                continue
            number = str(row["article_number"]) if row["article_number"] else "–"
            title = row["article_title"] or "Nhiệm vụ không gắn với điều cụ thể"
            rows.append([number, title, *[vn_int(row[key]) for key in keys]])
        if rows:
            blocks.append(
                tables.table(
                    "Thực hiện nhiệm vụ theo các điều của Quy chế",
                    ["Điều", "Nội dung", "Tổng số", "Đúng hạn", "Chậm", "Đang thực hiện", "Quá hạn"],
                    rows,
                    footer=["", "Tổng cộng", *[vn_int(tasks["total"][key]) for key in keys]],
                )
            )

    supervision = supervision_sentence(stats.get("supervision"))
    if supervision:
        blocks.append({"kind": "paragraph", "text": supervision})

    documents = stats["documents"]
    if documents["total"]:
        keys = ("total", "on_time", "late", "undelivered")
        rows = [[row["name"], *[vn_int(row[key]) for key in keys]] for row in documents["by_agency"]]
        blocks.append(
            tables.table(
                "Tài liệu trình kỳ họp theo cơ quan chịu trách nhiệm",
                ["Cơ quan", "Tổng số", "Đúng hạn", "Gửi chậm", "Quá hạn chưa gửi"],
                rows,
                footer=["Tổng cộng", *[vn_int(documents[key]) for key in keys]],
            )
        )
    return blocks


def version_is_approved(data):
    return data.get("status") == "approved"


def signature_layout(signers):
    """Rows of signature blocks (Decree 30): one to three side by side, four as two rows of two."""
    per_row = 2 if len(signers) == 4 else max(len(signers), 1)
    return [signers[i : i + per_row] for i in range(0, len(signers), per_row)]


def report_context(review, data, *, with_appendix=False):
    """Everything the report (PDF and Word) prints, from a version's saved `data` (texts and frozen figures)
    only: re-rendering a version gives the same text whatever happened since."""
    charter = review.charter
    stats = data["stats"]
    year = review.year
    is_end_of_term = review.kind == ReviewKind.END_OF_TERM
    approved = version_is_approved(data)
    issued_on = datetime.date.fromisoformat(data["issued_on"]) if data.get("issued_on") and approved else None
    issuers = [issuer["line"] for issuer in stats.get("issuers") or issuers_of(charter)]
    charter_number = (stats.get("charter") or {}).get("number") or charter.number
    signers = data.get("signers") or signers_default(charter)
    as_of = datetime.date.fromisoformat(stats["as_of"])
    computed = datetime.date.fromisoformat(stats["cut_off"]) if stats.get("cut_off") else None

    tables = Tables()
    sections = []

    def section(title, blocks):
        if blocks:
            sections.append({"title": title, "blocks": blocks})

    words = period_words({"kind": review.kind, "year": year, **stats})
    period = words.upper()
    section("ĐÁNH GIÁ CHUNG", _paragraphs(text_blocks(data.get("general_assessment", ""))))
    results = _paragraphs(text_blocks(data.get("results", "")))
    column = None if words.startswith(("năm", "nhiệm kỳ")) else words[:1].upper() + words[1:]
    figures = statistics_blocks(stats, tables, year=year, is_end_of_term=is_end_of_term, column=column)
    if figures:
        cut_off = f"số liệu tính đến ngày {as_of:%d/%m/%Y}"
        if computed and computed != as_of:
            cut_off += f", tổng hợp ngày {computed:%d/%m/%Y}"
        results.append({"kind": "subheading", "text": f"Số liệu tổng hợp kết quả phối hợp ({cut_off})"})
        results.extend(figures)
    section(f"KẾT QUẢ THỰC HIỆN QUY CHẾ PHỐI HỢP {period}", results)
    problems = []
    shortcomings = _paragraphs(text_blocks(data.get("shortcomings", "")), "minor")
    causes = _paragraphs(text_blocks(data.get("causes", "")), "minor")
    if shortcomings:
        problems += [{"kind": "heading", "text": "1. Tồn tại, hạn chế"}, *shortcomings]
    if causes:
        problems += [{"kind": "heading", "text": f"{2 if shortcomings else 1}. Nguyên nhân"}, *causes]
    section("TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", problems)
    conclusions = _paragraphs(text_blocks(data.get("conference_conclusions", "")))
    decision = data.get("charter_decision") or ""
    if decision in DECISION_VI:
        conclusions.append({"kind": "paragraph", "text": DECISION_VI[decision].format(number=charter_number)})
    conclusions += _paragraphs(text_blocks(data.get("charter_decision_note", "")))
    kind_word = "TỔNG KẾT" if is_end_of_term else "SƠ KẾT"
    section(f"KẾT LUẬN CỦA HỘI NGHỊ {kind_word} VÀ VỀ QUY CHẾ PHỐI HỢP", conclusions)
    next_period = next_period_words({"kind": review.kind, "year": year, **stats}).upper()
    section(f"PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ GIẢI PHÁP {next_period}", _paragraphs(text_blocks(data.get("next_tasks", ""))))
    section("KIẾN NGHỊ, ĐỀ XUẤT", _paragraphs(text_blocks(data.get("recommendations", ""))))
    for index, item in enumerate(sections):
        item["heading"] = f"{ROMAN[index]}. {item['title']}"

    summary = data["summary"]
    number = data.get("number") if approved else ""
    return {
        "asset_base": ASSET_BASE,
        "review": review,
        "year": year,
        "period_words": words,
        "is_end_of_term": is_end_of_term,
        "is_draft": not approved,
        "version_number": data.get("_version"),
        "issuers": issuers,
        "reference": f"{number or chr(0xA0) * 6}/{data['symbol']}",
        "date_line": date_line(data["place"], issued_on, issued_on.year if issued_on else year + 1),
        "summary": summary,
        "introduction": data.get("introduction", ""),
        "sections": sections,
        "closing": f"Trên đây là báo cáo {summary[:1].lower()}{summary[1:]}./.",
        "signature_rows": signature_layout(signers),
        "signer_count": len(signers),
        "recipients": [line.strip() for line in (data.get("recipients") or "").splitlines() if line.strip()],
        "as_of": as_of,
        "with_appendix": with_appendix,
    }


def report_html(review, data, *, with_appendix=False):
    """The report body (the appendix, if any, is rendered in parts by `report_pdf`)."""
    with translation.override("vi"):
        return render_to_string(REPORT_TEMPLATE, report_context(review, data, with_appendix=with_appendix))


def appendix_html(review, data, rows, *, first_part, start_page):
    approved = version_is_approved(data)
    context = {
        "asset_base": ASSET_BASE,
        "year": review.year,
        "period_words": period_words({"kind": review.kind, "year": review.year, **data["stats"]}),
        "is_end_of_term": review.kind == ReviewKind.END_OF_TERM,
        "is_draft": not approved,
        "as_of": datetime.date.fromisoformat(data["stats"]["as_of"]),
        "reference": f"{(data.get('number') if approved else '') or chr(0xA0) * 6}/{data['symbol']}",
        "rows": rows,
        "first_part": first_part,
        "start_page": start_page,
    }
    with translation.override("vi"):
        return render_to_string(APPENDIX_TEMPLATE, context)


def appendix_parts(review, data, *, start_page):
    """Yield (PDF bytes, pages) of the appendix, about APPENDIX_PART_ROWS rows at a time.

    Each part is laid out alone, so memory holds one part, not the whole list. A part's last page is
    dropped and its rows carried into the next part (found through the rows' anchors), so no page
    in the middle of the list is left half empty."""
    rows = iter(_appendix_rows(review, data))
    buffer, exhausted, first_part, page = [], False, True, start_page
    while True:
        while len(buffer) < APPENDIX_PART_ROWS and not exhausted:
            row = next(rows, None)
            if row is None:
                exhausted = True
            else:
                buffer.append(row)
        document = render_document(appendix_html(review, data, buffer, first_part=first_part, start_page=page))
        carried = _rows_on(document.pages[-1]) if not exhausted and len(document.pages) > 1 else set()
        if carried and buffer and min(carried) <= buffer[0]["index"]:
            carried = set()  # nothing would be kept: take the part as it is
        if not carried:
            yield document.write_pdf(), len(document.pages)
            if exhausted:
                return
            buffer = []
        else:
            kept = document.pages[:-1]
            yield document.copy(kept).write_pdf(), len(kept)
            buffer = [row for row in buffer if row["index"] >= min(carried)]
        page += len(document.pages) - (1 if carried else 0)
        first_part = False


def _rows_on(page):
    return {int(anchor[1:]) for anchor in page.anchors if anchor.startswith("r") and anchor[1:].isdigit()}


def report_pdf(report):
    """(PDF bytes, pages) for a `ReportFile`: the version it was requested for, never the live review."""
    return review_pdf(report.review, report.source_version.data, with_appendix=report.with_appendix)


def review_pdf(review, data, *, with_appendix=False):
    """(PDF bytes, pages) of a review version's saved `data`, with the petitions appendix if asked."""
    body, pages = render_pdf(report_html(review, data, with_appendix=with_appendix))
    if not with_appendix:
        return body, pages
    parts = [body]
    for part, part_pages in appendix_parts(review, data, start_page=pages + 1):
        parts.append(part)
        pages += part_pages
    return pdf_concatenate(parts, title=f"Báo cáo {data['summary']}"), pages
