#!/usr/bin/env python3
"""Is one configuration's macro-F1 really higher than another's?

Compares two out-of-fold prediction files of the same labels and folds
(`policy-themes eval --predictions`), paired: a bootstrap resamples whole
documents (a document's paragraphs are not independent) and recomputes the
macro-F1 difference B - A on each resample (or, with `--metric share`, the
difference in mean per-document share error). Prints both values and the 95%
interval of the difference; an interval holding 0 means the labels cannot
tell the two apart. Standard library only.

    policy-themes eval --words --predictions a.csv              # words + char bigrams
    policy-themes eval --predictions b.csv                      # default
    python3 benches/experiments/paired.py a.csv b.csv [--resamples 1000]

Add `--group region` to both `eval` runs for the region-grouped comparison.
"""

import argparse
import csv
import os
import random
import sys

# The metric code of benches/peers, which peers.py checks against `eval`.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
import common  # noqa: E402


def load(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["doc_id"], r["gold"], r["predicted"], r["text"])
                for r in csv.DictReader(fh)]


def macro_f1(rows):
    """Mean F1 over the themes present in the gold labels, as `eval`."""
    doc_ids, gold, pred, texts = zip(*rows)
    return common.report(doc_ids, texts, gold, pred)["macro_f1"]


def share_error(rows):
    """One document's share error, as `eval` (percentage points)."""
    doc_ids, gold, pred, texts = zip(*rows)
    return common.report(doc_ids, texts, gold, pred)["share_mae_pp"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="predictions of configuration A")
    ap.add_argument("b", help="predictions of configuration B")
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--metric", choices=["macro-f1", "share"], default="macro-f1",
                    help="macro-F1, or the mean per-document share error (pp, as `eval`)")
    args = ap.parse_args()

    a, b = load(args.a), load(args.b)
    if [(d, g) for d, g, _, _ in a] != [(d, g) for d, g, _, _ in b]:
        sys.exit("error: the two files do not hold the same paragraphs in the same order")

    docs = sorted({r[0] for r in a})
    by_doc_a = {d: [r for r in a if r[0] == d] for d in docs}
    by_doc_b = {d: [r for r in b if r[0] == d] for d in docs}
    rng = random.Random(args.seed)
    if args.metric == "share":
        # A document's share error depends on its own paragraphs only: the
        # statistic is the mean over the drawn documents.
        err_a = {d: share_error(by_doc_a[d]) for d in docs}
        err_b = {d: share_error(by_doc_b[d]) for d in docs}

        def stat(sample, by_doc):
            errs = err_a if by_doc is by_doc_a else err_b
            return sum(errs[d] for d in sample) / len(sample)
        name, fmt = "share error (pp)", "{:.3f}"
    else:
        def stat(sample, by_doc):
            return macro_f1([r for d in sample for r in by_doc[d]])
        name, fmt = "macro-F1", "{:.4f}"
    diffs = []
    for _ in range(args.resamples):
        sample = [rng.choice(docs) for _ in docs]
        diffs.append(stat(sample, by_doc_b) - stat(sample, by_doc_a))
    diffs.sort()
    lo = diffs[int(0.025 * len(diffs))]
    hi = diffs[int(0.975 * len(diffs)) - 1]
    fa, fb = stat(docs, by_doc_a), stat(docs, by_doc_b)
    sign = fmt.replace("{:", "{:+")
    print(f"{name}  A {fmt.format(fa)}  B {fmt.format(fb)}  B - A {sign.format(fb - fa)}")
    print(f"95% interval of B - A, {args.resamples} resamples of the {len(docs)} documents: "
          f"[{sign.format(lo)}, {sign.format(hi)}]")


if __name__ == "__main__":
    main()
