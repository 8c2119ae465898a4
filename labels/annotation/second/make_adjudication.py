#!/usr/bin/env python3
"""Build the blind adjudication sheet for the disagreements between the gold
labels and the second annotation.

Each case shows the paragraph with its neighbours and the two annotations as
"A" and "B" in an order drawn with a fixed seed, so the adjudicator cannot
tell which label is the gold one. No model output is shown or read.

usage: python3 labels/annotation/second/make_adjudication.py DISAGREEMENTS.csv SEGMENTS.csv SHEET.csv KEY.csv
  DISAGREEMENTS.csv  from compare.py --disagreements
  SEGMENTS.csv       from `policy-themes segment corpus/`
  SHEET.csv          what the adjudicators read
  KEY.csv            which of A/B is the gold label (kept from the adjudicators)
"""
import csv
import random
import sys

SEED = 20261124


def main(dis_path, seg_path, sheet_path, key_path):
    seg = {(r["doc_id"], int(r["para_id"])): r for r in csv.DictReader(open(seg_path, encoding="utf-8"))}
    rng = random.Random(SEED)
    with open(sheet_path, "w", newline="", encoding="utf-8") as s, \
            open(key_path, "w", newline="", encoding="utf-8") as k:
        sheet, key = csv.writer(s, lineterminator="\n"), csv.writer(k, lineterminator="\n")
        sheet.writerow(["case", "doc_id", "para_id", "region", "kind", "section", "previous_paragraph",
                        "text", "next_paragraph", "A", "A_secondary", "B", "B_secondary"])
        key.writerow(["case", "doc_id", "para_id", "gold_is"])
        for case, r in enumerate(csv.DictReader(open(dis_path, encoding="utf-8")), start=1):
            doc, para = r["doc_id"], int(r["para_id"])
            here = seg[(doc, para)]
            prev = seg.get((doc, para - 1), {}).get("text", "")
            nxt = seg.get((doc, para + 1), {}).get("text", "")
            gold, second = (r["gold"], r["gold_secondary"]), (r["second"], r["second_secondary"])
            gold_first = rng.random() < 0.5
            a, b = (gold, second) if gold_first else (second, gold)
            sheet.writerow([case, doc, para, here["region"], here["kind"], here["section"], prev,
                            here["text"], nxt, *a, *b])
            key.writerow([case, doc, para, "A" if gold_first else "B"])


if __name__ == "__main__":
    main(*sys.argv[1:5])
