"""The report's tables, each a pure function of the prepared comments.

Every function takes the frame :func:`textmine.report.schema.prepare_comments`
returns and gives back a new DataFrame; nothing is formatted here (see
:mod:`textmine.report.fmt`), so the same tables feed HTML, Excel and Markdown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import NEG_THRESHOLD, POS_THRESHOLD, TIER_NAMES

__all__ = [
    "overview",
    "sentiment_trend",
    "topic_summary",
    "topic_trend",
    "evidence_keywords",
    "representative_comments",
    "group_summary",
    "worsening",
    "comment_details",
    "product_units",
    "trend_word",
]

#: A topic's share must move this much (absolute and relative) to be 上升/下降.
TREND_MIN_CHANGE = 0.02
TREND_MIN_RATIO = 0.2


def _ok(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["ok"]]


def _shares(labels: pd.Series) -> dict:
    n = len(labels)
    if n == 0:
        return {"pos_share": np.nan, "neu_share": np.nan, "neg_share": np.nan}
    counts = labels.value_counts()
    return {f"{k}_share": counts.get(k, 0) / n for k in ("pos", "neu", "neg")}


def overview(df: pd.DataFrame) -> pd.DataFrame:
    """One row: how many comments, over what time, and their sentiment mix."""
    ok = _ok(df)
    status = df["status"].astype(str)
    row = {
        "n_comments": len(df),
        "n_ok": len(ok),
        "n_empty": int((status == "empty").sum()),
        "n_error": int(status.str.startswith("error").sum()),
        "n_no_time": int(df["time"].isna().sum()),
        "start": df["time"].min(),
        "end": df["time"].max(),
        "n_periods": int(df["period"].nunique()),
        **_shares(ok["label"]),
        "sentiment_mean": ok["sentiment"].mean(),
    }
    if "product" in df:
        row["n_products"] = int(df["product"].nunique())
    if "streamer" in df:
        row["n_streamers"] = int(df["streamer"].nunique())
    return pd.DataFrame([row])


def _label_counts(frame: pd.DataFrame, keys) -> pd.DataFrame:
    counts = pd.crosstab([frame[k] for k in keys], frame["label"])
    for k in ("pos", "neu", "neg"):
        if k not in counts:
            counts[k] = 0
    return counts


def sentiment_trend(df: pd.DataFrame) -> pd.DataFrame:
    """Per period: comments, positive/neutral/negative shares, mean sentiment."""
    ok = _ok(df).dropna(subset=["period"])
    cols = ["period", "n_comments", "pos_share", "neu_share", "neg_share", "sentiment_mean"]
    if ok.empty:
        return pd.DataFrame(columns=cols)
    counts = _label_counts(ok, ["period"])
    n = counts.sum(axis=1)
    out = pd.DataFrame({
        "n_comments": n,
        "pos_share": counts["pos"] / n,
        "neu_share": counts["neu"] / n,
        "neg_share": counts["neg"] / n,
        "sentiment_mean": ok.groupby("period")["sentiment"].mean(),
    })
    out = out.rename_axis("period").reset_index()
    out["n_comments"] = out["n_comments"].astype(int)
    return out[cols]


def trend_word(early: float, late: float) -> str:
    """上升, 下降 or 平稳, comparing a share in the first and second half.

    >>> trend_word(0.10, 0.16), trend_word(0.10, 0.11), trend_word(0.2, 0.1)
    ('上升', '平稳', '下降')
    """
    if pd.isna(early) or pd.isna(late):
        return "—"
    change = late - early
    base = max(early, 1e-9)
    if change >= TREND_MIN_CHANGE and change / base >= TREND_MIN_RATIO:
        return "上升"
    if -change >= TREND_MIN_CHANGE and -change / base >= TREND_MIN_RATIO:
        return "下降"
    return "平稳"


def _halves(ok: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    periods = np.sort(ok["period"].dropna().unique())
    if len(periods) < 2:
        empty = pd.Series(False, index=ok.index)
        return empty, empty
    cut = periods[len(periods) // 2]
    return ok["period"] < cut, ok["period"] >= cut


def _side(scores: pd.Series) -> pd.Series:
    return pd.Series(np.select([scores >= POS_THRESHOLD, scores <= NEG_THRESHOLD],
                               ["pos", "neg"], "neu"), index=scores.index)


def topic_summary(df: pd.DataFrame, names: dict, keywords: dict | None = None) -> pd.DataFrame:
    """One row per topic: how much it is discussed, how people feel, where it goes.

    ``share`` is the share of all valid comments that mention the topic;
    ``pos_share`` and ``neg_share`` are among those mentions, judged by the
    sentiment of the clauses that mention it; ``share_early``/``share_late``
    compare the first and second half of the periods.
    """
    ok = _ok(df)
    n_all = max(len(ok), 1)
    early, late = _halves(ok)
    rows = []
    for code in df.attrs.get("codes", []):
        mask = ok[f"t_{code}"]
        scores = ok.loc[mask, f"s_{code}"]
        side = _side(scores)
        n = int(mask.sum())
        n_early, n_late = int(early.sum()), int(late.sum())
        s_early = (mask & early).sum() / n_early if n_early else np.nan
        s_late = (mask & late).sum() / n_late if n_late else np.nan
        rows.append({
            "topic": code,
            "name": names.get(code, code),
            "n_comments": n,
            "share": n / n_all,
            "sentiment_mean": scores.mean() if n else np.nan,
            "pos_share": (side == "pos").mean() if n else np.nan,
            "neg_share": (side == "neg").mean() if n else np.nan,
            "n_neg": int((side == "neg").sum()),
            "share_early": s_early,
            "share_late": s_late,
            "trend": trend_word(s_early, s_late),
            "keywords": "、".join((keywords or {}).get(code, [])),
        })
    return pd.DataFrame(rows, columns=["topic", "name", "n_comments", "share", "sentiment_mean",
                                       "pos_share", "neg_share", "n_neg", "share_early",
                                       "share_late", "trend", "keywords"])


def topic_trend(df: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Per period and topic: share of comments mentioning it, and negative share of those."""
    ok = _ok(df).dropna(subset=["period"])
    cols = ["period", "topic", "name", "n_comments", "share", "neg_share"]
    codes = df.attrs.get("codes", [])
    if ok.empty or not codes:
        return pd.DataFrame(columns=cols)
    total = ok.groupby("period").size()
    frames = []
    for code in codes:
        flag = ok[f"t_{code}"]
        neg = flag & (ok[f"s_{code}"] <= NEG_THRESHOLD)
        g = pd.DataFrame({"period": ok["period"], "m": flag, "neg": neg}).groupby("period").sum()
        frame = pd.DataFrame({
            "period": total.index,
            "topic": code,
            "name": names.get(code, code),
            "n_comments": g["m"].reindex(total.index).fillna(0).astype(int).to_numpy(),
            "share": (g["m"].reindex(total.index) / total).to_numpy(),
        })
        frame["neg_share"] = np.where(frame["n_comments"] > 0,
                                      g["neg"].reindex(total.index).to_numpy()
                                      / frame["n_comments"].clip(lower=1), np.nan)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[cols]


