"""Small helpers for official Vietnamese documents in .docx: A4 with the standard's margins,
Times New Roman, borderless header blocks and bordered tables.

The body is written as WordprocessingML text and parsed once (`Flow`): python-docx's object API
costs about a millisecond per paragraph, and a báo cáo of 30 duties by 60 units has thousands.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from lxml import etree

FONT = "Times New Roman"
_TWIPS_PER_CM = 567
_TWIPS_PER_PT = 20


@dataclass(frozen=True)
class Line:
    """One paragraph of a block: its text and look (size in points)."""

    text: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: str = "center"  # WordprocessingML: left, center, right, both


def _run(line: Line) -> str:
    if not line.text:
        return ""
    props = "".join(
        tag for on, tag in ((line.bold, "<w:b/>"), (line.italic, "<w:i/>"), (line.underline, '<w:u w:val="single"/>'))
        if on
    )  # fmt: skip
    return (
        f'<w:r><w:rPr>{props}<w:sz w:val="{round(line.size * 2)}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(line.text)}</w:t></w:r>'
    )


def _paragraph(line: Line, *, indent: bool = False, after: float = 0, lead: Line | None = None) -> str:
    first = f'<w:ind w:firstLine="{round(1.27 * _TWIPS_PER_CM)}"/>' if indent else ""
    spacing = f'<w:spacing w:before="0" w:after="{round(after * _TWIPS_PER_PT)}"/>'
    runs = (_run(lead) if lead else "") + _run(line)
    return f'<w:p><w:pPr>{spacing}{first}<w:jc w:val="{line.align}"/></w:pPr>{runs}</w:p>'


def _cell(lines: Sequence[Line], width: float, borders: bool) -> str:
    body = "".join(_paragraph(line) for line in lines) or "<w:p/>"
    edge = "" if borders else "<w:tcBorders>" + "".join(
        f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right")
    ) + "</w:tcBorders>"  # fmt: skip
    return f'<w:tc><w:tcPr><w:tcW w:w="{round(width * _TWIPS_PER_CM)}" w:type="dxa"/>{edge}</w:tcPr>{body}</w:tc>'


class Flow:
    """The document body, written in order and parsed once by `save`."""

    def __init__(self, *, size: float, top: float, bottom: float, left: float, right: float) -> None:
        self.size = size
        self.doc: Any = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(size)
        # Word takes some Vietnamese text from the East Asian font slot: name the font there too.
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.line_spacing = 1.1
        self._parts: list[str] = []

    def para(
        self,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "both",
        indent: bool = True,
        after: float = 6,
        lead: str = "",
    ) -> None:
        """A body paragraph: justified, first line indented 1.27 cm, 6 pt after (both standards).
        `lead`: words in bold before the text (a numbered item's label)."""
        line = Line(text, size or self.size, bold, italic, underline, align)
        head = Line(lead, size or self.size, bold=True) if lead else None
        self._parts.append(_paragraph(line, indent=indent, after=after, lead=head))

    def page_break(self) -> None:
        self._parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(
        self,
        rows: Sequence[Sequence[Sequence[Line]]],
        widths: Sequence[float],
        *,
        borders: bool,
        header: bool = False,
    ) -> None:
        """Rows of cells, each a stack of lines; widths in cm. `header`: the first row repeats on each page."""
        edges = "".join(
            f'<w:{side} w:val="{"single" if borders else "nil"}" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        grid = "".join(f'<w:gridCol w:w="{round(w * _TWIPS_PER_CM)}"/>' for w in widths)
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{edges}</w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for i, row in enumerate(rows):
            repeat = "<w:tblHeader/>" if header and i == 0 else ""
            cells = "".join(_cell(lines, w, borders) for lines, w in zip(row, widths, strict=True))
            out.append(f"<w:tr><w:trPr>{repeat}<w:cantSplit/></w:trPr>{cells}</w:tr>")
        out.append("</w:tbl>")
        self._parts.append("".join(out))
        self._parts.append(_paragraph(Line("", 4)))  # Word needs a paragraph between tables

    def save(self) -> bytes:
        old = self.doc.element.body
        sect = old.find(qn("w:sectPr"))
        tail = etree.tostring(sect, encoding="unicode") if sect is not None else ""
        # One parse and one swap: moving thousands of elements into the tree one by one is quadratic in lxml.
        body = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self._parts)}{tail}</w:body>")
        old.getparent().replace(old, body)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
