"""Ratings of council delivery plans and performance scorecards, as Arrow tables.

The functions here are the ``scorecard`` command line's, in Python: they read a plan folder
(the CSV files the README describes) and return a :class:`Table`, which polars, pyarrow and
DuckDB read through the Arrow PyCapsule interface (``__arrow_c_stream__``) without a copy::

    import polars, scorecard
    df = polars.DataFrame(scorecard.rate("fixtures/cyp-2013"))
    df = scorecard.batch(["plans/a", "plans/b"]).to_polars()

- :func:`rate`: one plan at one period, as ``scorecard rate``.
- :func:`batch`: many plans at every period, as ``scorecard batch``.
- :func:`overview`: the priority overview table, as ``scorecard overview``.
- :func:`validate`: the problems of a plan folder, as ``scorecard validate``.
- :mod:`scorecard.spark`: rates a Spark DataFrame of plan paths on a cluster.

Bad input raises :class:`PlanError`, whose ``problems`` are :class:`Problem` objects with the
``file``, ``line``, ``column`` and ``message`` the command line prints.
"""

from ._scorecard import (
    PlanError,
    Problem,
    Table,
    __version__,
    batch,
    benchmark_labels,
    column_names,
    overview,
    rate,
    validate,
)

__all__ = [
    "PlanError",
    "Problem",
    "Table",
    "__version__",
    "batch",
    "benchmark_labels",
    "column_names",
    "overview",
    "rate",
    "validate",
]
