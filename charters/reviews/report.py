"""The printed evaluation report: context from a saved review version, HTML from the template, PDF bytes."""

import datetime
import re

from django.db.models import BooleanField, ExpressionWrapper
from django.template.loader import render_to_string
from django.utils import translation

from voters.models import Petition, PetitionQuerySet, Status

from .models import ReviewKind
from .pdf import ASSET_BASE, pdf_concatenate, render_document, render_pdf
from .stats import review_period
from .text import comparison_rows, field_label, meeting_label, vn_percent

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


# "TM." (on behalf of) lines of the signature blocks, by agency kind (Decree 30/2020, Appendix I).
COLLECTIVE_VI = {
    "HDND": "THƯỜNG TRỰC HĐND",
    "UBND": "ỦY BAN NHÂN DÂN",
    "MTTQ": "BAN THƯỜNG TRỰC",
    "DBQH": "ĐOÀN ĐẠI BIỂU QUỐC HỘI",
}
_DEPUTY = re.compile(r"^(Phó (?:Chủ tịch|Trưởng đoàn))(?: Thường trực)?\b", re.IGNORECASE)
_HEAD = re.compile(r"^(Chủ tịch|Trưởng đoàn|Bí thư)\b", re.IGNORECASE)


def signature_lines(kind, agency_name, position):
    """["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] for a deputy; ["TM. …", "CHỦ TỊCH"] for the head."""
    lines = [f"TM. {COLLECTIVE_VI.get(kind, _upper(agency_name))}"]
    position = (position or "").strip()
    deputy = _DEPUTY.match(position)
    head = _HEAD.match(position)
    if deputy:
        title = deputy.group(1)
        lines.append("KT. " + _upper(title.split(" ", 1)[1]))
        lines.append(_upper(title))
    elif head:
        lines.append(_upper(head.group(1)))
    elif position:
        lines.append(_upper(position))
    return lines


def issuer_line(agency_name, unit):
    """The agency as the header names it: the place is implied by the document ("UBND THÀNH PHỐ")."""
    name = agency_name.strip()
    for suffix in (unit.place_name, unit.name):
        if suffix and name.endswith(" " + suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix) - 1]
            break
    return _upper(name)


def _parties(charter):
    parties = []
    for link in charter.party_links.select_related("agency").order_by("order", "id"):
        parties.append(
            {
                "agency": link.agency.name,
                "agency_upper": issuer_line(link.agency.name, charter.unit),
                "signer_name": link.signer_name,
                "title_lines": signature_lines(link.agency.kind, link.agency.name, link.signer_position),
            }
        )
    return parties


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


def _appendix_rows(review):
    """The year's petitions, read in chunks (values only) so memory stays flat for thousands of rows."""
    start, end = review_period(review.charter, review.year, review.kind)
    unit = review.charter.unit
    rows = (
        Petition.objects.filter(unit=review.charter.unit, received_on__gte=start, received_on__lte=end)
        .order_by("received_on", "id")
        .annotate(late=ExpressionWrapper(PetitionQuerySet.q_answered_late(), output_field=BooleanField()))
        .values_list(
            "pk", "received_on", "content", "field", "lead_agency__name", "due_date", "answered_on", "status", "late"
        )
    )
    for index, (pk, received, content, field, agency, due, answered, status, late) in enumerate(
        rows.iterator(chunk_size=500), start=1
    ):
        yield {
            "index": index,
            "reference": Petition.reference_for(pk),
            "received_on": received,
            "content": content if len(content) <= APPENDIX_CONTENT_CHARS else _shorten(content),
            "field": field_label(field),
            "agency": _without_place(agency, unit),
            "due_date": due,
            "answered_on": answered,
            "state": PETITION_STATE_VI.get(status, status),
            "late": bool(late),
        }


def report_context(review, data, *, with_appendix=False):
    """Everything the report template needs, from a version's saved `data` (texts and frozen statistics)."""
    charter = review.charter
    stats = data["stats"]
    petitions = stats["petitions"]
    year = review.year
    issued_on = datetime.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None
    parties = _parties(charter)
    meetings = [
        {"label": meeting_label(kind), "count": count} for kind, count in stats["meetings"]["by_kind"].items() if count
    ]
    by_field = [{**row, "label": field_label(row["field"])} for row in petitions["by_field"]]
    # Two signers side by side fit the text width; four print as two rows of two.
    per_row = 2 if len(parties) in (2, 4) else max(len(parties), 1)
    signature_rows = [parties[i : i + per_row] for i in range(0, len(parties), per_row)]
    context = {
        "signature_rows": signature_rows,
        "asset_base": ASSET_BASE,
        "review": review,
        "charter": charter,
        "year": year,
        "next_year": year + 1,
        "is_end_of_term": review.kind == ReviewKind.END_OF_TERM,
        "parties": parties,
        "reference": f"{data.get('number') or chr(0xA0) * 6}/{data['symbol']}",
        "date_line": date_line(data["place"], issued_on, issued_on.year if issued_on else year + 1),
        "summary": data["summary"],
        "closing": f"Trên đây là báo cáo {data['summary'][:1].lower()}{data['summary'][1:]}./.",
        "introduction": data.get("introduction", ""),
        "results": text_blocks(data["results"]),
        "shortcomings": text_blocks(data["shortcomings"]),
        "causes": text_blocks(data["causes"]),
        "next_tasks": text_blocks(data["next_tasks"]),
        "recommendations": text_blocks(data["recommendations"]),
        "recipients": [line.strip() for line in (data.get("recipients") or "").splitlines() if line.strip()],
        "stats": stats,
        "comparison": comparison_rows(stats),
        "meetings": meetings,
        "meetings_total": stats["meetings"]["total"],
        "petitions": petitions,
        "answered_share": vn_percent(petitions["answered"], petitions["forwarded"]),
        "on_time_share": vn_percent(petitions["answered_on_time"], petitions["answered"]),
        "by_field": by_field,
        "by_agency": petitions["by_agency"],
        "tasks": stats["tasks"],
        "documents": stats["documents"],
        "as_of": datetime.date.fromisoformat(stats["as_of"]),
        "with_appendix": with_appendix,
    }
    return context


def report_html(review, data, *, with_appendix=False):
    """The report body (the appendix, if any, is rendered in parts by `report_pdf`)."""
    with translation.override("vi"):
        return render_to_string(REPORT_TEMPLATE, report_context(review, data, with_appendix=with_appendix))


def appendix_html(review, data, rows, *, first_part, start_page):
    context = {
        "asset_base": ASSET_BASE,
        "year": review.year,
        "is_end_of_term": review.kind == ReviewKind.END_OF_TERM,
        "reference": f"{data.get('number') or chr(0xA0) * 6}/{data['symbol']}",
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
    rows = iter(_appendix_rows(review))
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
