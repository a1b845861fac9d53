"""The report as one self-contained HTML page (Jinja2, autoescaped).

Every value from the data reaches the page through Jinja2's autoescaping;
the only markup not escaped by the template is the charts' SVG, which
:mod:`textmine.report.charts` builds with every text escaped. No scripts,
no web fonts, no external links: the page works offline, prints on A4 and
reads on a phone.
"""

from __future__ import annotations

import pandas as pd

from .fmt import column_kind, column_label, format_frame, format_value, integer, num, pct
from .summary import TABLE_TITLES, effect_sentences

__all__ = ["render_html", "MAX_HTML_ROWS"]

#: Longer tables are cut in the page (the workbook has every row).
MAX_HTML_ROWS = 400

_NUMERIC = {"int", "pct", "pp", "num", "money", "rho", "p"}
#: Columns of running text: they wrap; every other cell stays on one line.
_WRAP = {"text", "keywords", "evidence", "finding", "detail", "streamers", "topics"}


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("textmine.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def table_context(key: str, frame: pd.DataFrame, *, drop=(), limit: int = MAX_HTML_ROWS) -> dict:
    """What the template needs to draw one table: headers, formatted cells, alignment."""
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    shown = frame.head(limit)
    headers, rows, kinds = format_frame(shown)
    classes = ["n" if k in _NUMERIC else ("w" if str(c) in _WRAP else "")
               for c, k in zip(shown.columns, kinds)]
    return {"id": f"t-{key}", "title": TABLE_TITLES.get(key, key), "headers": headers,
            "rows": rows, "classes": classes,
            "total": len(frame), "cut": len(frame) > limit}


def _example(r) -> dict:
    meta = [str(r[c]) for c in ("product", "streamer") if c in r and pd.notna(r[c])]
    if "time" in r and pd.notna(r["time"]):
        meta.append(format_value(r["time"], "date"))
    meta.append(f"情感分 {num(r['score'])}")
    return {"text": str(r["text"]), "meta": " · ".join(meta)}


def _topic_cards(report, figs) -> list[dict]:
    topics = report.tables.get("topics")
    examples = report.tables.get("examples")
    cards = []
    if topics is None:
        return cards
    for _, t in topics.iterrows():
        ex = examples[examples["topic"] == t["topic"]] if examples is not None else None
        pos = [_example(r) for _, r in ex[ex["side"] == "正面"].iterrows()] if ex is not None else []
        neg = [_example(r) for _, r in ex[ex["side"] == "负面"].iterrows()] if ex is not None else []
        cards.append({
            "code": str(t["topic"]), "name": str(t["name"]),
            "stats": [("占全部评论", pct(t["share"]) if pd.notna(t["share"]) else "—"),
                      ("评论数", integer(t["n_comments"])),
                      ("平均情感", format_value(t["sentiment_mean"], "num")),
                      ("正面", format_value(t["pos_share"], "pct")),
                      ("负面", format_value(t["neg_share"], "pct")),
                      ("趋势", str(t["trend"]))],
            "keywords": [k for k in str(t["keywords"]).split("、") if k],
            "chart": figs.get(f"topic:{t['topic']}", ""), "pos": pos, "neg": neg})
    return cards


def _alert_cards(report, figs) -> list[dict]:
    alerts = report.tables.get("alerts")
    comments = report.tables.get("alert_comments")
    cards = []
    if alerts is None:
        return cards
    for _, a in alerts.iterrows():
        span = format_value(a["first_period"], "date")
        if a["last_period"] != a["first_period"]:
            span += f" 至 {format_value(a['last_period'], 'date')}"
        sub = comments[comments["alert_id"] == a["alert_id"]] if comments is not None else []
        cards.append({
            "id": str(a["alert_id"]),
            "headline": f"{a['kind']}「{a['group']}」：{a['metric_label']} {pct(a['value'])}，"
                        f"平常 {pct(a['baseline'])}（{span}，{integer(a['n_comments'])} 条评论）",
            "chart": figs.get(f"alert:{a['alert_id']}", ""),
            "comments": [{"text": str(r["text"]),
                          "meta": " · ".join(str(r[c]) for c in ("product", "streamer", "time")
                                             if c in r and pd.notna(r[c]))}
                         for _, r in (sub.iterrows() if len(sub) else [])],
        })
    return cards


def _kpis(report) -> list[tuple[str, str]]:
    o = report.tables["overview"].iloc[0]
    return [("有效评论", integer(o["n_ok"])), ("正面", pct(o["pos_share"])),
            ("中性", pct(o["neu_share"])), ("负面", pct(o["neg_share"])),
            ("时间", f"{format_value(o['start'], 'date')} 至 {format_value(o['end'], 'date')}")]


def render_html(report) -> str:
    """Render a :class:`textmine.report.Report` as an HTML page."""
    from markupsafe import Markup

    from .figures import figures

    figs = {k: Markup(v) for k, v in figures(report).items()}
    t = report.tables
    tables = {}
    for key, frame in t.items():
        if key in ("comments", "summary"):
            continue
        drop = {"topics": ("topic",), "topic_trend": ("topic",), "examples": ("topic",),
                "alerts": ("metric",), "effects": ("metric",)}.get(key, ())
        tables[key] = table_context(key, frame, drop=drop)
    overview = t["overview"].T.reset_index()
    overview.columns = ["item", "detail"]
    overview["detail"] = [format_value(v, column_kind(k)) for k, v in
                          zip(overview["item"], overview["detail"])]
    overview["item"] = overview["item"].map(column_label)
    tables["overview"] = table_context("overview", overview)
    context = {
        "title": report.title,
        "generated": report.generated,
        "findings": [{"text": f.text, "href": f"#t-{f.source}", "source": f.source_title}
                     for f in report.findings],
        "kpis": _kpis(report),
        "tables": tables,
        "figures": figs,
        "topics": _topic_cards(report, figs),
        "alerts": _alert_cards(report, figs),
        "has_sales": "panel" in t or "pack_sizes" in t,
        "effect_sentences": effect_sentences(t.get("effects"), report.names, report.freq),
        "method": [(str(r["item"]), str(r["detail"])) for _, r in t["method"].iterrows()],
        "n_comments": len(t["comments"]),
    }
    return _environment().get_template("report.html.j2").render(**context)
