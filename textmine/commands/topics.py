"""``textmine topics``: discover topics with NMF (or LDA) and compare them with the seeded ones."""

from __future__ import annotations

NAME = "topics"
HELP = "discover topics in a table of texts (NMF or LDA): top words, size, examples, share over time"


def add_arguments(parser) -> None:
    parser.add_argument("input", metavar="INPUT",
                        help="table (.csv .tsv .xlsx .jsonl .parquet) or a folder of .txt articles")
    parser.add_argument("--k", type=int, default=8, metavar="K", help="number of topics (default 8)")
    parser.add_argument("--text-col", metavar="COL",
                        help="column with the text (found automatically when obvious)")
    parser.add_argument("--time-col", metavar="COL",
                        help="date column for the share over time (default: time, date, …)")
    parser.add_argument("--freq", choices=["D", "W", "M"], default="W",
                        help="period of the share over time: day, week or month (default W)")
    parser.add_argument("--method", choices=["nmf", "lda"], default="nmf",
                        help="factorisation (default: nmf)")
    parser.add_argument("--top-words", type=int, default=10, metavar="N",
                        help="top words per topic (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--topics", metavar="TOML",
                        help="topic lexicon for the comparison with seeded topics (merged with "
                             "the defaults)")
    parser.add_argument("--topics-only", action="store_true",
                        help="compare with the --topics lexicon only, not the seven defaults")
    parser.add_argument("-o", "--output", metavar="OUTPUT",
                        help="write the topics table here; the document table goes beside it "
                             "as <name>.documents<ext> and the share over time as "
                             "<name>.share<ext>. Default: print a summary")


def run(args, ctx) -> int:
    from pathlib import Path

    from ..discover import discover_topics
    from ..errors import InputError
    from ..io import find_text_column, read_table, write_table
    from ..segment import Segmenter
    from ..topics import TopicTagger

    if args.k < 1:
        raise InputError(f"--k value = {args.k} is invalid; it must be 1 or more")
    frame = read_table(args.input)
    text = find_text_column(list(frame.columns), args.text_col, path=args.input)
    if args.time_col and args.time_col not in frame.columns:
        raise InputError(f"time column {args.time_col!r} not found; the columns are: "
                         f"{', '.join(map(str, frame.columns))}", path=args.input)
    segmenter = Segmenter()
    tagger = TopicTagger(lexicon=args.topics, segmenter=segmenter,
                         merge=not args.topics_only).fit()
    result = discover_topics(frame, k=args.k, text=text, time=args.time_col, freq=args.freq,
                             method=args.method, n_top_words=args.top_words,
                             random_state=args.seed, segmenter=segmenter, tagger=tagger)
    if args.output:
        out = Path(args.output)
        write_table(result.topics, out)
        docs = out.with_name(f"{out.stem}.documents{out.suffix}")
        documents = frame.reset_index(drop=True).join(
            result.documents[["topic", "label", "weight", "representative"]]
            .add_prefix("discovered_"))
        write_table(documents, docs)
        written = [str(out), str(docs)]
        if not result.share.empty:
            share = out.with_name(f"{out.stem}.share{out.suffix}")
            write_table(result.share, share)
            written.append(str(share))
        if not ctx.quiet:
            print(f"textmine: {result.model.n_topics_} topics from {len(frame)} texts → "
                  + ", ".join(written), file=ctx.stderr)
        return 0
    print(_summary(result), file=ctx.stdout)
    return 0


def _summary(result) -> str:
    lines = []
    for row in result.topics.itertuples(index=False):
        seeded = f"  ≈ {row.seeded}" if row.seeded else ""
        lines.append(f"[{row.topic}] {row.label}  ({row.size} texts, {row.share:.0%}){seeded}")
        lines.append(f"    words: {row.top_words}")
        if row.seeded_words:
            lines.append(f"    seeded-lexicon words: {row.seeded_words}")
        for example in filter(None, row.examples.split(" ‖ ")):
            lines.append(f"    e.g. {example}")
    if not result.share.empty:
        table = result.share.pivot_table(index="period", columns="topic", values="share",
                                         fill_value=0.0)
        lines.append("")
        lines.append("share over time (rows: period; columns: topic)")
        lines.append(table.to_string(float_format=lambda v: f"{v:.0%}"))
    return "\n".join(lines)
