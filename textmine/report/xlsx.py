"""A small streaming .xlsx writer: typed cells, a few styles, frozen panes, column widths.

openpyxl, even in write-only mode, spends about 20 µs on each cell; a report
with 100,000 comments has over a million cells, so the workbook alone would
take most of the time budget. This writer emits the SpreadsheetML parts
directly — inline strings, numbers, dates as serial numbers with a date
format — at about 2 µs a cell, and streams each sheet into the zip file.
It writes only what the report needs; read the result with openpyxl.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Sheet", "STYLES", "write_workbook", "column_letter"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_EPOCH = _dt.datetime(1899, 12, 30)

#: Style name → (number format or None, bold, wrap). Index in this order.
STYLES = {
    "general": (None, False, False),
    "bold": (None, True, False),
    "title": (None, True, False),
    "wrap": (None, False, True),
    "int": ("#,##0", False, False),
    "pct": ("0.0%", False, False),
    "pp": ("+0.0;-0.0;0.0", False, False),
    "num": ("0.00", False, False),
    "money": ("#,##0.00", False, False),
    "rho": ("+0.00;-0.00;0.00", False, False),
    "p": ("0.000", False, False),
    "date": ("yyyy-mm-dd", False, False),
    "datetime": ("yyyy-mm-dd hh:mm", False, False),
}
_INDEX = {name: i for i, name in enumerate(STYLES)}

# XML 1.0 forbids these characters even escaped; Excel refuses the file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_CHARS = 32767


@dataclass
class Sheet:
    """One worksheet: its rows, column widths and the rows frozen at the top.

    Each row is a list of cells; a cell is ``None`` (empty), a value (str,
    int, float, datetime, date) in the ``general`` style, or a pair
    ``(value, style)`` with a style name from :data:`STYLES`.
    """

    name: str
    rows: Iterable
    widths: dict = field(default_factory=dict)
    freeze_rows: int = 0


def column_letter(index: int) -> str:
    """Excel column name of a 1-based column number.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    name = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _cell(ref: str, value, style: str) -> str:
    s = _INDEX[style]
    attr = f' s="{s}"' if s else ""
    if value is None:
        return f'<c r="{ref}"{attr}/>' if s else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return f'<c r="{ref}"{attr}><v>{value!r}</v></c>'
    if isinstance(value, _dt.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH) / _dt.timedelta(days=1)
        return f'<c r="{ref}"{attr}><v>{serial!r}</v></c>'
    if isinstance(value, _dt.date):
        serial = (_dt.datetime(value.year, value.month, value.day) - _EPOCH).days
        return f'<c r="{ref}"{attr}><v>{serial}</v></c>'
    text = _ILLEGAL.sub("", str(value))[:MAX_CELL_CHARS]
    return f'<c r="{ref}"{attr} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _sheet_xml(sheet: Sheet, selected: bool) -> Iterable[str]:
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">')
    view = '<sheetView workbookViewId="0" tabSelected="1">' if selected else \
        '<sheetView workbookViewId="0">'
    if sheet.freeze_rows:
        top = f"A{sheet.freeze_rows + 1}"
        view += (f'<pane ySplit="{sheet.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                 f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
    yield f"<sheetViews>{view}</sheetView></sheetViews>"
    yield '<sheetFormatPr defaultRowHeight="15"/>'
    if sheet.widths:
        cols = "".join(f'<col min="{c}" max="{c}" width="{w:.1f}" customWidth="1"/>'
                       for c, w in sorted(sheet.widths.items()))
        yield f"<cols>{cols}</cols>"
    yield "<sheetData>"
    letters: list[str] = []
    for r, row in enumerate(sheet.rows, start=1):
        if len(row) > len(letters):
            letters = [column_letter(j) for j in range(1, len(row) + 1)]
        cells = []
        for j, cell in enumerate(row):
            value, style = cell if isinstance(cell, tuple) else (cell, "general")
            cells.append(_cell(f"{letters[j]}{r}", value, style))
        yield f'<row r="{r}">{"".join(cells)}</row>'
    yield ("</sheetData>"
           '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
           '<pageSetup paperSize="9" orientation="landscape"/>'
           "</worksheet>")


def _styles_xml() -> str:
    formats = {}
    for fmt, _, _ in STYLES.values():
        if fmt and fmt not in formats:
            formats[fmt] = 164 + len(formats)
    num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(f)}/>'
                       for f, i in formats.items())
    xfs = []
    for fmt, bold, wrap in STYLES.values():
        attrs = (f'numFmtId="{formats[fmt] if fmt else 0}" fontId="{1 if bold else 0}" '
                 'fillId="0" borderId="0" xfId="0"')
        if fmt:
            attrs += ' applyNumberFormat="1"'
        if bold:
            attrs += ' applyFont="1"'
        if wrap:
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>')
        else:
            xfs.append(f"<xf {attrs}/>")
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")


def write_workbook(path, sheets: list[Sheet], *, title: str = "", creator: str = "textmine") -> None:
    """Write ``sheets`` as an .xlsx file at ``path`` (the first sheet is shown on opening)."""
    n = len(sheets)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=4) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1))
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides +
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.extended-properties+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'))
        z.writestr("docProps/core.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(_ILLEGAL.sub('', title))}</dc:title>"
            f"<dc:creator>{escape(creator)}</dc:creator></cp:coreProperties>"))
        z.writestr("docProps/app.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
            'properties"><Application>textmine</Application></Properties>'))
        entries = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                          for i, s in enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{entries}</sheets></workbook>"))
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1))
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="{_PKG_REL}">{rels}<Relationship Id="rId{n + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>'))
        z.writestr("xl/styles.xml", _styles_xml())
        for i, sheet in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                buffer: list[str] = []
                size = 0
                for part in _sheet_xml(sheet, selected=i == 1):
                    buffer.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        fh.write("".join(buffer).encode("utf-8"))
                        buffer, size = [], 0
                fh.write("".join(buffer).encode("utf-8"))
