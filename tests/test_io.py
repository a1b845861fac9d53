import json

import pandas as pd
import pytest

from textmine.errors import InputError
from textmine.io import (TableReader, TableWriter, detect_encoding, find_text_column,
                         neutralise_cell, read_table, write_table)

ROWS = [("1", "蜂蜜很纯正，回购！"), ("2", "物流太慢了"), ("3", "品質很好")]


def _csv_bytes(encoding: str, sep: str = ",") -> bytes:
    lines = [f"id{sep}评论"] + [f"{i}{sep}{t}" for i, t in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"),
    ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_detects_encoding_from_bytes(tmp_path, encoding, expected):
    path = tmp_path / "comments.txt"  # the extension says nothing
    path.write_bytes(_csv_bytes(encoding))
    assert detect_encoding(path) == expected
    frame = read_table(path)
    assert list(frame.columns) == ["id", "评论"]
    assert frame["评论"].tolist() == [t for _, t in ROWS]


def test_excel_style_gbk_tsv(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv_bytes("gbk", sep="\t"))
    frame = read_table(path)
    assert frame.shape == (3, 2)
    assert frame["评论"][2] == "品質很好"


def test_malformed_line_is_kept_and_flagged(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('id,text\n1,好\n2,坏,多余\n3,"跨\n行"\n4\n', encoding="utf-8")
    chunks = list(TableReader(path, chunk_size=2))
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    errors = [e for c in chunks for e in c.errors]
    lines = [n for c in chunks for n in c.lines]
    assert frame["id"].tolist() == ["1", "2", "3", "4"]
    assert lines == [2, 3, 4, 6]
    assert errors[0] is None and errors[2] is None
    assert "line 3 has 3 fields, expected 2" in errors[1]
    assert "line 6 has 1 fields" in errors[3]
    assert frame["text"][1] == "坏,多余"  # extra fields kept, not dropped
    assert frame["text"][2] == "跨\n行"


def test_xlsx_jsonl_parquet_round_trip(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["好吃", "=1+1"]})
    for name in ("x.xlsx", "x.jsonl", "x.parquet", "x.csv", "x.tsv"):
        write_table(frame, tmp_path / name)
        back = read_table(tmp_path / name)
        assert list(back.columns) == ["id", "text"], name
        assert back["id"].tolist() == ["a", "b"], name
    assert read_table(tmp_path / "x.xlsx")["text"][1] == "'=1+1"  # neutralised in Excel
    assert read_table(tmp_path / "x.csv")["text"][1] == "=1+1"


def test_csv_output_has_bom_for_excel(tmp_path):
    write_table(pd.DataFrame({"评论": ["好"]}), tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_jsonl_bad_line_and_late_keys(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "好"}\nnot json\n[1, 2]\n{"text": "坏", "product": "蜂蜜"}\n',
                    encoding="utf-8")
    chunks = list(TableReader(path))
    frame = chunks[0].frame
    assert list(frame.columns) == ["text", "product"]
    assert len(frame) == 4
    assert chunks[0].errors[1] == "line 2 is not valid JSON"
    assert chunks[0].errors[2] == "line 3 is not a JSON object"
    assert frame["product"][3] == "蜂蜜"


def test_folder_of_articles(tmp_path):
    (tmp_path / "a.txt").write_text("标题一\n正文", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("标题二\n正文".encode("gbk"))
    frame = read_table(tmp_path)
    assert frame["doc_id"].tolist() == ["a.txt", "b.txt"]
    assert frame["text"][1].startswith("标题二")


@pytest.mark.parametrize("columns, given, expected", [
    (["id", "评论"], None, "评论"),
    (["ID", "Review", "time"], None, "Review"),
    (["id", "body"], "body", "body"),
])
def test_find_text_column(columns, given, expected):
    assert find_text_column(columns, given) == expected


@pytest.mark.parametrize("columns, given, message", [
    (["id", "body"], None, "no text column found; the columns are: id, body"),
    (["text", "comment"], None, "several text columns found"),
    (["id"], "text", "text column 'text' not found; the columns are: id"),
])
def test_find_text_column_errors(columns, given, message):
    with pytest.raises(InputError, match=message):
        find_text_column(columns, given)


def test_writer_is_atomic(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with TableWriter(target) as w:
            w.write(pd.DataFrame({"a": [1]}))
            raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_writer_clears_what_a_killed_writer_left(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = tmp_path / f".out.csv.{dead}.tmp"
    left.write_text("half a file", encoding="utf-8")
    other = tmp_path / f".other.csv.{dead}.tmp"
    other.write_text("not ours", encoding="utf-8")
    with TableWriter(tmp_path / "out.csv") as w:
        w.write(pd.DataFrame({"a": [1]}))
    assert not left.exists()
    assert other.exists()


def test_misnamed_files_are_reported(tmp_path):
    (tmp_path / "x.xlsx").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an .xlsx workbook"):
        TableReader(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="no such file"):
        TableReader(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_table(tmp_path / "empty.csv")


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+86 123", "'+86 123"), ("-好", "'-好"), ("@x", "'@x"),
    ("好", "好"), (-3, -3), (1.5, 1.5),
])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_megabyte_cell_and_binary_junk(tmp_path):
    path = tmp_path / "big.csv"
    big = "好" * 1_100_000
    path.write_bytes(("id,text\n1," + big + "\n2,ok\n").encode("utf-8") + b"3,\xff\xfe\x00\x01junk\n")
    frame = read_table(path)
    assert len(frame) == 3
    assert len(frame["text"][0]) == 1_100_000
