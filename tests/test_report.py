"""Tests for textmine.report: sections, 摘要, HTML/Excel/Markdown output, safety, CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.errors import InputError
from textmine.report import SECTIONS, build_report
from textmine.report.charts import bar_chart, line_chart
from textmine.report.fmt import format_frame
from textmine.report.markdown import escape_markdown
from textmine.report.schema import prepare_comments
from textmine.report.sections import representative_comments

CODES = ("quality", "trust", "supervision", "branding", "price", "logistics", "service")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
FORMULAS = ['=HYPERLINK("http://x","点我")', "+1", "-_-||", "@主播 在吗"]


def _scored(n: int = 1200, seed: int = 7) -> pd.DataFrame:
    """A scored-comment table with a planted story: a quality incident in weeks 6–7 for
    雷山鱼酱, and trust complaints about one streamer from week 9."""
    rng = np.random.default_rng(seed)
    products = np.array(["城步蜂蜜", "雷山鱼酱", "雷山银球茶", "赣南脐橙"])
    streamers = np.array(["城步吴副县长", "雷山阿妹秀秀", "多伦草原老马", SCRIPT])
    prod = products[rng.integers(0, len(products), n)]
    streamer = streamers[rng.integers(0, len(streamers), n)]
    start = pd.Timestamp("2026-06-01")
    time = start + pd.to_timedelta(rng.uniform(0, 91, n), unit="D")
    week = np.asarray((time - start).days // 7)
    p = rng.beta(3, 2, n)
    incident = (prod == "雷山鱼酱") & np.isin(week, [5, 6])
    p[incident] = rng.uniform(0.02, 0.3, incident.sum())
    has = rng.random((n, len(CODES))) < [0.3, 0.06, 0.03, 0.1, 0.12, 0.1, 0.06]
    has[incident, 0] = True
    distrust = (streamer == "多伦草原老马") & (week >= 8)
    has[distrust, 1] = True
    p[distrust] = rng.uniform(0.02, 0.25, distrust.sum())
    label = np.where(p >= 0.6, "pos", np.where(p <= 0.4, "neg", "neu"))
    texts = [f"{pr}第{i}条评论，{'很好吃，回购' if q >= 0.6 else '太差了，不会再买' if q <= 0.4 else '一般般'}"
             for i, (pr, q) in enumerate(zip(prod, p))]
    frame = pd.DataFrame({
        "comment_id": [f"c{i:05d}" for i in range(n)],
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "platform": rng.choice(["抖音", "快手", "淘宝直播", "微信小程序"], n),
        "streamer": streamer, "product": prod, "text": texts, "status": "ok",
        "sentiment": p, "sentiment_label": label,
        "topics": ["|".join(c for c, h in zip(CODES, row) if h) for row in has],
        "evidence": [";".join(f"{c}:词{j}" for j, (c, h) in enumerate(zip(CODES, row)) if h)
                     for row in has]})
    for j, c in enumerate(CODES):
        frame[f"sentiment_{c}"] = np.where(has[:, j], p, np.nan)
    # The only service complaint is hostile markup, so it must be shown as an example.
    frame.loc[frame["topics"].str.contains("service") & (frame["sentiment_service"] <= 0.4),
              "sentiment_service"] = 0.5
    evil = {"text": IMG, "topics": "service", "evidence": "service:客服", "sentiment": 0.1,
            "sentiment_label": "neg", **{f"sentiment_{c}": np.nan for c in CODES}}
    evil["sentiment_service"] = 0.1
    frame.loc[0, list(evil)] = list(evil.values())
    frame.loc[1, "text"] = SCRIPT
    for i, text in enumerate(FORMULAS, start=2):
        frame.loc[i, "text"] = text
    frame.loc[len(FORMULAS) + 2, ["status", "sentiment", "sentiment_label", "topics"]] = \
        ["empty", np.nan, "", ""]
    return frame


def _sales() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for day in pd.date_range("2026-06-01", "2026-08-30"):
        for product, specs in (("城步蜂蜜", ("300g", "500g")), ("雷山鱼酱", ("250g", "500g")),
                               ("赣南脐橙", ("5斤", "10斤"))):
            for k, spec in enumerate(specs):
                for channel, streamer, tier in (("抖音", "雷山阿妹秀秀", "waist"),
                                                ("微信小程序", "城步吴副县长", "tail")):
                    units = int(rng.poisson(30 if k == 0 else 10))
                    if product == "城步蜂蜜" and f"{day:%m-%d}" == "07-04":
                        units *= 10  # a livestream special
                    rows.append((f"{day:%Y-%m-%d}", product, spec, channel, streamer, tier,
                                 units, units * 39.9))
    return pd.DataFrame(rows, columns=["date", "product", "spec", "channel", "streamer",
                                       "streamer_tier", "units", "revenue"])


@pytest.fixture(scope="session")
def scored() -> pd.DataFrame:
    return _scored()


@pytest.fixture(scope="session")
def sales() -> pd.DataFrame:
    return _sales()


@pytest.fixture(scope="session")
def outputs(tmp_path_factory, scored, sales):
    out = tmp_path_factory.mktemp("report")
    paths = [out / "report.html", out / "report.xlsx", out / "report.md"]
    report = build_report(scored, sales, title="城步县农产品直播舆情与销售分析", output=paths)
    return report, paths


@pytest.fixture(scope="session")
def report(outputs):
    return outputs[0]


@pytest.fixture(scope="session")
def page(outputs) -> str:
    return outputs[1][0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def workbook(outputs):
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(outputs[1][1])


# --- safety ----------------------------------------------------------------------

def test_html_escapes_user_text(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # streamer name and a comment
    assert "&lt;img src=x onerror=alert(2)&gt;" in page  # the only service complaint
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=" not in page.replace("&lt;img src=x onerror=", "")


def test_markdown_escapes_user_text(outputs):
    text = outputs[1][2].read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "<img" not in text and "<script" not in text


def test_workbook_neutralises_formulas(workbook):
    ws = workbook["评论明细"]
    header = [c.value for c in ws[1]]
    col = header.index("评论") + 1
    cells = {ws.cell(row=r, column=col).value: ws.cell(row=r, column=col)
             for r in range(2, 12)}
    for text in FORMULAS:
        cell = cells["'" + text]
        assert cell.data_type == "s"
    assert all(not (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))
               for row in workbook["评论明细"].iter_rows() for c in row)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_markdown_escape_leaves_no_markup(text):
    out = escape_markdown(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert re.search(r"(?<!\\)\|", out) is None


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                        max_size=12), min_size=1, max_size=5))
def test_charts_are_well_formed_svg_for_any_label(labels):
    svg = bar_chart(labels, {"负面": [0.5] * len(labels)}, title=labels[0])
    ET.fromstring(svg)
    svg = line_chart(labels, {labels[0]: [0.1] * len(labels)}, title=labels[-1])
    ET.fromstring(svg)


# --- content ---------------------------------------------------------------------

def test_sections_in_order(page):
    found = re.findall(r"<h2>(.*?)</h2>", page)
    assert found == [title for title, _ in SECTIONS]


def test_summary_has_five_to_eight_findings(report):
    assert 5 <= len(report.summary) <= 8
    assert report.summary[0].startswith("共分析有效评论")
    assert any("抱怨最多" in s for s in report.summary)
    assert any("雷山鱼酱" in s and "差评上升最快" in s for s in report.summary)
    assert any("卖得最好的规格" in s for s in report.summary)
    assert any("多伦草原老马" in s and "信任/监管" in s for s in report.summary)
    assert any("销量高峰" in s and "2026-07-04" in s for s in report.summary)


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def test_every_summary_number_is_in_its_table(report):
    """A number in the 摘要 is in the table it cites (a cell or a header), or counts its rows."""
    for finding in report.findings:
        table = report.tables[finding.source]
        headers, rows, _ = format_frame(table)
        in_table = set(_NUMBER.findall(" ".join(headers + [" ".join(r) for r in rows])))
        counts = {len(table)} | {int(n) for c in table.columns if table[c].dtype == object
                                 for n in table[c].value_counts()}
        in_table |= {str(n) for n in counts}
        for number in _NUMBER.findall(finding.text):
            assert number in in_table, (finding.text, number, finding.source)


def test_every_finding_links_to_a_table_on_the_page(report, page):
    for finding in report.findings:
        assert f'href="#t-{finding.source}"' in page
        assert f'id="t-{finding.source}"' in page, finding.source


def test_alerts_find_the_planted_incidents(report):
    alerts = report["alerts"]
    neg = alerts[(alerts["metric"] == "neg_share") & (alerts["group"] == "雷山鱼酱")]
    assert not neg.empty
    assert neg["first_period"].min() >= pd.Timestamp("2026-07-06")
    trust = alerts[(alerts["metric"] == "trust_share") & (alerts["group"] == "多伦草原老马")]
    assert not trust.empty
    assert set(report["alert_comments"]["alert_id"]) <= set(alerts["alert_id"])


@pytest.mark.parametrize("x, n, expected", [
    # one complaint in a spotless record is no alert
    ([1, 0, 0, 0, 0], [6, 6, 6, 6, 6], [False] * 5),
    # a wave over three periods is measured against the calm ones, so all three count
    ([1, 1, 9, 9, 8, 1], [20, 20, 12, 12, 12, 20], [False, False, True, True, True, False]),
    # a period with too few comments is not judged
    ([1, 1, 4, 1], [20, 20, 4, 20], [False] * 4),
])
def test_flag_periods(x, n, expected):
    from textmine.report.alerts import flag_periods

    got = flag_periods(np.array(x), np.array(n), threshold=0.15)
    assert got.tolist() == expected


def test_no_alert_when_nothing_changes():
    flat = _scored(600, seed=11)
    flat = flat[~flat["product"].eq("雷山鱼酱") & ~flat["streamer"].eq("多伦草原老马")]
    report = build_report(flat, thresholds={"neg_share": 0.3, "trust_share": 0.3}, keywords=0)
    assert report["alerts"].empty
    assert any("暂无预警" in s for s in report.summary)


@pytest.mark.parametrize("scores, expected", [
    ([0.61, 0.70, 0.75, 0.80, 0.99], 0.75),
    ([0.05, 0.20, 0.30, 0.35, 0.38], 0.30),
])
def test_representative_comments_are_typical_not_extreme(scores, expected):
    n = len(scores)
    frame = pd.DataFrame({"comment_id": list("abcde"), "time": ["2026-06-01"] * n,
                          "text": [f"评论{i}" for i in range(n)], "status": "ok",
                          "sentiment": scores, "sentiment_label": "pos",
                          "topics": "quality", "sentiment_quality": scores})
    df = prepare_comments(frame)
    picked = representative_comments(df, {"quality": "质量"}, k=1)
    assert picked["score"].tolist() == [expected]


def test_topic_scores_stay_empty_where_the_topic_is_only_asked_about():
    frame = pd.DataFrame({"comment_id": ["a", "b"], "time": ["2026-06-01"] * 2,
                          "text": ["新鲜吗？", "很新鲜"], "status": "ok", "sentiment": [0.94, 0.9],
                          "sentiment_label": ["neu", "pos"], "topics": "quality",
                          "sentiment_quality": [np.nan, 0.9]})
    assert prepare_comments(frame)["s_quality"].tolist()[1] == 0.9
    assert np.isnan(prepare_comments(frame)["s_quality"][0])
    # Without per-topic columns the comment's score stands in, for tagged rows only.
    plain = prepare_comments(frame.drop(columns="sentiment_quality").assign(topics=["quality", ""]))
    assert plain["s_quality"][0] == 0.94 and np.isnan(plain["s_quality"][1])


def test_topics_table_covers_seven_topics(report):
    topics = report["topics"]
    assert topics["name"].tolist() == ["质量", "信任", "监管", "品牌", "价格", "物流", "服务"]
    assert (topics["keywords"].str.len() > 0).all()
    assert topics.loc[topics["topic"] == "trust", "trend"].item() == "上升"
    examples = report["examples"]
    assert (examples.groupby(["topic", "side"]).size() <= 3).all()


def test_report_without_sales_has_no_sales_section(scored, tmp_path):
    report = build_report(scored, output=tmp_path / "r.html", keywords=0)
    assert "panel" not in report.tables and "effects" not in report.tables
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "销售关联" not in re.findall(r"<h2>(.*?)</h2>", page)
    assert len(report.summary) >= 4


@pytest.mark.parametrize("rows", [60, 0])
def test_minimal_and_empty_inputs_still_give_every_file(rows, tmp_path):
    """Only the required columns (no product, streamer, per-topic scores), or no rows at all."""
    frame = pd.DataFrame({"time": pd.date_range("2026-06-01", periods=60, freq="D").astype(str),
                          "text": ["好吃"] * 60, "status": "ok",
                          "sentiment": np.linspace(0, 1, 60),
                          "sentiment_label": ["pos", "neg", "neu"] * 20,
                          "topics": ["quality", "", "price|quality"] * 20}).head(rows)
    paths = [tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "r.md"]
    report = build_report(frame, output=paths, keywords=0)
    assert all(p.stat().st_size > 0 for p in paths)
    assert report.summary and "nan" not in " ".join(report.summary)
    if rows:
        assert report["topics"]["topic"].tolist() == ["quality", "price"]


def test_every_row_an_error_still_gives_a_report(scored, sales, tmp_path):
    broken = scored.copy()
    broken["status"] = "error: ModelError: no model"
    for col in ["sentiment"] + [f"sentiment_{c}" for c in CODES]:
        broken[col] = np.nan
    broken[["sentiment_label", "topics", "evidence"]] = ""
    report = build_report(broken, sales, output=[tmp_path / "r.html", tmp_path / "r.xlsx"],
                          keywords=0)
    assert report.summary[0].startswith("没有可分析的评论")


def test_model_card_accuracy_is_read_from_the_card(tmp_path):
    import json

    from textmine.report.method import _accuracy_text, model_card

    assert model_card(tmp_path)["accuracy"] is None
    assert "未知" in _accuracy_text(model_card(tmp_path))
    lodo = {"all": {"accuracy": 0.871}, "书籍": {"accuracy": 0.79}, "水果": {"accuracy": 0.92}}
    (tmp_path / "sentiment.json").write_text(json.dumps(
        {"format": "x", "training": {"leave_one_domain_out": lodo}}), encoding="utf-8")
    card = model_card(tmp_path)
    assert card["accuracy"] == 0.871
    text = _accuracy_text(card)
    assert "87.1%" in text and "书籍 79.0%" in text and "水果 92.0%" in text


def test_method_says_unknown_without_a_model_card(report):
    detail = report["method"].set_index("item")["detail"]
    if report.meta["model_card"]["accuracy"] is None:
        assert "未知" in detail["情感模型"]
    else:
        assert "准确率" in detail["情感模型"]


def test_comments_read_back_from_csv_give_the_same_report(scored, tmp_path):
    from textmine.io import read_table

    scored.to_csv(tmp_path / "scored.csv", index=False)
    a = build_report(scored, keywords=0)
    b = build_report(read_table(tmp_path / "scored.csv"), keywords=0)
    assert a.summary == b.summary


# --- formats ---------------------------------------------------------------------

def test_html_is_self_contained_printable_and_responsive(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page and "size: A4" in page
    assert 'name="viewport"' in page and "@media (max-width" in page


def test_charts_are_svg_with_text_labels(page):
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) >= 8
    for svg in svgs:
        assert "<image" not in svg and "base64" not in svg
    assert any("<text" in s and "质量" in s for s in svgs)


def test_page_opens_in_headless_chromium_without_console_messages(outputs, tmp_path):
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    shot = tmp_path / "page.png"
    run = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--screenshot={shot}",
         "--window-size=1280,2000", outputs[1][0].as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []


def test_workbook_sheets_frozen_and_typed(workbook):
    assert workbook.sheetnames == ["摘要", "主题", "产品", "销售关联", "预警", "评论明细"]
    for ws in workbook.worksheets:
        assert ws.freeze_panes in ("A2", "A3"), ws.title
    topics = workbook["主题"]
    header = [c.value for c in topics[1]]
    share = topics.cell(row=2, column=header.index("占全部评论") + 1)
    assert isinstance(share.value, float) and share.number_format == "0.0%"
    n = topics.cell(row=2, column=header.index("评论数") + 1)
    assert isinstance(n.value, int)
    details = workbook["评论明细"]
    header = [c.value for c in details[1]]
    assert isinstance(details.cell(row=2, column=header.index("时间") + 1).value, dt.datetime)
    assert isinstance(details.cell(row=2, column=header.index("情感分") + 1).value, float)
    assert details.column_dimensions["F"].width >= 30  # the comment text


def test_workbook_writes_xml_like_text_as_text(tmp_path):
    """XlsxWriter copies a string shaped like its rich-string XML into the sheet unescaped."""
    openpyxl = pytest.importorskip("openpyxl")
    from textmine.report.xlsx import Sheet, write_workbook

    texts = ['<r><t>a</t></r></is></c><c r="B1"><f>1+1</f></c><c t="inlineStr"><is><r><t>b</t></r>',
             "<r></r>", "控制\x01字符"]
    write_workbook(tmp_path / "t.xlsx", [Sheet("评论", [[t] for t in texts])])
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["评论"]
    cells = [row[0] for row in ws.iter_rows()]
    assert [c.value for c in cells] == texts[:2] + ["控制字符"]
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row)
    assert ws.max_column == 1


def test_same_input_gives_byte_identical_files(outputs, workbook, scored, sales, tmp_path):
    """No file carries the day it was made, so building the report again gives the same bytes."""
    paths = [tmp_path / "report.html", tmp_path / "report.xlsx", tmp_path / "report.md"]
    build_report(scored, sales, title="城步县农产品直播舆情与销售分析", output=paths)
    for first, again in zip(outputs[1], paths):
        assert again.read_bytes() == first.read_bytes(), first.name
    assert "生成日期" not in paths[0].read_text(encoding="utf-8")
    assert "生成日期" not in paths[2].read_text(encoding="utf-8")
    # the workbook's creation date is the data's: its last comment
    assert workbook.properties.created == outputs[0]["overview"]["end"].iloc[0]


@pytest.mark.parametrize("generated, shown", [
    (dt.datetime(2026, 9, 1, 8, 30), "2026-09-01"),
    ("2026年9月", "2026年9月"),
])
def test_generation_date_is_shown_when_given(scored, tmp_path, generated, shown):
    paths = [tmp_path / "r.html", tmp_path / "r.md", tmp_path / "r.xlsx"]
    report = build_report(scored, output=paths, keywords=0, generated=generated)
    assert report.generated == shown
    assert f"生成日期 {shown} · 评论" in paths[0].read_text(encoding="utf-8")
    assert f"生成日期 {shown}\n" in paths[1].read_text(encoding="utf-8")
    if isinstance(generated, dt.datetime):
        openpyxl = pytest.importorskip("openpyxl")
        assert openpyxl.load_workbook(paths[2]).properties.created == dt.datetime(2026, 9, 1)


def test_bad_generation_date_is_an_input_error(scored):
    with pytest.raises(InputError, match="generated"):
        build_report(scored, keywords=0, generated=20260901)


def test_unknown_extension_is_refused_before_writing(scored, tmp_path):
    with pytest.raises(InputError, match=r"\.pdf"):
        build_report(scored, output=[tmp_path / "ok.html", tmp_path / "bad.pdf"], keywords=0)
    assert not (tmp_path / "ok.html").exists()


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"time": ["2026-06-01"], "text": ["好"]}), "not scored"),
    (pd.DataFrame({"text": ["好"], "status": ["ok"], "sentiment": [0.9],
                   "sentiment_label": ["pos"], "topics": [""]}), "no time column"),
])
def test_bad_input_says_what_to_do(frame, message):
    with pytest.raises(InputError, match=message):
        build_report(frame)


def test_bad_freq_is_an_input_error(scored):
    with pytest.raises(InputError, match="freq"):
        build_report(scored, freq="fortnight", keywords=0)


# --- command line ----------------------------------------------------------------

def test_cli_writes_the_reports(scored, sales, tmp_path):
    from textmine.cli import main

    scored.to_csv(tmp_path / "scored.csv", index=False)
    sales.to_csv(tmp_path / "sales.csv", index=False)
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", "--comments", str(tmp_path / "scored.csv"), "--sales",
                 str(tmp_path / "sales.csv"), "--title", "城步县农产品直播舆情与销售分析",
                 "-o", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.xlsx")],
                stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert (tmp_path / "r.html").stat().st_size > 0 and (tmp_path / "r.xlsx").stat().st_size > 0
    assert "城步县农产品直播舆情与销售分析" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "共分析有效评论" in err.getvalue()


def test_cli_bad_input_exits_2(tmp_path):
    from textmine.cli import main

    pd.DataFrame({"text": ["好"]}).to_csv(tmp_path / "raw.csv", index=False)
    err = io.StringIO()
    code = main(["report", "--comments", str(tmp_path / "raw.csv"), "-o",
                 str(tmp_path / "r.html")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "textmine score" in err.getvalue()
