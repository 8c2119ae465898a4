#!/usr/bin/env python3
"""The Python labelling pipeline, for the speed comparison with policy-themes.

Trains jieba + TfidfVectorizer + MultinomialNB(alpha=0.1) on the gold labels
(timed separately, reported on stderr, not counted), then times labelling a
paragraph CSV end to end in one process: read the CSV, jieba-tokenize,
vectorize, predict_proba, write ``doc_id,para_id,theme,confidence``.
Prints one JSON line on stdout:

    {"paragraphs": N, "chars": C, "seconds": S, "chars_per_second": C/S}

``--features char-bigrams`` is the like-for-like pipeline for policy-themes'
default model, which reads character bigrams and no words: no jieba, and
scikit-learn's own character 2-gram analyzer on the raw text.

``--jieba-only`` times only ``jieba.lcut`` over the texts (the CSV is read
before the clock starts), to show where the time goes.

    python3 benches/peers/speed.py --labels labels --paragraphs P.csv --out OUT.csv
    python3 benches/peers/speed.py --paragraphs P.csv --jieba-only
"""

import argparse
import csv
import json
import os
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def make_features(kind):
    """(vectorizer, text -> vectorizer input) for the words or char-bigrams pipeline."""
    if kind == "words":
        return common.make_tfidf(), common.tokenize
    from sklearn.feature_extraction.text import TfidfVectorizer
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), lowercase=False,
                          sublinear_tf=True, min_df=2)
    return vec, common.identity


def train(labels_path, kind):
    import numpy as np
    from sklearn.naive_bayes import MultinomialNB

    rows = common.read_labels(labels_path)
    vec, prepare = make_features(kind)
    x = vec.fit_transform([prepare(r["text"]) for r in rows])
    clf = MultinomialNB(alpha=0.1)
    clf.fit(x, np.array([r["theme"] for r in rows]))
    return vec, prepare, clf, len(rows)


def label(vec, prepare, clf, paragraphs_path, out_path):
    """Read, tokenize, vectorize, predict, write. Returns (paragraphs, chars)."""
    with open(paragraphs_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    x = vec.transform([prepare(t) for t in texts])
    proba = clf.predict_proba(x)
    best = proba.argmax(axis=1)
    classes = clf.classes_
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["doc_id", "para_id", "theme", "confidence"])
        for r, b, p in zip(rows, best, proba):
            w.writerow([r["doc_id"], r["para_id"], classes[b], f"{p[b]:.4f}"])
    return len(rows), sum(len(t) for t in texts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--labels", default=common.DEFAULT_LABELS,
                    help="label directory or file to train on (default: the repo's labels/)")
    ap.add_argument("--paragraphs", required=True, metavar="P.csv",
                    help="CSV with a header holding at least doc_id,para_id,text")
    ap.add_argument("--out", metavar="OUT.csv",
                    help="where to write doc_id,para_id,theme,confidence")
    ap.add_argument("--features", choices=["words", "char-bigrams"], default="words",
                    help="jieba words (default) or character bigrams without jieba")
    ap.add_argument("--jieba-only", action="store_true",
                    help="only time jieba.lcut over the texts")
    args = ap.parse_args()

    jieba = common.jieba_module()  # dictionary load, not timed

    if args.jieba_only:
        texts = [r["text"] for r in common.read_paragraphs(args.paragraphs)]
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t, HMM=True)
        seconds = time.perf_counter() - t0
        n, chars = len(texts), sum(len(t) for t in texts)
    else:
        if not args.out:
            ap.error("--out is required unless --jieba-only")
        t0 = time.perf_counter()
        vec, prepare, clf, n_train = train(args.labels, args.features)
        print(f"training: {n_train} labelled paragraphs, {len(vec.vocabulary_)} terms, "
              f"{time.perf_counter() - t0:.2f} s (not counted)", file=sys.stderr)
        t0 = time.perf_counter()
        n, chars = label(vec, prepare, clf, args.paragraphs, args.out)
        seconds = time.perf_counter() - t0

    print(json.dumps({
        "paragraphs": n,
        "chars": chars,
        "seconds": round(seconds, 6),
        "chars_per_second": round(chars / seconds, 1) if seconds > 0 else None,
    }))


if __name__ == "__main__":
    main()
