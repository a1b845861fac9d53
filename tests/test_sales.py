"""Tests for textmine.sales: reading sales, matching products, the panel, effects, comparisons."""

from __future__ import annotations

import io
import logging
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.errors import InputError
from textmine.sales import compare, link_sales, product_key, read_aliases, read_sales, sales_effects
from textmine.sales.compare import find_spikes

from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"

TOPICS = ("quality", "trust", "supervision", "branding", "price", "logistics", "service")

SALES_CSV = """日期,商品,规格,渠道,主播,主播层级,销量,销售额
2026-06-01,城步蜂蜜,300g,快手,山货姐阿琳,head,120,4788
2026-06-02,城步蜂蜜,300克,抖音,城步吴副县长,waist,30,1197
2026-06-02,城步蜂蜜,500g,抖音,城步吴副县长,waist,10,599
2026-06-09,雷山鱼酱,250g,微信小程序,雷山苗家合作社,tail,12,358.8
2026-06-10,雷山鱼酱,250g,微信小程序,雷山苗家合作社,tail,-3,-89.7
昨天,雷山鱼酱,250g,微信小程序,雷山苗家合作社,tail,5,149.5
2026-06-11,雷山鱼酱,250g,微信小程序,雷山苗家合作社,tail,4,很多
2026-06-12,,250g,微信小程序,雷山苗家合作社,tail,4,119.6
"""


def scored(rows) -> pd.DataFrame:
    """Comments as `textmine score` writes them, from (time, product, sentiment, label, topics[, streamer])."""
    frame = pd.DataFrame(rows, columns=["time", "product", "sentiment", "sentiment_label", "topics",
                                        "streamer"][:len(rows[0])])
    frame["status"] = "ok"
    for code in TOPICS:
        frame[f"sentiment_{code}"] = np.where(frame["topics"].str.contains(code), frame["sentiment"],
                                              np.nan)
    return frame


COMMENTS = scored([
    ("2026-06-01 20:01", "城步蜂蜜", 0.9, "pos", "quality", "山货姐阿琳"),
    ("2026-06-01 20:05", "城步蜂蜜 300克", 0.8, "pos", "", "山货姐阿琳"),
    ("2026-06-02 21:00", "城步土蜂蜜", 0.2, "neg", "trust|quality", "城步吴副县长"),
    ("2026-06-10 09:00", "雷山鱼酱", 0.1, "neg", "quality", "雷山苗家合作社"),
    ("2026-06-11 09:00", "雷山鱼浆", 0.3, "neg", "quality", None),
    ("2026-06-11 10:00", "雷山鱼酱", 0.6, "neu", "logistics", "陌生主播"),
])


