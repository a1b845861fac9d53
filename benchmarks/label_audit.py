"""How many of the built-in model's errors on the shared corpus are errors of the labels.

`label_audit.csv` holds 120 texts drawn at random (seed 1) from the 2,632 shop reviews that
`python benchmarks/sentiment.py --in-domain` scores on the wrong side of 0.5, each read by hand
and judged:

- ``label_wrong``: the text plainly says the opposite of its label (质量好，穿上很舒服 labelled 0);
- ``unclear``: no opinion, or both sides with no verdict (还没有安装，安装后再评论);
- ``model_wrong``: the label is right and the model misread the text.

The file keeps the row number in ``../shared/corpora/sentiment/online_shopping_train.csv``
(1 = the first row after the header), not the text. This script checks every row against that
file, prints the shares and a few texts of each kind.

    python benchmarks/label_audit.py [--show N]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUDIT = HERE / "label_audit.csv"
SHARED = HERE.parent.parent / "shared" / "corpora" / "sentiment" / "online_shopping_train.csv"
VERDICTS = ("label_wrong", "unclear", "model_wrong")


def load(audit: Path = AUDIT, shared: Path = SHARED) -> list[dict]:
    """The judged rows, each with its text from the shared corpus; raises if the two disagree."""
    with open(shared, newline="", encoding="utf-8") as f:
        corpus = list(csv.DictReader(f))
    rows = []
    with open(audit, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), 2):
            source = corpus[int(row["row"]) - 1]
            if (source["cat"], source["label"]) != (row["cat"], row["label"]):
                raise SystemExit(f"{audit}, line {line}: row {row['row']} of {shared} is "
                                 f"{source['cat']}/{source['label']}, the audit says "
                                 f"{row['cat']}/{row['label']}")
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"{audit}, line {line}, column verdict: {row['verdict']!r} "
                                 f"is not one of {', '.join(VERDICTS)}")
            rows.append(dict(row, text=source["review"]))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=5, metavar="N",
                        help="texts to print of each kind (default 5)")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"{SHARED} is missing: this audit reads the shared corpus beside the project.",
              file=sys.stderr)
        return 2
    rows = load()
    counts = Counter(r["verdict"] for r in rows)
    print(f"{len(rows)} misclassified shop reviews judged by hand\n")
    for verdict in VERDICTS:
        print(f"{verdict:12s} {counts[verdict]:4d}  {counts[verdict] / len(rows):.1%}")
    for verdict in VERDICTS:
        print(f"\n{verdict}:")
        for r in [r for r in rows if r["verdict"] == verdict][:args.show]:
            print(f"  label {r['label']}  p={float(r['prob']):.2f}  {r['text'][:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
