"""方法说明: what data the report covers, how good the model is, what it cannot say."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd

from .fmt import integer, num, pct
from .schema import NEG_THRESHOLD, POS_THRESHOLD

__all__ = ["model_card", "method_notes"]

log = logging.getLogger(__name__)

_ACCURACY_KEYS = ("accuracy", "acc", "test_accuracy", "cv_accuracy")


def _find_metric(obj, keys, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if str(k).lower() in keys and isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v), ".".join(map(str, path + (k,)))
        for k, v in obj.items():
            found = _find_metric(v, keys, path + (k,))
            if found:
                return found
    return None


def model_card(root=None) -> dict:
    """The sentiment model's card: ``{"accuracy", "where", "source", "domains"}``.

    Reads ``sentiment.json`` (then any other JSON, then the Markdown card) in
    ``root``, by default the shipped ``models/`` folder. ``accuracy`` is None
    when there is no card; ``domains`` maps each held-out domain of a
    leave-one-domain-out evaluation to its accuracy.
    """
    card = {"accuracy": None, "where": "", "source": "", "domains": {}}
    try:
        if root is None:
            from ..resources import model_path

            root = model_path("")
        entries = sorted(Path(str(root)).iterdir(), key=lambda p: (p.name != "sentiment.json",
                                                                    p.name))
    except (OSError, ModuleNotFoundError, TypeError) as exc:
        log.debug("no model folder: %s", exc)
        return card
    for entry in (e for e in entries if e.name.endswith(".json")):
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        lodo = (data.get("training") or {}).get("leave_one_domain_out") \
            if isinstance(data, dict) else None
        if isinstance(lodo, dict) and isinstance(lodo.get("all"), dict) \
                and "accuracy" in lodo["all"]:
            domains = {k: v["accuracy"] for k, v in lodo.items()
                       if k != "all" and isinstance(v, dict) and "accuracy" in v}
            card.update(accuracy=float(lodo["all"]["accuracy"]), where="留一领域交叉验证",
                        source=f"models/{entry.name}", domains=domains)
            return card
        found = _find_metric(data, _ACCURACY_KEYS)
        if found:
            card.update(accuracy=found[0], where=found[1], source=f"models/{entry.name}")
            return card
    for entry in (e for e in entries if e.name.lower().endswith(".md")):
        try:
            text = entry.read_text(encoding="utf-8")
        except OSError:
            continue
        match = re.search(r"accuracy\D{0,20}?(0\.\d+|\d{1,2}(?:\.\d+)?\s*%)", text, re.I)
        if match:
            raw = match.group(1).replace(" ", "")
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
            card.update(accuracy=value, where="accuracy", source=f"models/{entry.name}")
            return card
    return card


def _accuracy_text(card: dict) -> str:
    if card.get("accuracy") is None:
        return "情感模型准确率：未知（未找到模型卡）。"
    text = f"情感模型准确率 {pct(card['accuracy'])}（{card['where']}，来源 {card['source']}）"
    domains = card.get("domains") or {}
    if domains:
        lo = min(domains, key=domains.get)
        hi = max(domains, key=domains.get)
        text += (f"：每个领域都由没见过它的模型打分，各领域从 {lo} {pct(domains[lo])} 到 "
                 f"{hi} {pct(domains[hi])}")
    return text + ("。直播评论中的口语、反讽、方言和错别字可能使实际准确率更低；"
                   "正负面占比宜看趋势和对比，不宜看绝对值。")


def method_notes(overview: pd.DataFrame, names: dict, *, freq: str, card: dict,
                 has_sales: bool, thresholds: dict, min_comments: int,
                 min_flagged: int = 3, sales_note: str = "") -> pd.DataFrame:
    """Rows ``item, detail``: data covered, model accuracy, topics, thresholds, limits."""
    o = overview.iloc[0]
    period = {"D": "天", "W": "周", "M": "月"}.get(str(freq).upper()[:1], str(freq))
    if pd.notna(o["start"]):
        span = f"{o['start']:%Y-%m-%d} 至 {o['end']:%Y-%m-%d}，共 {integer(o['n_periods'])} 个{period}"
    else:
        span = "评论没有可用的时间"
    data = (f"评论 {integer(o['n_comments'])} 条，其中有效 {integer(o['n_ok'])} 条、"
            f"空评论 {integer(o['n_empty'])} 条、读取出错 {integer(o['n_error'])} 条；"
            f"时间 {span}。")
    if o.get("n_no_time", 0):
        data += f"另有 {integer(o['n_no_time'])} 条缺少时间，只计入总量，不计入趋势。"
    acc = _accuracy_text(card)
    topics = ("七个主题（" + "、".join(names.values()) + "）由词典定义：评论中出现某主题的词语"
              "即标记该主题，一条评论可有多个主题；“主题依据”列出触发的词。主题内的正负面按"
              f"提到该主题的分句的情感判断：情感分 ≥ {num(POS_THRESHOLD)} 为正面，"
              f"≤ {num(NEG_THRESHOLD)} 为负面。")
    sentiment = ("情感分是评论为正面的概率（0–1）；正面、中性、负面占比按模型给出的标签计算，"
                 "只统计有效评论。")
    examples = ("代表性评论取“典型”而非“极端”：在某主题的正面（或负面）评论中，选情感分最接近"
                "该侧中位数、长度最接近中位长度的评论，重复的评论只取一次。")
    alert = ("对每个商品和主播，若某一周期的负面评论占比比它平常的水平高出 "
             f"{pct(thresholds['neg_share'])[:-1]} 个百分点以上，或信任/监管投诉占比高出 "
             f"{pct(thresholds['trust_share'])[:-1]} 个百分点以上，即发出预警；连续的周期合并为一条。"
             "“平常的水平”是它在此前未预警周期的占比（数据开头没有足够的此前评论时，用其他周期）；"
             "报告里的“平常”是全部未预警周期的占比。预警按“比平常多出的条数”排序。"
             f"周期内有效评论少于 {min_comments} 条、或这类评论少于 {min_flagged} 条的不判断；"
             "评论很少时还要求这一升高难以用偶然解释（二项检验 p < 0.01），以免小样本误报。")
    trend = ("主题的“趋势”比较前半段和后半段周期里提到该主题的评论占比：增加至少 2 个百分点、"
             "且至少是原来的 1.2 倍算“上升”，同样幅度的减少算“下降”，其余为“平稳”。"
             "“差评上升最快的商品”是某一周期负面评论占比比它此前各周期合计高出最多的商品"
             f"（该周期和此前都至少有 {min_comments} 条有效评论）。")
    rows = [("数据范围", data), ("情感模型", acc), ("情感分", sentiment), ("主题定义", topics),
            ("代表性评论", examples), ("趋势与恶化", trend), ("预警规则", alert)]
    if has_sales:
        rows.append(("销售关联", sales_note or (
            "评论与销量按商品和周期对齐；相关系数为 Spearman 等级相关，滞后 k 表示评论指标领先"
            "销量 k 个周期。相关不等于因果：促销、主播排期、季节和库存都会同时影响评论和销量。")))
    rows.append(("局限", "评论只代表发表评论的人，不代表全部买家；主题词典可能漏掉新说法；"
                         "周期内评论很少时占比波动大；情感模型对反讽、方言和错别字判断较弱。"
                         "本报告的数字用于发现问题和安排核查，不能替代抽检和调查。"))
    return pd.DataFrame(rows, columns=["item", "detail"])
