"""``textmine eval-topics``: per-topic precision, recall and F1 against hand labels."""

from __future__ import annotations

NAME = "eval-topics"
HELP = "measure the topic tagger on a labelled table: per-topic precision, recall, F1, micro/macro"


def add_arguments(parser) -> None:
    parser.add_argument("data", metavar="DATA",
                        help="labelled table (.csv .tsv .xlsx .jsonl .parquet)")
    parser.add_argument("--text-col", metavar="COL",
                        help="column with the text (found automatically when obvious)")
    parser.add_argument("--topics-col", metavar="COL", default="topics",
                        help="column with the gold topics as `a|b` codes (default: topics)")
    parser.add_argument("--topics", metavar="TOML",
                        help="topic lexicon to evaluate (merged with the defaults)")
    parser.add_argument("--topics-only", action="store_true",
                        help="evaluate the --topics lexicon alone, not merged with the defaults")
    parser.add_argument("--errors", metavar="OUTPUT",
                        help="write the texts where tagger and labels disagree to this table")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="also print up to N disagreements")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")


def run(args, ctx) -> int:
    import json

    import pandas as pd

    from ..errors import InputError
    from ..io import find_text_column, read_table, write_table
    from ..topics import TopicTagger, parse_topics, score_topics

    frame = read_table(args.data)
    text = find_text_column(list(frame.columns), args.text_col, path=args.data)
    if args.topics_col not in frame.columns:
        raise InputError(f"topics column {args.topics_col!r} not found; the columns are: "
                         f"{', '.join(map(str, frame.columns))}. Name it with --topics-col.",
                         path=args.data)
    tagger = TopicTagger(lexicon=args.topics, merge=not args.topics_only).fit()
    gold = [parse_topics(v) for v in frame[args.topics_col]]
    unknown = sorted({c for g in gold for c in g} - set(tagger.codes_))
    if unknown:
        raise InputError(f"labels {unknown} in column {args.topics_col!r} are not topics of the "
                         f"lexicon ({', '.join(tagger.codes_)}); fix the labels or pass a "
                         "lexicon with --topics", path=args.data)
    predicted = tagger.transform(frame[text].tolist())
    table = score_topics(gold, predicted["topics"], codes=tagger.codes_)
    if args.json:
        out = {"data": args.data, "texts": len(frame),
               "metrics": json.loads(table.to_json(orient="index"))}
        print(json.dumps(out, ensure_ascii=False, indent=1), file=ctx.stdout)
    else:
        print(f"{args.data}: {len(frame)} texts, {len(tagger.codes_)} topics", file=ctx.stdout)
        print(_format(table, tagger.names_), file=ctx.stdout)
    wrong = pd.DataFrame({
        "row": range(1, len(frame) + 1),
        "text": frame[text].tolist(),
        "gold": ["|".join(c for c in tagger.codes_ if c in g) for g in map(set, gold)],
        "predicted": predicted["topics"],
        "evidence": predicted["evidence"],
    })
    wrong = wrong[[set(parse_topics(g)) != set(parse_topics(p))
                   for g, p in zip(wrong["gold"], wrong["predicted"])]]
    if args.show_errors and not args.json:
        print(f"\n{len(wrong)} texts disagree; the first {min(args.show_errors, len(wrong))}:",
              file=ctx.stdout)
        for row in wrong.head(args.show_errors).itertuples(index=False):
            print(f"  {row.text}\n    gold: {row.gold or '-'}  predicted: {row.predicted or '-'}"
                  f"  ({row.evidence or 'no evidence'})", file=ctx.stdout)
    if args.errors:
        write_table(wrong, args.errors)
        if not ctx.quiet:
            print(f"textmine: {len(wrong)} disagreements → {args.errors}", file=ctx.stderr)
    return 0


def _format(table, names) -> str:
    # Codes first: CJK display names are double width and would break the columns.
    lines = [f"{'topic':<13}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}"]
    for code, row in table.iterrows():
        if code == "micro":
            lines.append("-" * 48)
        lines.append(f"{code:<13}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"
                     f"{int(row['support']):>9d}  {names.get(code, '')}".rstrip())
    return "\n".join(lines)
