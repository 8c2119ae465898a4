#!/usr/bin/env python3
"""Would smoothing each theme by its size help? A scikit-learn stand-in.

Multinomial naive Bayes smooths every theme's term counts with the same
alpha. A small theme (`investment`, 67 paragraphs) then has many terms it
never saw, each costing it the same as it costs `industry` (214 paragraphs).
This fits the default model's features (TF-IDF over CJK character bigrams,
sublinear tf, min_df 2; uniform class priors; no temperature, no document
prior) with a per-theme alpha = 0.03 × (theme's total count / mean total)^gamma
on the folds `policy-themes eval` uses, and prints accuracy, macro-F1 and the
share error with the peers' metric code. gamma 0 is the plain model. Compare
rows with each other, not with `eval`. With --predictions DIR it writes one
out-of-fold prediction file per setting for `paired.py`.

    pip install -r benches/peers/requirements.txt
    python3 benches/experiments/class_alpha.py [--group region] [--predictions DIR]
"""

import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
sys.path.insert(0, HERE)
import common  # noqa: E402
from char_ngrams import analyzer  # noqa: E402

GAMMAS = (0.0, 0.25, 0.5, 1.0)


def regions(root):
    """doc_id -> region, from `policy-themes segment` (as peers.py does)."""
    exe = os.path.join(root, "target", "release", "policy-themes")
    out = subprocess.run([exe, "segment", "-q", os.path.join(root, "corpus")],
                         check=True, capture_output=True, text=True).stdout
    return {r["doc_id"]: r["region"] for r in csv.DictReader(out.splitlines())}


def main():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    ap = argparse.ArgumentParser()
    ap.add_argument("--group", choices=["doc", "region"], default="doc")
    ap.add_argument("--predictions")
    args = ap.parse_args()
    root = os.path.join(HERE, "..", "..")
    rows = common.read_labels(os.path.join(root, "labels"))
    texts = [r["text"] for r in rows]
    gold = [r["theme"] for r in rows]
    docs = [r["doc_id"] for r in rows]
    themes = sorted(set(gold))
    y = np.array([themes.index(g) for g in gold])
    keys = docs if args.group == "doc" else [regions(root)[d] for d in docs]
    folds, k = common.assign_folds(keys, 5)
    folds = np.array(folds)
    print(f"grouped by {args.group}")
    print("| gamma | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) |")
    print("|---|---|---|---|---|")
    for gamma in GAMMAS:
        pred = [None] * len(rows)
        for f in range(k):
            train, test = np.where(folds != f)[0], np.where(folds == f)[0]
            vec = TfidfVectorizer(analyzer=analyzer((2,)), sublinear_tf=True, min_df=2)
            x = vec.fit_transform([texts[i] for i in train])
            counts = np.vstack([np.asarray(x[y[train] == c].sum(0)).ravel()
                                for c in range(len(themes))])
            totals = counts.sum(1)
            alpha = 0.03 * (totals / totals.mean()) ** gamma
            log_p = np.log(counts + alpha[:, None]) - np.log(totals + alpha * x.shape[1])[:, None]
            scores = vec.transform([texts[i] for i in test]) @ log_p.T
            for i, p in zip(test, np.asarray(scores).argmax(1)):
                pred[i] = themes[p]
        m = common.report(docs, texts, gold, pred)
        print(f"| {gamma} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
              f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} |")
        if args.predictions:
            path = os.path.join(args.predictions, f"{args.group}_gamma{gamma}.csv")
            with open(path, "w", newline="", encoding="utf-8") as fh:
                out = csv.writer(fh, lineterminator="\n")
                out.writerow(["doc_id", "gold", "predicted", "text"])
                out.writerows(zip(docs, gold, pred, texts))


if __name__ == "__main__":
    main()
