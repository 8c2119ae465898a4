#!/usr/bin/env python3
"""Re-score out-of-fold predictions two ways the default model does not use.

Both ideas were tried on the probabilities `policy-themes eval --predictions`
writes (one `p_<theme>` column per theme), so neither needs a refit:

* neighbour smoothing: mix each paragraph's probabilities with the mean of its
  neighbours' in the same document, p' = (1 - lam) p + lam * mean(p_prev, p_next),
  because adjacent paragraphs tend to share a section and a theme;
* an ensemble: average the probabilities of two models' files (for example the
  default naive Bayes and the logistic regression), weight w on the second;
* a prior per document, fitted by EM (Saerens, Latinne & Decaestecker 2002):
  each document gets its own theme prior, re-estimated from the reweighted
  probabilities of its paragraphs (character-weighted) until it settles, with
  a pseudo-count c per theme as a fraction of the document's characters; the
  model's own prior is uniform (balanced training), so reweighting multiplies
  by the document prior.

Prints accuracy, macro-F1 (themes present in the gold labels), mean and worst
per-document character-weighted share error (percentage points, as `eval`) and
ECE (10 bins) for each setting. Standard library only.

    policy-themes eval --predictions nb.csv
    policy-themes eval --classifier logistic --alpha 0.01 --chi2 3000 \
        --char-bigrams=false --predictions lr.csv
    python3 benches/experiments/rescore.py nb.csv [lr.csv]
"""

import csv
import os
import sys

# The theme order and metric code of benches/peers, which peers.py checks
# against `eval`.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
from common import THEMES, report  # noqa: E402


def load(path):
    """Rows grouped by document, in file order (paragraph order)."""
    docs = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            p = [float(r["p_" + t]) for t in THEMES]
            docs.setdefault(r["doc_id"], []).append((r["gold"], r["text"], p))
    return docs


def argmax(p):
    return max(range(len(p)), key=lambda i: (p[i], -i))


def metrics(docs):
    doc_ids, texts, gold, pred = [], [], [], []
    bins = [[0.0, 0.0, 0] for _ in range(10)]
    for d, rows in docs.items():
        for theme, text, p in rows:
            k = argmax(p)
            doc_ids.append(d)
            texts.append(text)
            gold.append(theme)
            pred.append(THEMES[k])
            b = bins[min(int(p[k] * 10), 9)]
            b[0] += theme == THEMES[k]
            b[1] += p[k]
            b[2] += 1
    m = report(doc_ids, texts, gold, pred)
    m["ece"] = sum(abs(c - s) for c, s, k in bins if k) / len(gold)
    return m


def smooth(docs, lam):
    out = {}
    for d, rows in docs.items():
        new = []
        for i, (theme, text, p) in enumerate(rows):
            nb = [rows[j][2] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
            if nb and lam > 0:
                mean = [sum(v[k] for v in nb) / len(nb) for k in range(13)]
                p = [(1 - lam) * a + lam * b for a, b in zip(p, mean)]
            new.append((theme, text, p))
        out[d] = new
    return out


def blend(a, b, w):
    out = {}
    for d, rows in a.items():
        if len(b.get(d, ())) != len(rows):
            sys.exit(f"{d}: the two files hold different paragraphs")
        out[d] = [(t, text, [(1 - w) * x + w * y for x, y in zip(p, q[2])])
                  for (t, text, p), q in zip(rows, b[d])]
    return out


def doc_prior(docs, c):
    out = {}
    for d, rows in docs.items():
        chars = [float(len(text)) for _, text, _ in rows]
        total = sum(chars)
        prior = [1.0 / 13] * 13
        for _ in range(500):
            post = []
            for _, _, p in rows:
                q = [a * b for a, b in zip(p, prior)]
                s = sum(q)
                post.append([x / s for x in q])
            mass = [c * total + sum(w * q[k] for w, q in zip(chars, post)) for k in range(13)]
            s = sum(mass)
            new = [m / s for m in mass]
            done = max(abs(a - b) for a, b in zip(new, prior)) < 1e-9
            prior = new
            if done:
                break
        out[d] = [(t, text, q) for (t, text, _), q in zip(rows, post)]
    return out


def show(name, m):
    print(f"| {name} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
          f"{m['share_mae_pp']:.2f} | {m['share_mae_worst_pp']:.2f} | {m['ece']:.3f} |")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    a = load(sys.argv[1])
    print("| setting | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) | ECE |")
    print("|---|---|---|---|---|---|")
    for lam in (0.0, 0.1, 0.2, 0.3):
        show(f"neighbour smoothing lam={lam}", metrics(smooth(a, lam)))
    for c in (0.0, 0.01, 0.05, 0.1):
        show(f"document prior by EM, c={c}", metrics(doc_prior(a, c)))
    if len(sys.argv) == 3:
        b = load(sys.argv[2])
        for w in (0.3, 0.5, 0.7, 1.0):
            show(f"ensemble, weight {w} on the second file", metrics(blend(a, b, w)))


if __name__ == "__main__":
    main()
