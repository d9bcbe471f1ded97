"""Reads a report's tidy.csv as an analyst would and prints what it found as JSON.

With pandas: pandas.read_csv, its dtypes and shape. Without it: the csv module, each row checked
to have the header's width, value parsed as a float (empty: missing) and seed as an integer.
Either way it checks that (run, guest, metric) identifies a row (one observation per row) and
prints the value at the (run, guest, metric) given on the command line.
Usage: python3 read-tidy.py TIDY_CSV RUN GUEST METRIC   (GUEST '' for a host-wide metric)
"""
import json
import sys

path, run, guest, metric = sys.argv[1:5]
out = {}
try:
    import pandas as pd

    df = pd.read_csv(path, keep_default_na=False, na_values={"value": [""]})
    out["reader"] = "pandas"
    out["rows"], out["width"] = df.shape
    out["columns"] = list(df.columns)
    out["dtypes"] = {c: str(t) for c, t in df.dtypes.items()}
    out["unique_keys"] = not df.duplicated(["run", "guest", "metric"]).any()
    hit = df[(df.run == run) & (df.guest == guest) & (df.metric == metric)]
    out["value"] = None if hit.empty else float(hit.value.iloc[0])
except ImportError:
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {c: i for i, c in enumerate(header)}
    out["reader"] = "csv"
    out["rows"], out["width"] = len(body), len(header)
    out["columns"] = header
    if any(len(r) != len(header) for r in body):
        raise SystemExit("a row is not as wide as the header")
    values = [None if r[col["value"]] == "" else float(r[col["value"]]) for r in body]
    seeds = [int(r[col["seed"]]) for r in body]
    out["parsed"] = len(values) == len(seeds) == len(body)
    keys = [(r[col["run"]], r[col["guest"]], r[col["metric"]]) for r in body]
    out["unique_keys"] = len(set(keys)) == len(keys)
    found = [v for k, v in zip(keys, values) if k == (run, guest, metric)]
    out["value"] = found[0] if found else None
print(json.dumps(out))
