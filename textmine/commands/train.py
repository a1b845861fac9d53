"""``textmine train``: train a sentiment model on a labelled table."""

from __future__ import annotations

NAME = "train"
HELP = "train a sentiment model on a labelled table and write it to a model directory"


def add_arguments(parser) -> None:
    parser.add_argument("data", metavar="DATA",
                        help="labelled table (.csv .tsv .xlsx .jsonl .parquet)")
    parser.add_argument("--text-col", metavar="COL", help="column with the text")
    parser.add_argument("--label-col", metavar="COL",
                        help="column with the labels: 1/0, pos/neg(/neu) or 正面/负面(/中性); "
                             "neutral rows teach what carries no opinion")
    parser.add_argument("-o", "--output", metavar="MODEL_DIR", required=True,
                        help="directory to write the model to (use it with --model)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the held-out split and the solver (default 0): the same "
                             "data and seed give the same weights")
    parser.add_argument("--test-size", type=float, default=0.2, metavar="FRACTION",
                        help="share of rows held out for the report before the final fit on all "
                             "rows (default 0.2; 0 skips the report)")
    parser.add_argument("--C", type=float, default=None, metavar="C",
                        help="inverse regularisation strength (default: the shipped model's)")
    parser.add_argument("--min-df", type=int, default=None, metavar="N",
                        help="keep keys seen in at least N texts (default: the shipped model's)")


def run(args, ctx) -> int:
    from ..errors import InputError
    from ..sentiment.data import read_labelled
    from ..sentiment.train import train_model

    if not 0 <= args.test_size < 1:
        raise InputError(f"--test-size {args.test_size} is invalid; it must be at least 0 "
                         "and below 1 (e.g. 0.2)")
    data = read_labelled(args.data, args.text_col, args.label_col)
    say = (lambda msg: None) if ctx.quiet else (lambda msg: print(msg, file=ctx.stderr))
    result = train_model(data, args.output, seed=args.seed, test_size=args.test_size,
                         C=args.C, min_df=args.min_df, log=say)
    if result.heldout is not None:
        print(f"held-out report ({result.n_heldout} texts, trained on {result.n_fit}):",
              file=ctx.stdout)
        print(result.heldout.format(), file=ctx.stdout)
    print(f"model written to {args.output} ({result.n_train} texts); use it with "
          f"--model {args.output}", file=ctx.stdout)
    return 0
