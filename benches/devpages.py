#!/usr/bin/env python3
"""Measure ingestion on the development pages in ../shared/dev-pages (issue 17).

For every page dNN.txt it runs `policy-themes segment dNN.txt --dropped D.csv`
and prints, per page and overall:

- region / year / kind right: the first output row's region, year and kind
  against expected.csv (an empty expected region or year means the right
  answer is empty);
- chrome kept: characters of lines marked `chrome` in lines/dNN.csv that were
  not dropped, as % of all chrome characters;
- report lost: characters of lines marked `report` that were dropped, as % of
  all report characters.

Counting is by line number, from the `--dropped` CSV (doc_id,line,text,reason).
Characters are counted without whitespace. A line that is only partly dropped
(the dropped text is shorter than the line) counts the characters of the
dropped text, capped at the line's own. A binary without `--dropped` (before
issue 17) is run without it and counts as dropping nothing.

The pages are read at run time and never copied. Python 3 standard library
only. Usage: benches/devpages.py [--bin PATH] [--pages DIR] [-v]
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_pages():
    """../shared/dev-pages beside this checkout, or beside the main checkout
    when this is a git worktree (the worktree's parent holds no shared/)."""
    candidates = [os.path.join(ROOT, "..", "shared", "dev-pages")]
    try:
        common = subprocess.run(
            ["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        main = os.path.dirname(common)
        candidates.append(os.path.join(main, "..", "shared", "dev-pages"))
    except (OSError, subprocess.CalledProcessError):
        pass
    for c in candidates:
        if os.path.isfile(os.path.join(c, "expected.csv")):
            return os.path.normpath(c)
    return None


def squeeze(s):
    return "".join(s.split())


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_page(binary, txt, verbose):
    """(first segment row or None, {line: dropped chars}, dropped rows, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        dropped_path = os.path.join(tmp, "dropped.csv")
        cmd = [binary, "segment", txt, "--dropped", dropped_path]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 2 and "--dropped" in p.stderr:
            # A binary from before `--dropped`: it drops nothing on these pages.
            p = subprocess.run([binary, "segment", txt], capture_output=True, text=True)
        rows = list(csv.DictReader(p.stdout.splitlines())) if p.returncode in (0, 1) else []
        dropped = []
        if os.path.exists(dropped_path):
            dropped = read_csv(dropped_path)
    by_line = {}
    for d in dropped:
        try:
            n = int(d["line"])
        except (KeyError, ValueError):
            continue
        by_line[n] = by_line.get(n, 0) + len(squeeze(d.get("text", "")))
    return (rows[0] if rows else None), by_line, dropped, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "policy-themes"),
                    help="policy-themes binary (default: target/release/policy-themes)")
    ap.add_argument("--pages", help="dev-pages directory (default: ../shared/dev-pages)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list chrome lines kept and report lines dropped")
    args = ap.parse_args()

    pages = args.pages or default_pages()
    if not pages or not os.path.isfile(os.path.join(pages, "expected.csv")):
        print("devpages: ../shared/dev-pages not found; nothing to measure (skipped)")
        return 0
    if not os.access(args.bin, os.X_OK):
        print(f"devpages: no binary at {args.bin}; run `cargo build --release` or pass --bin",
              file=sys.stderr)
        return 2

    expected = read_csv(os.path.join(pages, "expected.csv"))
    tot = {"region": 0, "year": 0, "kind": 0, "chrome": 0, "chrome_kept": 0,
           "report": 0, "report_lost": 0}
    header = (f"{'page':<5} {'region':>6} {'year':>4} {'kind':>4} "
              f"{'chrome kept':>12} {'report lost':>12}  got (region, year, kind)")
    print(header)
    for e in expected:
        name = e["file"]
        stem = os.path.splitext(name)[0]
        txt = os.path.join(pages, name)
        first, by_line, dropped, proc = run_page(args.bin, txt, args.verbose)
        got = (first or {}).get("region", ""), (first or {}).get("year", ""), \
            (first or {}).get("kind", "")
        ok_region = first is not None and got[0] == e["region"]
        ok_year = first is not None and got[1] == e["year"]
        ok_kind = first is not None and got[2] == e["kind"]
        chrome = chrome_kept = report = report_lost = 0
        notes = []
        for line in read_csv(os.path.join(pages, "lines", stem + ".csv")):
            n = int(line["line_no"])
            chars = len(squeeze(line["text"]))
            gone = min(by_line.get(n, 0), chars)
            if line["role"] == "chrome":
                chrome += chars
                chrome_kept += chars - gone
                if args.verbose and chars - gone > 0:
                    notes.append(f"    kept chrome  {n:>3}: {line['text'][:70]}")
            else:
                report += chars
                report_lost += gone
                if args.verbose and gone > 0:
                    notes.append(f"    lost report  {n:>3}: {line['text'][:70]}")
        for k, v in [("region", ok_region), ("year", ok_year), ("kind", ok_kind)]:
            tot[k] += int(v)
        tot["chrome"] += chrome
        tot["chrome_kept"] += chrome_kept
        tot["report"] += report
        tot["report_lost"] += report_lost
        pct = lambda a, b: f"{100 * a / b:5.1f}%" if b else "    -"
        mark = lambda ok: "ok" if ok else "--"
        print(f"{stem:<5} {mark(ok_region):>6} {mark(ok_year):>4} {mark(ok_kind):>4} "
              f"{pct(chrome_kept, chrome) + f' of {chrome:>4}':>12} "
              f"{pct(report_lost, report) + f' of {report:>4}':>12}  {got}")
        if first is None:
            print(f"    segment failed: {proc.stderr.strip()[:200]}")
        for note in notes:
            print(note)
    n = len(expected)
    print(f"overall: region {tot['region']}/{n}, year {tot['year']}/{n}, kind {tot['kind']}/{n}, "
          f"chrome kept {100 * tot['chrome_kept'] / max(tot['chrome'], 1):.1f}% "
          f"({tot['chrome_kept']} of {tot['chrome']} chars), "
          f"report lost {100 * tot['report_lost'] / max(tot['report'], 1):.2f}% "
          f"({tot['report_lost']} of {tot['report']} chars)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
