#!/usr/bin/env python3
"""Merge the annotators' batch files into the codebook label files.

Joins each batch row (doc_id, para_id, theme, secondary) with the paragraph
text of the current segmentation (`policy-themes segment corpus/`), checks
that every segmented paragraph has exactly one label, and writes one label
file per corpus file: labels/<file stem>.csv. Adjudicated disagreements
(adjudicated.csv, then second/adjudicated.csv) replace the batch label. It
copies judgements; it never makes one. Paragraphs whose segmentation changed
after annotation must be listed in manual.csv (labelled by reading) or the
merge fails. Last, v1_2_migration.csv applies the labels changed by reading
when the codebook became v1.2 (each row names the label it replaces).

usage: python3 labels/annotation/merge.py SEGMENTS.csv
"""
import csv
import sys
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE.parent
THEMES = {"poverty", "rural", "ecology", "investment", "livelihood", "social", "industry",
          "innovation", "reform", "urban", "safety", "government", "overview"}


def main():
    seg = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    texts = {(r["doc_id"], int(r["para_id"])): r["text"] for r in seg}
    given = {}
    for f in sorted((HERE / "batches").glob("batch_[0-9].csv")):
        inputs = {(r["doc_id"], int(r["para_id"])): r["text"]
                  for r in csv.DictReader(open(f.with_name(f.stem + "_input.csv"), encoding="utf-8"))}
        for r in csv.DictReader(open(f, encoding="utf-8")):
            key = (r["doc_id"].strip(), int(r["para_id"]))
            # A label only carries over if the annotator saw the text the corpus has now.
            if texts.get(key) != inputs.get(key):
                continue
            given[key] = (r["theme"].strip(), r["secondary"].strip(), f.name)
    # Disagreements of the blind re-annotation, settled by the codebook.
    for r in csv.DictReader(open(HERE / "adjudicated.csv", encoding="utf-8")):
        key = (r["doc_id"], int(r["para_id"]))
        if key not in given:
            sys.exit(f"adjudicated.csv: {key} has no first label")
        given[key] = (r["theme"], r["secondary"], "adjudicated.csv")
    # Disagreements of the second, whole-corpus blind annotation, settled by two
    # blind adjudicators (second/settle.py).
    for r in csv.DictReader(open(HERE / "second" / "adjudicated.csv", encoding="utf-8")):
        key = (r["doc_id"], int(r["para_id"]))
        if key not in given:
            sys.exit(f"second/adjudicated.csv: {key} has no first label")
        given[key] = (r["theme"], r["secondary"], "second/adjudicated.csv")
    manual = HERE / "manual.csv"
    if manual.exists():
        for r in csv.DictReader(open(manual, encoding="utf-8")):
            key = (r["doc_id"], int(r["para_id"]))
            if texts.get(key) != r["text"]:
                sys.exit(f"manual.csv: text of {key} does not match the segmentation")
            given[key] = (r["theme"], r["secondary"], "manual.csv")
    # Labels changed by reading for the codebook v1.2 rulings (labels/README.md).
    for r in csv.DictReader(open(HERE / "v1_2_migration.csv", encoding="utf-8")):
        key = (r["doc_id"], int(r["para_id"]))
        if key not in given or given[key][:2] != (r["old_theme"], r["old_secondary"]):
            sys.exit(f"v1_2_migration.csv: {key} does not replace its current label")
        given[key] = (r["theme"], r["secondary"], "v1_2_migration.csv")
    missing = [k for k in texts if k not in given]
    if missing:
        sys.exit(f"{len(missing)} paragraphs without a label, e.g. {missing[:5]}")
    out = OrderedDict()
    for r in seg:
        key = (r["doc_id"], int(r["para_id"]))
        theme, secondary, _ = given[key]
        assert theme in THEMES and (secondary == "" or secondary in THEMES), (key, theme, secondary)
        if secondary == theme:
            secondary = ""
        stem = r["doc_id"].rsplit("-", 1)[0] if "-" in r["doc_id"] else r["doc_id"]
        out.setdefault(stem, []).append([r["doc_id"], r["para_id"], r["text"], theme, secondary])
    for stem, rows in out.items():
        with open(LABELS / f"{stem}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["doc_id", "para_id", "text", "theme", "secondary"])
            w.writerows(rows)
        print(f"labels/{stem}.csv: {len(rows)} rows")


if __name__ == "__main__":
    main()
