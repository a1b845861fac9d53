"""``python -m textmine``: the same as the ``textmine`` command."""

import sys

from textmine.cli import main

if __name__ == "__main__":
    sys.exit(main())
