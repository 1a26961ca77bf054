"""Rating plans on Spark: each task rates its plans with :func:`scorecard.batch`.

Give :func:`rate_plans` a Spark DataFrame with one plan folder path per row; it returns one
Spark DataFrame with the ratings columns (the same rows ``scorecard batch`` writes for those
plans, in no particular order: sort or partition it as you need)::

    from pyspark.sql import SparkSession
    import scorecard.spark

    spark = SparkSession.builder.getOrCreate()
    paths = spark.createDataFrame([("/dbfs/plans/cyp-2013",), ("/dbfs/plans/cyp-2014",)], ["path"])
    ratings = scorecard.spark.rate_plans(paths)
    ratings.write.partitionBy("period").parquet("/dbfs/ratings")

How it works: ``mapInArrow`` hands each task its rows as Arrow batches; the task rates all
its plans in one :func:`scorecard.batch` call (on the worker's cores, outside the Python
interpreter lock) and yields the ratings as Arrow batches, so no row passes through Python
objects. The benchmark columns (``vs_<label>``, ``gap_<label>``) must be known before the job
starts: by default the driver reads every plan's ``benchmarks.csv`` header and labels
(:func:`scorecard.benchmark_labels`); pass ``labels`` to skip that.

On a cluster, every worker needs the ``scorecard`` wheel installed (and pyarrow), and every
plan folder must be readable at its path from every worker (shared storage: DBFS, a mounted
volume, NFS). Plan folder names must be unique across the collection (they are the ``plan``
column); one task stops at the first plan with bad input and fails the job with its
:class:`scorecard.PlanError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Optional

import scorecard

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["rate_plans", "ratings_schema"]


def _arrow_schema(labels: list[str]) -> "pyarrow.Schema":
    """The ratings' Arrow schema with plain ``string`` text (what Spark's JVM side reads)."""
    import pyarrow as pa

    empty = pa.table(scorecard.batch([], labels=labels))
    fields = []
    for f in empty.schema:
        t = f.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or str(t) == "string_view":
            t = pa.string()
        fields.append(pa.field(f.name, t, nullable=True))
    return pa.schema(fields)


def ratings_schema(labels: list[str]):
    """The Spark schema of the ratings for these benchmark labels: text columns as strings,
    numbers as doubles, ``disagrees`` as a boolean."""
    from pyspark.sql import types as T

    spark_type = {"string": T.StringType(), "double": T.DoubleType(), "bool": T.BooleanType()}
    return T.StructType(
        [T.StructField(f.name, spark_type[str(f.type)], True) for f in _arrow_schema(labels)]
    )


def rate_plans(
    plans: "DataFrame",
    path_column: str = "path",
    periods: str = "all",
    computed: bool = False,
    labels: Optional[list[str]] = None,
    rollup: bool = False,
) -> "DataFrame":
    """Rates the plan folders named in ``plans[path_column]``, one :func:`scorecard.batch` per
    task, as one Spark DataFrame with the ratings schema (:func:`ratings_schema`).

    ``periods``, ``computed`` and ``rollup`` (each action's and priority's rows, as
    ``batch --rollup``) are :func:`scorecard.batch`'s. ``labels`` are the benchmark
    labels of the whole collection; by default the driver reads them from every plan (the
    paths must then be readable from the driver too).
    """
    if labels is None:
        paths = [r[0] for r in plans.select(path_column).collect()]
        labels = scorecard.benchmark_labels(paths)
    labels = sorted(set(labels))
    schema = _arrow_schema(labels)

    def rate_task(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        import pyarrow as pa

        paths: list[str] = []
        for b in batches:
            paths.extend(p for p in b.column(path_column).to_pylist() if p is not None)
        if not paths:
            return
        table = pa.table(scorecard.batch(paths, periods=periods, computed=computed, labels=labels, rollup=rollup))
        yield from table.cast(schema).to_batches()

    return plans.select(path_column).mapInArrow(rate_task, ratings_schema(labels))
