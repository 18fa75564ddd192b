"""The Word (.docx) copy of the evaluation report: the same context as the PDF, in the Decree 30/2020 layout
(A4, margins 20/15/20/30 mm, Times New Roman 14, the header as a borderless two-column table).

Built from `report_context` (a version's frozen data only), so the PDF and the Word file say the same thing.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .report import _appendix_rows, report_context

FONT = "Times New Roman"
ALIGN = {"n": WD_ALIGN_PARAGRAPH.RIGHT, "c": WD_ALIGN_PARAGRAPH.CENTER, "": WD_ALIGN_PARAGRAPH.LEFT}


def _run(paragraph, text, *, bold=False, italic=False, size=14, underline=False):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text="", *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=6, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _cell_para(cell, text, *, align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **style):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _bottom_rule(paragraph, width_mm):
    """A short centred rule under a paragraph (the line under the agency names and under the motto)."""
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p_pr.append(border)
    fmt = paragraph.paragraph_format
    # Indent from both sides so the rule spans about width_mm of the cell.
    fmt.left_indent = fmt.right_indent = Mm(max((75 - width_mm) / 2, 0))


def _borderless(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _keep_rows_together(table):
    """Every paragraph keeps with the next and rows do not split: Word keeps the block on one page."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _page_setup(document):
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    # Page numbers centred at the top from page 2 (Decree 30): a PAGE field in the (non-first) header.
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(header, "", size=13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _header(document, context):
    if context["is_draft"]:
        _para(document, "DỰ THẢO", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, bold=True, size=13)
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(78), Mm(87)
    for index, line in enumerate(context["issuers"]):
        _cell_para(left, line, first=index == 0, bold=True, size=12)
    rule = _cell_para(left, "", size=6)
    _bottom_rule(rule, 25)
    _cell_para(left, f"Số: {context['reference']}", size=13)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True, size=12)
    slogan = _cell_para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _bottom_rule(slogan, 60)
    _cell_para(right, "", size=6)
    _cell_para(right, context["date_line"], italic=True, size=14)


def _data_table(document, block):
    table = document.add_table(rows=1, cols=len(block["header"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, block["header"], strict=True):
        _cell_para(cell, title, first=True, bold=True, size=12)
    for row in block["cells"]:
        cells = table.add_row().cells
        for cell, (text, align) in zip(cells, row, strict=True):
            _cell_para(cell, text, first=True, align=ALIGN[align], size=12)
    if block["footer"]:
        cells = table.add_row().cells
        for cell, (text, align) in zip(cells, block["footer"], strict=True):
            _cell_para(cell, text, first=True, align=ALIGN[align], bold=True, size=12)
    # Repeat the header row on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    _para(document, "", indent=False, space_after=2)


def _body(document, context):
    _para(document, "BÁO CÁO", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=0, bold=True)
    summary = _para(document, context["summary"], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, bold=True)
    _bottom_rule(summary, 50)
    if context["introduction"]:
        _para(document, context["introduction"])
    for section in context["sections"]:
        heading = _para(document, section["heading"], bold=True)
        heading.paragraph_format.keep_with_next = True
        for block in section["blocks"]:
            kind = block["kind"]
            if kind == "heading":
                _para(document, block["text"], bold=True).paragraph_format.keep_with_next = True
            elif kind in ("minor", "subheading"):
                _para(document, block["text"], bold=True, italic=True).paragraph_format.keep_with_next = True
            elif kind == "note":
                _para(document, block["text"], indent=False, italic=True, size=11)
            elif kind == "table":
                caption = _para(
                    document, block["caption"], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, italic=True, size=12
                )
                caption.paragraph_format.keep_with_next = True
                _data_table(document, block)
            else:
                _para(document, block["text"])
    _para(document, context["closing"])


def _recipients(cell, recipients, *, first):
    if not recipients:
        return
    _cell_para(cell, "Nơi nhận:", first=first, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for line in recipients:
        _cell_para(cell, f"- {line}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)


def _signatures(document, context):
    """The signature rows as borderless tables; one signer: "Nơi nhận:" in the left cell beside it,
    several: below the last row, on the left. The whole group is kept on one page."""
    rows = context["signature_rows"]
    single = context["signer_count"] == 1
    size = 12 if context["signer_count"] == 3 else 13
    for row_index, row in enumerate(rows):
        last = row_index == len(rows) - 1
        columns = len(row) + (1 if single else 0)
        table = document.add_table(rows=2, cols=columns)
        _borderless(table)
        offset = 0
        if single:
            merged = table.cell(0, 0).merge(table.cell(1, 0))
            _recipients(merged, context["recipients"], first=True)
            offset = 1
        for index, signer in enumerate(row):
            cell = table.cell(0, index + offset)
            for line_index, line in enumerate(signer["lines"]):
                _cell_para(cell, line, first=line_index == 0, bold=True, size=size)
            name_cell = table.cell(1, index + offset)
            for _blank in range(4):
                _cell_para(name_cell, "", first=_blank == 0, size=14)
            _cell_para(name_cell, signer["name"], bold=True, size=14)
        _keep_rows_together(table)
        if last and not single and context["recipients"]:
            below = document.add_table(rows=1, cols=2)
            _borderless(below)
            _recipients(below.cell(0, 0), context["recipients"], first=True)
            _keep_rows_together(below)


def _appendix(document, review, data, context):
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    _para(document, "PHỤ LỤC", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=0, bold=True)
    period = "trong nhiệm kỳ" if context["is_end_of_term"] else context.get("period_words") or f"năm {context['year']}"
    _para(
        document,
        f"Danh sách ý kiến, kiến nghị cử tri {period} và tình hình giải quyết (Kèm theo Báo cáo số "
        f"{context['reference']}; số liệu tính đến ngày {context['as_of']:%d/%m/%Y})",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        italic=True,
        size=13,
    )
    header = ["STT", "Mã", "Ngày nhận", "Nội dung", "Lĩnh vực", "Cơ quan giải quyết", "Hạn trả lời", "Ngày trả lời"]
    header.append("Tình trạng")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        _cell_para(cell, title, first=True, bold=True, size=10)
    keys = ("index", "reference", "received_on", "content", "field", "agency", "due_date", "answered_on", "state")
    for row in _appendix_rows(review, data):
        cells = table.add_row().cells
        for cell, key in zip(cells, keys, strict=True):
            align = WD_ALIGN_PARAGRAPH.LEFT if key in ("content", "field", "agency", "state") else ALIGN["c"]
            _cell_para(cell, str(row[key]), first=True, align=align, size=10)


def review_docx(review, data, *, with_appendix=False):
    """(DOCX bytes, 0) of a review version's saved `data`; Word lays the pages out, so no page count."""
    context = report_context(review, data, with_appendix=with_appendix)
    document = Document()
    _page_setup(document)
    _header(document, context)
    _body(document, context)
    _signatures(document, context)
    if with_appendix:
        _appendix(document, review, data, context)
    core = document.core_properties
    core.title = ("Dự thảo - " if context["is_draft"] else "") + f"Báo cáo {context['summary']}"
    core.author = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), 0


def report_docx(report):
    return review_docx(report.review, report.source_version.data, with_appendix=report.with_appendix)
