"""Type stubs for ``scorecard`` (the native module ``scorecard._scorecard``)."""

import os
from typing import Any, Iterable, Optional, Union

_Path = Union[str, "os.PathLike[str]"]

__version__: str

class Problem:
    """One thing wrong with a plan's input."""

    file: str
    """The file, as named from the plan folder given (``plans/cyp/updates.csv``)."""
    line: Optional[int]
    """Line number, the header being line 1; ``None`` for a whole-file problem."""
    column: Optional[int]
    """1-based column number, where the problem is in one field."""
    column_name: Optional[str]
    """The column's header name, where known."""
    message: str
    """What is wrong and what was expected."""

class PlanError(Exception):
    """A plan's input is wrong; ``problems`` lists every problem found."""

    problems: list[Problem]

class Table:
    """Rows and typed columns, read through the Arrow PyCapsule interface.

    ``polars.DataFrame(t)``, ``pyarrow.table(t)`` and DuckDB (``duckdb.sql("from t")``) take
    the columns without a copy; text columns are Arrow ``string_view``.
    """

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The Arrow C stream (a PyCapsule named ``arrow_array_stream``)."""
    def to_polars(self) -> Any:
        """The table as a ``polars.DataFrame`` (polars 1.3 or later)."""
    def to_arrow(self) -> Any:
        """The table as a ``pyarrow.Table`` (pyarrow 14 or later)."""
    def __len__(self) -> int: ...
    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``."""
    @property
    def provenance(self) -> Optional[dict[str, Any]]:
        """Engine version, ``computed_only``, and per plan the SHA-256 of its effective rules
        and input files; ``None`` for an overview. Also in the Arrow schema's metadata under
        ``scorecard.provenance``."""

def rate(plan: _Path, period: Optional[str] = None, computed: bool = False, rollup: bool = False) -> Table:
    """Rates one plan folder at one period, as ``scorecard rate``.

    ``period`` defaults to the latest period with an update or value (``"2013/14 Q3"``,
    ``"2013-12"``, ...); ``computed=True`` reports the engine's rating alone, ignoring officers'
    statuses; ``rollup=True`` adds each action's and priority's row, rolled up from its
    milestones (``rate --rollup``). Raises :class:`PlanError` on bad input.
    """

def batch(
    plans: Union[_Path, Iterable[_Path]],
    periods: str = "all",
    computed: bool = False,
    labels: Optional[list[str]] = None,
    rollup: bool = False,
    columns: Optional[list[str]] = None,
) -> Table:
    """Rates many plan folders, as ``scorecard batch``.

    ``periods``: ``"all"`` (every period with an update or value), one period, or a range
    ``"FROM..TO"``. Plans come in folder-name order; every benchmark label of any plan gets a
    ``vs_<label>``/``gap_<label>`` column pair (``labels`` fixes them instead, and must hold
    every plan's labels); ``rollup=True`` adds each action's and priority's rows
    (``batch --rollup``); ``columns`` keeps the columns it names alone, in the table's order,
    as ``batch --columns`` (``ValueError`` for a name that is not a column). Raises
    :class:`PlanError` on the first plan with bad input.
    """

def overview(plan: _Path, period: Optional[str] = None, computed: bool = False) -> Table:
    """The priority overview table, as ``scorecard overview``.

    A row per priority (``priority`` column), or per measure group (``group``) for a plan
    without milestones, with ``title``, ``green``, ``amber``, ``red``, ``blue``, ``total`` and
    ``not_rated``; then a ``Total`` row. The command line's ``%`` row is left out.
    """

def validate(plan: _Path) -> list[Problem]:
    """Every problem of a plan folder, as ``scorecard validate`` lists them; empty when good."""

def column_names(labels: list[str] = ...) -> list[str]:
    """The ratings columns, in order, for these benchmark labels."""

def benchmark_labels(plans: Union[_Path, Iterable[_Path]]) -> list[str]:
    """The benchmark labels of these plan folders, sorted (their ``vs_``/``gap_`` columns)."""
