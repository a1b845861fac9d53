"""``textmine score``: add sentiment and topic columns to every row of a table."""

from __future__ import annotations

import os

from ._options import add_pipeline_arguments, pipeline_from_args, stdin_to_file

NAME = "score"
HELP = "score every row of a CSV/TSV/XLSX/JSONL/Parquet file or a folder of .txt articles"


def add_arguments(parser) -> None:
    parser.add_argument("input", metavar="INPUT", help="input file or folder; - for CSV on stdin")
    parser.add_argument("-o", "--output", metavar="OUTPUT", default="-",
                        help="output file (.csv .tsv .xlsx .jsonl .parquet); - for CSV on stdout "
                             "(default)")
    parser.add_argument("--chunk-size", type=int, default=5000, metavar="N",
                        help="rows read and written at a time (default 5000)")
    add_pipeline_arguments(parser)


def run(args, ctx) -> int:
    from ..batch import score_file

    source = args.input
    tmp = stdin_to_file(ctx) if source == "-" else None
    try:
        summary = score_file(tmp or source, args.output, pipeline=pipeline_from_args(args),
                             text_col=args.text_col, chunk_size=args.chunk_size,
                             progress=ctx.progress, stdout=ctx.stdout)
    finally:
        if tmp:
            os.unlink(tmp)
    if not ctx.quiet:
        summary.input = args.input
        print(summary.describe(), file=ctx.stderr)
    return 0
