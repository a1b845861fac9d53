"""Read comment tables and articles, write results; never lose a row.

Readers stream a file in chunks and keep every row: a malformed CSV line or a
JSONL line that does not parse is kept, with the reason in ``Chunk.errors``,
so the output can flag it instead of dropping it. The encoding of text files
is detected from their bytes (BOM, then strict UTF-8, then GB18030 — what
Excel on Chinese Windows writes), not guessed from the extension.

Writers pick the format from the output's extension and write atomically:
the data go to a temporary file beside the target, renamed over it only when
complete, so a crash never leaves a half-written file that looks finished.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import InputError

__all__ = [
    "Chunk",
    "TableReader",
    "TableWriter",
    "open_table",
    "read_table",
    "write_table",
    "find_text_column",
    "detect_encoding",
    "neutralise_cell",
    "TEXT_COLUMN_CANDIDATES",
]

log = logging.getLogger(__name__)

TEXT_COLUMN_CANDIDATES = ("text", "review", "comment", "content", "评论", "内容", "正文", "留言")
_DELIMITED = {".csv", ".tsv", ".tab", ".txt"}
_EXCEL = {".xlsx", ".xlsm"}
_JSONL = {".jsonl", ".ndjson", ".json"}
_PARQUET = {".parquet", ".pq"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Chunk:
    """A slice of an input table.

    ``frame`` holds the input columns as read; ``errors[i]`` is ``None`` or why
    row ``i`` could not be read cleanly; ``lines[i]`` is where the row starts in
    the file (line number for text formats, spreadsheet row for Excel, row
    number for Parquet), for messages that point at the bad spot.
    """

    frame: pd.DataFrame
    errors: list = field(default_factory=list)
    lines: list = field(default_factory=list)


# --- encodings ---------------------------------------------------------------

def detect_encoding(path, sample: int | None = None) -> str:
    """Return the encoding of a text file: utf-8-sig, utf-16, utf-8 or gb18030.

    A BOM decides first; otherwise the bytes are decoded strictly as UTF-8, then
    as GB18030 (a superset of GBK and GB2312). When neither decodes cleanly the
    one with fewer bad bytes wins and is read with replacement characters.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(path, encoding, sample):
            return encoding
    with open(path, "rb") as fh:
        data = fh.read(sample or (1 << 22))
    bad = {enc: data.decode(enc, errors="replace").count("\ufffd") for enc in ("utf-8", "gb18030")}
    best = min(bad, key=bad.get)
    log.warning("%s: not valid UTF-8 or GB18030; reading as %s with replacement characters",
                path, best)
    return best


def _decodes(path: Path, encoding: str, sample: int | None) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    read = 0
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
            read += len(block)
            if sample is not None and read >= sample:
                return True
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return "excel"
    if magic == b"PAR1":
        return "parquet"
    suffix = path.suffix.lower()
    if suffix in _EXCEL:
        raise InputError("has an Excel extension but is not an .xlsx workbook; "
                         "save it again as .xlsx or as CSV", path=path)
    if suffix in _PARQUET:
        raise InputError("has a Parquet extension but is not a Parquet file", path=path)
    if suffix in _JSONL:
        return "jsonl"
    return "delimited"


# --- reading -----------------------------------------------------------------

def _clean_header(names: list) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        name = "" if name is None else str(name).strip().lstrip("\ufeff")
        if not name or name.lower().startswith("unnamed:"):
            name = f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


