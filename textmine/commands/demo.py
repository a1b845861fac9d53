"""``textmine demo``: run the whole pipeline on the bundled demo corpora."""

from __future__ import annotations

NAME = "demo"
HELP = "run the whole pipeline on the bundled demo data and write every output to a folder"


def add_arguments(parser) -> None:
    parser.add_argument("-o", "--output", metavar="DIR", default="textmine-demo",
                        help="folder for the outputs (default ./textmine-demo)")
    parser.add_argument("--backend", choices=["builtin", "snownlp"], default="builtin",
                        help="sentiment backend (default: builtin)")


def run(args, ctx) -> int:
    from ..demo import run_demo

    def say(message: str) -> None:
        if not ctx.quiet:
            print(message, file=ctx.stderr)

    outputs = run_demo(args.output, backend=args.backend, progress=ctx.progress, say=say)
    print(f"textmine demo: wrote {len(outputs)} files to {outputs[0].parent.resolve()}",
          file=ctx.stdout)
    for path in outputs:
        print(f"  {path.name}", file=ctx.stdout)
    return 0
