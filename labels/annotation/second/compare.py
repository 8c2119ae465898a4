#!/usr/bin/env python3
"""Compare the first annotation with the second, blind annotation of the whole corpus.

The first annotation is the gold labels with the codebook v1.2 migration
(v1_2_migration.csv) and the second round's adjudications
(second/adjudicated.csv) undone, so the figures are those of the two
independent annotations. Prints agreement and Cohen's kappa on primary themes,
the most frequent disagreement pairs, and for every document the
character-weighted theme-share error between the two annotations: the same
measure `policy-themes eval` reports for the model (mean absolute error over
the 13 themes, percentage points). With --predictions (the CSV of
`policy-themes eval --predictions`), the model's error against the gold labels
(first annotation after adjudication) and against the second annotation is
printed beside it.

`policy-themes labels agree labels labels/annotation/second/batch_?.csv`
gives the same measures for the gold labels as they are now (after
adjudication); this script exists for the figures before it.

usage: python3 labels/annotation/second/compare.py [--second DIR] [--predictions FILE]
       [--disagreements OUT.csv]
"""
import argparse
import csv
from collections import Counter, OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE.parent.parent
THEMES = ["poverty", "rural", "ecology", "investment", "livelihood", "social", "industry",
          "innovation", "reform", "urban", "safety", "government", "overview"]


def read_gold():
    rows = OrderedDict()
    for f in sorted(LABELS.glob("*.csv")):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            rows[(r["doc_id"], int(r["para_id"]))] = r
    return rows


def undo_adjudication(gold):
    first = OrderedDict((k, dict(r)) for k, r in gold.items())
    # The v1.2 migration came after both annotations; undo it first.
    migration = HERE.parent / "v1_2_migration.csv"
    if migration.exists():
        for r in csv.DictReader(open(migration, encoding="utf-8")):
            row = first[(r["doc_id"], int(r["para_id"]))]
            row["theme"], row["secondary"] = r["old_theme"], r["old_secondary"]
    path = HERE / "adjudicated.csv"
    if path.exists():
        for r in csv.DictReader(open(path, encoding="utf-8")):
            row = first[(r["doc_id"], int(r["para_id"]))]
            row["theme"], row["secondary"] = r["first"], r["first_secondary"]
    return first


def read_second(folder, gold):
    second = {}
    for f in sorted(Path(folder).glob("batch_[0-9].csv")):
        inputs = {(r["doc_id"], int(r["para_id"])): r["text"]
                  for r in csv.DictReader(open(f.with_name(f.stem + "_input.csv"), encoding="utf-8"))}
        for r in csv.DictReader(open(f, encoding="utf-8")):
            key = (r["doc_id"].strip(), int(r["para_id"]))
            if key not in gold or inputs.get(key) != gold[key]["text"]:
                raise SystemExit(f"{f}: {key} does not match the gold segmentation")
            if r["theme"] not in THEMES:
                raise SystemExit(f"{f}: {key} has unknown theme {r['theme']!r}")
            second[key] = (r["theme"], r["secondary"].strip())
    missing = [k for k in gold if k not in second]
    if missing:
        raise SystemExit(f"{len(missing)} paragraphs lack a second label, e.g. {missing[:3]}")
    return second


def share_mae(weights_a, weights_b):
    ta, tb = sum(weights_a.values()), sum(weights_b.values())
    errs = [abs(weights_a[t] / ta - weights_b[t] / tb) * 100 for t in THEMES]
    return sum(errs) / len(THEMES)


def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[t] * cb[t] for t in THEMES) / (n * n)
    return po, (po - pe) / (1 - pe)