class TableReader:
    """Stream a table file chunk by chunk.

    Parameters
    ----------
    path : str or Path
        A CSV/TSV file, an .xlsx workbook, a JSONL file, a Parquet file, or a
        folder of ``.txt`` articles (one document per file: columns
        ``doc_id, text``).
    chunk_size : int
        Rows per chunk.
    sep : str, optional
        Field separator for delimited text; sniffed from the header when omitted.
    encoding : str, optional
        Text encoding; detected when omitted.
    sheet : str or int, optional
        Excel sheet (the first by default).
    """

    def __init__(self, path, *, chunk_size: int = 10_000, sep: str | None = None,
                 encoding: str | None = None, sheet=None):
        self.path = Path(path)
        if not self.path.exists():
            raise InputError("no such file or folder", path=self.path)
        if chunk_size < 1:
            raise ValueError(f"`chunk_size` value = {chunk_size} is invalid; it must be >= 1.")
        self.chunk_size = chunk_size
        self.sep = sep
        self.encoding = encoding
        self.sheet = sheet
        self.format = _sniff_format(self.path)
        self._columns: list[str] | None = None

    @property
    def columns(self) -> list[str]:
        """The input's column names, read from its header (or its first pass)."""
        if self._columns is None:
            for _ in self._iter(header_only=True):
                break
        return list(self._columns or [])

    def __iter__(self) -> Iterator[Chunk]:
        return self._iter(header_only=False)

    def _iter(self, header_only: bool) -> Iterator[Chunk]:
        reader = {
            "delimited": self._iter_delimited,
            "jsonl": self._iter_jsonl,
            "excel": self._iter_excel,
            "parquet": self._iter_parquet,
            "folder": self._iter_folder,
        }[self.format]
        yield from reader(header_only)

    # Delimited text: Python's csv module gives per-record control, so a line
    # with the wrong number of fields is kept and flagged rather than dropped.
    def _iter_delimited(self, header_only: bool) -> Iterator[Chunk]:
        encoding = self.encoding or detect_encoding(self.path)
        self.encoding = encoding
        _raise_csv_field_limit()
        with open(self.path, encoding=encoding, errors="replace", newline="") as fh:
            first = fh.readline()
            if not first.strip():
                raise InputError("the file is empty or its first line (the header) is blank; "
                                 "the first line must name the columns", path=self.path, line=1)
            sep = self.sep or _sniff_sep(first, self.path.suffix.lower())
            self.sep = sep
            header = next(csv.reader([first], delimiter=sep))
            columns = _clean_header(header)
            self._columns = columns
            if header_only:
                yield Chunk(pd.DataFrame(columns=columns))
                return
            reader = csv.reader(fh, delimiter=sep)
            ncol = len(columns)
            rows, errors, lines = [], [], []
            last_line = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise InputError(f"malformed CSV ({exc}); check the quoting of this line",
                                     path=self.path, line=last_line + 1) from None
                start = last_line + 1
                last_line = 1 + reader.line_num
                if not row:
                    continue  # a blank line is not a record
                error = None
                if len(row) != ncol:
                    error = (f"line {start} has {len(row)} fields, expected {ncol} "
                             f"(separator {sep!r}); check quotes around the text")
                    if len(row) < ncol:
                        row = row + [""] * (ncol - len(row))
                    else:
                        row = row[: ncol - 1] + [sep.join(row[ncol - 1:])]
                rows.append(row)
                errors.append(error)
                lines.append(start)
                if len(rows) >= self.chunk_size:
                    yield Chunk(pd.DataFrame(rows, columns=columns, dtype=object), errors, lines)
                    rows, errors, lines = [], [], []
            if rows:
                yield Chunk(pd.DataFrame(rows, columns=columns, dtype=object), errors, lines)

    def _iter_jsonl(self, header_only: bool) -> Iterator[Chunk]:
        encoding = self.encoding or detect_encoding(self.path)
        self.encoding = encoding
        if self._columns is None:
            # JSON records may add keys late: a first pass fixes the columns so
            # every chunk (and the output header) has the same ones.
            columns: dict[str, None] = {}
            with open(self.path, encoding=encoding, errors="replace") as fh:
                for line in fh:
                    record = _json_record(line)
                    if isinstance(record, dict):
                        columns.update(dict.fromkeys(map(str, record)))
            if not columns:
                raise InputError("no JSON object found; each line must be one object such as "
                                 '{"text": "..."}', path=self.path)
            self._columns = list(columns)
        if header_only:
            yield Chunk(pd.DataFrame(columns=self._columns))
            return
        columns_list = self._columns
        rows, errors, lines = [], [], []
        with open(self.path, encoding=encoding, errors="replace") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                record = _json_record(line)
                error = None
                if not isinstance(record, dict):
                    error = (f"line {number} is not a JSON object"
                             if record is not _BAD_JSON else f"line {number} is not valid JSON")
                    record = {}
                rows.append([_json_value(record.get(c)) for c in columns_list])
                errors.append(error)
                lines.append(number)
                if len(rows) >= self.chunk_size:
                    yield Chunk(pd.DataFrame(rows, columns=columns_list, dtype=object), errors, lines)
                    rows, errors, lines = [], [], []
        if rows:
            yield Chunk(pd.DataFrame(rows, columns=columns_list, dtype=object), errors, lines)

    def _iter_excel(self, header_only: bool) -> Iterator[Chunk]:
        try:
            frame = pd.read_excel(self.path, sheet_name=self.sheet if self.sheet is not None else 0,
                                  dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for broken files
            raise InputError(f"cannot read the workbook ({exc}); open it in Excel and save "
                             "it again as .xlsx", path=self.path) from None
        frame.columns = _clean_header(list(frame.columns))
        frame = frame.astype(object).where(frame.notna(), None)
        self._columns = list(frame.columns)
        if header_only:
            yield Chunk(frame.iloc[:0])
            return
        for start in range(0, len(frame), self.chunk_size):
            part = frame.iloc[start:start + self.chunk_size].reset_index(drop=True)
            yield Chunk(part, [None] * len(part), list(range(start + 2, start + 2 + len(part))))

    def _iter_parquet(self, header_only: bool) -> Iterator[Chunk]:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.path)
        except Exception as exc:
            raise InputError(f"cannot read the Parquet file ({exc})", path=self.path) from None
        self._columns = list(pf.schema_arrow.names)
        if header_only:
            yield Chunk(pd.DataFrame(columns=self._columns))
            return
        row = 1
        for batch in pf.iter_batches(batch_size=self.chunk_size):
            part = batch.to_pandas()
            n = len(part)
            yield Chunk(part, [None] * n, list(range(row, row + n)))
            row += n

    def _iter_folder(self, header_only: bool) -> Iterator[Chunk]:
        self._columns = ["doc_id", "text"]
        if header_only:
            yield Chunk(pd.DataFrame(columns=self._columns))
            return
        files = sorted(p for p in self.path.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".md"))
        if not files:
            raise InputError("the folder has no .txt files; put one article per .txt file",
                             path=self.path)
        rows, errors, lines = [], [], []
        for number, p in enumerate(files, 1):
            error = None
            try:
                text = p.read_text(encoding=detect_encoding(p), errors="replace")
            except OSError as exc:
                text, error = "", f"cannot read {p.name}: {exc.strerror}"
            rows.append([str(p.relative_to(self.path)), text.lstrip("\ufeff")])
            errors.append(error)
            lines.append(number)
            if len(rows) >= self.chunk_size:
                yield Chunk(pd.DataFrame(rows, columns=self._columns, dtype=object), errors, lines)
                rows, errors, lines = [], [], []
        if rows:
            yield Chunk(pd.DataFrame(rows, columns=self._columns, dtype=object), errors, lines)


