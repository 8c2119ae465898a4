#!/usr/bin/env python3
"""scikit-learn's logistic regression as a check on the default model's fit.

The default model is a multinomial logistic regression on character-bigram
TF-IDF, fitted by the project's own L-BFGS on sparse rows
(src/model/sparse_logistic.rs). This fits scikit-learn's LogisticRegression
(lbfgs, class_weight="balanced", C = 1 / alpha: the same loss) on the same
kind of features, with the folds of an `eval --predictions` file, and prints
the metrics of `eval` (benches/peers/common.py, which peers.py checks against
`eval`) for each alpha. No temperature: it does not change any label.

    policy-themes eval [--group region] --predictions oof.csv
    pip install -r benches/peers/requirements.txt
    python3 benches/experiments/char_logistic.py oof.csv
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
sys.path.insert(0, HERE)
import common  # noqa: E402
from char_ngrams import cross_predict, read_predictions  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    from sklearn.linear_model import LogisticRegression

    texts, gold, docs, folds = read_predictions(sys.argv[1])
    print("| alpha (C = 1/alpha) | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) |")
    print("|---|---|---|---|---|")
    for alpha in (0.03, 0.1, 0.3):
        pred = cross_predict(texts, gold, folds, (2,), lambda: LogisticRegression(
            C=1.0 / alpha, class_weight="balanced", max_iter=5000))
        m = common.report(docs, texts, gold, pred)
        print(f"| {alpha} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
              f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} |")


if __name__ == "__main__":
    main()
