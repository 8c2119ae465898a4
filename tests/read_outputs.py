"""Load every CSV policy-themes wrote with pandas.read_csv(path), no options,
and check what pandas sees against what the tool wrote.

Usage: python3 read_outputs.py MANIFEST.jsonl
Each manifest line: {"path", "columns", "rows", "numeric"}: the header, the
number of data rows and the columns whose every non-empty cell is a number,
as the tool says (read back by the test with a strict CSV reader).
Exit code 0 when every file loads as described, 1 otherwise (one line per
problem on stdout); 3 when pandas is missing.
"""
import json
import sys

try:
    import pandas as pd
except ImportError:
    print("pandas is not installed (python3 -m pip install pandas)")
    sys.exit(3)

problems = []
checked = 0
with open(sys.argv[1], encoding="utf-8") as manifest:
    for line in manifest:
        want = json.loads(line)
        path = want["path"]
        try:
            df = pd.read_csv(path)
        except Exception as e:  # any failure to load is what this test is for
            problems.append(f"{path}: pandas.read_csv failed: {e}")
            continue
        checked += 1
        cols = [str(c) for c in df.columns]
        if cols != want["columns"]:
            problems.append(f"{path}: columns {cols} != {want['columns']}")
        if len(df) != want["rows"]:
            problems.append(f"{path}: {len(df)} rows != {want['rows']}")
        for c in want["numeric"]:
            if c in df.columns and not pd.api.types.is_numeric_dtype(df[c]):
                problems.append(f"{path}: column {c} read as {df[c].dtype}, not a number")
        for c in want.get("text", []):
            if c in df.columns and pd.api.types.is_numeric_dtype(df[c]):
                problems.append(f"{path}: column {c} read as a number")

for p in problems:
    print(p)
print(f"pandas {pd.__version__}: {checked} file(s) loaded, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