_BAD_JSON = object()


def _json_record(line: str):
    line = line.strip()
    if not line:
        return None
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return _BAD_JSON


def _json_value(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sniff_sep(header_line: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    counts = {sep: header_line.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _raise_csv_field_limit() -> None:
    # The csv module refuses fields over 128 KiB by default; a pasted article
    # or a 1 MB comment is legitimate input.
    limit = sys.maxsize
    while limit > csv.field_size_limit():
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def open_table(path, **kwargs) -> TableReader:
    """Open ``path`` for chunked reading; see :class:`TableReader`."""
    return TableReader(path, **kwargs)


def read_table(path, **kwargs) -> pd.DataFrame:
    """Read a whole table into a DataFrame.

    Rows that could not be read cleanly are kept; their reasons are in
    ``frame.attrs["read_errors"]`` (a dict of row position → reason).
    """
    reader = TableReader(path, **kwargs)
    frames, errors = [], {}
    offset = 0
    for chunk in reader:
        frames.append(chunk.frame)
        for i, e in enumerate(chunk.errors):
            if e:
                errors[offset + i] = e
        offset += len(chunk.frame)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=reader.columns)
    frame.attrs["read_errors"] = errors
    return frame


def find_text_column(columns, text_col: str | None = None, path=None) -> str:
    """Return the text column: ``text_col`` if given, else the single obvious candidate.

    Candidates are text, review, comment, content, 评论, 内容, 正文 and 留言
    (case-insensitive). Raises :class:`InputError` listing the columns otherwise.
    """
    columns = [str(c) for c in columns]
    listed = ", ".join(columns) if columns else "(none)"
    if text_col is not None:
        if text_col in columns:
            return text_col
        raise InputError(f"text column {text_col!r} not found; the columns are: {listed}. "
                         "Pass one of them with --text-col.", path=path)
    matches = [c for c in columns if c.strip().lower() in TEXT_COLUMN_CANDIDATES]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"no text column found; the columns are: {listed}. "
                         "Name the column to analyse with --text-col.", path=path)
    raise InputError(f"several text columns found ({', '.join(matches)}); "
                     "choose one with --text-col.", path=path)


# --- writing -----------------------------------------------------------------

def neutralise_cell(value):
    """Make a cell value safe to open in Excel: text starting with = + - @ gets a leading '.

    Numbers are returned unchanged, so ``-3`` stays a number.

    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _output_format(path) -> str:
    if str(path) == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "tsv" if suffix == ".tsv" else "csv"
    if suffix in _EXCEL:
        return "excel"
    if suffix in _JSONL:
        return "jsonl"
    if suffix in _PARQUET:
        return "parquet"
    raise InputError(f"unknown output extension {suffix or '(none)'!r}; use .csv, .tsv, "
                     ".xlsx, .jsonl or .parquet", path=path)


#: Output formats written as text, chunk after chunk.
TEXT_FORMATS = ("csv", "tsv", "jsonl")


def _neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda col: col.map(neutralise_cell)
                       if col.dtype == object or pd.api.types.is_string_dtype(col) else col)


def render_chunk(frame: pd.DataFrame, fmt: str, *, header: bool, neutralise: bool = False) -> str:
    """The text :class:`TableWriter` appends for ``frame`` in a text format (csv, tsv, jsonl)."""
    if neutralise:
        frame = _neutralise_frame(frame)
    if fmt in ("csv", "tsv"):
        return frame.to_csv(header=header, index=False, sep="\t" if fmt == "tsv" else ",",
                            lineterminator="\n")
    if fmt == "jsonl":
        if not len(frame):
            return ""
        text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
        return text if text.endswith("\n") else text + "\n"
    raise ValueError(f"{fmt} is not a text format; use one of {', '.join(TEXT_FORMATS)}")


def _clear_stale_temporaries(path: Path) -> None:
    # A writer killed before close() leaves its temporary file (.NAME.PID.tmp)
    # behind; remove those of processes that no longer run.
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:-len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except OSError:  # alive, or not ours to ask about
            pass


class TableWriter:
    """Write DataFrame chunks to one output file, atomically.

    The format follows the extension: ``.csv`` (UTF-8 with BOM, so Excel
    opens Chinese text correctly), ``.tsv``, ``.xlsx``, ``.jsonl``,
    ``.parquet``; ``-`` is CSV on standard output. Nothing appears at
    ``path`` until :meth:`close`; :meth:`abort` (or an exception inside a
    ``with`` block) removes the temporary file and leaves any old output as it was.

    Parameters
    ----------
    neutralise : bool
        Prefix text cells that start with = + - @ with ``'`` so that no
        formula runs when the file is opened in a spreadsheet. Always on for .xlsx.
    """

    def __init__(self, path, *, neutralise: bool = False, stdout=None):
        self.path = path if str(path) == "-" else Path(path)
        self.format = _output_format(path)
        self.neutralise = neutralise or self.format == "excel"
        self._stdout = stdout
        self._tmp: Path | None = None
        self._fh = None
        self._columns: list[str] | None = None
        self._parquet = None
        self._schema = None
        self._workbook = None
        self._sheet = None
        self.rows = 0

    def _open(self, columns: list[str]) -> None:
        self._columns = columns
        if self.path == "-":
            self._fh = self._stdout or sys.stdout
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _clear_stale_temporaries(self.path)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        if self.format in ("csv", "tsv"):
            self._fh = open(self._tmp, "w", encoding="utf-8-sig", newline="")
        elif self.format == "jsonl":
            self._fh = open(self._tmp, "w", encoding="utf-8", newline="\n")
        elif self.format == "excel":
            from openpyxl import Workbook

            self._workbook = Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet("data")
            self._sheet.append(self._columns)

    def _check_columns(self, columns) -> bool:
        # True for the first chunk, which opens the file.
        columns = [str(c) for c in columns]
        if self._columns is None:
            self._open(columns)
            return True
        if columns != self._columns:
            raise ValueError("every chunk written to one file must have the same columns")
        return False

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame`` (same columns as the first chunk)."""
        first = self._check_columns(frame.columns)
        if self.format in TEXT_FORMATS:
            self._fh.write(render_chunk(frame, self.format, header=first,
                                        neutralise=self.neutralise))
        elif self.format == "parquet":
            self._write_parquet(frame)
        elif self.format == "excel":
            if self.neutralise:
                frame = _neutralise_frame(frame)
            self._write_excel(frame)
        self.rows += len(frame)

    def write_rendered(self, text: str, columns, rows: int) -> None:
        """Append ``text``: what :func:`render_chunk` made of a chunk with these
        ``columns`` and ``rows`` (with the header for the first chunk only).

        Worker processes render their chunks themselves, so the process that
        writes the file only copies text.
        """
        if self.format not in TEXT_FORMATS:
            raise ValueError(f"{self.format} output cannot be written from rendered text")
        self._check_columns(columns)
        self._fh.write(text)
        self.rows += rows

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = frame.copy()
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype(object).map(lambda v: v if v is None or isinstance(v, str)
                                            or (isinstance(v, float) and v != v) else str(v))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._parquet is None:
            schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                for f in table.schema]).remove_metadata()
            self._parquet = pq.ParquetWriter(self._tmp, schema)
            self._schema = schema
        try:
            table = table.cast(self._schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"a column changed type between chunks ({exc}); "
                             "write CSV or JSONL instead") from None
        self._parquet.write_table(table)

    def _write_excel(self, frame: pd.DataFrame) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        for row in frame.itertuples(index=False, name=None):
            cells = []
            for v in row:
                if isinstance(v, str):
                    v = ILLEGAL_CHARACTERS_RE.sub("", v)[:32_000]
                elif v is not None and isinstance(v, float) and v != v:
                    v = None
                cells.append(v)
            self._sheet.append(cells)

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self._columns is None:
            raise ValueError("nothing was written; write at least one (possibly empty) chunk")
        if self.path == "-":
            self._fh.flush()
            return
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        if self._parquet is not None:
            self._parquet.close()
        elif self.format == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({c: pa.array([], pa.string()) for c in self._columns}), self._tmp)
        if self._workbook is not None:
            self._workbook.save(self._tmp)
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        """Discard what was written; an existing file at ``path`` is untouched."""
        if self._fh is not None and self.path != "-":
            self._fh.close()
        if self._parquet is not None:
            self._parquet.close()
        if self._tmp is not None and self._tmp.exists():
            self._tmp.unlink()
        self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False


def write_table(frame: pd.DataFrame, path, **kwargs) -> None:
    """Write ``frame`` to ``path`` atomically, format by extension (see :class:`TableWriter`)."""
    with TableWriter(path, **kwargs) as writer:
        writer.write(frame)
