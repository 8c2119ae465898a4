#!/usr/bin/env python3
"""Python peer baselines for policy-themes, on the same labels and folds.

Cross-validates off-the-shelf Python text classifiers on the gold labels with
exactly the folds of ``policy-themes eval`` (grouped by document or region) and
prints one Markdown row per peer with the metrics ``policy-themes eval``
reports (accuracy, macro-F1, character-weighted share error per document).

When the release binary is present it is also run (``eval --predictions``) to
check that every row's fold here equals its fold there and that the metric code
here gives the tool's own figures from its predictions; it is then shown as a
reference row.

    pip install -r benches/peers/requirements.txt
    python3 benches/peers/peers.py                 # grouped by document
    python3 benches/peers/peers.py --group region  # whole regions left out
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

# Single-threaded numerics: modest on a shared 2-core machine, and deterministic.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SEED = 20261123

# key -> (row label, description)
PEERS = {
    "nb0.1": "jieba + TF-IDF + MultinomialNB (alpha=0.1)",
    "nb1.0": "jieba + TF-IDF + MultinomialNB (alpha=1.0)",
    "svm": "jieba + TF-IDF + LinearSVC (C=1.0)",
    "fasttext": "jieba + fastText supervised",
}

FASTTEXT_PARAMS = dict(
    epoch=25, lr=0.5, wordNgrams=2, dim=50, minCount=1, loss="softmax",
    seed=SEED, thread=1, verbose=0,
)


# ---------------------------------------------------------------- inputs


def regions_from_segments(path):
    """doc_id -> region from a ``policy-themes segment`` CSV."""
    out = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["doc_id"], r["region"])
    return out


def segments_path(args, tmp):
    if args.corpus_segments:
        return args.corpus_segments
    if not os.path.isfile(args.binary):
        sys.exit(
            "error: --group region needs document regions: pass --corpus-segments "
            "SEG.csv (from `policy-themes segment CORPUS -o SEG.csv`) or build "
            f"the release binary ({args.binary})"
        )
    out = os.path.join(tmp, "segments.csv")
    subprocess.run(
        [args.binary, "segment", args.corpus, "-q", "-o", out], check=True
    )
    return out


# ---------------------------------------------------------------- the tool itself


def run_ours(args, rows, folds, k, tmp):
    """Run ``policy-themes eval``, check folds and metrics; return (metrics, seconds)."""
    preds_path = args.ours_predictions
    seconds = None
    tool = None
    if preds_path is None:
        preds_path = os.path.join(tmp, "oof.csv")
        cmd = [
            args.binary, "eval", "-q", "--json",
            "--labels", args.labels, "--corpus", args.corpus,
            "--group", args.group, "--folds", str(args.folds),
            "--predictions", preds_path,
        ]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        tool = json.loads(res.stdout)
    with open(preds_path, encoding="utf-8", newline="") as fh:
        theirs = list(csv.DictReader(fh))
    if len(theirs) != len(rows):
        sys.exit(f"error: {preds_path} has {len(theirs)} rows, the labels {len(rows)}")
    bad = 0
    for i, (r, t, f) in enumerate(zip(rows, theirs, folds)):
        if (r["doc_id"], r["text"], r["theme"]) != (t["doc_id"], t["text"], t["gold"]):
            sys.exit(f"error: row {i} differs between the labels and {preds_path}")
        if int(t["fold"]) != f:
            bad += 1
    if bad:
        sys.exit(f"error: {bad} rows are in a different fold than in {preds_path}")
    print(
        f"folds check: the fold of all {len(rows)} rows equals the `fold` column "
        f"of policy-themes' predictions ({k} folds, grouped by {args.group})",
        file=sys.stderr,
    )
    m = common.report(
        [r["doc_id"] for r in rows], [r["text"] for r in rows],
        [r["theme"] for r in rows], [t["predicted"] for t in theirs],
    )
    if tool is not None:
        for key in ("accuracy", "macro_f1", "share_mae_pp", "share_mae_worst_pp"):
            if abs(tool[key] - m[key]) > 1e-9:
                sys.exit(
                    f"error: metric {key} from the tool's predictions is {m[key]} here "
                    f"but {tool[key]} in policy-themes"
                )
        print(
            "metrics check: the metric code here gives policy-themes' own figures "
            "from its predictions",
            file=sys.stderr,
        )
    return m, seconds


# ---------------------------------------------------------------- peers


def cv_sklearn(make_clf, tokens, labels, folds, k):
    import numpy as np

    pred = [None] * len(labels)
    for f in range(k):
        train = [i for i in range(len(labels)) if folds[i] != f]
        test = [i for i in range(len(labels)) if folds[i] == f]
        vec = common.make_tfidf()
        x_train = vec.fit_transform([tokens[i] for i in train])
        clf = make_clf()
        clf.fit(x_train, np.array([labels[i] for i in train]))
        x_test = vec.transform([tokens[i] for i in test])
        for i, p in zip(test, clf.predict(x_test)):
            pred[i] = str(p)
    return pred


def cv_fasttext(tokens, labels, folds, k, tmp):
    import fasttext

    pred = [None] * len(labels)
    for f in range(k):
        train = [i for i in range(len(labels)) if folds[i] != f]
        test = [i for i in range(len(labels)) if folds[i] == f]
        path = os.path.join(tmp, f"fasttext_train_{f}.txt")
        with open(path, "w", encoding="utf-8") as fh:
            for i in train:
                fh.write(f"__label__{labels[i]} {' '.join(tokens[i])}\n")
        model = fasttext.train_supervised(input=path, **FASTTEXT_PARAMS)
        # A paragraph with no kept token gets the most frequent training theme.
        majority = max(
            sorted(set(labels[i] for i in train)),
            key=lambda t: sum(1 for i in train if labels[i] == t),
        )
        texts = [" ".join(tokens[i]) for i in test]
        got, _ = model.predict(texts, k=1)
        for i, text, lab in zip(test, texts, got):
            pred[i] = lab[0][len("__label__"):] if text and lab else majority
    return pred


def run_peer(key, tokens, labels, folds, k, tmp):
    if key == "fasttext":
        return cv_fasttext(tokens, labels, folds, k, tmp)
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.svm import LinearSVC

    makers = {
        "nb0.1": lambda: MultinomialNB(alpha=0.1),
        "nb1.0": lambda: MultinomialNB(alpha=1.0),
        "svm": lambda: LinearSVC(C=1.0, random_state=SEED),
    }
    return cv_sklearn(makers[key], tokens, labels, folds, k)


def fasttext_problem():
    """Why fastText cannot run here, or None."""
    try:
        import fasttext  # noqa: F401
    except Exception as e:  # ImportError, or a broken binary extension
        return f"fastText not available ({type(e).__name__}: {e})"
    return None


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--labels", default=common.DEFAULT_LABELS,
                    help="label directory or file (default: the repo's labels/)")
    ap.add_argument("--corpus-segments", metavar="SEG.csv",
                    help="`policy-themes segment` CSV for doc_id -> region; by default "
                         "the release binary is run on --corpus")
    ap.add_argument("--corpus", default=common.DEFAULT_CORPUS,
                    help="corpus directory, for the binary (default: the repo's corpus/)")
    ap.add_argument("--binary", default=common.DEFAULT_BINARY,
                    help="policy-themes binary (default: target/release/policy-themes)")
    ap.add_argument("--group", choices=["doc", "region"], default="doc",
                    help="what a fold leaves out (default: doc)")
    ap.add_argument("--folds", type=int, default=5, help="number of folds (default: 5)")
    ap.add_argument("--only", metavar="NAME",
                    help="comma-separated peers to run, of: " + ", ".join(PEERS))
    ap.add_argument("--ours-predictions", metavar="OOF.csv",
                    help="check folds against this `eval --predictions` file instead "
                         "of running the binary")
    ap.add_argument("--no-ours", action="store_true",
                    help="do not run or check against policy-themes")
    args = ap.parse_args()

    keys = list(PEERS)
    if args.only:
        keys = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in keys if s not in PEERS]
        if unknown:
            ap.error(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEERS)}")

    rows = common.read_labels(args.labels)
    doc_ids = [r["doc_id"] for r in rows]
    texts = [r["text"] for r in rows]
    labels = [r["theme"] for r in rows]

    with tempfile.TemporaryDirectory(prefix="peers-") as tmp:
        if args.group == "region":
            regions = regions_from_segments(segments_path(args, tmp))
            missing = sorted(set(d for d in doc_ids if d not in regions))
            if missing:
                sys.exit(f"error: documents not in the segments: {', '.join(missing[:5])}")
            groups = [regions[d] for d in doc_ids]
        else:
            groups = list(doc_ids)
        folds, k = common.assign_folds(groups, args.folds)
        if k < 2:
            sys.exit("error: cross-validation needs at least two groups")

        ours = None
        if not args.no_ours and (args.ours_predictions or os.path.isfile(args.binary)):
            ours = run_ours(args, rows, folds, k, tmp)
        elif not args.no_ours:
            print(f"note: {args.binary} not found: folds not checked against policy-themes",
                  file=sys.stderr)

        common.jieba_module()  # dictionary load, not timed
        import sklearn.naive_bayes, sklearn.svm, sklearn.feature_extraction.text  # noqa: F401,E401
        if "fasttext" in keys and fasttext_problem() is None:
            import fasttext  # noqa: F401  (imports not timed)
        t0 = time.perf_counter()
        tokens = [common.tokenize(t) for t in texts]
        tok_seconds = time.perf_counter() - t0

        results = []
        notes = []
        for key in keys:
            if key == "fasttext":
                problem = fasttext_problem()
                if problem:
                    print(f"warning: {problem}; skipping the fastText peer", file=sys.stderr)
                    notes.append(f"{PEERS[key]}: {problem}")
                    results.append((PEERS[key], None, None))
                    continue
            t0 = time.perf_counter()
            pred = run_peer(key, tokens, labels, folds, k, tmp)
            seconds = time.perf_counter() - t0 + tok_seconds
            results.append((PEERS[key], common.report(doc_ids, texts, labels, pred), seconds))
            print(f"done: {PEERS[key]}", file=sys.stderr)

    n_groups = len(set(groups))
    print(f"{k}-fold cross-validation grouped by "
          f"{'document' if args.group == 'doc' else 'region'} "
          f"({len(rows)} paragraphs, {len(set(doc_ids))} documents, {n_groups} groups)")
    print()
    print("| peer | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) | seconds |")
    print("|---|---|---|---|---|---|")
    for name, m, s in results:
        if m is None:
            print(f"| {name} | n/a | n/a | n/a | n/a | n/a |")
        else:
            print(f"| {name} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
                  f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} | {s:.1f} |")
    if ours is not None:
        m, s = ours
        sec = f"{s:.1f}" if s is not None else "n/a"
        print(f"| policy-themes (reference: `eval`, default model) | {m['accuracy']:.3f} | "
              f"{m['macro_f1']:.3f} | {m['share_mae_pp']:.2f} | "
              f"{m['share_mae_worst_pp']:.2f} | {sec} |")
    print()
    print(f"seconds: wall time of the peer's {k} fits and predictions, single thread, plus "
          f"the one-off jieba tokenization of all paragraphs ({tok_seconds:.1f} s) they share."
          + (" policy-themes: the whole `eval` process (tokenization, all folds, "
             "its own thread pool)." if ours is not None and ours[1] is not None else ""))
    for n in notes:
        print(f"note: {n}")


if __name__ == "__main__":
    main()
