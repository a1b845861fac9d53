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
                        help="rows read, scored and written at a time (default 5000)")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="worker processes (default: all cores)")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted run from its last completed chunk")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="local processes (default) or a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)")
    add_pipeline_arguments(parser)


def run(args, ctx) -> int:
    from ..errors import InputError
    from ..workers import default_jobs, start_early

    if args.chunk_size < 1:
        raise InputError(f"--chunk-size must be at least 1, not {args.chunk_size}")
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    if args.engine == "local" and _may_need_workers(args.input):
        # the workers' server imports pandas and the pipeline on the idle
        # core while this process does the same
        start_early(jobs)
    from ..batch import score_file

    pipeline = pipeline_from_args(args)
    if args.engine == "dask":
        from ..distributed import score_file_dask

        summary = score_file_dask(args.input, args.output, pipeline=pipeline,
                                  text_col=args.text_col, scheduler=args.scheduler,
                                  workers=jobs, chunk_size=args.chunk_size)
    else:
        source = args.input
        tmp = stdin_to_file(ctx) if source == "-" else None
        try:
            summary = score_file(tmp or source, args.output, pipeline=pipeline,
                                 text_col=args.text_col, chunk_size=args.chunk_size, jobs=jobs,
                                 resume=args.resume, progress=ctx.progress, stdout=ctx.stdout)
        finally:
            if tmp:
                os.unlink(tmp)
        summary.input = args.input
    if not ctx.quiet:
        print(summary.describe(), file=ctx.stderr)
    return 0


def _may_need_workers(source: str) -> bool:
    # Workers score only inputs of two chunks or more; a file under 256 kB
    # (about 5,000 short comments) is scored here.
    try:
        return os.path.isfile(source) and os.path.getsize(source) >= 256 * 1024
    except OSError:
        return False
