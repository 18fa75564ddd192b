"""Vietnamese document wording of a review: numbers, year-on-year changes, and the pre-filled narrative.

This is document text (the report is a Vietnamese administrative document), so it is written in
Vietnamese here rather than translated; the secretariat edits it before the report is issued.
"""

import datetime
import re

from django.utils import translation

from meetings.selectors import MeetingKind
from voters.selectors import Field

FIELD_LABELS_VI = {
    "land": "Đất đai",
    "infrastructure": "Hạ tầng, giao thông",
    "social_policy": "Chính sách xã hội",
    "health": "Y tế",
    "education": "Giáo dục",
    "environment": "Môi trường",
    "security": "An ninh, trật tự",
    "economy": "Kinh tế, ngân sách",
    "other": "Lĩnh vực khác",
}

MEETING_LABELS_VI = {
    "council_session": "Kỳ họp HĐND",
    "voter_contact_before": "Tiếp xúc cử tri trước kỳ họp",
    "voter_contact_after": "Tiếp xúc cử tri sau kỳ họp",
    "joint_briefing": "Hội nghị giao ban",
    "supervision": "Giám sát, khảo sát",
    "explanation_hearing": "Phiên giải trình",
    "citizen_reception": "Tiếp công dân",
    "dialogue": "Đối thoại với Nhân dân",
    "review_conference": "Hội nghị sơ kết, tổng kết",
    "other": "Hoạt động khác",
}

HEADLINE_LABELS_VI = {
    "meetings_total": "Tổng số cuộc họp, hoạt động phối hợp",
    "council_sessions": "Kỳ họp HĐND",
    "voter_contact": "Cuộc tiếp xúc cử tri",
    "supervision": "Cuộc giám sát, khảo sát",
    "petitions_received": "Ý kiến, kiến nghị cử tri tiếp nhận",
    "petitions_forwarded": "Kiến nghị đã chuyển cơ quan có thẩm quyền",
    "petitions_answered": "Kiến nghị đã được trả lời",
    "petitions_answered_on_time": "Kiến nghị trả lời đúng hạn",
    "petitions_overdue": "Kiến nghị quá hạn chưa trả lời",
    "tasks_planned": "Nhiệm vụ theo chương trình công tác",
    "tasks_arising": "Nhiệm vụ mới phát sinh",
    "tasks_done": "Nhiệm vụ đã hoàn thành",
    "documents_late": "Tài liệu kỳ họp gửi chậm",
}


def field_label(code):
    return FIELD_LABELS_VI.get(code) or _choice_label(Field, code)


def meeting_label(code):
    return MEETING_LABELS_VI.get(code) or _choice_label(MeetingKind, code)


def _choice_label(choices, code):
    with translation.override("vi"):
        try:
            return str(choices(code).label)
        except ValueError:
            return str(code)


def vn_int(value):
    """1234567 → "1.234.567" (Vietnamese digit grouping)."""
    return f"{int(value or 0):,}".replace(",", ".")


def vn_percent(part, whole):
    """Share as "82,5%"; "" when there is nothing to share (never an invented "0%")."""
    if not whole:
        return ""
    return _decimal(part * 100 / whole) + "%"


def _decimal(number):
    text = f"{number:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def change_phrase(current, previous, previous_year):
    """ "tăng 8,3% so với năm 2024" / "giảm 12% so với năm 2024" / "bằng năm 2024"; "" when nothing to compare."""
    if current is None or not previous:
        return ""
    if current == previous:
        return f"bằng năm {previous_year}"
    change = (current - previous) * 100 / previous
    direction = "tăng" if change > 0 else "giảm"
    return f"{direction} {_decimal(abs(change))}% so với năm {previous_year}"


def change_ratio(current, previous):
    """The change in percent (8.3, -20.0), or None when either figure is missing or the previous one is zero."""
    if current is None or not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


def comparison_rows(stats):
    """Rows for the figures table: label, this year's figure, the previous years' and the change phrases.

    A figure with no data is None (printed "—"); a row with no data in any year is left out. A previous
    year with no records keeps its column, all "—"."""
    previous = list(stats.get("previous", []))
    if previous and all(entry.get("empty") for entry in previous):
        previous = []
    rows = []
    for key, label in HEADLINE_LABELS_VI.items():
        current = stats["headline"].get(key)
        values = [entry["figures"].get(key) for entry in previous]
        if current is None and all(value is None for value in values):
            continue
        rows.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "previous": values,
                "changes": [
                    change_phrase(current, value, entry["year"]) for value, entry in zip(values, previous, strict=True)
                ],
            }
        )
    return {"years": [entry["year"] for entry in previous], "rows": rows}


