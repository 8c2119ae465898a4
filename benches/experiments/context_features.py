#!/usr/bin/env python3
"""Do a paragraph's neighbours help the logistic regression? (Not adopted.)

Adds the TF-IDF vector of the previous paragraph (and of the next one, or of
the whole document) of the same document, scaled by w, beside the
paragraph's own character-bigram features, and fits scikit-learn's
LogisticRegression (lbfgs, class_weight="balanced", C = 1/0.03, the default
model's loss) on the folds of an `eval --predictions` file. Prints the
metrics of `eval` (benches/peers/common.py) per setting; "none" is the
paragraph alone, the stand-in for the default model.

    policy-themes eval [--group region] --predictions oof.csv
    pip install -r benches/peers/requirements.txt
    python3 benches/experiments/context_features.py oof.csv
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
sys.path.insert(0, HERE)
import common  # noqa: E402
from char_ngrams import analyzer, read_predictions  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, gold, docs, folds = read_predictions(sys.argv[1])
    n = len(texts)
    prev = [texts[i - 1] if i > 0 and docs[i - 1] == docs[i] else "" for i in range(n)]
    nxt = [texts[i + 1] if i + 1 < n and docs[i + 1] == docs[i] else "" for i in range(n)]
    by_doc = {}
    for t, d in zip(texts, docs):
        by_doc.setdefault(d, []).append(t)
    whole = ["".join(by_doc[d]) for d in docs]
    context = {"prev": [prev], "prev+next": [prev, nxt], "doc": [whole]}

    print("| context | w | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) |")
    print("|---|---|---|---|---|---|")
    for mode, w in [("none", 0.0)] + [(m, w) for m in context for w in (0.3, 0.6)]:
        pred = [None] * n
        for f in sorted(set(folds)):
            train = [i for i in range(n) if folds[i] != f]
            test = [i for i in range(n) if folds[i] == f]
            vec = TfidfVectorizer(analyzer=analyzer((2,)), sublinear_tf=True, min_df=2)
            vec.fit([texts[i] for i in train])

            def features(idx):
                own = vec.transform([texts[i] for i in idx])
                extra = [w * vec.transform([c[i] for i in idx]) for c in context.get(mode, [])]
                return sp.hstack([own] + extra).tocsr()

            clf = LogisticRegression(C=1 / 0.03, class_weight="balanced", max_iter=5000)
            clf.fit(features(train), [gold[i] for i in train])
            for i, p in zip(test, clf.predict(features(test))):
                pred[i] = p
        m = common.report(docs, texts, gold, pred)
        print(f"| {mode} | {w} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
              f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} |")


if __name__ == "__main__":
    main()
