#!/usr/bin/env bash
# Side-by-side speed and memory of `policy-themes label` against the Python
# pipeline (jieba + scikit-learn TF-IDF + MultinomialNB, benches/peers/speed.py)
# on the bundled corpus replicated N times, in one run, and the ratios the
# project's targets are stated in. The default model reads character bigrams
# only, so the like-for-like Python pipeline (scikit-learn character 2-grams,
# no jieba) is timed too. Needs: the Rust toolchain, python3 with
# benches/peers/requirements.txt installed, GNU time (/usr/bin/time).
#
#   bash benches/speed.sh [N=50] [BIG]
#   TRAIN_FLAGS=--words bash benches/speed.sh   # the same for a words model
#
# With BIG (e.g. 5000: 3.1 GB, 25,000 files, as much again in free disk for
# the copies), it also labels the corpus x BIG and, five times, x N, with the
# output written to /dev/null, and prints the time ratio against BIG/N: the
# linearity target. (Not through `| cat`: at 3.5 GB of output, cat's copying
# takes CPU from the labelling. Not to a file: on this machine the disk,
# not the program, then sets the pace.)
set -euo pipefail
N=${1:-50}
BIG=${2:-}
cd "$(dirname "$0")/.."
cargo build --release -q --bin policy-themes --example jieba_cut
B=target/release/policy-themes
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