@pytest.fixture
def sales_csv(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(SALES_CSV, encoding="utf-8")
    return path


# --- reading sales -------------------------------------------------------------

def test_chinese_headers_and_rejected_rows_with_line_numbers(sales_csv, caplog):
    with caplog.at_level(logging.WARNING, logger="textmine.sales"):
        valid, rejected = read_sales(sales_csv)
    assert list(valid.columns[:5]) == ["row", "date", "product", "units", "revenue"]
    assert {"spec", "channel", "streamer", "streamer_tier"} <= set(valid.columns)
    assert valid["units"].sum() == 120 + 30 + 10 + 12
    assert rejected.columns.tolist() == ["side", "row", "column", "value", "reason"]
    reasons = dict(zip(rejected["row"], rejected["reason"]))
    assert reasons == {6: "units is negative; revenue is negative", 7: "not a date",
                       8: "revenue is not a number", 9: "product is empty"}
    assert (rejected["side"] == "sales").all()
    assert "4 of 8 sales rows rejected" in caplog.text


def test_mapping_names_other_headers_and_missing_columns_say_what_to_do():
    raw = pd.DataFrame({"day": ["2026-06-01"], "goods": ["蜂蜜"], "qty": ["3"], "gmv": ["¥119.7"]})
    with pytest.raises(InputError, match=r"product not found.*--map COLUMN=product"):
        read_sales(raw)
    valid, rejected = read_sales(raw, mapping=["goods=product", "gmv=revenue"])
    assert valid[["product", "units", "revenue"]].iloc[0].tolist() == ["蜂蜜", 3.0, 119.7]
    with pytest.raises(InputError, match="no column 'sold'"):
        read_sales(raw, mapping={"sold": "units"})
    with pytest.raises(InputError, match="not a known column"):
        read_sales(raw, mapping={"qty": "volume"})


@pytest.mark.parametrize("name", ["sales.xlsx", "sales.parquet", "sales.jsonl", "sales_gbk.csv"])
def test_reads_every_table_format(tmp_path, name):
    from textmine.io import write_table

    frame = pd.read_csv(io.StringIO(SALES_CSV), dtype=str, keep_default_na=False)
    path = tmp_path / name
    if name.endswith("_gbk.csv"):
        path.write_bytes(SALES_CSV.encode("gbk"))
    else:
        write_table(frame, path)
    valid, rejected = read_sales(path)
    assert valid["units"].sum() == 172
    assert len(rejected) == 4


def test_reads_a_sql_table_through_sqlalchemy(tmp_path):
    sa = pytest.importorskip("sqlalchemy")
    url = f"sqlite:///{tmp_path / 'sales.db'}"
    frame = pd.read_csv(io.StringIO(SALES_CSV), dtype=str, keep_default_na=False)
    engine = sa.create_engine(url)
    frame.to_sql("orders", engine, index=False)
    engine.dispose()
    valid, rejected = read_sales(url, table="orders")
    assert valid["units"].sum() == 172
    assert sorted(rejected["row"]) == [5, 6, 7, 8]  # 1-based record numbers
    query, _ = read_sales(url, table="SELECT * FROM orders WHERE 商品 = '城步蜂蜜'")
    assert len(query) == 3
    with pytest.raises(InputError, match="no table 'sales'; the database has: orders"):
        read_sales(url, table="sales")
    with pytest.raises(InputError, match="name the sales table"):
        read_sales(url)
    result = link_sales(COMMENTS, url, sales_table="orders")
    assert result.panel["units"].sum() == 172


def test_database_password_is_not_echoed():
    with pytest.raises(InputError) as err:
        read_sales("postgresql+nosuchdriver://user:secret@localhost/db", table="orders")
    assert "secret" not in str(err.value)


# --- product matching ----------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("城步蜂蜜300g", "城步蜂蜜 300克"),
    ("城步蜂蜜300g", "城步蜂蜜（0.3KG）"),
    ("城步蜂蜜300g", "ＣＨＥＮＧＢＵ蜂蜜300G".replace("ＣＨＥＮＧＢＵ", "城步")),
    ("赣南脐橙5斤", "赣南臍橙 2.5公斤"),
    ("雷山银球茶", "雷山 银球茶"),
    ("鱼酱500ml", "鱼酱0.5L"),
])
def test_product_keys_fold_width_case_spaces_and_units(a, b):
    assert product_key(a) == product_key(b)


@pytest.mark.parametrize("a, b", [
    ("城步蜂蜜300g", "城步蜂蜜500g"),
    ("雷山鱼酱", "雷山鱼浆"),  # a different character is a different name: no fuzzy guessing
    ("雷山银球茶", "银球茶"),
])
def test_product_keys_do_not_guess(a, b):
    assert product_key(a) != product_key(b)


def test_aliases_and_spec_in_name_match_and_the_rest_is_listed(sales_csv):
    result = link_sales(COMMENTS, sales_csv, aliases={"城步土蜂蜜": "城步蜂蜜"})
    panel, unmatched = result.panel, result.unmatched
    honey = panel[panel["product"] == "城步蜂蜜"]
    assert honey["n_comments"].sum() == 3  # 城步蜂蜜, 城步蜂蜜 300克 (product + spec), 城步土蜂蜜 (alias)
    assert unmatched[["side", "field", "value", "count"]].to_dict("records") == [
        {"side": "comments", "field": "product", "value": "雷山鱼浆", "count": 1}]
    without = link_sales(COMMENTS, sales_csv).unmatched
    assert set(without["value"]) == {"雷山鱼浆", "城步土蜂蜜"}


