#!/usr/bin/env python3
"""Do `summary --ci` intervals hold the true shares?

`summary --ci` resamples paragraphs within each document: its 95% interval
says how much a group's shares would move with other paragraphs of the same
kind, not how wrong the classifier is. This measures how often the interval
computed from the model's labels holds the share computed from the gold
labels, out of fold (every paragraph labelled by a model that never saw its
document, or its region with `--group region`):

  - `eval [--group G] --predictions P` gives out-of-fold labels;
  - `summary --by doc|region --ci` on them and `summary` on the gold labels
    give the shares;
  - a cell (group × theme) is covered when the gold share lies in the
    model's interval. The cells missed are listed after the table.

The last column does the same for `--adjust`'s corrected shares. Their
confusion matrix comes from cross-validation on all the labels, so each
group's own paragraphs helped measure it: slightly in-sample.

    cargo build --release
    python3 benches/experiments/interval_coverage.py [--bin ./target/release/policy-themes]
"""

import argparse
import csv
import os
import subprocess
import tempfile

THEMES = ["poverty", "rural", "ecology", "investment", "livelihood", "social", "industry",
          "innovation", "reform", "urban", "safety", "government", "overview"]


def run(binary, *args):
    subprocess.run([binary, "-q", *args], check=True, stdout=subprocess.DEVNULL)


def read(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def shares(binary, labelled, by, tmp, name, ci):
    out = os.path.join(tmp, name + ".csv")
    extra = ["--ci", "--adjust"] if ci else []
    run(binary, "summary", labelled, "--by", by, "-o", out, *extra)
    key = "doc_id" if by == "doc" else by
    return {r[key]: r for r in read(out)}


def coverage(binary, group, tmp):
    preds = os.path.join(tmp, f"pred-{group}.csv")
    run(binary, "eval", "--group", group, "--predictions", preds)
    rows = read(preds)
    # Region comes from eval's group column when grouping by region; by
    # document it is the document itself.
    by = "region" if group == "region" else "doc"
    for kind in ("predicted", "gold"):
        path = os.path.join(tmp, f"{kind}-{group}.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["doc_id", "para_id", "region", "theme", "text"])
            seen = {}
            for r in rows:
                i = seen.get(r["doc_id"], 0)
                seen[r["doc_id"]] = i + 1
                w.writerow([r["doc_id"], i, r["group"], r[kind], r["text"]])
    model = shares(binary, os.path.join(tmp, f"predicted-{group}.csv"), by, tmp, f"m-{group}", True)
    gold = shares(binary, os.path.join(tmp, f"gold-{group}.csv"), by, tmp, f"g-{group}", False)
    cells = covered = nonzero = nonzero_covered = adj_covered = adj_zero_misses = 0
    width, misses = [], []
    for key, m in model.items():
        g = gold[key]
        for t in THEMES:
            lo, hi, truth = float(m[t + "_lo"]), float(m[t + "_hi"]), float(g[t])
            inside = lo - 1e-9 <= truth <= hi + 1e-9
            cells += 1
            covered += inside
            adj_lo, adj_hi = float(m[t + "_adj_lo"]), float(m[t + "_adj_hi"])
            adj_inside = adj_lo - 1e-9 <= truth <= adj_hi + 1e-9
            adj_covered += adj_inside
            adj_zero_misses += (not adj_inside) and truth == 0
            if not inside:
                misses.append(f"{key} {t}: gold {100 * truth:.1f}, interval "
                              f"{100 * lo:.1f}-{100 * hi:.1f}")
            if truth > 0 or float(m[t]) > 0:
                nonzero += 1
                nonzero_covered += inside
                width.append(100 * (hi - lo))
    width.sort()
    median = width[len(width) // 2]
    misses.append(f"--adjust intervals: {cells - adj_covered} cells missed, "
                  f"{adj_zero_misses} of them with a gold share of 0")
    return len(model), cells, covered, nonzero, nonzero_covered, median, adj_covered, misses


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="./target/release/policy-themes")
    args = ap.parse_args()
    print("| grouping | groups | cells covered | cells with a share, covered "
          "| median interval width | covered by --adjust intervals |")
    print("|---|---|---|---|---|---|")
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        for group in ("doc", "region"):
            n, cells, cov, nz, nz_cov, w, adj, miss = coverage(args.bin, group, tmp)
            print(f"| {group} | {n} | {cov}/{cells} = {100 * cov / cells:.1f}% "
                  f"| {nz_cov}/{nz} = {100 * nz_cov / nz:.1f}% | {w:.1f} pp "
                  f"| {adj}/{cells} = {100 * adj / cells:.1f}% |")
            missed.append((group, miss))
    for group, miss in missed:
        print(f"\nmissed by {group}:")
        for m in miss:
            print("  " + m)


if __name__ == "__main__":
    main()
