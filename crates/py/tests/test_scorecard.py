"""The Python package against the command line (issue #14): the same ratings, cell for cell,
on both fixtures; the Arrow export read by polars, pyarrow and DuckDB; bad input as
PlanError with positions."""

import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from polars.testing import assert_frame_equal

import scorecard
from conftest import FIXTURES, ROOT, cli, parquet_provenance


def test_the_readme_example_runs_from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shape = pl.DataFrame(scorecard.rate("fixtures/cyp-2013")).shape
    assert shape[0] > 0 and shape[1] == len(scorecard.column_names(scorecard.benchmark_labels("fixtures/cyp-2013")))


@pytest.mark.parametrize("computed", [False, True])
def test_rate_equals_the_cli_cell_for_cell(fixture, tmp_path, computed):
    out = tmp_path / "r.parquet"
    cli("rate", fixture, "-o", out, *(["--computed"] if computed else []))
    expected = pl.read_parquet(out)
    got = scorecard.rate(fixture, computed=computed).to_polars()
    assert got.columns == expected.columns
    assert_frame_equal(got, expected, check_exact=True)
    # And the CLI's CSV, read as text, has the same rows, items and statuses.
    csv = pl.read_csv(cli("rate", fixture, *(["--computed"] if computed else [])).stdout.encode(), infer_schema=False)
    assert csv.height == got.height
    for column in ["plan", "period", "kind", "item", "title", "status", "computed_status", "reason", "dot", "dot_judgement"]:
        assert csv[column].fill_null("").to_list() == got[column].fill_null("").to_list(), column


def test_rate_at_a_period_equals_the_cli(tmp_path):
    plan = FIXTURES[0]
    out = tmp_path / "r.parquet"
    cli("rate", plan, "--period", "2013/14 Q2", "-o", out)
    assert_frame_equal(scorecard.rate(plan, period="2013/14 Q2").to_polars(), pl.read_parquet(out), check_exact=True)


def test_batch_equals_the_cli_cell_for_cell(tmp_path):
    out = tmp_path / "b.parquet"
    cli("batch", *FIXTURES, "-o", out)
    table = scorecard.batch([str(p) for p in FIXTURES])
    assert_frame_equal(table.to_polars(), pl.read_parquet(out), check_exact=True)
    # The provenance is the CLI's.
    assert table.provenance == parquet_provenance(out)


def test_rollup_rows_equal_the_cli(tmp_path):
    # The CYP plan has actions and priorities: --rollup adds their rows.
    plan = FIXTURES[0]
    out = tmp_path / "r.parquet"
    cli("rate", plan, "--rollup", "-o", out)
    got = scorecard.rate(plan, rollup=True).to_polars()
    assert_frame_equal(got, pl.read_parquet(out), check_exact=True)
    assert {"action", "priority"} <= set(got["kind"].to_list())
    cli("batch", plan, "--rollup", "-o", out)
    assert_frame_equal(scorecard.batch(plan, rollup=True).to_polars(), pl.read_parquet(out), check_exact=True)


def test_batch_columns_equal_the_clis_batch_columns(tmp_path):
    out = tmp_path / "b.parquet"
    picked = ["status", "item", "plan", "vs_national", "spc_reason"]
    cli("batch", *FIXTURES, "--columns", ",".join(picked), "-o", out)
    got = scorecard.batch([str(p) for p in FIXTURES], columns=picked).to_polars()
    expected = pl.read_parquet(out)
    assert got.columns == ["plan", "item", "status", "spc_reason", "vs_national"]
    assert_frame_equal(got, expected, check_exact=True)
    # The same cells as the whole table's.
    whole = scorecard.batch([str(p) for p in FIXTURES]).to_polars()
    assert_frame_equal(got, whole.select(got.columns), check_exact=True)
    with pytest.raises(ValueError, match="did you mean `status`"):
        scorecard.batch(FIXTURES[0], columns=["stauts"])