def test_alias_file_and_conflicting_aliases(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,product\n城步土蜂蜜,城步蜂蜜\n土蜂蜜,城步蜂蜜\n土 蜂蜜,雷山鱼酱\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 4.*points at '城步蜂蜜'"):
        read_aliases(path)
    path.write_text("别名,商品\n城步土蜂蜜,城步蜂蜜\n", encoding="utf-8")
    assert read_aliases(path) == {"城步土蜂蜜": "城步蜂蜜"}


def test_unmatched_sales_products_are_listed_too(sales_csv):
    comments = COMMENTS[COMMENTS["product"].str.startswith("城步")]
    unmatched = link_sales(comments, sales_csv).unmatched
    sales_side = unmatched[unmatched["side"] == "sales"]
    assert sales_side[["value", "count"]].values.tolist() == [["雷山鱼酱", 1]]


# --- the panel -----------------------------------------------------------------

def test_panel_columns_metrics_and_kept_periods(sales_csv):
    panel = link_sales(COMMENTS, sales_csv, freq="W", aliases={"城步土蜂蜜": "城步蜂蜜"}).panel
    expected = (["product", "period", "n_comments", "n_scored", "sentiment_mean", "neg_share"]
                + [f"share_{c}" for c in TOPICS] + [f"sentiment_{c}" for c in TOPICS]
                + ["units", "revenue"])
    assert panel.columns.tolist() == expected
    honey = panel[panel["product"] == "城步蜂蜜"].iloc[0]
    assert honey["period"] == pd.Timestamp("2026-06-01")
    assert honey["n_comments"] == 3 and honey["units"] == 160
    assert honey["sentiment_mean"] == pytest.approx((0.9 + 0.8 + 0.2) / 3)
    assert honey["neg_share"] == pytest.approx(1 / 3)
    assert honey["share_quality"] == pytest.approx(2 / 3)
    assert honey["sentiment_trust"] == pytest.approx(0.2)
    assert math.isnan(honey["sentiment_logistics"])
    fish = panel[panel["product"] == "雷山鱼酱"]
    assert fish["period"].tolist() == [pd.Timestamp("2026-06-08")]
    # a product with comments but no sales: units unknown, not zero
    typo = panel[panel["product"] == "雷山鱼浆"].iloc[0]
    assert typo["n_comments"] == 1 and math.isnan(typo["units"])


def test_periods_without_comments_or_sales_are_kept():
    comments = scored([("2026-06-01 10:00", "茶", 0.9, "pos", "branding"),
                       ("2026-06-22 10:00", "茶", 0.4, "neg", "price")])
    sales = pd.DataFrame({"date": ["2026-06-08", "2026-06-29"], "product": "茶",
                          "units": [5, 7], "revenue": [340.0, 476.0]})
    panel = link_sales(comments, sales, freq="W").panel
    assert panel["period"].dt.strftime("%m-%d").tolist() == ["06-01", "06-08", "06-15", "06-22",
                                                              "06-29"]
    assert panel["units"].tolist() == [0, 5, 0, 0, 7]
    assert panel["n_comments"].tolist() == [1, 0, 0, 1, 0]
    assert panel["sentiment_mean"].isna().tolist() == [False, True, True, False, True]


@pytest.mark.parametrize("freq, periods", [("D", 11), ("W", 2), ("M", 1)])
def test_frequencies(sales_csv, freq, periods):
    panel = link_sales(COMMENTS, sales_csv, freq=freq).panel
    honey = panel[panel["product"] == "城步蜂蜜"]
    assert honey["period"].nunique() <= periods
    assert panel["units"].sum() == 172


def test_only_ok_rows_feed_sentiment_but_all_rows_count():
    comments = scored([("2026-06-01", "茶", 0.9, "pos", "branding"),
                       ("2026-06-01", "茶", np.nan, "", "")])
    comments.loc[1, "status"] = "empty"
    comments.loc[2] = ["", "茶", 0.1, "neg", "", "ok"] + [np.nan] * 7  # no time: rejected
    sales = pd.DataFrame({"date": ["2026-06-01"], "product": ["茶"], "units": [1], "revenue": [68]})
    result = link_sales(comments, sales)
    row = result.panel.iloc[0]
    assert (row["n_comments"], row["n_scored"], row["sentiment_mean"]) == (2, 1, 0.9)
    assert row["share_branding"] == 1.0
    assert result.rejected[["side", "row", "column"]].values.tolist() == [["comments", 2, "time"]]


def test_group_by_streamer_tier_through_the_sales_streamers(sales_csv):
    result = link_sales(COMMENTS, sales_csv, by="streamer_tier", freq="M")
    panel = result.panel.set_index("streamer_tier", drop=False)
    assert panel.loc["head", "n_comments"] == 2 and panel.loc["head", "units"] == 120
    assert panel.loc["waist", "n_comments"] == 1 and panel.loc["tail", "n_comments"] == 1
    # a comment without a streamer, or with one the sales never name, keeps an empty tier
    unknown = result.panel[result.panel["streamer_tier"].isna()].iloc[0]
    assert unknown["n_comments"] == 2 and math.isnan(unknown["units"])
    assert result.panel["units"].sum() == 172
    streamers = result.unmatched[result.unmatched["field"] == "streamer"]
    assert streamers[["side", "value", "count"]].values.tolist() == [["comments", "陌生主播", 1]]


def test_group_by_product_and_spec(sales_csv):
    panel = link_sales(COMMENTS, sales_csv, by="product,spec", freq="M").panel
    honey = panel[panel["product"] == "城步蜂蜜"].set_index("spec", drop=False)
    assert honey.loc["300g", "units"] == 150  # 300g and 300克 are one spec
    assert honey.loc["300g", "n_comments"] == 1  # only "城步蜂蜜 300克" names its spec
    assert honey.loc["500g", "units"] == 10
    assert honey["spec"].isna().sum() == 1


def test_group_by_channel_uses_platform():
    comments = scored([("2026-06-01", "茶", 0.9, "pos", "")])
    comments["platform"] = "抖音"
    sales = pd.DataFrame({"date": ["2026-06-01"] * 2, "product": "茶", "channel": ["抖音", "快手"],
                          "units": [3, 4], "revenue": [1.0, 2.0]})
    panel = link_sales(comments, sales, by="channel").panel.set_index("channel")
    assert panel.loc["抖音", "n_comments"] == 1 and panel.loc["快手", "n_comments"] == 0


def test_bad_arguments_say_what_is_valid(sales_csv):
    with pytest.raises(InputError, match="value must be one of D, W, M"):
        link_sales(COMMENTS, sales_csv, freq="Q")
    with pytest.raises(InputError, match="use one or more of product, spec"):
        link_sales(COMMENTS, sales_csv, by="colour")
    with pytest.raises(InputError, match="not scored yet"):
        link_sales(COMMENTS.drop(columns="sentiment"), sales_csv)
    with pytest.raises(InputError, match="no county column"):
        link_sales(COMMENTS, sales_csv, by="county")


_cell = st.one_of(st.integers(-5, 500).map(str), st.sampled_from(["", "x", "1,200", "３", "2.5"]))


@given(rows=st.lists(st.tuples(
    st.sampled_from(["2026-06-01", "2026-06-15", "2026/7/3", "坏日期", ""]),
    st.sampled_from(["城步蜂蜜", "城步蜂蜜 ", "雷山鱼酱", "", "新产品"]),
    st.sampled_from(["300g", "300克", "500g", ""]),
    _cell, _cell), min_size=1, max_size=40),
    by=st.sampled_from(["product", "product,spec"]), freq=st.sampled_from(["D", "W", "M"]))
def test_panel_sums_equal_the_valid_rows_exactly(rows, by, freq):
    sales = pd.DataFrame(rows, columns=["date", "product", "spec", "units", "revenue"])
    valid, rejected = read_sales(sales)
    assert len(valid) + len(rejected) == len(sales)
    panel = link_sales(COMMENTS, sales, by=by, freq=freq).panel
    assert panel["units"].sum() == valid["units"].sum()
    assert math.fsum(panel["revenue"].fillna(0)) == pytest.approx(math.fsum(valid["revenue"]),
                                                                   rel=1e-12, abs=1e-9)
    assert panel["n_comments"].sum() == len(COMMENTS)


# --- effects: a generator with a planted effect -----------------------------------

def _ar1(rng, shape, phi, sd):
    out = np.zeros(shape)
    e = rng.normal(0, sd, shape)
    out[..., 0] = e[..., 0] / np.sqrt(1 - phi ** 2)
    for t in range(1, shape[-1]):
        out[..., t] = phi * out[..., t - 1] + e[..., t]
    return out


UNPLANTED = [f"share_{c}" for c in TOPICS] + ["sentiment_price", "sentiment_logistics", "n_comments"]


def planted_weekly(seed, n_products=8, n_weeks=52, per_week=25, beta=3.0, lag=2):
    """Weekly units respond to mean sentiment ``lag`` weeks earlier; nothing else matters.

    Products differ in size (big ones sell e^2 times more) and trend; latent
    sentiment, sales noise and topic shares are autocorrelated, as real
    series are. Topic shares, the sentiment of price and logistics comments
    and comment volume are independent of sales: they are the unplanted metrics.
    """
    rng = np.random.default_rng(seed)
    P, T = n_products, n_weeks
    s = 0.65 + _ar1(rng, (P, T), 0.5, 0.06)
    lagged = np.concatenate([np.full((P, lag), 0.65), s[:, :T - lag]], axis=1)
    log_units = (rng.normal(4.0, 1.0, (P, 1)) + rng.normal(0, 0.01, (P, 1)) * np.arange(T)
                 + beta * (lagged - 0.65) + _ar1(rng, (P, T), 0.5, 0.08))
    share = np.clip(0.15 + _ar1(rng, (len(TOPICS), P, T), 0.6, 0.04), 0.01, 0.9)
    own = 0.6 + _ar1(rng, (2, P, T), 0.6, 0.05)
    start = pd.Timestamp("2025-01-06")
    n = rng.poisson(per_week, (P, T))
    p_idx, t_idx = np.divmod(np.repeat(np.arange(P * T), n.ravel()), T)
    m = len(p_idx)
    sent = np.clip(s[p_idx, t_idx] + rng.normal(0, 0.15, m), 0.001, 0.999)
    comments = pd.DataFrame({
        "time": start + pd.to_timedelta(t_idx * 7 + rng.integers(0, 7, m), "D")
        + pd.to_timedelta(rng.integers(0, 86400, m), "s"),
        "product": [f"产品{p}" for p in p_idx], "status": "ok", "sentiment": sent,
        "sentiment_label": np.where(sent < 0.4, "neg", np.where(sent > 0.6, "pos", "neu"))})
    tags = []
    for i, code in enumerate(TOPICS):
        has = rng.random(m) < share[i, p_idx, t_idx]
        tags.append(np.where(has, code, ""))
        base = own[("price", "logistics").index(code), p_idx, t_idx] \
            if code in ("price", "logistics") else sent
        comments[f"sentiment_{code}"] = np.where(has, np.clip(base + rng.normal(0, 0.1, m), 0, 1),
                                                 np.nan)
    comments["topics"] = ["|".join(x for x in t if x) for t in zip(*tags)]
    units = np.round(np.exp(log_units)).astype(int)
    daily = np.stack([rng.multinomial(u, [1 / 7] * 7) for u in units.ravel()]).reshape(P, T, 7)
    pp, tt, dd = np.meshgrid(np.arange(P), np.arange(T), np.arange(7), indexing="ij")
    sales = pd.DataFrame({"date": start + pd.to_timedelta((tt * 7 + dd).ravel(), "D"),
                          "product": [f"产品{p}" for p in pp.ravel()], "units": daily.ravel()})
    sales["revenue"] = sales["units"] * 39.9
    return comments, sales


@pytest.fixture(scope="module")
def planted_effects():
    tables = []
    for seed in range(40):
        comments, sales = planted_weekly(seed)
        effects = sales_effects(link_sales(comments, sales, freq="W").panel, max_lag=4)
        tables.append(effects.assign(seed=seed))
    return tables


def test_planted_metric_and_lag_come_first_with_the_right_sign(planted_effects):
    for effects in planted_effects:
        top = effects.iloc[0]
        assert (top["metric"], top["lag"]) == ("sentiment_mean", 2)
        assert top["rho"] > 0.4 and top["coef"] > 0 and top["coef_p"] < 0.01
        assert not top["too_few"]
        neg = effects[(effects["metric"] == "neg_share") & (effects["lag"] == 2)].iloc[0]
        assert neg["rho"] < 0


def test_unplanted_metrics_rarely_reach_significance(planted_effects):
    table = pd.concat(planted_effects)
    unplanted = table[table["metric"].isin(UNPLANTED)]
    # the p-values are calibrated: about 1% of null rows fall below 0.01
    assert (unplanted["p"] < 0.01).mean() <= 0.02
    # reading the whole table, no unplanted metric is significant in more than 5% of seeds
    hits = unplanted.groupby(["metric", "seed"])["p_adj"].min().lt(0.01).groupby("metric").mean()
    assert hits.max() <= 0.05, hits.to_dict()
    per_cell = unplanted.assign(hit=unplanted["p"] < 0.01).groupby(["metric", "lag"])["hit"].mean()
    assert per_cell.max() <= 0.05, per_cell[per_cell > 0.05].to_dict()


def test_effects_table_shape_and_few_periods_are_marked():
    comments, sales = planted_weekly(0, n_products=2, n_weeks=6)
    panel = link_sales(comments, sales).panel
    effects = sales_effects(panel, max_lag=2)
    assert effects.columns.tolist() == ["metric", "lag", "rho", "p", "p_adj", "n", "n_periods",
                                        "n_groups", "n_eff", "coef", "coef_se", "coef_p",
                                        "too_few"]
    assert len(effects) == 17 * 3
    assert effects["too_few"].all()
    # a panel read back from CSV gives the same table
    buf = io.StringIO()
    panel.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()))
    pd.testing.assert_frame_equal(sales_effects(back, max_lag=2), effects)


