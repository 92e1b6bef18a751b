"""Reads a `calldb export` folder with DuckDB (its Python package, no network) and prints, per view, the row count
and column types; with a partitioned export, every view is read as one table across its Hive folders.

Usage: duckdb_check.py EXPORT_DIR
"""
import json
import os
import sys

import duckdb

root = sys.argv[1]
con = duckdb.connect()
out = {}
for view in sorted(os.listdir(root)):
    # The folder also holds calldb's hidden lock file: only the views' folders are tables.
    if view.startswith(".") or not os.path.isdir(os.path.join(root, view)):
        continue
    pattern = os.path.join(root, view, "**", "*.parquet")
    rel = con.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)")
    types = {name: str(t) for name, t in zip(rel.columns, rel.types)}
    count = con.sql(f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning = true)").fetchall()[0][0]
    files = sum(len([f for f in fs if f.endswith(".parquet")]) for _, _, fs in os.walk(os.path.join(root, view)))
    out[view] = {"rows": count, "types": types, "files": files}
print(json.dumps(out))