def evidence_keywords(df: pd.DataFrame, top_k: int = 8) -> dict[str, list[str]]:
    """The words that most often showed each topic (from the ``evidence`` column).

    >>> df = pd.DataFrame({"ok": [True, True], "evidence": ["quality:新鲜,坏了;trust:正品",
    ...                                                     "quality:新鲜"]})
    >>> evidence_keywords(df)
    {'quality': ['新鲜', '坏了'], 'trust': ['正品']}
    """
    ev = df.loc[df["ok"], "evidence"].astype(str)
    ev = ev[ev != ""]
    if ev.empty:
        return {}
    parts = ev.str.split(";").explode()
    parts = parts[parts.str.contains(":", regex=False)]
    split = parts.str.split(":", n=1, expand=True)
    pairs = pd.DataFrame({"topic": split[0].str.strip(), "word": split[1].str.split(",")})
    pairs = pairs.explode("word")
    pairs["word"] = pairs["word"].str.strip()
    pairs = pairs[pairs["word"].notna() & (pairs["word"] != "")]
    counts = pairs.groupby(["topic", "word"], sort=False).size().reset_index(name="n")
    counts = counts.sort_values(["topic", "n", "word"], ascending=[True, False, True],
                                kind="stable")
    return {t: g["word"].head(top_k).tolist() for t, g in counts.groupby("topic", sort=False)}


def _typical(frame: pd.DataFrame, score_col: str, k: int) -> pd.DataFrame:
    """The k rows nearest the median score, then nearest the median length."""
    if frame.empty:
        return frame
    frame = frame.drop_duplicates(subset="text")
    median = frame[score_col].median()
    length = frame["text"].str.len()
    key = pd.DataFrame({"d": ((frame[score_col] - median).abs() / 0.05).round(),
                        "l": (length - length.median()).abs(),
                        "id": frame["comment_id"].astype(str)}, index=frame.index)
    order = key.sort_values(["d", "l", "id"], kind="stable").index[:k]
    return frame.loc[order]


def representative_comments(df: pd.DataFrame, names: dict, k: int = 3) -> pd.DataFrame:
    """Three typical positive and three typical negative comments per topic.

    Typical, not extreme: among the mentions on one side (clause sentiment at
    or above :data:`POS_THRESHOLD`, or at or below :data:`NEG_THRESHOLD`), the
    comments nearest that side's median score, ties broken by the length
    nearest the median length; repeated texts count once.
    """
    ok = _ok(df)
    keep = [c for c in ("comment_id", "time", "product", "streamer", "text") if c in ok]
    rows = []
    for code in df.attrs.get("codes", []):
        mask = ok[f"t_{code}"]
        sub = ok.loc[mask, keep + [f"s_{code}"]].rename(columns={f"s_{code}": "score"})
        for side, sel in (("正面", sub["score"] >= POS_THRESHOLD),
                          ("负面", sub["score"] <= NEG_THRESHOLD)):
            picked = _typical(sub[sel], "score", k)
            for rank, (_, r) in enumerate(picked.iterrows(), start=1):
                rows.append({"topic": code, "name": names.get(code, code), "side": side,
                             "rank": rank, **{c: r[c] for c in keep}, "score": r["score"]})
    cols = ["topic", "name", "side", "rank"] + keep + ["score"]
    return pd.DataFrame(rows, columns=cols)


