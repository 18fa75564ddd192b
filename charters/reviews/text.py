"""Vietnamese document wording of a review: numbers, year-on-year changes, and the pre-filled narrative.

This is document text (the report is a Vietnamese administrative document), so it is written in
Vietnamese here rather than translated; the secretariat edits it before the report is issued.
"""

from django.utils import translation

from meetings.models import MeetingKind
from voters.models import Field

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
    """Share as "82,5%"; "0%" when there is nothing to share."""
    if not whole:
        return "0%"
    return _decimal(part * 100 / whole) + "%"


def _decimal(number):
    text = f"{number:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def change_phrase(current, previous, previous_year):
    """ "tăng 8,3% so với năm 2024" / "giảm 12% so với năm 2024" / "bằng năm 2024"; "" when nothing to compare."""
    if previous is None or not previous:
        return ""
    if current == previous:
        return f"bằng năm {previous_year}"
    change = (current - previous) * 100 / previous
    direction = "tăng" if change > 0 else "giảm"
    return f"{direction} {_decimal(abs(change))}% so với năm {previous_year}"


def change_ratio(current, previous):
    """The change in percent (8.3, -20.0), or None when the previous figure is zero."""
    if not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


def comparison_rows(stats):
    """Rows for the figures table: label, this year's figure, the previous years' and the change phrases."""
    previous = [entry for entry in stats.get("previous", []) if not entry.get("empty")]
    rows = []
    for key, label in HEADLINE_LABELS_VI.items():
        current = stats["headline"].get(key, 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "previous": [entry["figures"].get(key, 0) for entry in previous],
                "changes": [change_phrase(current, entry["figures"].get(key, 0), entry["year"]) for entry in previous],
            }
        )
    return {"years": [entry["year"] for entry in previous], "rows": rows}


def _with_changes(key, stats):
    """ "273 (tăng 8,3% so với năm 2024; tăng 56,9% so với năm 2023)" for a headline figure."""
    current = stats["headline"].get(key, 0)
    phrases = [
        change_phrase(current, entry["figures"].get(key, 0), entry["year"])
        for entry in stats.get("previous", [])
        if not entry.get("empty")
    ]
    phrases = [phrase for phrase in phrases if phrase]
    return f"{vn_int(current)} ({'; '.join(phrases)})" if phrases else vn_int(current)


def _area_paragraph(code, stats, year):
    meetings = stats["meetings"]["by_kind"]
    petitions = stats["petitions"]
    documents = stats["documents"]
    if code == "council-sessions":
        text = (
            f"Các cơ quan đã phối hợp chuẩn bị và tổ chức {vn_int(meetings.get('council_session', 0))} kỳ họp "
            f"HĐND trong năm {year}. Tổng số tài liệu trình kỳ họp là {vn_int(documents['total'])}, trong đó "
            f"{vn_int(documents['on_time'])} tài liệu gửi đúng thời hạn"
        )
        if documents["late"]:
            text += f", {vn_int(documents['late'])} tài liệu gửi chậm so với quy định"
        if documents["undelivered"]:
            text += f", {vn_int(documents['undelivered'])} tài liệu quá hạn chưa gửi"
        return text + "."
    if code == "voter-contact":
        return (
            f"Đã tổ chức {_with_changes('voter_contact', stats)} cuộc tiếp xúc cử tri trước và sau các kỳ họp. "
            f"Tổng số ý kiến, kiến nghị cử tri tiếp nhận là {_with_changes('petitions_received', stats)}; "
            f"đã chuyển {vn_int(petitions['forwarded'])} kiến nghị đến cơ quan có thẩm quyền giải quyết; "
            f"đã trả lời {vn_int(petitions['answered'])} kiến nghị "
            f"(đạt {vn_percent(petitions['answered'], petitions['forwarded'])} số kiến nghị đã chuyển), "
            f"trong đó {vn_int(petitions['answered_on_time'])} kiến nghị trả lời đúng hạn."
        )
    if code == "citizen-reception":
        dialogues = meetings.get("dialogue", 0)
        return (
            f"Các cơ quan phối hợp tổ chức {vn_int(meetings.get('citizen_reception', 0))} buổi tiếp công dân"
            + (f" và {vn_int(dialogues)} cuộc đối thoại với Nhân dân" if dialogues else "")
            + "; tiếp nhận, phân loại và chuyển đơn thư đến cơ quan có thẩm quyền giải quyết theo quy định."
        )
    if code == "supervision":
        return (
            f"Đã phối hợp tổ chức {_with_changes('supervision', stats)} cuộc giám sát, khảo sát và "
            f"{vn_int(meetings.get('explanation_hearing', 0))} phiên giải trình; theo dõi, đôn đốc việc thực "
            f"hiện kiến nghị sau giám sát. Có {vn_int(petitions['unsatisfactory'])} nội dung trả lời được đánh giá "
            f"chưa thỏa đáng và đã đề nghị cơ quan có thẩm quyền xem xét, trả lời lại."
        )
    if code == "information":
        return (
            f"Duy trì chế độ giao ban, trao đổi thông tin giữa các cơ quan với "
            f"{vn_int(meetings.get('joint_briefing', 0))} cuộc họp giao ban trong năm; kịp thời cung cấp thông tin, "
            f"báo cáo phục vụ công tác lãnh đạo, chỉ đạo."
        )
    return ""


