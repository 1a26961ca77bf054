"""scorecard.spark on pyspark local[2] (issue #14): its rows equal `scorecard batch` on the
same plans."""

import os
import shutil
import sys

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import FIXTURES, cli

pyspark = pytest.importorskip("pyspark")

import scorecard.spark  # noqa: E402

KEY = ["plan", "period", "kind", "item"]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers run this interpreter, which has scorecard and pyarrow.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("scorecard-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # Advertise the address bound: a result too large to send inline is fetched from the
        # driver's block manager at spark.driver.host, which otherwise is the machine's own
        # address, where nothing listens (TaskResultLost in a clean-clone CI run).
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans")
    for f in FIXTURES:
        shutil.copytree(f, root / f.name)
    cli("generate", "-o", root, "--plans", "3", "--milestones", "20", "--measures", "10", "--months", "24", "--update-periods", "8")
    return sorted(p for p in root.iterdir() if p.is_dir())


def test_spark_rows_equal_scorecard_batch(spark, plans, tmp_path):
    out = tmp_path / "batch.parquet"
    cli("batch", *plans, "-o", out)
    expected = pl.read_parquet(out)
    paths = spark.createDataFrame([(str(p),) for p in plans], ["path"]).repartition(2)
    ratings = scorecard.spark.rate_plans(paths)
    assert ratings.columns == expected.columns
    got = pl.from_pandas(ratings.toPandas()) if not hasattr(ratings, "toArrow") else pl.from_arrow(ratings.toArrow())
    assert got.height == expected.height
    assert_frame_equal(got.sort(KEY), expected.sort(KEY), check_exact=True, check_dtypes=True)


def test_spark_rollup_rows_equal_batch_rollup(spark, plans, tmp_path):
    out = tmp_path / "rollup.parquet"
    cli("batch", *plans, "--rollup", "-o", out)
    expected = pl.read_parquet(out)
    paths = spark.createDataFrame([(str(p),) for p in plans], ["path"]).repartition(2)
    ratings = scorecard.spark.rate_plans(paths, rollup=True)
    got = pl.from_pandas(ratings.toPandas()) if not hasattr(ratings, "toArrow") else pl.from_arrow(ratings.toArrow())
    assert {"action", "priority"} <= set(got["kind"].to_list())
    assert_frame_equal(got.sort(KEY), expected.sort(KEY), check_exact=True, check_dtypes=True)


def test_spark_schema_is_the_ratings_columns():
    labels = ["national", "neighbours"]
    schema = scorecard.spark.ratings_schema(labels)
    assert [f.name for f in schema.fields] == scorecard.column_names(labels)
