"""Shared pieces of the Python peer baselines: label reading, tokenization,
fold assignment and metrics, each written to match policy-themes exactly.

* Labels: every ``*.csv`` directly in the labels directory (not recursive),
  files in sorted order, rows in file order -- the order ``policy-themes eval``
  uses.
* Tokens: jieba precise mode with HMM, keeping a token when it has at least two
  characters, at least one of them a letter or CJK ideograph, and is not made of
  digits, ``.`` and ``%`` only (the ``keep`` rule of ``src/text/tokenize.rs``).
  The peers use plain jieba: no project user dictionary and no stop words, which
  are part of what policy-themes itself brings.
* Folds and metrics: see ``assign_folds`` and ``report``.
"""

import csv
import logging
import os
import sys
import unicodedata
from collections import Counter

# The 13 theme ids in codebook order (src/themes.rs, Theme::ALL).
THEMES = [
    "poverty", "rural", "ecology", "investment", "livelihood", "social",
    "industry", "innovation", "reform", "urban", "safety", "government",
    "overview",
]
THEME_INDEX = {t: i for i, t in enumerate(THEMES)}

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_LABELS = os.path.join(REPO, "labels")
DEFAULT_CORPUS = os.path.join(REPO, "corpus")
DEFAULT_BINARY = os.path.join(REPO, "target", "release", "policy-themes")


def label_files(path):
    """The label files a path stands for: a file, or a directory's ``*.csv``."""
    if not os.path.isdir(path):
        return [path]
    files = sorted(
        os.path.join(path, n) for n in os.listdir(path)
        if n.lower().endswith(".csv") and os.path.isfile(os.path.join(path, n))
    )
    if not files:
        sys.exit(f"error: no label files (*.csv) in {path}")
    return files


def read_labels(path):
    """Rows ``{doc_id, para_id, text, theme}`` of every label file, in order."""
    rows = []
    for f in label_files(path):
        with open(f, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                theme = r["theme"].strip()
                if theme not in THEME_INDEX:
                    sys.exit(f"error: {f}: unknown theme {theme!r}")
                rows.append({
                    "doc_id": r["doc_id"],
                    "para_id": r["para_id"],
                    "text": r["text"],
                    "theme": theme,
                })
    return rows


def read_paragraphs(path):
    """Rows of a CSV with at least ``doc_id,para_id,text``."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


_JIEBA = None


def jieba_module():
    """jieba, initialised once with its log quiet (dictionary load not timed by callers)."""
    global _JIEBA
    if _JIEBA is None:
        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _JIEBA = jieba
    return _JIEBA


def keep(w):
    """policy-themes' token filter: >= 2 chars, one of them a letter/CJK, not a number."""
    return (
        len(w) >= 2
        and any(c.isalpha() or unicodedata.category(c) == "Nl" for c in w)
        and not all(c.isdigit() and c.isascii() or c in ".%" for c in w)
    )


def tokenize(text):
    """jieba precise mode (HMM on), filtered by ``keep``."""
    return [w for w in jieba_module().lcut(text, HMM=True) if keep(w)]


def identity(x):
    """Pass pre-tokenized lists through TfidfVectorizer unchanged."""
    return x


def make_tfidf():
    """The peers' TF-IDF: on jieba token lists, sublinear tf, min_df=2."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    return TfidfVectorizer(
        tokenizer=identity,
        preprocessor=identity,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
        min_df=2,
    )


# ---------------------------------------------------------------- folds


def assign_folds(groups, k, order=None):
    """Fold of every row, as ``assign_folds`` in src/model/evaluate.rs.

    Count rows per group; sort groups by count descending, ties by name
    ascending; give each group in turn to the fold with the fewest rows so far,
    ties to the lowest fold index. ``k`` is clamped to [1, number of groups].
    ``order``, a list of the group names, replaces the sorting (experiments
    that redraw the folds).
    """
    sizes = Counter(groups)
    k = max(1, min(k, max(len(sizes), 1)))
    if order is not None:
        order = [(g, sizes[g]) for g in order]
    else:
        order = sorted(sizes.items(), key=lambda gn: (-gn[1], gn[0]))
        # Rust sorts names by UTF-8 bytes, Python by code points: the same
        # order for valid UTF-8, checked here rather than assumed.
        by_bytes = sorted(sizes.items(), key=lambda gn: (-gn[1], gn[0].encode("utf-8")))
        if order != by_bytes:
            sys.exit("error: Python string order differs from UTF-8 byte order for these groups")
    load = [0] * k
    fold_of = {}
    for g, n in order:
        f = min(range(k), key=lambda i: (load[i], i))
        load[f] += n
        fold_of[g] = f
    return [fold_of[g] for g in groups], k


# ---------------------------------------------------------------- metrics


def one_hot(theme):
    """A theme as a 13-vector of weights: 1 at its index."""
    v = [0.0] * 13
    v[THEME_INDEX[theme]] = 1.0
    return v


def document_share_errors(doc_ids, texts, gold, pred):
    """Share error of every document, sorted by doc id: ``{doc_id: pp}``.

    ``gold`` and ``pred`` hold a 13-vector of theme weights per row (``one_hot``
    of a label, or a probability row); each row counts with its length in
    characters. Error = mean absolute difference of the 13 shares, in
    percentage points.
    """
    docs = {}
    for d, t, g, p in zip(doc_ids, texts, gold, pred):
        w = float(len(t))
        gs, ps = docs.setdefault(d, ([0.0] * 13, [0.0] * 13))
        for i in range(13):
            gs[i] += w * g[i]
            ps[i] += w * p[i]
    out = {}
    for d in sorted(docs):
        gs, ps = docs[d]
        gt, pt = sum(gs), sum(ps)
        out[d] = sum(abs(gs[i] / gt - ps[i] / pt) * 100.0 for i in range(13)) / 13.0
    return out


def report(doc_ids, texts, gold, pred):
    """Metrics as ``report`` in src/model/evaluate.rs.

    accuracy; macro-F1 = mean F1 over the themes present in the gold labels
    (F1 = 0 for a present theme never predicted correctly); share error = per
    document, character-weighted shares of the 13 themes, gold vs predicted,
    mean absolute difference in percentage points; mean over documents and the
    worst document.
    """
    n = len(gold)
    conf = [[0] * 13 for _ in range(13)]
    for g, p in zip(gold, pred):
        conf[THEME_INDEX[g]][THEME_INDEX[p]] += 1
    correct = sum(conf[i][i] for i in range(13))
    f1s = []
    for i in range(13):
        tp = conf[i][i]
        support = sum(conf[i])
        predicted = sum(conf[r][i] for r in range(13))
        if support == 0:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0)
    macro_f1 = sum(f1s) / max(len(f1s), 1)

    maes = list(document_share_errors(
        doc_ids, texts, [one_hot(g) for g in gold], [one_hot(p) for p in pred]).values())
    return {
        "paragraphs": n,
        "documents": len(maes),
        "accuracy": correct / max(n, 1),
        "macro_f1": macro_f1,
        "share_mae_pp": sum(maes) / max(len(maes), 1),
        "share_mae_worst_pp": max(maes) if maes else 0.0,
    }
