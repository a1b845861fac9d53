"""Options shared by the commands that analyse text."""

from __future__ import annotations


def add_pipeline_arguments(parser) -> None:
    """Add the options that configure a :class:`textmine.Pipeline`."""
    g = parser.add_argument_group("analysis")
    g.add_argument("--text-col", metavar="COL",
                   help="column with the text (found automatically when obvious)")
    g.add_argument("--backend", choices=["builtin", "snownlp"], default="builtin",
                   help="sentiment backend (default: builtin)")
    g.add_argument("--model", metavar="DIR", help="a model directory from `textmine train`")
    g.add_argument("--topics", metavar="TOML", help="extra topic lexicon (merged with the defaults)")
    g.add_argument("--topics-only", action="store_true",
                   help="use only the --topics lexicon, not the seven defaults")
    g.add_argument("--user-dict", metavar="FILE", action="append",
                   help="extra jieba dictionary (`word freq tag`); repeatable")
    g.add_argument("--stopwords", metavar="FILE", help="stop-word file replacing the bundled one")
    g.add_argument("--tokens", action="store_true", help="add a `tokens` column")


def pipeline_from_args(args):
    """Build the :class:`textmine.Pipeline` the options describe."""
    from ..pipeline import Pipeline

    return Pipeline(backend=args.backend, model=args.model, topics=args.topics,
                    merge_topics=not args.topics_only, user_dict=args.user_dict,
                    stopwords=args.stopwords, tokens=args.tokens)


def stdin_to_file(ctx, suffix: str = ".csv"):
    """Copy standard input to a temporary file the readers can seek in."""
    import tempfile

    tmp = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8")
    with tmp:
        for line in ctx.stdin:
            tmp.write(line)
    return tmp.name
