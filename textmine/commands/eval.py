"""``textmine eval``: measure a sentiment backend on a labelled table."""

from __future__ import annotations

NAME = "eval"
HELP = ("measure sentiment on a labelled table: accuracy, macro-F1, ROC AUC, Brier, "
        "confusion matrix, chars/second")


def add_arguments(parser) -> None:
    parser.add_argument("data", metavar="DATA",
                        help="labelled table (.csv .tsv .xlsx .jsonl .parquet)")
    parser.add_argument("--text-col", metavar="COL", help="column with the text")
    parser.add_argument("--label-col", metavar="COL",
                        help="column with the labels: 1/0, -1/0/1, pos/neg/neu or 正面/负面/中性")
    parser.add_argument("--backend", choices=["builtin", "snownlp"], default="builtin",
                        help="sentiment backend (default: builtin)")
    parser.add_argument("--model", metavar="DIR", help="a model directory from `textmine train`")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")


def run(args, ctx) -> int:
    import json

    from ..errors import InputError
    from ..sentiment import load_backend
    from ..sentiment.data import read_labelled
    from ..sentiment.evaluation import evaluate

    data = read_labelled(args.data, args.text_col, args.label_col)
    if not data.texts:
        raise InputError("no labelled texts to evaluate (every text is empty)", path=args.data)
    try:
        backend = load_backend(args.backend, model=args.model)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    report = evaluate(backend, data.texts, data.labels)
    if args.json:
        out = report.to_dict()
        out.update(backend=args.backend, model=args.model, data=args.data)
        print(json.dumps(out, ensure_ascii=False, indent=1), file=ctx.stdout)
    else:
        model = f" ({args.model})" if args.model else ""
        print(f"{args.data}: backend {args.backend}{model}", file=ctx.stdout)
        print(report.format(), file=ctx.stdout)
    if data.dropped_empty and not ctx.quiet:
        print(f"textmine: {data.dropped_empty} rows with an empty text were skipped",
              file=ctx.stderr)
    return 0