def test_one_plan_batch_accepts_a_path(tmp_path):
    plan = FIXTURES[1]
    out = tmp_path / "b.parquet"
    cli("batch", plan, "--periods", "all", "-o", out)
    assert_frame_equal(scorecard.batch(plan).to_polars(), pl.read_parquet(out), check_exact=True)


def test_provenance_is_rates_and_in_the_arrow_schema(fixture, tmp_path):
    out = tmp_path / "r.json"
    cli("rate", fixture, "-o", out)
    expected = json.loads(out.read_text())["provenance"]
    table = scorecard.rate(fixture)
    assert table.provenance == expected
    arrow = pa.table(table)
    assert json.loads(arrow.schema.metadata[b"scorecard.provenance"]) == expected


def test_overview_equals_the_cli(fixture):
    text = cli("overview", fixture, "--format", "csv").stdout
    expected = pl.read_csv(text.encode(), infer_schema=False).filter(pl.first() != "%")
    got = scorecard.overview(fixture).to_polars()
    assert got.columns[: len(expected.columns)] == expected.columns or set(expected.columns) <= set(got.columns)
    for column in expected.columns:
        assert got[column].cast(pl.String).fill_null("").to_list() == expected[column].fill_null("").to_list(), column


def test_the_seed_overview_table():
    got = scorecard.overview(FIXTURES[0], period="2013-12").to_polars()
    total = got.filter(pl.col("priority") == "Total").row(0, named=True)
    assert (total["green"], total["amber"], total["red"], total["blue"], total["total"]) == (26, 121, 7, 2, 156)


def test_pyarrow_and_duckdb_read_the_table():
    duckdb = pytest.importorskip("duckdb")
    table = scorecard.rate(FIXTURES[0])
    arrow = pa.table(table)
    assert arrow.num_rows == len(table) and arrow.column_names == table.columns
    t = table  # noqa: F841 (DuckDB finds the local by name)
    assert duckdb.sql("select count(*) from t").fetchall()[0][0] == len(table)
    statuses = duckdb.sql("select status, count(*) from t group by status order by status").fetchall()
    assert sum(n for _, n in statuses) == len(table)


def test_the_stream_can_be_read_twice():
    table = scorecard.rate(FIXTURES[1])
    assert_frame_equal(pl.DataFrame(table), pl.DataFrame(table))


def bad_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "bad"
    plan.mkdir(parents=True)
    (plan / "measures.csv").write_text("measure,title,polarity,frequency\nM1,Visits,high,monthly\nM2,Calls,sideways,monthly\n")
    (plan / "values.csv").write_text("measure,period,value\nM1,2013-12,5\nM1,2013-13,6\n")
    return plan


def test_validate_lists_the_problems_with_positions(tmp_path):
    problems = scorecard.validate(bad_plan(tmp_path))
    assert len(problems) == 2
    by_file = {Path(p.file).name: p for p in problems}
    polarity = by_file["measures.csv"]
    assert (polarity.line, polarity.column, polarity.column_name) == (3, 3, "polarity")
    period = by_file["values.csv"]
    assert (period.line, period.column) == (3, 2)
    assert "month 13" in period.message
    assert str(period).startswith(period.file + ":3:2: ")
    assert scorecard.validate(FIXTURES[0]) == []


def test_bad_input_raises_plan_error_with_the_problems(tmp_path):
    with pytest.raises(scorecard.PlanError) as caught:
        scorecard.rate(bad_plan(tmp_path))
    assert [(Path(p.file).name, p.line, p.column) for p in caught.value.problems] == [("measures.csv", 3, 3), ("values.csv", 3, 2)]
    assert "sideways" in str(caught.value)
    with pytest.raises(scorecard.PlanError):
        scorecard.batch([FIXTURES[0], bad_plan(tmp_path / "again")])


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises((scorecard.PlanError, OSError)):
        scorecard.rate(tmp_path / "nowhere")
