"""Reports for officials: a Chinese HTML page, an Excel workbook, Markdown.

:func:`build_report` computes every section as a DataFrame, writes the 摘要
from them, and writes the files asked for. The sections, in order: 摘要,
总体情况, 主题分析, 产品与主播, 销售关联 (with sales records), 预警, 方法说明.

Examples
--------
>>> import textmine
>>> report = textmine.build_report(scored, sales, output="report.html")  # doctest: +SKIP
>>> report.summary[0]                                                     # doctest: +SKIP
'共分析有效评论 742 条（2026-06-01 至 2026-08-30）：正面 55.1%，中性 19.3%，负面 25.6%。'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .alerts import DEFAULT_THRESHOLDS, find_alerts
from .summary import TABLE_TITLES, Finding, findings

__all__ = ["Report", "Finding", "build_report", "SECTIONS", "TABLE_TITLES", "DEFAULT_TITLE"]

log = logging.getLogger(__name__)

DEFAULT_TITLE = "县域农产品直播舆情与销售分析"

#: Section title → the tables it shows, in order.
SECTIONS = (
    ("摘要", ("summary",)),
    ("总体情况", ("overview", "trend")),
    ("主题分析", ("topics", "topic_trend", "examples")),
    ("产品与主播", ("products", "streamers", "platforms", "pack_sizes", "tiers", "channels")),
    ("销售关联", ("effects", "spikes", "panel", "unmatched")),
    ("预警", ("alerts", "alert_comments", "alert_trend")),
    ("方法说明", ("method",)),
)

_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "excel", ".md": "markdown",
            ".markdown": "markdown"}


@dataclass
class Report:
    """A built report: its tables, its findings, and writers for each format.

    Attributes
    ----------
    title : str
        The report's title.
    freq : str
        Period length of every trend (``D``, ``W`` or ``M``).
    findings : list of Finding
        The 摘要, each with the key of the table its numbers come from.
    tables : dict of str to DataFrame
        Every section's tables by key (see :data:`SECTIONS`; titles in
        :data:`textmine.report.summary.TABLE_TITLES`); a table absent from
        the data (e.g. sales without sales records) is missing.
    names : dict
        Topic code → Chinese name.
    meta : dict
        Model card and settings used.
    generated : str or None
        The generation date shown under the title, as given to
        :func:`build_report` (dates as YYYY-MM-DD); None shows none.
    """

    title: str
    freq: str
    findings: list
    tables: dict
    names: dict
    meta: dict = field(default_factory=dict)
    generated: str | None = None

    @property
    def summary(self) -> list[str]:
        """The 摘要 sentences."""
        return [f.text for f in self.findings]

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    def sections(self) -> list[tuple[str, list[str]]]:
        """Section titles with the keys of the tables present in each."""
        return [(title, [k for k in keys if k in self.tables]) for title, keys in SECTIONS]

    def to_html(self) -> str:
        """The report as one self-contained HTML page."""
        from .html import render_html

        return render_html(self)

    def to_markdown(self) -> str:
        """The report as Markdown (tables, no charts)."""
        from .markdown import render_markdown

        return render_markdown(self)

    def to_excel(self, path) -> Path:
        """Write the workbook: one sheet per section, frozen headers, typed cells."""
        from .excel import write_excel

        return write_excel(self, path)

    def write(self, output) -> list[Path]:
        """Write one path or several; the format follows each extension."""
        paths = [output] if isinstance(output, (str, Path)) else list(output)
        for p in paths:
            _format_of(p)  # check every extension before writing anything
        written = []
        for p in paths:
            fmt = _format_of(p)
            path = Path(p)
            if fmt == "excel":
                self.to_excel(path)
            else:
                text = self.to_html() if fmt == "html" else self.to_markdown()
                _write_text(path, text)
            written.append(path)
        return written


def _format_of(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise InputError(f"report output extension {suffix or '(none)'!r} is not supported; "
                         "use .html, .xlsx or .md", path=path)
    return _FORMATS[suffix]


def _write_text(path: Path, text: str) -> None:
    # Written beside the target and renamed, so a crash never leaves half a report.
    from ..files import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def _generated_text(value) -> str | None:
    """The generation date as shown: a date as YYYY-MM-DD, a string as given.

    >>> import datetime
    >>> _generated_text(datetime.datetime(2026, 9, 1, 8, 30)), _generated_text(" 2026年9月 ")
    ('2026-09-01', '2026年9月')
    """
    import datetime as dt

    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, str):
        return value.strip() or None
    raise InputError(f"`generated` value = {value!r} is invalid; it must be a date, a datetime "
                     "or a string such as '2026-09-01', or None for no generation date")


def _read_comments(comments) -> pd.DataFrame:
    if isinstance(comments, (str, Path)):
        from ..io import read_table

        return read_table(comments)
    return comments


def _keywords(prepared: pd.DataFrame, codes, top_k: int, sample: int = 300) -> dict:
    """Words that set each topic's comments apart from the other topics' comments.

    TF-IDF across topics (:func:`textmine.keywords.group_keywords`) over at
    most ``sample`` comments per topic, drawn at random with a fixed seed:
    enough for stable keywords, and it keeps 100,000 comments fast. Falls back
    to the lexicon words that tagged the topics when keyword extraction is
    unavailable.
    """
    from .sections import evidence_keywords

    flags = [f"t_{c}" for c in codes]
    rows = []
    for code, flag in zip(codes, flags):
        sub = prepared.loc[prepared[flag], ["text"]]
        if len(sub) > sample:
            sub = sub.sample(sample, random_state=0)
        rows.append(sub.assign(topics=code))
    if not rows or not sum(len(r) for r in rows):
        return {}
    try:
        from ..keywords import group_keywords

        table = group_keywords(pd.concat(rows, ignore_index=True), by="topics", text="text",
                               top_k=top_k, idf="groups")
    except Exception as exc:  # keywords are a nicety; the lexicon words still say a lot
        log.warning("keyword extraction failed (%s); listing the topic lexicon's words", exc)
        return evidence_keywords(prepared, top_k=top_k)
    return {code: g.sort_values("rank")["keyword"].tolist()
            for code, g in table.groupby("topics", sort=False)}


def build_report(comments, sales=None, *, freq: str = "W", title: str = DEFAULT_TITLE,
                 output=None, aliases=None, max_lag: int = 4, thresholds=None,
                 min_comments: int = 5, min_flagged: int = 3, keywords: int = 8,
                 generated=None) -> Report:
    """Build the report for officials from scored comments (and sales records).

    Parameters
    ----------
    comments : DataFrame or path
        Scored comments, as ``textmine score`` writes them: the input columns
        (``comment_id, time, platform, streamer, product, text`` …) plus
        ``status, sentiment, sentiment_label, topics, evidence`` and
        ``sentiment_<topic>``.
    sales : DataFrame, path or (valid, rejected), optional
        Sales records (``date, product, units, revenue`` and optionally
        ``spec, channel, streamer, streamer_tier``). Without them the report
        has no sales sections.
    freq : {"W", "D", "M"}
        Period of every trend and of the comment–sales panel.
    title : str
        The report's title.
    output : str, Path or list of them, optional
        Files to write: ``.html``, ``.xlsx`` or ``.md`` by extension.
    aliases : DataFrame or dict, optional
        Alternative product names (``alias, product``) → canonical names.
    max_lag : int
        Longest lag, in periods, of the comment–sales correlations.
    thresholds : dict, optional
        Alert thresholds, e.g. ``{"neg_share": 0.15, "trust_share": 0.10}``.
    min_comments : int
        Fewest comments in a period for it to count in alerts and in the
        fastest-worsening product.
    min_flagged : int
        Fewest complaints in a period for an alert.
    keywords : int
        Keywords listed per topic; 0 skips keyword extraction (faster).
    generated : date, datetime or str, optional
        A generation date to show under the title (a date as YYYY-MM-DD, a
        string as given). By default there is none, so the same input always
        gives the same files; the period the comments cover, from the data,
        is always shown.

    Returns
    -------
    Report
        Tables, findings and writers; the files are already written when
        ``output`` is given.

    Raises
    ------
    InputError
        When the comments are not scored, a required column is missing,
        ``freq`` is not a period, ``generated`` is not a date or a string,
        or an output extension is unknown.
    """
    from . import linkage, sections
    from .method import method_notes, model_card
    from .schema import prepare_comments, topic_names

    if output is not None:
        for p in ([output] if isinstance(output, (str, Path)) else list(output)):
            _format_of(p)
    generated = _generated_text(generated)
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    raw = _read_comments(comments)
    df = prepare_comments(raw, freq=freq)
    codes = df.attrs["codes"]
    names = topic_names(codes)
    kw = _keywords(df, codes, keywords) if keywords > 0 else {}

    has_sales = sales is not None
    sales_tables: dict[str, pd.DataFrame] = {}
    s = linkage.load_sales(sales) if has_sales else None
    if "product" in df and (has_sales or aliases is not None):
        mapping = linkage.product_names(df["product"], s, aliases)
        df["product"] = df["product"].map(lambda v: mapping.get(v, v))
    if has_sales:
        sales_tables = linkage.sales_sections(raw, s, freq=freq, aliases=aliases,
                                              max_lag=max_lag, names=names)

    t: dict[str, pd.DataFrame] = {}
    t["overview"] = sections.overview(df)
    t["trend"] = sections.sentiment_trend(df)
    t["topics"] = sections.topic_summary(df, names, kw)
    t["topic_trend"] = sections.topic_trend(df, names)
    t["examples"] = sections.representative_comments(df, names)
    if "product" in df:
        products = sections.group_summary(df, "product", names)
        if has_sales:
            products = products.merge(sections.product_units(sales_tables["panel"]),
                                      on="product", how="left")
        worse = sections.worsening(df, "product", min_comments=min_comments)
        t["products"] = products.merge(worse, on="product", how="left")
    if "streamer" in df:
        t["streamers"] = sections.group_summary(df, "streamer", names)
    if "platform" in df:
        t["platforms"] = sections.group_summary(df, "platform", names)
    for key in ("pack_sizes", "tiers", "channels", "spikes", "effects", "panel", "unmatched"):
        if key in sales_tables:
            t[key] = sales_tables[key]
    t["alerts"], t["alert_comments"], t["alert_trend"] = find_alerts(
        df, thresholds=thresholds, min_comments=min_comments, min_flagged=min_flagged)
    card = model_card()
    t["method"] = method_notes(t["overview"], names, freq=freq, card=card, has_sales=has_sales,
                               thresholds=thresholds, min_comments=min_comments,
                               min_flagged=min_flagged)
    t["comments"] = sections.comment_details(df, names)
    found = findings(t, names, freq)
    t["summary"] = pd.DataFrame({"no": range(1, len(found) + 1),
                                 "finding": [f.text for f in found],
                                 "source": [f.source_title for f in found]})
    report = Report(title=title, freq=freq, findings=found, tables=t, names=names,
                    meta={"model_card": card, "thresholds": thresholds,
                          "min_comments": min_comments, "min_flagged": min_flagged, "max_lag": max_lag,
                          "codes": list(codes)},
                    generated=generated)
    if output is not None:
        report.write(output)
    return report