# --- comparisons ---------------------------------------------------------------

def planted_spikes(seed, n_products=12, n_days=240, events=(60, 120, 180), per_week=40):
    """Daily sales with livestream spikes; the more trust complaints in the spike week,
    the less of the spike's new level stays."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-03-03")
    sales, comments = [], []
    for p in range(n_products):
        level = np.full(n_days, np.exp(rng.normal(3.0, 0.5)))
        for day, trust in zip(events, rng.uniform(0, 0.5, len(events))):
            day += int(rng.integers(-5, 6))
            level[day:] *= np.exp(0.25 - 1.2 * trust + rng.normal(0, 0.08))
            level[day] *= 8
            has = rng.random(per_week) < trust
            quality = rng.random(per_week) < 0.3
            sent = np.where(has, rng.uniform(0.05, 0.3, per_week), rng.uniform(0.5, 0.95, per_week))
            frame = scored([(start + pd.Timedelta(days=day + u), f"产品{p}", v,
                             "neg" if v < 0.4 else "pos",
                             "|".join(c for c, on in (("quality", q), ("trust", h)) if on))
                            for u, v, h, q in zip(rng.uniform(0, 7, per_week), sent, has, quality)])
            comments.append(frame)
        units = rng.poisson(level)
        sales.append(pd.DataFrame({"date": start + pd.to_timedelta(np.arange(n_days), "D"),
                                   "product": f"产品{p}", "units": units, "revenue": units * 29.9,
                                   "channel": "快手", "streamer_tier": "head"}))
    return pd.concat(comments, ignore_index=True), pd.concat(sales, ignore_index=True)


def test_trust_complaints_in_the_spike_week_predict_retention():
    comments, sales = planted_spikes(1)
    result = compare(comments, sales)
    assert len(result.spikes) >= 36
    row = result.retention.set_index(["predictor", "outcome"]).loc[("share_trust", "retention_28")]
    assert row["rho"] < -0.5 and row["p"] < 0.01 and not row["small_n"]
    assert row["n"] >= 30
    assert result.retention.columns.tolist() == ["predictor", "outcome", "rho", "p", "n", "small_n"]


def test_find_spikes_measures_what_stays():
    days = pd.date_range("2026-06-01", periods=90)
    units = np.full(90, 10.0)
    units[40], units[41] = 90, 50  # a two-day livestream
    units[42:] = 12
    units[70] = 100  # a later livestream is left out of the after-windows
    spikes = find_spikes(pd.DataFrame({"product": "蜂蜜", "date": days, "units": units}))
    first = spikes.iloc[0]
    assert (first["start"], first["end"], first["days"]) == (days[40], days[41], 2)
    assert first["before"] == 10 and first["after_7"] == 12 and first["after_28"] == 12
    assert first["retention_28"] == pytest.approx(1.2)
    assert first["lift"] == 9
    assert math.isnan(spikes.iloc[1]["retention_28"])  # the data end before 28 days pass


def test_compare_tables(sales_csv):
    result = compare(COMMENTS, sales_csv, aliases={"城步土蜂蜜": "城步蜂蜜"})
    assert result._fields == ("by_spec", "by_streamer_tier", "by_channel", "spikes", "retention")
    spec = result.by_spec.set_index(["product", "spec"])
    assert spec.loc[("城步蜂蜜", "300g"), "units"] == 150
    assert spec.loc[("城步蜂蜜", "300g"), "unit_share"] == pytest.approx(150 / 160)
    assert spec.loc[("城步蜂蜜", "300g"), "price"] == pytest.approx((4788 + 1197) / 150)
    tiers = result.by_streamer_tier.set_index("streamer_tier")
    assert tiers.loc["head", "units"] == 120 and tiers.loc["head", "n_comments"] == 2
    assert result.by_channel["units"].sum() == 172
    for table in (result.by_spec, result.by_streamer_tier, result.by_channel):
        assert {"units", "revenue", "units_per_day", "n_comments", "sentiment_mean",
                "share_trust"} <= set(table.columns)


# --- the demo corpus -----------------------------------------------------------

@pytest.fixture(scope="module")
def demo_files():
    paths = {n: DEMO / f"{n}.csv" for n in ("comments", "sales", "aliases")}
    if not all(p.exists() for p in paths.values()):
        pytest.skip("demo corpus not found in corpora/demo")
    comments = pd.read_csv(paths["comments"], dtype=str, keep_default_na=False)
    # neutral scores: these tests check the join, not the sentiment model
    comments = comments.assign(status="ok", sentiment=0.5, sentiment_label="neu", topics="")
    return comments, paths["sales"], paths["aliases"]


def test_demo_story_joins(demo_files):
    comments, sales, aliases = demo_files
    result = link_sales(comments, sales, aliases=aliases)
    assert result.unmatched[["side", "value"]].values.tolist() == [["comments", "雷山鱼浆"]]
    assert result.rejected.empty
    assert result.panel["units"].sum() == pd.read_csv(sales)["units"].sum()
    cmp = compare(comments, sales, aliases=aliases)
    honey = cmp.by_spec[cmp.by_spec["product"] == "城步蜂蜜"].set_index("spec")
    assert honey.loc["300g", "units"] > 2 * honey.loc["500g", "units"]
    honey_spikes = cmp.spikes[cmp.spikes["product"] == "城步蜂蜜"]
    assert honey_spikes["start"].dt.strftime("%m-%d").tolist() == ["06-13", "07-04", "08-08"]
    assert honey_spikes["streamer_tiers"].str.contains("head").all()


# --- the command line ----------------------------------------------------------

def test_cli_writes_panel_tables_and_effects(tmp_path, sales_csv):
    from textmine.cli import main

    comments = tmp_path / "scored.csv"
    COMMENTS.to_csv(comments, index=False)
    out, err = io.StringIO(), io.StringIO()
    code = main(["link", "--comments", str(comments), "--sales", str(sales_csv),
                 "-o", str(tmp_path / "panel.csv"), "--unmatched", str(tmp_path / "un.csv"),
                 "--rejected", str(tmp_path / "rej.csv"), "--effects", str(tmp_path / "eff.csv"),
                 "--compare", str(tmp_path / "cmp"), "--freq", "d", "--max-lag", "1"],
                stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    panel = pd.read_csv(tmp_path / "panel.csv")
    assert panel["units"].sum() == 172
    assert pd.read_csv(tmp_path / "rej.csv")["row"].tolist() == [6, 7, 8, 9]
    assert "雷山鱼浆" in pd.read_csv(tmp_path / "un.csv")["value"].tolist()
    assert len(pd.read_csv(tmp_path / "eff.csv")) == 17 * 2
    assert (tmp_path / "cmp" / "spikes.csv").exists()
    assert "雷山鱼浆" in err.getvalue() and "rejected rows: 4 sales" in err.getvalue()


def test_cli_maps_columns_and_reports_bad_input(tmp_path, sales_csv):
    from textmine.cli import main

    comments = tmp_path / "scored.csv"
    COMMENTS.rename(columns={"time": "发布于"}).to_csv(comments, index=False)
    err = io.StringIO()
    code = main(["link", "--comments", str(comments), "--sales", str(sales_csv)],
                stdout=io.StringIO(), stderr=err)
    assert code == 2 and "--time-col" in err.getvalue()
    out = io.StringIO()
    code = main(["link", "--comments", str(comments), "--sales", str(sales_csv), "--time-col",
                 "发布于", "--map", "销量=units", "-q"], stdout=out, stderr=io.StringIO())
    assert code == 0
    assert pd.read_csv(io.StringIO(out.getvalue()))["units"].sum() == 172