def _with_changes(key, stats):
    """ "273 (tăng 8,3% so với năm 2024; tăng 56,9% so với năm 2023)" for a headline figure."""
    current = stats["headline"].get(key) or 0
    phrases = [
        change_phrase(current, entry["figures"].get(key), entry["year"])
        for entry in stats.get("previous", [])
        if not entry.get("empty")
    ]
    phrases = [phrase for phrase in phrases if phrase]
    return f"{vn_int(current)} ({'; '.join(phrases)})" if phrases else vn_int(current)


NOTHING_RECORDED = "Trong kỳ báo cáo không phát sinh hoạt động phối hợp về lĩnh vực này được ghi nhận trong hệ thống."


def _area_paragraph(code, stats, year):
    """The figures of one catalogue area as a sentence; "" when the area has no figure of its own, and the
    "không phát sinh" wording when nothing was recorded — never a sentence built on zeros."""
    meetings = stats["meetings"]["by_kind"]
    petitions = stats["petitions"]
    documents = stats["documents"]
    if code == "council-sessions":
        sessions = meetings.get("council_session", 0)
        if not sessions and not documents["total"]:
            return NOTHING_RECORDED
        parts = []
        if sessions:
            parts.append(f"Các cơ quan đã phối hợp chuẩn bị và tổ chức {vn_int(sessions)} kỳ họp HĐND {_within(stats)}")
        if documents["total"]:
            text = f"tổng số tài liệu trình kỳ họp là {vn_int(documents['total'])}"
            details = []
            if documents["on_time"]:
                details.append(f"{vn_int(documents['on_time'])} tài liệu gửi đúng thời hạn")
            if documents["late"]:
                details.append(f"{vn_int(documents['late'])} tài liệu gửi chậm so với quy định")
            if documents["undelivered"]:
                details.append(f"{vn_int(documents['undelivered'])} tài liệu quá hạn chưa gửi")
            if details:
                text += ", trong đó " + ", ".join(details)
            parts.append(text)
        sentence = ". ".join(parts) if len(parts) == 1 else f"{parts[0]}; {parts[1]}"
        return sentence[:1].upper() + sentence[1:] + "."
    if code == "voter-contact":
        contacts = stats["meetings"]["voter_contact"]
        if not contacts and not petitions["received"]:
            return NOTHING_RECORDED
        parts = []
        if contacts:
            parts.append(
                f"Đã tổ chức {_with_changes('voter_contact', stats)} cuộc tiếp xúc cử tri trước và sau các kỳ họp"
            )
        if petitions["received"]:
            text = f"tổng số ý kiến, kiến nghị cử tri tiếp nhận là {_with_changes('petitions_received', stats)}"
            if petitions["forwarded"]:
                text += f"; đã chuyển {vn_int(petitions['forwarded'])} kiến nghị đến cơ quan có thẩm quyền giải quyết"
                if petitions["answered"]:
                    text += (
                        f"; đã trả lời {vn_int(petitions['answered'])} kiến nghị "
                        f"(đạt {vn_percent(petitions['answered'], petitions['forwarded'])} số kiến nghị đã chuyển)"
                    )
                    if petitions["answered_on_time"]:
                        text += f", trong đó {vn_int(petitions['answered_on_time'])} kiến nghị trả lời đúng hạn"
            parts.append(text)
        sentence = "; ".join(parts)
        return sentence[:1].upper() + sentence[1:] + "."
    if code == "citizen-reception":
        receptions, dialogues = meetings.get("citizen_reception", 0), meetings.get("dialogue", 0)
        if not receptions and not dialogues:
            return NOTHING_RECORDED
        done = []
        if receptions:
            done.append(f"{vn_int(receptions)} buổi tiếp công dân")
        if dialogues:
            done.append(f"{vn_int(dialogues)} cuộc đối thoại với Nhân dân")
        return (
            f"Các cơ quan phối hợp tổ chức {' và '.join(done)}; tiếp nhận, phân loại và chuyển đơn thư đến cơ quan "
            "có thẩm quyền giải quyết theo quy định."
        )
    if code == "supervision":
        visits, hearings = meetings.get("supervision", 0), meetings.get("explanation_hearing", 0)
        if not visits and not hearings and not petitions["unsatisfactory"]:
            return NOTHING_RECORDED
        done = []
        if visits:
            done.append(f"{_with_changes('supervision', stats)} cuộc giám sát, khảo sát")
        if hearings:
            done.append(f"{vn_int(hearings)} phiên giải trình")
        text = ""
        if done:
            text = f"Đã phối hợp tổ chức {' và '.join(done)}; theo dõi, đôn đốc việc thực hiện kiến nghị sau giám sát."
        if petitions["unsatisfactory"]:
            text += (
                f" Có {vn_int(petitions['unsatisfactory'])} nội dung trả lời được đánh giá chưa thỏa đáng và đã đề "
                "nghị cơ quan có thẩm quyền xem xét, trả lời lại."
            )
        return text.strip()
    if code == "information":
        briefings = meetings.get("joint_briefing", 0)
        if not briefings:
            return NOTHING_RECORDED
        return (
            f"Duy trì chế độ giao ban, trao đổi thông tin giữa các cơ quan với {vn_int(briefings)} cuộc họp giao ban "
            "trong năm; kịp thời cung cấp thông tin, báo cáo phục vụ công tác lãnh đạo, chỉ đạo."
        )
    return ""


