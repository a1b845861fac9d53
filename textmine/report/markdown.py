"""The report as Markdown: the same sections and tables, without charts.

Every piece of text is escaped twice over: HTML's ``& < >`` become entities
(Markdown renderers pass raw HTML through, so a comment ``<script>`` must not
arrive as a tag) and Markdown's own punctuation is backslash-escaped so a
comment cannot turn into a link, an image or a broken table.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .fmt import column_kind, column_label, format_frame, format_value
from .summary import TABLE_TITLES, effect_sentences

__all__ = ["render_markdown", "escape_markdown", "MAX_MARKDOWN_ROWS"]

MAX_MARKDOWN_ROWS = 200

# Inline Markdown only: no text here starts a line, so # - + > 1. need no escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text) -> str:
    r"""Text that shows literally in Markdown, in a table cell too.

    >>> print(escape_markdown("<script>alert(1)</script> | [x](y) *a*"))
    &lt;script&gt;alert(1)&lt;/script&gt; \| \[x\](y) \*a\*
    """
    text = " ".join(str(text).split())  # no line breaks inside a cell or a bullet
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return html.escape(text, quote=False)


def _table(key: str, frame: pd.DataFrame, drop=()) -> list[str]:
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    if frame.empty and not len(frame.columns):
        return []
    shown = frame.head(MAX_MARKDOWN_ROWS)
    headers, rows, kinds = format_frame(shown)
    numeric = {"int", "pct", "pp", "num", "money", "rho", "p"}
    out = [f"**{escape_markdown(TABLE_TITLES.get(key, key))}**", ""]
    if frame.empty:
        return out + ["（无）", ""]
    out.append("| " + " | ".join(escape_markdown(h) for h in headers) + " |")
    out.append("|" + "|".join("---:" if k in numeric else "---" for k in kinds) + "|")
    for row in rows:
        out.append("| " + " | ".join(escape_markdown(c) for c in row) + " |")
    if len(frame) > MAX_MARKDOWN_ROWS:
        out.append("")
        out.append(f"（共 {len(frame)} 行，此处显示前 {MAX_MARKDOWN_ROWS} 行；完整数据见 Excel 版。）")
    out.append("")
    return out


def _topic_blocks(report) -> list[str]:
    topics, examples = report.tables.get("topics"), report.tables.get("examples")
    out = []
    if topics is None:
        return out
    for _, t in topics.iterrows():
        out += [f"### {escape_markdown(t['name'])}", ""]
        out.append(escape_markdown(
            f"占全部评论 {format_value(t['share'], 'pct')}，评论数 {format_value(t['n_comments'], 'int')}，"
            f"平均情感 {format_value(t['sentiment_mean'], 'num')}，正面 {format_value(t['pos_share'], 'pct')}，"
            f"负面 {format_value(t['neg_share'], 'pct')}，趋势：{t['trend']}。"))
        if t["keywords"]:
            out += ["", "关键词：" + escape_markdown(t["keywords"])]
        out.append("")
        if examples is not None:
            ex = examples[examples["topic"] == t["topic"]]
            for side in ("正面", "负面"):
                rows = ex[ex["side"] == side]
                out.append(f"代表性{side}评论：")
                out.append("")
                if rows.empty:
                    out.append("- （无）")
                for _, r in rows.iterrows():
                    meta = " · ".join(str(r[c]) for c in ("product", "streamer") if c in r
                                      and pd.notna(r[c]))
                    out.append(f"- {escape_markdown(r['text'])}（{escape_markdown(meta)}，"
                               f"情感分 {format_value(r['score'], 'num')}）")
                out.append("")
    return out


def render_markdown(report) -> str:
    """Render a :class:`textmine.report.Report` as Markdown."""
    t = report.tables
    lines = [f"# {escape_markdown(report.title)}", ""]
    if report.generated:
        lines += [f"生成日期 {escape_markdown(report.generated)}", ""]
    for title, keys in report.sections():
        lines += [f"## {title}", ""]
        if title == "摘要":
            for i, f in enumerate(report.findings, start=1):
                lines.append(f"{i}. {escape_markdown(f.text)}（见「{escape_markdown(f.source_title)}」表）")
            lines.append("")
            continue
        if title == "方法说明":
            for _, r in t["method"].iterrows():
                lines.append(f"- **{escape_markdown(r['item'])}**：{escape_markdown(r['detail'])}")
            lines.append("")
            continue
        if title == "销售关联":
            if not keys:
                lines += ["没有提供销售数据。", ""]
                continue
            lines += ["> **相关不等于因果。**评论和销量一起变化，不说明评论导致了销量变化。", ""]
            for line in effect_sentences(t.get("effects"), report.names, report.freq):
                lines.append(f"- {escape_markdown(line)}")
            lines.append("")
        if title == "主题分析":
            lines += _table("topics", t["topics"], drop=("topic",))
            lines += _topic_blocks(report)
            keys = [k for k in keys if k not in ("topics", "examples")]
        if "overview" in keys:
            o = t["overview"]
            kv = pd.DataFrame({"item": [column_label(c) for c in o.columns],
                               "detail": [format_value(o.iloc[0][c], column_kind(c))
                                          for c in o.columns]})
            lines += _table("overview", kv)
            keys = [k for k in keys if k != "overview"]
        for key in keys:
            drop = ("topic",) if key == "topic_trend" else ("metric",) if key == "alerts" else ()
            lines += _table(key, t[key], drop=drop)
    lines.append(f"全部 {len(t['comments'])} 条评论的明细见 Excel 版“评论明细”表。")
    return "\n".join(lines) + "\n"