def worsening(df: pd.DataFrame, by: str = "product", min_comments: int = 5) -> pd.DataFrame:
    """For each group, the period whose negative share rose most above its earlier level.

    ``prior_neg_share`` pools every earlier period of the group; periods with
    fewer than ``min_comments`` valid comments are not judged.
    """
    cols = [by, "peak_period", "peak_neg_share", "prior_neg_share", "neg_rise"]
    ok = _ok(df).dropna(subset=["period"])
    if ok.empty or by not in ok:
        return pd.DataFrame(columns=cols)
    g = (pd.DataFrame({by: ok[by], "period": ok["period"], "neg": ok["label"] == "neg"})
         .groupby([by, "period"])["neg"].agg(["sum", "size"]).reset_index()
         .sort_values([by, "period"]))
    g["prior_neg"] = g.groupby(by)["sum"].cumsum() - g["sum"]
    g["prior_n"] = g.groupby(by)["size"].cumsum() - g["size"]
    g = g[(g["size"] >= min_comments) & (g["prior_n"] >= min_comments)]
    if g.empty:
        return pd.DataFrame(columns=cols)
    g = g.assign(peak_neg_share=g["sum"] / g["size"], prior_neg_share=g["prior_neg"] / g["prior_n"])
    g["neg_rise"] = g["peak_neg_share"] - g["prior_neg_share"]
    best = g.sort_values(["neg_rise", "period"], ascending=[False, True]).groupby(by).head(1)
    best = best.rename(columns={"period": "peak_period"})
    return best[cols].sort_values("neg_rise", ascending=False).reset_index(drop=True)


def group_summary(df: pd.DataFrame, by: str, names: dict) -> pd.DataFrame:
    """Per value of ``by`` (product, streamer, …): volume, sentiment, top complaint."""
    ok = _ok(df)
    cols = [by, "n_comments", "share", "pos_share", "neg_share", "sentiment_mean",
            "top_complaint", "top_complaint_n"]
    if ok.empty or by not in ok:
        return pd.DataFrame(columns=cols)
    counts = _label_counts(ok, [by])
    n = counts.sum(axis=1)
    out = pd.DataFrame({
        "n_comments": n.astype(int),
        "share": n / len(ok),
        "pos_share": counts["pos"] / n,
        "neg_share": counts["neg"] / n,
        "sentiment_mean": ok.groupby(by)["sentiment"].mean(),
    })
    codes = df.attrs.get("codes", [])
    if codes:
        neg = pd.DataFrame({code: ok[f"t_{code}"] & (ok[f"s_{code}"] <= NEG_THRESHOLD)
                            for code in codes})
        neg[by] = ok[by]
        per = neg.groupby(by)[codes].sum()
        top = per.idxmax(axis=1)
        top_n = per.max(axis=1)
        out["top_complaint"] = [names.get(t, t) if c > 0 else "—" for t, c in zip(top, top_n)]
        out["top_complaint_n"] = top_n.astype(int)
    else:
        out["top_complaint"] = "—"
        out["top_complaint_n"] = 0
    out = out.rename_axis(by).reset_index()
    if by == "streamer_tier":
        out[by] = out[by].map(lambda v: TIER_NAMES.get(v, v))
    return out.sort_values(["n_comments", by], ascending=[False, True])[cols].reset_index(drop=True)


def product_units(panel: pd.DataFrame) -> pd.DataFrame:
    """Units and revenue per product, summed over a sales panel."""
    if panel is None or panel.empty or "product" not in panel:
        return pd.DataFrame(columns=["product", "units", "revenue"])
    return (panel.groupby("product", dropna=False)[["units", "revenue"]]
            .sum(min_count=1).reset_index())


def comment_details(df: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Every comment with its result, topics by their Chinese names (评论明细)."""
    label_names = {"pos": "正面", "neg": "负面", "neu": "中性", "": ""}
    codes = df.attrs.get("codes", [])
    names_list = [names.get(c, c) for c in codes]
    flags = df[[f"t_{c}" for c in codes]].to_numpy() if codes else np.zeros((len(df), 0), bool)
    topic_text = ["、".join(n for n, f in zip(names_list, row) if f) for row in flags]
    keep = [c for c in ("comment_id", "time", "platform", "streamer", "product", "text") if c in df]
    out = df[keep].copy()
    out["sentiment"] = df["sentiment"]
    out["label"] = df["label"].map(lambda v: label_names.get(v, v))
    out["topics"] = topic_text
    out["evidence"] = df["evidence"]
    out["status"] = df["status"]
    return out.reset_index(drop=True)
