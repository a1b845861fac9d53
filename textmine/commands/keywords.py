"""``textmine keywords``: keywords per text or per group (product, week, topic)."""

from __future__ import annotations

NAME = "keywords"
HELP = "keywords per text or per group (TF-IDF or TextRank, with the domain dictionary)"


def add_arguments(parser) -> None:
    parser.add_argument("input", metavar="INPUT",
                        help="table (.csv .tsv .xlsx .jsonl .parquet) or a folder of .txt articles")
    parser.add_argument("--by", metavar="COL", action="append",
                        help="group by this column (repeatable); `week` or `month` group a date "
                             "column, `topics` groups by seeded topic. Without --by: per text")
    parser.add_argument("--text-col", metavar="COL",
                        help="column with the text (found automatically when obvious)")
    parser.add_argument("--method", choices=["tfidf", "textrank"], default="tfidf",
                        help="ranking (default: tfidf)")
    parser.add_argument("--top-k", type=int, default=10, metavar="N",
                        help="keywords per text or group (default 10)")
    parser.add_argument("--idf", choices=["general", "groups"], default="general",
                        help="TF-IDF weights from general Chinese (default) or across the groups")
    parser.add_argument("--user-dict", metavar="FILE", action="append",
                        help="extra jieba dictionary (`word freq tag`); repeatable")
    parser.add_argument("--stopwords", metavar="FILE", help="stop-word file replacing the bundled one")
    parser.add_argument("-o", "--output", metavar="OUTPUT", default="-",
                        help="output table (.csv .tsv .xlsx .jsonl .parquet); - for CSV on "
                             "stdout (default)")


def run(args, ctx) -> int:
    from ..errors import InputError
    from ..io import find_text_column, read_table, write_table
    from ..keywords import KeywordExtractor, group_keywords
    from ..segment import Segmenter

    if args.top_k < 1:
        raise InputError(f"--top-k value = {args.top_k} is invalid; it must be 1 or more")
    frame = read_table(args.input)
    text = find_text_column(list(frame.columns), args.text_col, path=args.input)
    segmenter = Segmenter(user_dict=args.user_dict, stopwords=args.stopwords)
    if args.by:
        try:
            out = group_keywords(frame, by=args.by, text=text, top_k=args.top_k,
                                 method=args.method, idf=args.idf, segmenter=segmenter)
        except InputError as exc:
            if exc.path is None:
                raise InputError(str(exc), path=args.input) from None
            raise
    else:
        kx = KeywordExtractor(method=args.method, top_k=args.top_k, segmenter=segmenter).fit()
        out = frame.copy()
        out["keywords"] = [" ".join(kx.extract(t)) if isinstance(t, str) else ""
                           for t in frame[text]]
    write_table(out, args.output, stdout=ctx.stdout)
    if not ctx.quiet and args.output != "-":
        what = f"{out.groupby(args.by).ngroups} groups" if args.by else f"{len(out)} texts"
        print(f"textmine: keywords of {what} → {args.output}", file=ctx.stderr)
    return 0
