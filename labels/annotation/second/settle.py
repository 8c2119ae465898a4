#!/usr/bin/env python3
"""Settle the disagreements between the gold labels and the second annotation
from the two blind adjudicators' decisions.

Rule, fixed before the decisions were read:
- both adjudicators chose the same primary theme -> that theme; the secondary
  is theirs when they agree on it, else the secondary of the annotation whose
  primary they chose;
- they chose different primaries -> the first (gold) label stands, secondary
  included.
It copies judgements; it never makes one, and reads no model output.

usage: python3 labels/annotation/second/settle.py > labels/annotation/second/adjudicated.csv
"""
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "adjudication"


def rows(name):
    return {r["case"]: r for r in csv.DictReader(open(HERE / name, encoding="utf-8"))}


def main():
    sheet, key = rows("sheet.csv"), rows("key.csv")
    adj1, adj2 = rows("adjudicator_1.csv"), rows("adjudicator_2.csv")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["doc_id", "para_id", "theme", "secondary", "first", "first_secondary", "second",
                  "second_secondary", "adjudicator_1", "adjudicator_2", "decided_by", "reason_1",
                  "reason_2"])
    for case, s in sheet.items():
        gold_side = key[case]["gold_is"]
        other_side = "B" if gold_side == "A" else "A"
        first, second = s[gold_side], s[other_side]
        a, b = adj1[case], adj2[case]
        if a["theme"] == b["theme"]:
            theme = a["theme"]
            if a["secondary"] == b["secondary"]:
                secondary = a["secondary"]
            else:
                chosen = gold_side if theme == first else other_side
                secondary = s[f"{chosen}_secondary"]
            decided_by = "both adjudicators"
        else:
            theme, secondary = first, s[f"{gold_side}_secondary"]
            decided_by = "adjudicators split: first label kept"
        out.writerow([s["doc_id"], s["para_id"], theme, secondary, first, s[f"{gold_side}_secondary"],
                      second, s[f"{other_side}_secondary"], a["theme"], b["theme"], decided_by,
                      a["reason"], b["reason"]])


if __name__ == "__main__":
    main()