def _article_line(row):
    done = row["done_on_time"] + row["done_late"]
    number = f"Điều {row['article_number']}" if row["article_number"] else "Nhiệm vụ khác"
    title = f" ({row['article_title']})" if row.get("article_title") else ""
    text = f"{number}{title}: {vn_int(row['total'])} nhiệm vụ"
    text += f", đã hoàn thành {vn_int(done)}" if done else ", chưa có nhiệm vụ hoàn thành"
    if row["done_late"]:
        text += f" (trong đó {vn_int(row['done_late'])} nhiệm vụ hoàn thành chậm)"
    if row["open"]:
        text += f", còn {vn_int(row['open'])} nhiệm vụ đang thực hiện"
    return text + "."


def period_words(stats):
    """How the report names the period it covers, from the frozen figures: "năm 2025", "nhiệm kỳ", or
    "từ ngày 15/04/2018 đến ngày 15/04/2019" (a sơ kết of a span the offices chose, a mid-term review)."""
    kind, year = stats.get("kind", "annual"), stats["year"]
    if kind == "end_of_term":
        return "nhiệm kỳ"
    start, end = stats.get("period_start"), stats.get("period_end")
    if not start or not end or (start, end) == (f"{year}-01-01", f"{year}-12-31"):
        return f"năm {year}"
    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _within(stats):
    words = period_words(stats)
    return f"trong {words}" if words.startswith(("năm", "nhiệm kỳ")) else words


def next_period_words(stats):
    """The period the directions are for: the next year after a calendar year, else "thời gian tới"."""
    kind = stats.get("kind", "annual")
    if kind == "end_of_term":
        return "nhiệm kỳ tới"
    if period_words(stats).startswith("năm "):
        return f"năm {stats['year'] + 1}"
    return "thời gian tới"


