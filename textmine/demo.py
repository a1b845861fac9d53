"""The demo: every capability of textmine on the bundled county-commerce corpora.

The corpora (comments on six county products sold in livestreams, news
articles, daily sales) install with the package as ``textmine.corpora``; see
``corpora/README.md`` for how they were made and the story planted in them.
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from .resources import corpus_path
from typing import Callable

__all__ = ["demo_files", "run_demo"]


def demo_files(stack: ExitStack) -> dict[str, Path]:
    """Real paths of the bundled demo files, valid while ``stack`` is open."""
    root = corpus_path("demo")
    names = {"comments": "comments.csv", "sales": "sales.csv", "aliases": "aliases.csv",
             "articles": "articles"}
    return {key: stack.enter_context(resources.as_file(root.joinpath(name)))
            for key, name in names.items()}


def run_demo(output_dir, *, backend: str = "builtin", progress: bool = False,
             say: Callable[[str], None] = lambda message: None) -> list[Path]:
    """Run the demo and return the paths written, in the order they were made."""
    from .batch import score_file
    from .discover import discover_topics
    from .io import read_table, write_table
    from .keywords import group_keywords
    from .pipeline import Pipeline
    from .report import build_report
    from .sales import compare, link_sales, read_sales, sales_effects

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pipeline = Pipeline(backend=backend)
    with ExitStack() as stack:
        files = demo_files(stack)

        say("scoring comments …")
        scored_path = out / "comments_scored.csv"
        score_file(files["comments"], scored_path, pipeline=pipeline, progress=progress)
        written.append(scored_path)

        say("scoring articles …")
        articles_path = out / "articles_scored.csv"
        score_file(files["articles"], articles_path, pipeline=pipeline, progress=progress)
        written.append(articles_path)

        scored = read_table(scored_path)
        say("keywords by product …")
        keywords_path = out / "keywords_by_product.csv"
        write_table(group_keywords(scored, by="product", text="text", top_k=10), keywords_path)
        written.append(keywords_path)

        say("discovering topics …")
        discovered = discover_topics(scored, k=8, text="text", time="time")
        for name, table in (("topics", discovered.topics), ("documents", discovered.documents),
                            ("share", discovered.share)):
            path = out / f"discovered_{name}.csv"
            write_table(table, path)
            written.append(path)

        say("linking to sales …")
        sales, rejected = read_sales(files["sales"])
        aliases = read_table(files["aliases"])
        link = link_sales(scored, sales, freq="W", by="product", aliases=aliases)
        effects = sales_effects(link.panel, max_lag=4)
        comparison = compare(scored, sales, aliases=aliases)
        for name, table in (("panel", link.panel), ("effects", effects),
                            ("unmatched", link.unmatched), ("sales_by_spec", comparison.by_spec),
                            ("sales_by_streamer_tier", comparison.by_streamer_tier),
                            ("sales_by_channel", comparison.by_channel),
                            ("livestream_spikes", comparison.spikes),
                            ("spike_retention", comparison.retention)):
            path = out / f"{name}.csv"
            write_table(table, path)
            written.append(path)

        say("writing reports …")
        reports = [out / "report.html", out / "report.xlsx", out / "report.md"]
        build_report(scored, (sales, rejected), freq="W", aliases=aliases,
                     title="县域农产品直播舆情与销售分析（演示数据）", output=reports)
        written.extend(reports)
    return written
