#!/usr/bin/env python3
"""Per-column sizes of a ratings Parquet file against polars' own writer for the same table
(issue #14): reads FILE with polars, writes it again with `DataFrame.write_parquet`'s defaults
(zstd, statistics, row groups of 512² rows), and prints each column's compressed bytes in
both, its encodings, and whether every row group has min/max statistics.

    python scripts/parquet-sizes.py FILE.parquet [FILE2.parquet ...]   # a dataset: its parts

Needs polars and pyarrow. Exits 1 when a column of FILE is larger than polars' by more than
1% (and 1 KB), so a script or CI can hold the writer to it.
"""

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq


def column_sizes(paths):
    sizes, encodings, stats = defaultdict(int), defaultdict(set), defaultdict(lambda: True)
    groups = 0
    for path in paths:
        meta = pq.ParquetFile(path).metadata
        for g in range(meta.num_row_groups):
            groups += 1
            rg = meta.row_group(g)
            for c in range(rg.num_columns):
                col = rg.column(c)
                name = col.path_in_schema
                sizes[name] += col.total_compressed_size
                encodings[name] |= set(col.encodings)
                st = col.statistics
                stats[name] &= bool(st is not None and (st.has_min_max or st.null_count == col.num_values))
    return sizes, encodings, stats, groups


def main() -> int:
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    df = pl.concat([pl.read_parquet(p) for p in paths])
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "polars.parquet"
        df.write_parquet(ref)
        ours, enc, stats, groups = column_sizes(paths)
        theirs, ref_enc, _, ref_groups = column_sizes([ref])
        total_ours, total_ref = sum(p.stat().st_size for p in paths), ref.stat().st_size
    print(f"{df.height} rows; row groups: {groups} (polars: {ref_groups})")
    print(f"{'column':<28} {'scorecard':>12} {'polars':>12} {'ratio':>6}  stats  encodings")
    worse = False
    for name in theirs:
        a, b = ours.get(name, 0), theirs[name]
        ratio = a / b if b else 1.0
        if a > b * 1.01 and a - b > 1024:
            worse = True
        print(f"{name:<28} {a:>12,} {b:>12,} {ratio:>6.2f}  {'yes' if stats[name] else 'no ':<5}  {','.join(sorted(enc[name]))}")
    print(f"{'file':<28} {total_ours:>12,} {total_ref:>12,} {total_ours / total_ref:>6.2f}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