def narrative_prefill(charter, stats):
    """The pre-filled sections of a review, as editable text (paragraphs separated by blank lines).

    Lines starting with "1." "2."… print as sub-headings."""
    year = stats["year"]
    tasks = stats["tasks"]
    petitions = stats["petitions"]
    documents = stats["documents"]
    planned, arising = tasks["planned"], tasks["arising"]

    sections = []
    article_rows = {row["article_id"]: row for row in tasks["by_article"] if row["article_id"]}
    seen = set()
    for article in charter.articles.select_related("area").order_by("number"):
        if article.area_id is not None:
            if article.area_id in seen:
                continue
            seen.add(article.area_id)
            paragraph = _area_paragraph(article.area.code, stats, year)
            title = article.area.name
        else:
            # A free area of this charter (e.g. "xử lý các vấn đề phát sinh giữa hai kỳ họp"): its article's tasks.
            row = article_rows.get(article.pk)
            paragraph = _article_line(row) if row and row["total"] else NOTHING_RECORDED
            title = article.title
        if paragraph:
            sections.append((title, paragraph))
    if not sections:
        sections.append(("Tiếp xúc cử tri", _area_paragraph("voter-contact", stats, year)))

    done_planned = planned["done_on_time"] + planned["done_late"]
    work_parts = []
    if planned["total"]:
        text = f"Chương trình công tác {period_words(stats)} gồm {_with_changes('tasks_planned', stats)} nhiệm vụ; " + (
            f"đã hoàn thành {vn_int(done_planned)} nhiệm vụ ({vn_percent(done_planned, planned['total'])})"
            if done_planned
            else "chưa có nhiệm vụ hoàn thành tính đến ngày chốt số liệu"
        )
        if planned["done_on_time"]:
            text += f", trong đó {vn_int(planned['done_on_time'])} nhiệm vụ đúng tiến độ"
        work_parts.append(text + ".")
    if arising["total"]:
        done_arising = arising["done_on_time"] + arising["done_late"]
        text = f"Các cơ quan đã triển khai {vn_int(arising['total'])} nhiệm vụ mới phát sinh"
        if done_arising:
            text += f", hoàn thành {vn_int(done_arising)} nhiệm vụ"
        work_parts.append(text + ".")
    if work_parts:
        article_lines = "\n".join(f"- {_article_line(row)}" for row in tasks["by_article"] if row["total"])
        work = " ".join(work_parts)
        sections.append(("Thực hiện chương trình công tác", work + ("\n" + article_lines if article_lines else "")))

    results = "\n\n".join(f"{index}. {title}\n{text}" for index, (title, text) in enumerate(sections, start=1))

    shortcomings_items = []
    if petitions["overdue"]:
        shortcomings_items.append(
            f"Còn {vn_int(petitions['overdue'])} kiến nghị cử tri quá hạn nhưng chưa được trả lời; một số nội dung "
            f"trả lời còn chung chung, chưa nêu rõ lộ trình và thời gian giải quyết."
        )
    if petitions["returned"]:
        shortcomings_items.append(
            f"Có {vn_int(petitions['returned'])} kiến nghị chuyển chưa đúng thẩm quyền, phải chuyển lại."
        )
    if petitions["unsatisfactory"]:
        shortcomings_items.append(
            f"{vn_int(petitions['unsatisfactory'])} nội dung trả lời được đánh giá chưa thỏa đáng."
        )
    if documents["late"] or documents["undelivered"]:
        counted = []
        if documents["late"]:
            counted.append(f"{vn_int(documents['late'])} tài liệu gửi chậm")
        if documents["undelivered"]:
            counted.append(f"{vn_int(documents['undelivered'])} tài liệu quá hạn chưa gửi")
        shortcomings_items.append(
            f"Việc gửi tài liệu kỳ họp có lúc còn chậm ({', '.join(counted)}), ảnh hưởng đến thời gian thẩm tra."
        )
    late_tasks = tasks["total"]["done_late"] + tasks["total"]["overdue"]
    if late_tasks:
        shortcomings_items.append(
            f"{vn_int(late_tasks)} nhiệm vụ trong chương trình công tác hoàn thành chậm hoặc quá hạn chưa hoàn thành."
        )
    # Only what the figures show: with no recorded shortcoming the secretariat writes this part itself.
    shortcomings = "\n".join(f"- {item}" for item in shortcomings_items)

    cause_items = []
    if arising["total"]:
        cause_items.append(
            "Khối lượng công việc lớn, nhiều nhiệm vụ mới phát sinh trong năm; một số cơ quan chưa bố trí đủ thời "
            "gian cho việc chuẩn bị tài liệu và trả lời kiến nghị."
        )
    if petitions["overdue"] or petitions["unsatisfactory"]:
        cause_items.append(
            "Việc theo dõi, đôn đốc thực hiện kiến nghị sau giám sát và sau tiếp xúc cử tri có lúc chưa thường xuyên."
        )
    causes = "\n".join(f"- {item}" for item in cause_items) if shortcomings_items else ""
    next_period = next_period_words(stats)
    next_tasks = (
        f"- Tiếp tục thực hiện nghiêm Quy chế phối hợp số {charter.number}; xây dựng chương trình công tác "
        f"{next_period} bảo đảm rõ người, rõ việc, rõ thời gian.\n"
        f"- Phối hợp chuẩn bị chu đáo các kỳ họp HĐND {next_period}; gửi tài liệu kỳ họp đúng thời hạn quy định.\n"
        "- Nâng cao chất lượng tiếp xúc cử tri; theo dõi, đôn đốc giải quyết dứt điểm các kiến nghị quá hạn.\n"
        "- Tăng cường trao đổi thông tin giữa các cơ quan, nhất là giữa các Văn phòng."
    )
    recommendations = (
        "- Đề nghị UBND chỉ đạo các sở, ngành, địa phương trả lời kiến nghị cử tri đúng thời hạn, đúng trọng tâm, "
        "nêu rõ lộ trình giải quyết.\n"
        "- Đề nghị các cơ quan gửi tài liệu trình kỳ họp đúng thời gian quy định để bảo đảm chất lượng thẩm tra."
    )
    return {
        "general_assessment": general_assessment_default(charter, stats),
        "results": results,
        "shortcomings": shortcomings,
        "causes": causes,
        "next_tasks": next_tasks,
        "recommendations": recommendations,
    }


