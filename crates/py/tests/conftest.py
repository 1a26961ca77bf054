"""Shared fixtures: the repository's plan fixtures and the `scorecard` binary the Rust tests
built (SCORECARD_BIN, set by .ci/run; else target/debug/scorecard)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = [ROOT / "fixtures" / "cyp-2013", ROOT / "fixtures" / "members-scorecard-2024"]


def binary() -> str:
    if os.environ.get("SCORECARD_BIN"):
        return os.environ["SCORECARD_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    return str(Path(target) / "debug" / "scorecard")


def cli(*args: str) -> subprocess.CompletedProcess:
    """Runs the command line; fails the test on a non-zero exit."""
    done = subprocess.run([binary(), *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def parquet_provenance(path: Path) -> dict:
    import pyarrow.parquet as pq

    return json.loads(pq.ParquetFile(path).metadata.metadata[b"scorecard.provenance"])


@pytest.fixture(params=FIXTURES, ids=lambda p: p.name)
def fixture(request) -> Path:
    return request.param
