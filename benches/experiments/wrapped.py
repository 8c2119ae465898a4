#!/usr/bin/env python3
"""Does a report copied out of a PDF get the same theme shares as the original?

A PDF export breaks every paragraph into lines of one width. This rewraps
each seed file the way a PDF would (greedy lines of at most W display
columns, a Chinese character being two; closing punctuation hangs on the
line it closes, as in Chinese typesetting) or the way a fixed-width dump
would (W characters), optionally with the first line of each paragraph
indented by two ideographic spaces. Each version is labelled by one
binary and one model, and compared with the original files labelled the
same way:

  - paragraphs: the share of the original's paragraphs (by text) that the
    wrapped version segments identically;
  - share diff: per document, the mean absolute difference of the
    character-weighted theme shares (percentage points), the measure
    `eval` reports; mean over the 23 documents and the worst one.

    cargo build --release
    ./target/release/policy-themes train -o /tmp/model.json
    python3 benches/experiments/wrapped.py --bin ./target/release/policy-themes --model /tmp/model.json [--flat]

Pass `--bin` twice to compare two builds side by side (e.g. before and
after a change to segmentation).
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import unicodedata

HANG = set(",。、;:!?)》」』”’,.;:!?)%")


def columns(c):
    # The measure the tool uses (unicode-width's CJK width): wide and
    # ambiguous characters are two columns.
    return 2 if unicodedata.east_asian_width(c) in "WFA" else 1


def wrap_line(line, width, measure, indent):
    text = ("\u3000\u3000" if indent else "") + line
    out, cur, used = [], "", 0
    for c in text:
        w = columns(c) if measure == "columns" else 1
        if used + w > width and cur and c not in HANG:
            out.append(cur)
            cur, used = "", 0
        cur += c
        used += w
    if cur:
        out.append(cur)
    return out


def rewrap(src, dst, width, measure, indent):
    with open(src, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    out = []
    for i, line in enumerate(lines):
        # Short lines (headings, dates, record separators) stay as they are,
        # and so do the titles of a scraped page's records (after a `-` line).
        title = i > 0 and lines[i - 1].strip() == "-"
        if len(line.strip()) < 10 or title:
            out.append(line)
        else:
            out.extend(wrap_line(line.strip(), width, measure, indent))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def flatten(binary, corpus, into):
    """One file per document, one paragraph per line."""
    res = subprocess.run([binary, "-q", "segment", corpus], capture_output=True, text=True,
                         check=True)
    docs = {}
    for r in csv.DictReader(io.StringIO(res.stdout)):
        # A PDF sets a table out in cells, not as a `|`-separated line.
        if "|" not in r["text"]:
            docs.setdefault(r["doc_id"], []).append(r["text"])
    for doc, paras in docs.items():
        with open(os.path.join(into, doc + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(paras) + "\n")
    return into


def label(binary, model, directory):
    res = subprocess.run([binary, "-q", "label", "--model", model, directory],
                         capture_output=True, text=True, check=True)
    return list(csv.DictReader(io.StringIO(res.stdout)))


def shares(rows):
    out = {}
    for r in rows:
        d = out.setdefault(r["doc_id"], {})
        n = len("".join(r["text"].split()))
        d[r["theme"]] = d.get(r["theme"], 0) + n
    for d in out.values():
        total = sum(d.values())
        for k in d:
            d[k] /= total
    return out


THEMES = ["poverty", "rural", "ecology", "investment", "livelihood", "social", "industry",
          "innovation", "reform", "urban", "safety", "government", "overview", "uncertain"]


def compare(orig, new):
    so, sn = shares(orig), shares(new)
    diffs = []
    for doc, a in so.items():
        b = sn.get(doc, {})
        diffs.append(100 * sum(abs(a.get(t, 0) - b.get(t, 0)) for t in THEMES[:-1]) / 13)
    paras = {(r["doc_id"], "".join(r["text"].split())) for r in orig}
    kept = {(r["doc_id"], "".join(r["text"].split())) for r in new}
    return len(paras & kept) / len(paras), sum(diffs) / len(diffs), max(diffs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", action="append", required=True, help="policy-themes binary (repeatable)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "corpus"))
    ap.add_argument("--flat", action="store_true",
                    help="first write each document as its paragraphs (as the last --bin "
                         "segments them), one per line, as a PDF of it would hold them")
    args = ap.parse_args()
    keep = tempfile.TemporaryDirectory()
    if args.flat:
        args.corpus = flatten(args.bin[-1], args.corpus, keep.name)
    files = sorted(f for f in os.listdir(args.corpus) if f.endswith(".txt"))
    cases = [("columns", w, i) for w in (60, 70, 80) for i in (False, True)]
    cases += [("chars", w, False) for w in (30, 38)]
    originals = {b: label(b, args.model, args.corpus) for b in args.bin}
    print("| wrap | indent | " + " | ".join(f"{os.path.basename(os.path.dirname(os.path.dirname(b)))}: paragraphs, share diff mean / worst" for b in args.bin) + " |")
    print("|---|---|" + "---|" * len(args.bin))
    with tempfile.TemporaryDirectory() as tmp:
        for measure, width, indent in cases:
            d = os.path.join(tmp, f"{measure}{width}{'i' if indent else ''}")
            os.mkdir(d)
            for f in files:
                rewrap(os.path.join(args.corpus, f), os.path.join(d, f), width, measure, indent)
            cells = []
            for b in args.bin:
                p, mean, worst = compare(originals[b], label(b, args.model, d))
                cells.append(f"{100 * p:.1f}%, {mean:.2f} / {worst:.2f} pp")
            print(f"| {width} {measure} | {'yes' if indent else 'no'} | " + " | ".join(cells) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