def general_assessment_default(charter, stats):
    """A starting point for "Đánh giá chung", to be rewritten by the secretariat after the conference."""
    period = period_words(stats)
    return (
        f"{period[:1].upper()}{period[1:]}, các cơ quan đã chủ động triển khai thực hiện Quy chế phối hợp số "
        f"{charter.number}, "
        "bảo đảm nguyên tắc và yêu cầu phối hợp; công tác phối hợp đi vào nền nếp, góp phần thực hiện thắng lợi "
        "các nhiệm vụ chính trị của địa phương."
    )


def _period_stats(year, kind, period):
    start, end = period if period else (None, None)
    return {
        "year": year,
        "kind": kind,
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
    }


def introduction_default(charter, year, parties, period=None, kind="annual"):
    party_names = ", ".join(party.agency.name for party in parties)
    signed = f" ngày {charter.signed_on:%d/%m/%Y}" if charter.signed_on else ""
    stats = _period_stats(year, kind, period)
    return (
        f"Thực hiện Quy chế phối hợp số {charter.number}{signed} giữa {party_names}, các cơ quan báo cáo kết quả "
        f"thực hiện Quy chế phối hợp {period_words(stats)} và phương hướng, nhiệm vụ {next_period_words(stats)} "
        "như sau:"
    )


def summary_default(year, kind, period=None):
    if kind == "end_of_term":
        return "Tổng kết thực hiện Quy chế phối hợp công tác nhiệm kỳ"
    stats = _period_stats(year, kind, period)
    if kind == "mid_term":
        return f"Sơ kết giữa nhiệm kỳ thực hiện Quy chế phối hợp công tác ({period_words(stats)})"
    if kind == "period":
        return (
            f"Sơ kết thực hiện Quy chế phối hợp công tác năm {year} ({period_words(stats)}) và phương hướng, "
            f"nhiệm vụ {next_period_words(stats)}"
        )
    return f"Kết quả thực hiện Quy chế phối hợp công tác năm {year} và phương hướng, nhiệm vụ năm {year + 1}"


SYMBOL_CODES = {"HDND": "HĐND", "UBND": "UBND", "MTTQ": "MTTQ", "DBQH": "ĐĐBQH"}


def symbol_default(parties):
    codes = [SYMBOL_CODES.get(party.agency.kind, party.agency.short_name or "") for party in parties]
    return "BC-" + "-".join(code for code in codes if code)


def recipients_default(charter, parties):
    if charter.unit.level == "province":
        lines = ["Thường trực Thành ủy;" if charter.unit.name.startswith("Thành phố") else "Thường trực Tỉnh ủy;"]
    else:
        lines = ["Thường trực Đảng ủy;"]
    lines.extend(f"{party.agency.name};" for party in parties)
    lines.append("Các sở, ban, ngành liên quan;")
    lines.append("Lưu: VT.")
    return "\n".join(lines)


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


def signers_default(charter):
    """The signature blocks of a report by default: one per party, in the charter's order, with its signer."""
    return [
        {
            "lines": signature_lines(link.agency.kind, link.agency.name, link.signer_position),
            "name": link.signer_name,
        }
        for link in charter.party_links.select_related("agency").order_by("order", "id")
    ]


SIGNER_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


def signers_parse(text):
    """Signature blocks typed as text: blocks separated by a blank line, the title lines as printed, the name
    last. Returns [{"lines": [...], "name": "..."}]; raises ValueError with a Vietnamese-ready reason."""
    blocks, current = [], []
    for raw in [*(text or "").splitlines(), ""]:
        line = " ".join(raw.split())
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    signers = []
    for block in blocks:
        if len(block) < 2:
            raise ValueError("block")
        lines = [_upper(line) for line in block[:-1]]
        signers.append({"lines": lines, "name": block[-1]})
    if len(signers) > 4:
        raise ValueError("count")
    return signers


def signers_text(signers):
    return "\n\n".join("\n".join([*signer["lines"], signer["name"]]) for signer in signers or [])