replicate() { # replicate DIR COPIES
  mkdir -p "$1"
  for i in $(seq 1 "$2"); do
    for f in corpus/*.txt; do cp "$f" "$1/$(basename "$f" .txt)_$i.txt"; done
  done
}
replicate "$W/c1" 1
replicate "$W/cN" "$N"
replicate "$W/c100" 100
# Flush the copies and read them once, so neither side pays for writeback or
# cold page cache.
sync
cat "$W"/c1/* "$W"/cN/* "$W"/c100/* > /dev/null

timed() { # timed NAME CMD... -> prints "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$W/$1.time" "${@:2}" >/dev/null
  cat "$W/$1.time"
}

echo "machine: $(nproc) cores; corpus replicated ${N}x: $(du -sh "$W/cN" | cut -f1)"
# shellcheck disable=SC2086 # TRAIN_FLAGS holds several flags
read -r train_s train_kb < <(timed train $B train -q ${TRAIN_FLAGS:-} -o "$W/model.json")
$B segment -q "$W/cN" -o "$W/paragraphs.csv"
chars=$(python3 -c "import csv,sys; csv.field_size_limit(1<<30); print(sum(len(r['text']) for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))))" "$W/paragraphs.csv")

# Model load alone: label one short file.
printf '各位代表:\n现在,我代表区人民政府向大会报告工作。\n' > "$W/tiny.txt"
read -r load_s load_kb < <(timed load $B label -q --model "$W/model.json" "$W/tiny.txt" -o "$W/tiny.csv")

# Ours and Python alternate, three runs each, and the medians count: the
# machine is shared and its speed drifts, so the two sides must see the same
# conditions. Python labels the corpus x5 (its throughput does not depend on
# size: no start-up is timed) so that a run takes seconds, not a minute.
replicate "$W/c5" 5
$B segment -q "$W/c5" -o "$W/paragraphs5.csv"
for i in 1 2 3; do
  timed "ours$i" $B label -q --model "$W/model.json" "$W/cN" -o "$W/ours.csv" >> "$W/ours.runs"
  python3 benches/peers/speed.py --labels labels --paragraphs "$W/paragraphs5.csv" --out "$W/py.csv" >> "$W/py.runs"
  python3 benches/peers/speed.py --features char-bigrams --labels labels --paragraphs "$W/paragraphs5.csv" --out "$W/pyc.csv" >> "$W/pyc.runs"
done
read -r ours_s ours_kb < <(sort -n "$W/ours.runs" | sed -n 2p)
median_run() { python3 -c "import json,sys; r=sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda x: x['chars_per_second']); print(json.dumps(r[1]))" "$1"; }
py=$(median_run "$W/py.runs")
pyc=$(median_run "$W/pyc.runs")
jieba=$(target/release/examples/jieba_cut "$W/paragraphs.csv")
read -r s1 kb1 < <(timed one $B label -q --model "$W/model.json" "$W/c1" -o "$W/one.csv")
read -r s100 kb100 < <(timed hundred $B label -q --model "$W/model.json" "$W/c100" -o "$W/hundred.csv")

python3 - "$chars" "$ours_s" "$ours_kb" "$jieba" "$py" "$train_s" "$train_kb" "$load_s" "$s1" "$s100" "$kb100" "$N" "$pyc" <<'PY'
import json, sys
chars, ours_s, ours_kb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
jieba, py = json.loads(sys.argv[4]), json.loads(sys.argv[5])
train_s, train_kb, load_s = float(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])
s1, s100, kb100, n = float(sys.argv[9]), float(sys.argv[10]), int(sys.argv[11]), int(sys.argv[12])
pyc = json.loads(sys.argv[13])
ours = chars / ours_s
cores = jieba["threads"]
ceiling = jieba["one_thread_chars_per_second"] * cores
rows = [
    ("paragraph characters labelled", f"{chars:,}"),
    ("policy-themes label (model load included; median of 3 runs)", f"{ours/1e6:.2f} M chars/s, {ours_s:.2f} s, peak RSS {ours_kb/1024:.0f} MB"),
    ("Python jieba + scikit-learn MultinomialNB (corpus x5; median of 3 runs)", f"{py['chars_per_second']/1e6:.3f} M chars/s, {py['seconds']:.2f} s"),
    ("ratio ours / Python (target >= 40)", f"{ours/py['chars_per_second']:.1f}x"),
    ("Python scikit-learn character 2-grams + MultinomialNB, no jieba (like-for-like with the default model; median of 3)", f"{pyc['chars_per_second']/1e6:.3f} M chars/s, {pyc['seconds']:.2f} s"),
    ("ratio ours / Python character 2-grams", f"{ours/pyc['chars_per_second']:.1f}x"),
    ("raw jieba-rs cut, 1 thread", f"{jieba['one_thread_chars_per_second']/1e6:.2f} M chars/s"),
    (f"ratio ours / (raw jieba-rs x {cores} cores) (target >= 0.60)", f"{ours/ceiling:.2f}"),
    ("model load + tiny file (target <= 0.1 s)", f"{load_s:.2f} s"),
    ("train on the full labels (target <= 2 s, < 500 MB)", f"{train_s:.2f} s, peak RSS {train_kb/1024:.0f} MB"),
    ("time for 100x input: corpus x100 vs x1 (target 100x +-20%)", f"{s100:.2f} s vs {s1:.2f} s = {s100/s1:.1f}x (peak RSS {kb100/1024:.0f} MB; target < 300 MB)"),
    (f"time per character, x100 vs x{n} (linear = 1.00)", f"{(s100 / (100 * chars / n)) / (ours_s / chars):.2f}"),
]
for k, v in rows:
    print(f"| {k} | {v} |")
PY

if [ -n "$BIG" ]; then
  replicate "$W/cBIG" "$BIG"
  sync
  ms() { # ms CMD... -> wall milliseconds, output to /dev/null
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
  }
  for i in 1 2 3 4 5; do ms $B label -q --model "$W/model.json" "$W/cN"; done | sort -n > "$W/small.ms"
  small=$(sed -n 3p "$W/small.ms")
  read -r big_s big_kb < <(timed big $B label -q --model "$W/model.json" "$W/cBIG")
  python3 - "$small" "$big_s" "$big_kb" "$N" "$BIG" "$(du -sh "$W/cBIG" | cut -f1)" <<'PY'
import sys
small_ms, big_s, big_kb, n, big, size = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
ratio = big_s / (small_ms / 1000)
want = big / n
print(f"| corpus x{big} ({size}), output to /dev/null | {big_s:.2f} s, peak RSS {big_kb/1024:.0f} MB |")
print(f"| corpus x{n}, output to /dev/null (median of 5) | {small_ms/1000:.3f} s |")
print(f"| time ratio x{big} / x{n} (target {want:.0f}x +-20%: {0.8*want:.0f}-{1.2*want:.0f}x) | {ratio:.1f}x |")
PY
fi
