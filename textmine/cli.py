"""The ``textmine`` command line: one subcommand per job.

Each subcommand lives in ``textmine/commands/<name>.py`` and defines ``NAME``,
``HELP``, ``add_arguments(parser)`` and ``run(args, ctx) -> int``. This module
only builds the parser, decides what the user sees, and turns exceptions into
exit codes; heavy imports happen inside the commands, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from dataclasses import dataclass
from enum import IntEnum
from typing import TextIO

from . import __version__
from .errors import InputError, ModelError

COMMAND_MODULES = [
    "textmine.commands.score",
    "textmine.commands.demo",
    "textmine.commands.link",
    "textmine.commands.report",
    "textmine.commands.keywords",
    "textmine.commands.topics",
    "textmine.commands.eval_topics",
    "textmine.commands.train",
    "textmine.commands.eval",
]


class ExitStatus(IntEnum):
    """Exit codes of the ``textmine`` command."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


@dataclass
class Context:
    """What a command may touch besides its arguments: the three streams."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    quiet: bool = False
    debug: bool = False

    @property
    def progress(self) -> bool:
        """Show progress bars only to a person watching a terminal."""
        return not self.quiet and hasattr(self.stderr, "isatty") and self.stderr.isatty()


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits with 2 as well; keep its message
        self.print_usage(sys.stderr)
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="textmine",
        description="Chinese text mining and sentiment for county social e-commerce.",
    )
    parser.add_argument("--version", action="version", version=f"textmine {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    common.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP,
                           parents=[common])
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv=None, *, stdin=None, stdout=None, stderr=None) -> int:
    """Run the CLI and return its exit code (streams can be swapped for tests)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as exc:
        print(str(exc), file=stderr)
        return ExitStatus.USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    ctx = Context(stdin, stdout, stderr, quiet=args.quiet, debug=args.debug)
    _configure_logging(ctx)
    try:
        return int(args._run(args, ctx) or 0)
    except KeyboardInterrupt:
        print("textmine: interrupted", file=stderr)
        return ExitStatus.INTERRUPTED
    except (InputError, ModelError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if ctx.debug:
            raise
        print(f"textmine: error: {exc}", file=stderr)
        return ExitStatus.USAGE
    except BrokenPipeError:
        return ExitStatus.SUCCESS
    except Exception as exc:  # the one place that turns a crash into a message
        if ctx.debug:
            raise
        print(f"textmine: unexpected error: {type(exc).__name__}: {exc}\n"
              "Run again with --debug for the traceback.", file=stderr)
        return ExitStatus.ERROR


def _configure_logging(ctx: Context) -> None:
    # The application, not the library, decides what reaches the user.
    level = logging.DEBUG if ctx.debug else logging.WARNING
    root = logging.getLogger("textmine")
    if not any(getattr(h, "_textmine_cli", False) for h in root.handlers):
        handler = logging.StreamHandler(ctx.stderr)
        handler.setFormatter(logging.Formatter("textmine: %(levelname)s: %(message)s"))
        handler.addFilter(_Once())
        handler._textmine_cli = True
        root.addHandler(handler)
    root.setLevel(level)
    # jieba announces every dictionary load on stderr and resets its logger's
    # level when first imported; a filter survives that. Only --debug shows it.
    jieba_log = logging.getLogger("jieba")
    if not ctx.debug and not any(isinstance(f, _QuietBelowWarning) for f in jieba_log.filters):
        jieba_log.addFilter(_QuietBelowWarning())


class _Once(logging.Filter):
    """Show each distinct warning once per run, however many steps repeat it."""

    def __init__(self):
        super().__init__()
        self.seen: set = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.getMessage())
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


class _QuietBelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def run() -> None:  # pragma: no cover - console entry point
    exit_now(main())


def exit_now(code: int) -> None:
    """End the process with ``code`` once its output is flushed, skipping the
    interpreter's teardown.

    Tearing down frees the dictionary and the caches object by object: about
    0.5 s after a large run, spent on nothing. When another thread or a child
    process (a Dask cluster) is still alive, or a tracer or profiler (coverage,
    cProfile) is attached, the normal exit runs instead, so that they finish
    properly.
    """
    import threading

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # closed or broken pipes: nothing left to say
        pass
    logging.shutdown()
    mp = sys.modules.get("multiprocessing")
    children = mp.active_children() if mp is not None else []
    watched = sys.gettrace() is not None or sys.getprofile() is not None
    if threading.active_count() > 1 or children or watched:
        sys.exit(code)
    os._exit(code)
