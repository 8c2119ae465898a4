#!/usr/bin/env python3
"""Agreement between the first annotation and the blind re-annotation.

Compares primary themes of the blind 10% sample (annotation/blind/blind.csv)
with the first labels (annotation/batches/batch_N.csv), on paragraphs whose
text is unchanged in the current segmentation. Prints the agreement rate,
Cohen's kappa and every disagreement.

usage: python3 labels/annotation/agreement.py SEGMENTS.csv
"""
import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    seg = {(r["doc_id"], r["para_id"]): r["text"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
    blind_in = {(r["doc_id"], r["para_id"]): r["text"]
                for r in csv.DictReader(open(HERE / "blind" / "blind_input.csv", encoding="utf-8"))}
    first = {}
    for f in sorted((HERE / "batches").glob("batch_[0-9].csv")):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            first[(r["doc_id"], r["para_id"])] = r["theme"]
    pairs = []
    dropped = 0
    for r in csv.DictReader(open(HERE / "blind" / "blind.csv", encoding="utf-8")):
        k = (r["doc_id"], r["para_id"])
        if seg.get(k) != blind_in.get(k):
            dropped += 1  # paragraph re-segmented after annotation
            continue
        pairs.append((k, first[k], r["theme"]))
    n = len(pairs)
    agree = sum(a == b for _, a, b in pairs)
    ca = Counter(a for _, a, _ in pairs)
    cb = Counter(b for _, _, b in pairs)
    pe = sum(ca[t] * cb[t] for t in set(ca) | set(cb)) / (n * n)
    po = agree / n
    kappa = (po - pe) / (1 - pe)
    print(f"paragraphs compared: {n} (dropped {dropped} re-segmented)")
    print(f"agreement: {agree}/{n} = {po:.3f}")
    print(f"Cohen's kappa: {kappa:.3f}")
    for k, a, b in pairs:
        if a != b:
            print(f"{k[0]},{k[1]},first={a},blind={b},{seg[k][:80]}")


if __name__ == "__main__":
    main()
