"""``textmine link``: join scored comments to sales records, per group and period."""

from __future__ import annotations

NAME = "link"
HELP = "link scored comments to sales records: panel per product and period, effects, comparisons"

_SHOWN = 10  # unmatched names listed on stderr


def add_arguments(parser) -> None:
    parser.add_argument("--comments", required=True, metavar="SCORED",
                        help="comments scored by `textmine score` (.csv .tsv .xlsx .jsonl .parquet)")
    parser.add_argument("--sales", required=True, metavar="SALES",
                        help="sales records: a file, or a database URL such as sqlite:///sales.db")
    parser.add_argument("--sales-table", metavar="TABLE",
                        help="table (or SELECT query) to read when --sales is a database URL")
    parser.add_argument("--map", action="append", metavar="COLUMN=NAME", dest="mapping",
                        help="name a sales column, e.g. --map 销量=units (repeatable); names are "
                             "date, product, units, revenue, spec, channel, streamer, "
                             "streamer_tier, county, price")
    parser.add_argument("--aliases", metavar="CSV",
                        help="alias table with columns alias,product for other spellings")
    parser.add_argument("--freq", default="W", type=str.upper, choices=["D", "W", "M"],
                        help="period: D day, W week from Monday (default), M month")
    parser.add_argument("--by", default="product", metavar="FIELDS",
                        help="group by product (default), product,spec, streamer_tier, channel, "
                             "streamer or county (comma-separated)")
    parser.add_argument("--time-col", metavar="COL", help="the comments' time column")
    parser.add_argument("--product-col", metavar="COL", help="the comments' product column")
    parser.add_argument("-o", "--output", default="-", metavar="PANEL",
                        help="panel file (.csv .tsv .xlsx .jsonl .parquet); - for CSV on stdout "
                             "(default)")
    parser.add_argument("--unmatched", metavar="FILE",
                        help="write names that matched nothing on the other side here")
    parser.add_argument("--rejected", metavar="FILE",
                        help="write the input rows left out (with row number and reason) here")
    parser.add_argument("--effects", metavar="FILE",
                        help="write how each comment metric moves with sales at lags 0..--max-lag")
    parser.add_argument("--max-lag", type=int, default=4, metavar="N",
                        help="largest lag for --effects, in periods (default 4)")
    parser.add_argument("--compare", metavar="DIR",
                        help="write comparison tables (by_spec, by_streamer_tier, by_channel, "
                             "spikes, retention) as CSV files into DIR")


def run(args, ctx) -> int:
    from pathlib import Path

    from ..errors import InputError
    from ..io import write_table
    from ..sales import sales_effects
    from ..sales.compare import compare_linked
    from ..sales.panel import link_prepared, parse_by, parse_freq, prepare
    from ..sales.read import parse_mapping

    if args.max_lag < 0:
        raise InputError(f"--max-lag {args.max_lag} is invalid; it must be 0 or more")
    by = parse_by(args.by)
    freq = parse_freq(args.freq)
    linked = prepare(args.comments, args.sales, aliases=args.aliases, sales_table=args.sales_table,
                     mapping=parse_mapping(args.mapping), time_col=args.time_col,
                     product_col=args.product_col)
    panel, unmatched, rejected = link_prepared(linked, by, freq)
    write_table(panel, args.output, stdout=ctx.stdout)
    written = [] if args.output == "-" else [args.output]
    if args.unmatched:
        write_table(unmatched, args.unmatched)
        written.append(args.unmatched)
    if args.rejected:
        write_table(rejected, args.rejected)
        written.append(args.rejected)
    if args.effects:
        write_table(sales_effects(panel, max_lag=args.max_lag), args.effects)
        written.append(args.effects)
    if args.compare:
        result = compare_linked(linked)
        folder = Path(args.compare)
        for name in result._fields:
            path = folder / f"{name}.csv"
            write_table(getattr(result, name), path)
            written.append(str(path))
    if not ctx.quiet:
        _summary(ctx, panel, unmatched, rejected, by, freq, written, args)
    return 0


def _summary(ctx, panel, unmatched, rejected, by, freq, written, args) -> None:
    err = ctx.stderr
    groups = panel[by].drop_duplicates().shape[0] if len(panel) else 0
    print(f"linked {int(panel['n_comments'].sum())} comments and {panel['units'].sum():g} units "
          f"into {len(panel)} rows ({groups} groups by {','.join(by)}, periods {freq})", file=err)
    if len(rejected):
        sides = rejected["side"].value_counts()
        parts = ", ".join(f"{n} {side}" for side, n in sides.items())
        hint = "" if args.rejected else " (write them with --rejected FILE)"
        print(f"rejected rows: {parts}{hint}", file=err)
    if len(unmatched):
        print(f"unmatched names ({len(unmatched)}); add an alias (alias,product) to --aliases "
              "if one is another spelling of a product:", file=err)
        for row in unmatched.head(_SHOWN).itertuples():
            print(f"  {row.side:8} {row.field:13} {row.value}  ×{row.count}", file=err)
        if len(unmatched) > _SHOWN and not args.unmatched:
            print(f"  … and {len(unmatched) - _SHOWN} more (write them all with --unmatched FILE)",
                  file=err)
    for path in written:
        print(f"wrote {path}", file=err)
