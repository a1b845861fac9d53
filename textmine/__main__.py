"""``python -m textmine``: the same as the ``textmine`` command."""

from textmine.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main())
