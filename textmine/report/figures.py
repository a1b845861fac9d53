"""The report's charts, drawn from its tables with :mod:`textmine.report.charts`."""

from __future__ import annotations

import pandas as pd

from . import charts
from .summary import metric_name, strongest_effects

__all__ = ["figures", "scatter_points"]

_POS, _NEU, _NEG = (charts.SENTIMENT_COLORS[k] for k in ("正面", "中性", "负面"))


def _labels(periods, freq: str) -> list[str]:
    code = str(freq).upper()[:1]
    return [f"{pd.Timestamp(p):%Y-%m}" if code == "M" else f"{pd.Timestamp(p):%m-%d}"
            for p in periods]


def _floats(values) -> list:
    return [float(v) if v is not None and pd.notna(v) else None for v in values]


def _unit(freq: str) -> str:
    return {"D": "天", "W": "周", "M": "月"}.get(str(freq).upper()[:1], "期")


def _trend(report) -> str:
    t = report.tables.get("trend")
    if t is None or t.empty:
        return ""
    return charts.line_chart(_labels(t["period"], report.freq),
                             {"正面占比": _floats(t["pos_share"]),
                              "负面占比": _floats(t["neg_share"])},
                             title=f"每{_unit(report.freq)}评论量与正负面占比",
                             colors=[_POS, _NEG], bars=_floats(t["n_comments"]),
                             bar_label="评论数（右轴）")


def _topics(report) -> str:
    t = report.tables.get("topics")
    if t is None or t.empty:
        return ""
    n = t["n_comments"].astype(float)
    pos = (n * t["pos_share"].fillna(0)).round()
    neg = t["n_neg"].astype(float)
    return charts.bar_chart(list(t["name"]), {"正面": _floats(pos), "中性": _floats(n - pos - neg),
                                              "负面": _floats(neg)},
                            title="各主题的评论数与情感", kind="int", colors=[_POS, _NEU, _NEG],
                            totals=[f"{v:,} 条 · 占 {s * 100:.1f}%" for v, s in
                                    zip(t["n_comments"], t["share"])])


def _topic_small(report, code: str) -> str:
    t = report.tables.get("topic_trend")
    if t is None or t.empty:
        return ""
    sub = t[t["topic"] == code]
    if sub.empty:
        return ""
    name = report.names.get(code, code)
    # A negative share of one or two mentions is noise; leave a gap instead.
    neg = sub["neg_share"].where(sub["n_comments"] >= 3)
    return charts.line_chart(_labels(sub["period"], report.freq),
                             {f"提到{name}的评论占比": _floats(sub["share"]),
                              "其中负面占比（提及不足 3 条时不画）": _floats(neg)},
                             title=f"「{name}」每{_unit(report.freq)}走势", width=560, height=230,
                             colors=["#0072B2", _NEG])


def _mix(report, key: str, col: str, title: str) -> str:
    t = report.tables.get(key)
    if t is None or t.empty or "pos_share" not in t:
        return ""
    t = t[t["n_comments"] > 0].sort_values("neg_share", ascending=False, kind="stable")
    neu = 1 - t["pos_share"] - t["neg_share"]
    return charts.bar_chart(list(t[col].astype(str)),
                            {"负面": _floats(t["neg_share"]), "中性": _floats(neu),
                             "正面": _floats(t["pos_share"])},
                            title=title, kind="pct", colors=[_NEG, _NEU, _POS],
                            totals=[f"负面 {v * 100:.1f}%" for v in t["neg_share"]])


def _pack_sizes(report) -> str:
    t = report.tables.get("pack_sizes")
    if t is None or t.empty:
        return ""
    labels = [f"{p} {s}" for p, s in zip(t["product"], t["spec"])]
    return charts.bar_chart(labels, {"销量": _floats(t["units"])}, title="各规格销量（件）",
                            kind="int", totals=[f"{u:,.0f} 件 · 占该商品 {s * 100:.1f}%"
                                                for u, s in zip(t["units"], t["unit_share"])])


def _tiers(report) -> str:
    t = report.tables.get("tiers")
    if t is None or t.empty:
        return ""
    return charts.bar_chart([f"{v}主播" for v in t["streamer_tier"]],
                            {"每个销售日平均销量": _floats(t["units_per_day"])},
                            title="各层级主播每个销售日的平均销量（件）", kind="num")


def _sales_lines(report) -> str:
    p = report.tables.get("panel")
    if p is None or p.empty or not {"period", "units", "product"} <= set(p.columns):
        return ""
    wide = p.groupby(["period", "product"])["units"].sum(min_count=1).unstack("product")
    wide = wide.sort_index().dropna(axis=1, how="all")
    if wide.empty:
        return ""
    return charts.line_chart(_labels(wide.index, report.freq),
                             {str(c): _floats(wide[c]) for c in wide.columns},
                             title=f"各商品每{_unit(report.freq)}销量（件）", y_kind="int")