def _article_line(row):
    done = row["done_on_time"] + row["done_late"]
    number = f"Điều {row['article_number']}" if row["article_number"] else "Nhiệm vụ khác"
    title = f" ({row['article_title']})" if row.get("article_title") else ""
    text = f"{number}{title}: {vn_int(row['total'])} nhiệm vụ, đã hoàn thành {vn_int(done)}"
    if row["done_late"]:
        text += f" (trong đó {vn_int(row['done_late'])} nhiệm vụ hoàn thành chậm)"
    if row["open"]:
        text += f", còn {vn_int(row['open'])} nhiệm vụ đang thực hiện"
    return text + "."


def narrative_prefill(charter, stats):
    """The pre-filled sections of a review, as editable text (paragraphs separated by blank lines).

    Lines starting with "1." "2."… print as sub-headings."""
    year = stats["year"]
    tasks = stats["tasks"]
    petitions = stats["petitions"]
    documents = stats["documents"]
    planned, arising = tasks["planned"], tasks["arising"]

    sections = []
    seen = set()
    areas = [
        article.area
        for article in charter.articles.select_related("area").order_by("number")
        if article.area_id is not None
    ]
    for area in areas:
        if area.pk in seen:
            continue
        seen.add(area.pk)
        paragraph = _area_paragraph(area.code, stats, year)
        if paragraph:
            sections.append((area.name, paragraph))
    if not sections:
        sections.append(("Tiếp xúc cử tri", _area_paragraph("voter-contact", stats, year)))

    done_planned = planned["done_on_time"] + planned["done_late"]
    work = (
        f"Chương trình công tác năm {year} gồm {_with_changes('tasks_planned', stats)} nhiệm vụ; đã hoàn thành "
        f"{vn_int(done_planned)} nhiệm vụ ({vn_percent(done_planned, planned['total'])}), trong đó "
        f"{vn_int(planned['done_on_time'])} nhiệm vụ đúng tiến độ. Ngoài ra, các cơ quan đã triển khai "
        f"{vn_int(arising['total'])} nhiệm vụ mới phát sinh, hoàn thành "
        f"{vn_int(arising['done_on_time'] + arising['done_late'])} nhiệm vụ."
    )
    article_lines = "\n".join(f"- {_article_line(row)}" for row in tasks["by_article"] if row["total"])
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
        shortcomings_items.append(
            f"Việc gửi tài liệu kỳ họp có lúc còn chậm ({vn_int(documents['late'])} tài liệu gửi chậm, "
            f"{vn_int(documents['undelivered'])} tài liệu quá hạn chưa gửi), ảnh hưởng đến thời gian thẩm tra."
        )
    late_tasks = tasks["total"]["done_late"] + tasks["total"]["overdue"]
    if late_tasks:
        shortcomings_items.append(
            f"{vn_int(late_tasks)} nhiệm vụ trong chương trình công tác hoàn thành chậm hoặc quá hạn chưa hoàn thành."
        )
    if not shortcomings_items:
        shortcomings_items.append(
            "Công tác phối hợp có nội dung chưa chặt chẽ, thông tin trao đổi có lúc chưa kịp thời."
        )
    shortcomings = "\n".join(f"- {item}" for item in shortcomings_items)

    causes = (
        "- Khối lượng công việc lớn, nhiều nhiệm vụ mới phát sinh trong năm; một số cơ quan chưa bố trí đủ thời "
        "gian cho việc chuẩn bị tài liệu và trả lời kiến nghị.\n"
        "- Việc theo dõi, đôn đốc thực hiện kiến nghị sau giám sát và sau tiếp xúc cử tri có lúc chưa thường xuyên."
    )
    next_year = year + 1
    next_tasks = (
        f"- Tiếp tục thực hiện nghiêm Quy chế phối hợp số {charter.number}; xây dựng chương trình công tác năm "
        f"{next_year} bảo đảm rõ người, rõ việc, rõ thời gian.\n"
        f"- Phối hợp chuẩn bị chu đáo các kỳ họp HĐND năm {next_year}; gửi tài liệu kỳ họp đúng thời hạn quy định.\n"
        "- Nâng cao chất lượng tiếp xúc cử tri; theo dõi, đôn đốc giải quyết dứt điểm các kiến nghị quá hạn.\n"
        "- Tăng cường trao đổi thông tin giữa các cơ quan, nhất là giữa các Văn phòng."
    )
    recommendations = (
        "- Đề nghị UBND chỉ đạo các sở, ngành, địa phương trả lời kiến nghị cử tri đúng thời hạn, đúng trọng tâm, "
        "nêu rõ lộ trình giải quyết.\n"
        "- Đề nghị các cơ quan gửi tài liệu trình kỳ họp đúng thời gian quy định để bảo đảm chất lượng thẩm tra."
    )
    return {
        "results": results,
        "shortcomings": shortcomings,
        "causes": causes,
        "next_tasks": next_tasks,
        "recommendations": recommendations,
    }


def introduction_default(charter, year, parties):
    party_names = ", ".join(party.agency.name for party in parties)
    signed = f" ngày {charter.signed_on:%d/%m/%Y}" if charter.signed_on else ""
    return (
        f"Thực hiện Quy chế phối hợp số {charter.number}{signed} giữa {party_names}, các cơ quan báo cáo kết quả "
        f"thực hiện Quy chế phối hợp năm {year} và phương hướng, nhiệm vụ năm {year + 1} như sau:"
    )


def summary_default(year, kind):
    if kind == "end_of_term":
        return "Tổng kết thực hiện Quy chế phối hợp công tác nhiệm kỳ"
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
