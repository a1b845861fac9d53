"""摘要: five to eight findings in plain words, each with its numbers.

Every number in a finding is written with the same function as the table it
comes from (:mod:`textmine.report.fmt`), and each finding names that table,
so a reader can find the number again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .fmt import format_value, integer, num, pct
from .schema import period_label

__all__ = ["Finding", "TABLE_TITLES", "METRIC_NAMES", "metric_name", "findings",
           "strongest_effects", "effect_sentences"]

#: Table key → title used in every output (and in each finding's reference).
TABLE_TITLES = {
    "summary": "摘要",
    "overview": "总体情况",
    "trend": "各周期评论与情感",
    "topics": "主题概览",
    "topic_trend": "各周期主题占比",
    "examples": "代表性评论",
    "products": "商品",
    "streamers": "主播",
    "platforms": "平台",
    "pack_sizes": "规格销量",
    "tiers": "主播层级",
    "channels": "渠道",
    "panel": "评论与销量面板",
    "spikes": "直播销量高峰",
    "unmatched": "未能匹配的名称",
    "effects": "评论指标与销量的滞后相关",
    "alerts": "预警",
    "alert_comments": "预警评论",
    "alert_trend": "预警对象各周期占比",
    "method": "方法说明",
    "comments": "评论明细",
}

METRIC_NAMES = {
    "sentiment_mean": "平均情感",
    "neg_share": "负面评论占比",
    "pos_share": "正面评论占比",
    "net_sentiment": "净情感（正面减负面）",
    "n_comments": "评论数",
}


@dataclass(frozen=True)
class Finding:
    """One bullet of the 摘要: the sentence and the table its numbers come from."""

    text: str
    source: str

    @property
    def source_title(self) -> str:
        return TABLE_TITLES.get(self.source, self.source)


def metric_name(metric: str, names: dict) -> str:
    """Chinese name of a panel metric such as ``share_quality`` or ``sentiment_trust``.

    >>> metric_name("share_quality", {"quality": "质量"}), metric_name("neg_share", {})
    ('质量讨论占比', '负面评论占比')
    """
    if metric in METRIC_NAMES:
        return METRIC_NAMES[metric]
    for prefix, suffix in (("share_", "讨论占比"), ("sentiment_", "情感"), ("neg_share_", "负面占比")):
        if metric.startswith(prefix):
            code = metric[len(prefix):]
            return f"{names.get(code, code)}{suffix}"
    return metric


def _unit(freq: str) -> str:
    return {"D": "天", "W": "周", "M": "个月"}.get(str(freq).upper()[:1], "个周期")


def _overview(t: dict) -> Finding | None:
    o = t.get("overview")
    if o is None or o.empty:
        return None
    r = o.iloc[0]
    if not r["n_ok"]:
        return Finding(f"没有可分析的评论：共 {integer(r['n_comments'])} 条，全部为空或读取出错。",
                       "overview")
    when = ""
    if pd.notna(r["start"]):
        when = f"（{format_value(r['start'], 'date')} 至 {format_value(r['end'], 'date')}）"
    return Finding(f"共分析有效评论 {integer(r['n_ok'])} 条{when}：正面 {pct(r['pos_share'])}，"
                   f"中性 {pct(r['neu_share'])}，负面 {pct(r['neg_share'])}。", "overview")


def _complaint_topic(t: dict) -> Finding | None:
    topics = t.get("topics")
    if topics is None or topics.empty or topics["n_neg"].max() <= 0:
        return None
    r = topics.sort_values(["n_neg", "n_comments"], ascending=False, kind="stable").iloc[0]
    trend = {"上升": "，而且讨论在增多", "下降": "，讨论在减少"}.get(r["trend"], "")
    return Finding(f"抱怨最多的是「{r['name']}」：负面提及 {integer(r['n_neg'])} 条，"
                   f"占提到{r['name']}的评论的 {pct(r['neg_share'])}；"
                   f"{r['name']}话题占全部评论的 {pct(r['share'])}{trend}。", "topics")


def _worsening(t: dict, freq: str) -> Finding | None:
    p = t.get("products")
    if p is None or p.empty or "neg_rise" not in p or not (p["neg_rise"] > 0).any():
        return None
    r = p.sort_values("neg_rise", ascending=False, kind="stable").iloc[0]
    return Finding(f"差评上升最快的商品是{r['product']}：{period_label(r['peak_period'], freq)}"
                   f"负面占比升到 {pct(r['peak_neg_share'])}，此前为 {pct(r['prior_neg_share'])}，"
                   f"高出 {abs(r['neg_rise']) * 100:.1f} 个百分点。", "products")


def _pack_size(t: dict) -> Finding | None:
    ps = t.get("pack_sizes")
    if ps is None or ps.empty:
        return None
    counts = ps.groupby("product")["spec"].nunique()
    multi = ps[ps["product"].isin(counts[counts > 1].index)]
    if multi.empty:
        return None
    totals = multi.groupby("product")["units"].sum().sort_values(ascending=False, kind="stable")
    product = totals.index[0]
    rows = multi[multi["product"] == product].sort_values("units", ascending=False, kind="stable")
    best, second = rows.iloc[0], rows.iloc[1]
    others = []
    for name in totals.index[1:]:
        top = multi[multi["product"] == name].sort_values("units", ascending=False).iloc[0]
        others.append(f"{name} {top['spec']}")
    tail = f"其他商品卖得最好的规格：{'、'.join(others[:5])}。" if others else ""
    return Finding(f"{product}卖得最好的规格是 {best['spec']}：{integer(best['units'])} 件，"
                   f"占该商品销量的 {pct(best['unit_share'])}，{second['spec']} 为 "
                   f"{integer(second['units'])} 件。{tail}", "pack_sizes")


def strongest_effects(effects: pd.DataFrame) -> pd.DataFrame:
    """Effects a reader can act on, strongest first.

    Rows resting on too few periods are dropped, and so is comment volume
    (``n_comments``): that buyers write comments when they buy says nothing
    about what they think.
    """
    if effects is None or effects.empty or "rho" not in effects:
        return pd.DataFrame()
    usable = effects[effects["rho"].notna() & (effects["metric"] != "n_comments")]
    if "too_few" in usable:
        usable = usable[~usable["too_few"].fillna(False).astype(bool)]
    return usable


def effect_sentences(effects: pd.DataFrame, names: dict, freq: str = "W",
                     limit: int = 3, alpha: float = 0.05) -> list[str]:
    """The strongest comment–sales links in words, for the 销售关联 section.

    >>> e = pd.DataFrame({"metric": ["neg_share"], "lag": [1], "rho": [-0.51], "p": [0.004],
    ...                   "too_few": [False]})
    >>> effect_sentences(e, {})
    ['负面评论占比领先销量 1 周（ρ = -0.51，p = 0.004）：一个商品某周的负面评论占比比它平常高，1 周后的销量往往比它平常低。']
    """
    usable = strongest_effects(effects)
    if usable.empty:
        return []
    if "p" in usable:
        usable = usable[usable["p"] < alpha]
    unit = _unit(freq)
    out, seen = [], set()
    for _, r in usable.iterrows():
        if r["metric"] in seen:
            continue
        seen.add(r["metric"])
        name = metric_name(str(r["metric"]), names)
        lag = int(r["lag"])
        when = f"领先销量 {lag} {unit}" if lag else "与销量同期"
        later = f"{lag} {unit}后的销量" if lag else "同期的销量"
        p = ""
        if "p" in r and pd.notna(r["p"]):
            p = "，p < 0.001" if r["p"] < 0.001 else f"，p = {format_value(r['p'], 'p')}"
        direction = "高" if r["rho"] > 0 else "低"
        out.append(f"{name}{when}（ρ = {format_value(r['rho'], 'rho')}{p}）：一个商品某{unit}的"
                   f"{name}比它平常高，{later}往往比它平常{direction}。")
        if len(out) >= limit:
            break
    return out


def _effect(t: dict, names: dict, freq: str) -> Finding | None:
    e = t.get("effects")
    if e is None or e.empty or "rho" not in e:
        return None
    usable = strongest_effects(e)
    if usable.empty:
        return None
    r = usable.iloc[0]
    lag = int(r["lag"]) if "lag" in r and pd.notna(r["lag"]) else 0
    when = f"领先销量 {lag} {_unit(freq)}" if lag else "与销量同期"
    direction = "越高，销量越高" if r["rho"] > 0 else "越高，销量越低"
    p = ""
    if "p" in r and pd.notna(r["p"]):
        p = "，p < 0.001" if r["p"] < 0.001 else f"，p = {format_value(r['p'], 'p')}"
    n = (f"，{integer(r['n_periods'])} 个周期" if "n_periods" in r and pd.notna(r["n_periods"])
         else "")
    return Finding(f"与销量关联最强的评论指标是{metric_name(str(r['metric']), names)}（{when}）："
                   f"Spearman ρ = {format_value(r['rho'], 'rho')}{p}{n}，即该指标{direction}。"
                   "这是相关，不等于因果。", "effects")


def _alerts(t: dict, freq: str) -> list[Finding]:
    a = t.get("alerts")
    if a is None:
        return []
    if a.empty:
        return [Finding("没有商品或主播的负面评论或信任/监管投诉明显上升，暂无预警。", "alerts")]
    out = []

    def describe(r) -> str:
        span = period_label(r["first_period"], freq)
        if r["last_period"] != r["first_period"]:
            span = (f"{format_value(r['first_period'], 'date')} 至 "
                    f"{format_value(r['last_period'], 'date')} 各{_unit(freq)}")
        return (f"{r['kind']}「{r['group']}」在 {span}，{r['metric_label']}为 {pct(r['value'])}，"
                f"平常为 {pct(r['baseline'])}")

    neg = a[a["metric"] == "neg_share"]
    if not neg.empty:
        out.append(Finding(f"负面评论预警 {integer(len(neg))} 条，多出差评最多的是："
                           f"{describe(neg.iloc[0])}。", "alerts"))
    trust = a[a["metric"] == "trust_share"]
    if not trust.empty:
        listed = "；".join(describe(r) for _, r in trust.head(2).iterrows())
        out.append(Finding(f"信任/监管投诉预警 {integer(len(trust))} 条：{listed}。", "alerts"))
    return out


def _tiers(t: dict) -> Finding | None:
    tiers = t.get("tiers")
    if tiers is None or tiers.empty or tiers["units_per_day"].isna().all() or len(tiers) < 2:
        return None
    parts = "，".join(f"{r['streamer_tier']}主播 {num(r['units_per_day'])} 件"
                     for _, r in tiers.iterrows())
    return Finding(f"按主播层级，每个销售日平均销量：{parts}。", "tiers")


def _rising_topic(t: dict) -> Finding | None:
    topics = t.get("topics")
    if topics is None or topics.empty:
        return None
    rising = topics[topics["trend"] == "上升"]
    if rising.empty:
        return None
    r = rising.assign(d=rising["share_late"] - rising["share_early"]).sort_values(
        "d", ascending=False, kind="stable").iloc[0]
    return Finding(f"「{r['name']}」话题在增多：后半段占全部评论的 {pct(r['share_late'])}，"
                   f"前半段为 {pct(r['share_early'])}。", "topics")


def _worst_group(t: dict, key: str, what: str) -> Finding | None:
    g = t.get(key)
    if g is None or g.empty or len(g) < 2:
        return None
    r = g.sort_values("neg_share", ascending=False, kind="stable").iloc[0]
    return Finding(f"负面评论占比最高的{what}是{r[key[:-1]]}："
                   f"{pct(r['neg_share'])}（{integer(r['n_comments'])} 条评论），"
                   f"最多的抱怨是{r['top_complaint']}。", key)


def _spikes(t: dict) -> Finding | None:
    sp = t.get("spikes")
    if sp is None or sp.empty or "lift" not in sp:
        return None
    r = sp.sort_values("lift", ascending=False, kind="stable").iloc[0]
    who = f"（{str(r['streamers']).replace('|', '、')}）" if "streamers" in r and pd.notna(
        r["streamers"]) and str(r["streamers"]) else ""
    keep = ""
    if "retention_7" in r and pd.notna(r["retention_7"]):
        keep = f"，之后 7 天的日均销量是此前的 {num(r['retention_7'])} 倍"
    return Finding(f"直播带来 {integer(len(sp))} 次销量高峰，最高的是"
                   f"{r['product']} {format_value(r['start'], 'date')}{who}：峰值日销量 "
                   f"{integer(r['peak_units'])} 件，是此前日均的 {num(r['lift'])} 倍{keep}。",
                   "spikes")


def findings(tables: dict, names: dict, freq: str = "W", limit: int = 8) -> list[Finding]:
    """The 摘要: at most ``limit`` findings in a fixed order of importance."""
    ordered = [_overview(tables), _complaint_topic(tables), _worsening(tables, freq),
               _pack_size(tables), _effect(tables, names, freq), *_alerts(tables, freq),
               _spikes(tables), _tiers(tables), _rising_topic(tables)]
    out = [f for f in ordered if f is not None]
    if len(out) < 5:
        for extra in (_worst_group(tables, "products", "商品"),
                      _worst_group(tables, "streamers", "主播")):
            if extra is not None and len(out) < 5:
                out.append(extra)
    return out[:limit]
