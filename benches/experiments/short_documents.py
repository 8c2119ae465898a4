#!/usr/bin/env python3
"""What stands between the model and "share error <= 3 pp for every document"?

Every report is within 2 pp; only short articles miss. This measures why, on
an `eval --predictions` file (its texts, gold labels, doc ids, groups and the
default model's out-of-fold labels and probabilities):

1. What one misread paragraph costs each short document, in pp of share
   error: a paragraph of w characters in a document of W moves two shares by
   w/W, so the error grows by 200·w/W/13 pp.
2. Shares from the probabilities (each paragraph counts with its whole
   probability row) against shares from the labels, from the file itself.
3. Is the miss fold luck? Cross-validation repeated on random fold
   assignments of the file's groups (documents, or regions with
   `--group region`), with the scikit-learn stand-in of the default model
   (char_logistic.py: balanced logistic regression, alpha 0.03, on
   character-bigram TF-IDF; no temperature, which changes no label): how
   often each document is over 3 pp, and how often every document is within.
4. Weighting each training paragraph by 1/(its document's paragraphs)^beta,
   so that short documents count as much as long ones, on the file's folds.

    policy-themes eval [--group region] --predictions oof.csv
    pip install -r benches/peers/requirements.txt
    python3 benches/experiments/short_documents.py oof.csv [REPEATS]
"""

import collections
import csv
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
sys.path.insert(0, HERE)
import common  # noqa: E402
from char_ngrams import cross_predict  # noqa: E402

ALPHA = 0.03
TARGET_PP = 3.0
SHORT = 20  # documents with fewer paragraphs than this are "short" in part 1


def stand_in(balanced=True):
    """The stand-in of the default model (char_logistic.py); class weights
    left to the caller when not `balanced`."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0 / ALPHA, max_iter=5000,
                              class_weight="balanced" if balanced else None)


def document_weights(gold, per_row):
    """Sample weights for cross_predict: balanced class weights times
    `per_row[i]`, scaled to average 1 over the training rows."""
    import numpy as np
    from sklearn.utils.class_weight import compute_sample_weight

    def weights(train):
        w = compute_sample_weight("balanced", [gold[i] for i in train])
        w = w * np.array([per_row[i] for i in train])
        return w * (len(train) / w.sum())
    return weights


def random_folds(groups, k, seed):
    """The greedy balanced assignment of `eval`, over the groups in random order."""
    order = sorted(set(groups))
    random.Random(seed).shuffle(order)
    return common.assign_folds(groups, k, order)[0]


def errors(docs, texts, gold, pred):
    return common.document_share_errors(
        docs, texts, [common.one_hot(g) for g in gold], [common.one_hot(p) for p in pred])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    repeats = int(sys.argv[2]) if len(sys.argv) == 3 else 20
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [r["text"] for r in rows]
    gold = [r["gold"] for r in rows]
    docs = [r["doc_id"] for r in rows]
    groups = [r["group"] for r in rows]
    folds = [int(r["fold"]) for r in rows]
    pred = [r["predicted"] for r in rows]
    probs = [[float(r["p_" + t]) for t in common.THEMES] for r in rows]
    k = len(set(folds))

    print("## 1. Cost of one misread paragraph (documents under %d paragraphs)\n" % SHORT)
    print("| document | paragraphs | cheapest (pp) | mean (pp) | dearest (pp) |")
    print("|---|---|---|---|---|")
    lengths = collections.defaultdict(list)
    for d, t in zip(docs, texts):
        lengths[d].append(len(t))
    for d in sorted(lengths, key=lambda d: (len(lengths[d]), d)):
        v = lengths[d]
        if len(v) >= SHORT:
            continue
        cost = [200.0 * n / sum(v) / 13.0 for n in v]
        print(f"| {d} | {len(v)} | {min(cost):.2f} | {sum(cost) / len(cost):.2f} | {max(cost):.2f} |")

    print("\n## 2. Shares from labels and from probabilities (this file's predictions)\n")
    print("| shares from | mean (pp) | worst (pp) | documents over %g pp |" % TARGET_PP)
    print("|---|---|---|---|")
    for name, e in (("labels", errors(docs, texts, gold, pred)),
                    ("probabilities", common.document_share_errors(
                        docs, texts, [common.one_hot(g) for g in gold], probs))):
        over = sum(1 for x in e.values() if x > TARGET_PP)
        print(f"| {name} | {sum(e.values()) / len(e):.2f} | {max(e.values()):.2f} | {over} |")

    print(f"\n## 3. {repeats} random fold assignments of the groups (stand-in model)\n")
    per_doc = collections.defaultdict(list)
    all_within = 0
    f1s = []
    for seed in range(repeats):
        p = cross_predict(texts, gold, random_folds(groups, k, seed), (2,), stand_in)
        f1s.append(common.report(docs, texts, gold, p)["macro_f1"])
        e = errors(docs, texts, gold, p)
        for d, x in e.items():
            per_doc[d].append(x)
        all_within += max(e.values()) <= TARGET_PP
    print(f"macro-F1 {min(f1s):.3f}–{max(f1s):.3f}; every document within {TARGET_PP:g} pp "
          f"in {all_within} of {repeats} assignments\n")
    print("| document | paragraphs | mean (pp) | lowest | highest | assignments over %g pp |" % TARGET_PP)
    print("|---|---|---|---|---|---|")
    ranked = sorted(per_doc, key=lambda d: -sum(per_doc[d]) / repeats)
    for d in ranked[:6]:
        v = per_doc[d]
        over = sum(1 for x in v if x > TARGET_PP)
        print(f"| {d} | {len(lengths[d])} | {sum(v) / len(v):.2f} | {min(v):.2f} | "
              f"{max(v):.2f} | {over} |")
    long_docs = [d for d in per_doc if len(lengths[d]) >= SHORT]
    print(f"\nthe {len(long_docs)} documents of {SHORT}+ paragraphs: highest in any assignment "
          f"{max(max(per_doc[d]) for d in long_docs):.2f} pp")

    print("\n## 4. Training weight 1/(document paragraphs)^beta (this file's folds)\n")
    print("| beta | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) |")
    print("|---|---|---|---|---|")
    for beta in (0.0, 0.5, 1.0):
        w = document_weights(gold, [len(lengths[d]) ** -beta for d in docs])
        p = cross_predict(texts, gold, folds, (2,), lambda: stand_in(balanced=False), w)
        m = common.report(docs, texts, gold, p)
        print(f"| {beta} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
              f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} |")


if __name__ == "__main__":
    main()
