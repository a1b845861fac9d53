"""Read the lexicons, dictionaries and models that ship inside the package."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def data_path(name: str):
    """Return a traversable for ``textmine/data/<name>``."""
    return resources.files("textmine.data").joinpath(name)


def _installed_or_source(package: str, folder: str):
    # Installed, `models/` and `corpora/` are the packages textmine.models and
    # textmine.corpora (setup.cfg maps them); in a source checkout run without
    # installing, they are the folders beside the package.
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / folder


def models_folder():
    """The folder (or package traversable) of the shipped models."""
    return _installed_or_source("textmine.models", "models")


def model_path(name: str):
    """Return a traversable for ``models/<name>`` (installed as ``textmine.models``)."""
    return models_folder().joinpath(name)


def corpus_path(name: str):
    """Return a traversable for ``corpora/<name>`` (installed as ``textmine.corpora``)."""
    return _installed_or_source("textmine.corpora", "corpora").joinpath(name)


def read_lines(source) -> Iterator[str]:
    """Yield stripped, non-blank lines that do not start with ``#``.

    ``source`` is a path or a package traversable.
    """
    text = Path(source).read_text(encoding="utf-8-sig") if isinstance(source, (str, Path)) \
        else source.read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def read_toml(source) -> dict:
    """Parse a TOML file given as a path or a package traversable."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            return tomllib.load(fh)
    return tomllib.loads(source.read_text(encoding="utf-8"))
