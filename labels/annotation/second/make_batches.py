"""Split the current segmentation into eight batches of whole documents for
the second, blind annotation.

Usage: policy-themes segment corpus/ > /tmp/segments.csv
       python3 labels/annotation/second/make_batches.py /tmp/segments.csv OUTDIR

Documents are shuffled with a fixed seed and packed largest-first into the
lightest batch, so batch sizes stay close and no batch repeats the first
annotation's grouping. The script only moves text: it reads no label file.
"""

import csv
import random
import sys
from collections import OrderedDict

SEED = 20261123
BATCHES = 8


def main(segments_path, out_dir):
    docs = OrderedDict()
    with open(segments_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs.setdefault(row["doc_id"], []).append(row)
    ids = list(docs)
    random.Random(SEED).shuffle(ids)
    ids.sort(key=lambda d: -len(docs[d]))  # stable: ties keep the shuffled order
    batches = [[] for _ in range(BATCHES)]
    for doc in ids:
        lightest = min(range(BATCHES), key=lambda b: sum(len(docs[d]) for d in batches[b]))
        batches[lightest].append(doc)
    for n, batch in enumerate(batches, start=1):
        path = f"{out_dir}/batch_{n}_input.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["doc_id", "para_id", "region", "kind", "section", "text"])
            rows = 0
            for doc in sorted(batch):
                for r in docs[doc]:
                    out.writerow([r["doc_id"], r["para_id"], r["region"], r["kind"], r["section"], r["text"]])
                    rows += 1
        print(f"batch {n}: {rows} paragraphs, documents {', '.join(sorted(batch))}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
