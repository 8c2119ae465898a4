#!/usr/bin/env python3
"""Would character trigrams help? A scikit-learn stand-in for the default model.

The default model reads character bigrams of CJK runs (`#乡村`). This fits
the same kind of model in scikit-learn (TF-IDF with sublinear tf and
min_df 2 over CJK-run n-grams, MultinomialNB with uniform priors; no
temperature, no document prior) with bigrams, bigrams + trigrams and
trigrams alone, on the folds `policy-themes eval` uses (grouped by
document), and prints accuracy, macro-F1 and the share error with the
peers' metric code. Compare rows with each other, not with `eval`.

    pip install -r benches/peers/requirements.txt
    python3 benches/experiments/char_ngrams.py
"""

import csv
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
import common  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]+")


def analyzer(sizes):
    """n-grams of each run of CJK ideographs (another character breaks a run), as `#…`."""
    def grams(text):
        out = []
        for run in CJK.findall(text):
            for n in sizes:
                out.extend("#" + run[i:i + n] for i in range(len(run) - n + 1))
        return out
    return grams


def read_predictions(path):
    """Texts, gold themes, doc ids and folds of an `eval --predictions` file."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return ([r["text"] for r in rows], [r["gold"] for r in rows],
            [r["doc_id"] for r in rows], [int(r["fold"]) for r in rows])


def cross_predict(texts, gold, folds, sizes, make_clf, fit_weights=None):
    """Out-of-fold predictions: per fold, TF-IDF of the n-grams `sizes` fitted
    on the training rows (sublinear tf, min_df 2) and `make_clf()` fitted on it,
    with `fit_weights(train rows)` as sample weights when given."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    pred = [None] * len(texts)
    for f in sorted(set(folds)):
        train = [i for i in range(len(texts)) if folds[i] != f]
        test = [i for i in range(len(texts)) if folds[i] == f]
        vec = TfidfVectorizer(analyzer=analyzer(sizes), sublinear_tf=True, min_df=2)
        x = vec.fit_transform([texts[i] for i in train])
        weights = fit_weights(train) if fit_weights else None
        clf = make_clf().fit(x, [gold[i] for i in train], sample_weight=weights)
        for i, p in zip(test, clf.predict(vec.transform([texts[i] for i in test]))):
            pred[i] = p
    return pred


def main():
    from sklearn.naive_bayes import MultinomialNB

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    rows = common.read_labels(os.path.join(root, "labels"))
    texts = [r["text"] for r in rows]
    gold = [r["theme"] for r in rows]
    docs = [r["doc_id"] for r in rows]
    folds, _ = common.assign_folds(docs, 5)
    print("| n-grams | alpha | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) |")
    print("|---|---|---|---|---|---|")
    for sizes in [(2,), (2, 3), (3,)]:
        for alpha in (0.01, 0.03, 0.1):
            pred = cross_predict(texts, gold, folds, sizes,
                                 lambda: MultinomialNB(alpha=alpha, fit_prior=False))
            m = common.report(docs, texts, gold, pred)
            print(f"| {'+'.join(map(str, sizes))} | {alpha} | {m['accuracy']:.3f} | "
                  f"{m['macro_f1']:.3f} | {m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} |")


if __name__ == "__main__":
    main()