def alpha(pairs):
    """Krippendorff's alpha, nominal, two coders, from the coincidence matrix."""
    n = 2 * len(pairs)
    values = Counter(a for a, _ in pairs) + Counter(b for _, b in pairs)
    observed = 2 * sum(a != b for a, b in pairs)
    expected = n * n - sum(c * c for c in values.values())
    return 1 - (n - 1) * observed / expected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--second", default=str(HERE))
    ap.add_argument("--predictions")
    ap.add_argument("--disagreements")
    args = ap.parse_args()
    final = read_gold()
    gold = undo_adjudication(final)
    second = read_second(args.second, gold)
    keys = list(gold)
    pairs = [(gold[k]["theme"], second[k][0]) for k in keys]
    po, k = kappa(pairs)
    lenient = sum(b in (gold[key]["theme"], gold[key]["secondary"]) or a == second[key][1]
                  for key, (a, b) in zip(keys, pairs))
    print(f"paragraphs {len(keys)}  primary agreement {po:.3f}  Cohen's kappa {k:.3f}  "
          f"Krippendorff's alpha {alpha(pairs):.3f}")
    print(f"agreement allowing either annotation's secondary: {lenient / len(keys):.3f}")
    print("most frequent disagreements (first -> second):")
    for (a, b), c in Counter((a, b) for a, b in pairs if a != b).most_common(12):
        print(f"  {a:>10} -> {b:<10} {c}")

    model = {}
    if args.predictions:
        seen = Counter()
        by_doc_para = {}
        for key in keys:
            by_doc_para.setdefault(key[0], []).append(key)
        for r in csv.DictReader(open(args.predictions, encoding="utf-8")):
            key = by_doc_para[r["doc_id"]][seen[r["doc_id"]]]
            seen[r["doc_id"]] += 1
            if gold[key]["text"] != r["text"]:
                raise SystemExit(f"{args.predictions}: row for {key} has other text")
            model[key] = r["predicted"]
            if r["gold"] != final[key]["theme"]:
                raise SystemExit(f"{args.predictions}: gold of {key} is not the current label")
        agree_b = sum(model[k2] == second[k2][0] for k2 in keys) / len(keys)
        agree_a = sum(model[k2] == final[k2]["theme"] for k2 in keys) / len(keys)
        print(f"model agreement with gold {agree_a:.3f}, with second annotation {agree_b:.3f}")

    print()
    head = f"{'document':<26} {'paras':>5} {'first vs second':>15}"
    if model:
        head += f" {'model vs gold':>13} {'model vs second':>15}"
    print(head)
    docs = OrderedDict()
    for key in keys:
        docs.setdefault(key[0], []).append(key)
    rows = []
    for doc, ks in docs.items():
        w = {name: {t: 0.0 for t in THEMES} for name in ("a", "b", "m", "g")}
        for key in ks:
            chars = len(gold[key]["text"])
            w["a"][gold[key]["theme"]] += chars
            w["b"][second[key][0]] += chars
            if model:
                w["m"][model[key]] += chars
                w["g"][final[key]["theme"]] += chars
        row = [doc, len(ks), share_mae(w["a"], w["b"])]
        if model:
            row += [share_mae(w["m"], w["g"]), share_mae(w["m"], w["b"])]
        rows.append(row)
    rows.sort(key=lambda r: -r[2])
    for r in rows:
        line = f"{r[0]:<26} {r[1]:>5} {r[2]:>15.2f}"
        if model:
            line += f" {r[3]:>13.2f} {r[4]:>15.2f}"
        print(line)
    mean = lambda i: sum(r[i] for r in rows) / len(rows)
    line = f"{'mean':<26} {'':>5} {mean(2):>15.2f}"
    if model:
        line += f" {mean(3):>13.2f} {mean(4):>15.2f}"
    print(line)
    over = [r[0] for r in rows if r[2] > 3.0]
    print(f"documents where the two annotations differ by more than 3 pp: {len(over)} {over}")

    if args.disagreements:
        with open(args.disagreements, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["doc_id", "para_id", "gold", "gold_secondary", "second", "second_secondary", "text"])
            # "gold" here is the first annotation: the disagreements to adjudicate.
            for key in keys:
                g = gold[key]
                if g["theme"] != second[key][0]:
                    out.writerow([key[0], key[1], g["theme"], g["secondary"], *second[key], g["text"]])


if __name__ == "__main__":
    main()
