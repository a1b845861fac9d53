"""What batches of hand-written training text do for comments of the same domain.

    python benchmarks/added_data.py                       # the batches of written_reviews.csv
    python benchmarks/added_data.py --domains livestream --batches 6179 9179   # all at once

``corpora/sentiment/written_reviews.csv`` grows by appending batches. Rows
before the first of ``--batches`` are the *earlier* texts. For each domain,
its earlier texts are the test set, and the shipped recipe (without its
calibration) is fitted on everything else except the batches not yet added:
first with none of them, then adding one batch at a time. A model never sees the test texts, so the
accuracy says how far the added text carries to other comments of the domain.
Needs ``../shared``; about 1 minute per fit on two cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: File rows (after the header) that end the earlier texts and then each batch
#: appended since: 600 social posts, 900 livestream comments with an implicit
#: attitude, 900 livestream comments beyond food, 600 texts that turn on a negation.
BATCHES = (6179, 6779, 7679, 8579, 9179)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domains", nargs="+", default=["livestream", "delivery", "hotel"])
    ap.add_argument("--batches", nargs="+", type=int, default=list(BATCHES),
                    help="file rows that end the earlier texts, then each batch")
    args = ap.parse_args(argv)

    import numpy as np
    import pandas as pd

    from textmine.segment import Segmenter
    from textmine.sentiment.data import WRITTEN_CORPUS, training_corpora
    from textmine.sentiment.features import analyse
    from textmine.sentiment.model import SentimentModel
    from textmine.sentiment.train import RECIPE, recipe_inputs

    frame, _ = training_corpora(ROOT)
    written = pd.read_csv(ROOT / WRITTEN_CORPUS, dtype=str, keep_default_na=False)
    row_of = {}
    for i, text in enumerate(written["text"]):
        row_of.setdefault(text, i)
    is_written = (frame["source"] == "written").to_numpy()
    row = np.array([row_of.get(t, -1) if w else -1 for t, w in zip(frame["text"], is_written)])
    domain = frame["domain"].to_numpy()
    labels, weight = recipe_inputs(frame)

    start = time.perf_counter()
    seg = Segmenter()
    docs = [analyse(t, seg) for t in frame["text"]]
    print(f"{len(docs)} texts analysed in {time.perf_counter() - start:.0f} s\n")

    bounds = sorted(args.batches)
    first = bounds[0]
    # Column k: trained with the written rows before bounds[k] (the earlier
    # texts of the domain under test always left out); column 0 adds no batch.
    print("accuracy on each domain's earlier texts, trained with written rows before:")
    print(f"{'domain':12} {'texts':>6}  " + "  ".join(f"{b:>7}" for b in bounds))
    for d in args.domains:
        test = (domain == d) & (row >= 0) & (row < first)
        te = np.flatnonzero(test)
        truth = labels[te] == "pos"
        cells = []
        for upto in bounds:
            tr = np.flatnonzero(~test & (row < upto))  # row is -1 for other corpora
            model = SentimentModel(**dict(RECIPE, calibration_folds=0)).fit(
                [docs[i] for i in tr], labels[tr], sample_weight=weight[tr])
            prob = np.array([model.score_document(docs[i].text, docs[i].clauses,
                                                  docs[i].tokens).prob for i in te])
            cells.append(f"{((prob > 0.5) == truth).mean():.4f}")
        print(f"{d:12} {len(te):>6}  " + "  ".join(f"{c:>7}" for c in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
