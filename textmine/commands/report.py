"""``textmine report``: a Chinese report for officials, as HTML, Excel or Markdown."""

from __future__ import annotations

NAME = "report"
HELP = "write a Chinese report (HTML, Excel, Markdown) from scored comments and sales records"


def add_arguments(parser) -> None:
    parser.add_argument("--comments", metavar="SCORED", required=True,
                        help="scored comments (what `textmine score` writes): "
                             ".csv .tsv .xlsx .jsonl .parquet")
    parser.add_argument("--sales", metavar="SALES",
                        help="sales records with date, product, units, revenue "
                             "(and spec, channel, streamer, streamer_tier)")
    parser.add_argument("--aliases", metavar="FILE",
                        help="product aliases: a table with columns alias,product")
    parser.add_argument("--freq", default="W", choices=["D", "W", "M"],
                        help="period of trends and of the sales panel: day, week, month "
                             "(default W)")
    parser.add_argument("--title", help="report title (default 县域农产品直播舆情与销售分析)")
    parser.add_argument("--max-lag", type=int, default=4, metavar="K",
                        help="longest lag, in periods, between comments and sales (default 4)")
    parser.add_argument("--min-comments", type=int, default=5, metavar="N",
                        help="fewest comments in a period for an alert (default 5)")
    parser.add_argument("-o", "--output", metavar="OUTPUT", action="append", required=True,
                        help="report file: .html, .xlsx or .md (repeat for several)")


def run(args, ctx) -> int:
    from ..errors import InputError
    from ..io import read_table
    from ..report import DEFAULT_TITLE, build_report

    if args.max_lag < 0:
        raise InputError(f"--max-lag value = {args.max_lag} is invalid; it must be >= 0.")
    if args.min_comments < 1:
        raise InputError(f"--min-comments value = {args.min_comments} is invalid; "
                         "it must be >= 1.")
    comments = read_table(args.comments)
    report = build_report(comments, args.sales, freq=args.freq,
                          title=args.title or DEFAULT_TITLE, output=args.output,
                          aliases=args.aliases, max_lag=args.max_lag,
                          min_comments=args.min_comments)
    if not ctx.quiet:
        for line in report.summary:
            print(f"  · {line}", file=ctx.stderr)
    for path in args.output:
        print(path, file=ctx.stdout)
    return 0