def _effects_heatmap(report) -> str:
    e = report.tables.get("effects")
    if e is None or e.empty or not {"metric", "lag", "rho"} <= set(e.columns):
        return ""
    e = e[e["rho"].notna() & e["lag"].notna()]
    if e.empty:
        return ""
    cells = e.drop_duplicates(["metric", "lag"]).set_index(["metric", "lag"])
    metrics = list(dict.fromkeys(e["metric"]))
    lags = sorted(int(v) for v in e["lag"].unique())
    rho = cells["rho"].to_dict()
    weak = cells["too_few"].fillna(False).astype(bool).to_dict() if "too_few" in cells else {}
    values = [[float(rho[(m, lag)]) if (m, lag) in rho else None for lag in lags]
              for m in metrics]
    marks = [[weak.get((m, lag), False) for lag in lags] for m in metrics]
    unit = _unit(report.freq)
    return charts.heatmap([metric_name(str(m), report.names) for m in metrics],
                          [f"领先 {lag} {unit}" for lag in lags], values,
                          title="评论指标与之后销量的相关（Spearman ρ；蓝为正，橙为负）",
                          marks=marks)


def scatter_points(panel: pd.DataFrame, metric: str, lag: int,
                   by: str = "product") -> list[tuple]:
    """Each group against its own average: ``(metric at t − lag minus the group's mean,
    units at t over the group's mean units, group)``.

    The effects are correlations within each product, so the chart takes out
    what sets products apart (honey sells ten times what tea sells) and shows
    how each product moves around its own level.
    """
    if panel is None or panel.empty or metric not in panel or "units" not in panel:
        return []
    frame = panel.copy()
    if by not in frame:
        frame[by] = "全部"
    frame = frame.sort_values([by, "period"])
    x = frame.groupby(by)[metric].shift(lag)
    x = x - x.groupby(frame[by]).transform("mean")
    mean_units = frame.groupby(by)["units"].transform("mean")
    y = frame["units"] / mean_units.where(mean_units > 0)
    return [(float(a), float(b), g) for a, b, g in zip(x, y, frame[by])
            if pd.notna(a) and pd.notna(b)]


def _scatter(report) -> str:
    e, p = report.tables.get("effects"), report.tables.get("panel")
    if e is None or e.empty or p is None or p.empty or "rho" not in e:
        return ""
    usable = strongest_effects(e)
    if usable.empty:
        return ""
    r = usable.iloc[0]
    metric, lag = str(r["metric"]), int(r["lag"])
    pts = scatter_points(p, metric, lag)
    name = metric_name(metric, report.names)
    unit = _unit(report.freq)
    share = "share" in metric
    return charts.scatter_chart(
        pts, title=f"{name}（领先 {lag} {unit}）与销量：各商品和自己的平均水平相比",
        x_label=f"{lag} {unit}前的{name}，比该商品平均" + ("高出的百分点" if share else "高出多少"),
        y_label=f"本{unit}销量 ÷ 该商品平均{unit}销量", x_kind="pp" if share else "signed",
        y_kind="num", note=f"每个点是一个商品的一{unit}；ρ = {r['rho']:+.2f}。相关不等于因果。")


def _alert_chart(report, alert) -> str:
    s = report.tables.get("alert_trend")
    if s is None or s.empty:
        return ""
    sub = s[s["alert_id"] == alert["alert_id"]]
    if sub.empty:
        return ""
    marks = [i for i, f in enumerate(sub["flagged"]) if f]
    baseline = float(alert["baseline"])
    return charts.line_chart(_labels(sub["period"], report.freq),
                             {alert["metric_label"]: _floats(sub["value"]),
                              "平常（未预警的周期）": [baseline] * len(sub)},
                             title=f"{alert['kind']}「{alert['group']}」的{alert['metric_label']}",
                             width=560, height=220, colors=[_NEG, "#777777"], markers=marks)


def figures(report, max_alerts: int = 12) -> dict[str, str]:
    """Every chart of the report as SVG, by name (missing data gives no chart)."""
    out = {"trend": _trend(report), "topics": _topics(report),
           "products": _mix(report, "products", "product", "各商品评论的情感构成"),
           "streamers": _mix(report, "streamers", "streamer", "各主播评论的情感构成"),
           "pack_sizes": _pack_sizes(report), "tiers": _tiers(report),
           "sales_lines": _sales_lines(report), "effects": _effects_heatmap(report),
           "scatter": _scatter(report)}
    for code in report.names:
        out[f"topic:{code}"] = _topic_small(report, code)
    alerts = report.tables.get("alerts")
    if alerts is not None:
        for _, a in alerts.head(max_alerts).iterrows():
            out[f"alert:{a['alert_id']}"] = _alert_chart(report, a)
    return {k: v for k, v in out.items() if v}
