#!/usr/bin/env python3
"""The reference for `scorecard batch`'s speed (issue #14): the same rules written in Python
polars, as an analyst would, over generated plans (`scorecard generate`), writing Parquet or
CSV by the output's extension with polars' own writer and its defaults.

    python scripts/reference-polars.py PLANS_FOLDER OUT.parquet|OUT.csv

It rates the same rows as `scorecard batch PLANS_FOLDER/*/ --periods all` (milestones at every
quarter with an update, measures at every month with a value) with the same columns, and the
rules in the same order: Blue without an update or value; a milestone Green when complete, Red
with issues or past its due date, then against its trajectory or profiled target, else Amber;
a measure against its target for the month (targets.csv's for the financial year, else its
own) and amber threshold (else 5% of the target); the officer's status where given; direction
of travel against the previous month or the year before; benchmarks as of the month, with the
95% Wilson interval where the value has a numerator and a denominator. It covers the
generated plans' shape (financial years, quarterly updates, monthly measures, quarterly
benchmarks), not every input the CLI accepts, and its reason sentences are the CLI's wording
for the common cases, not byte for byte: it is a workload to time, not a second engine.
"""

import sys
from pathlib import Path

import polars as pl


def num(c: str) -> pl.Expr:
    return pl.col(c).str.strip_chars().str.replace_all(",", "").str.strip_suffix("%").cast(pl.Float64, strict=False)


def flag(c: str) -> pl.Expr:
    return pl.col(c).str.strip_chars().str.to_lowercase().is_in(["yes", "y", "true", "1"]).fill_null(False)


def scan(root: Path, name: str) -> pl.LazyFrame:
    return pl.scan_csv(str(root / "*" / name), infer_schema=False, include_file_paths="path").with_columns(
        plan=pl.col("path").str.split("/").list.get(-2)
    )


def quarter_index(c: str) -> pl.Expr:
    """`2019/20 Q1` → the quarter's last month, as year * 12 + month - 1 (June 2019)."""
    year = pl.col(c).str.slice(0, 4).cast(pl.Int32)
    q = pl.col(c).str.slice(-1).cast(pl.Int32)
    return year * 12 + 3 + 3 * q - 1


def month_index(c: str) -> pl.Expr:
    """`2019-04` or `Apr 2019` → year * 12 + month - 1."""
    d = pl.coalesce(
        pl.col(c).str.strptime(pl.Date, "%Y-%m", strict=False), pl.col(c).str.strptime(pl.Date, "%b %Y", strict=False)
    )
    return d.dt.year().cast(pl.Int32) * 12 + d.dt.month().cast(pl.Int32) - 1


def year_end_index(c: str) -> pl.Expr:
    """`2019/20` → March 2020."""
    return (pl.col(c).str.slice(0, 4).cast(pl.Int32) + 1) * 12 + 2


def date_index(c: str) -> pl.Expr:
    d = pl.coalesce(
        pl.col(c).str.strptime(pl.Date, "%Y-%m-%d", strict=False), pl.col(c).str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    )
    return d.dt.year().cast(pl.Int32) * 12 + d.dt.month().cast(pl.Int32) - 1


def fmt(e: pl.Expr) -> pl.Expr:
    return e.round(6).cast(pl.String)


def against(value: str, target: str, amber: str, sign: pl.Expr) -> pl.Expr:
    """Green at or beyond the target, Amber to the threshold, Red beyond it."""
    v, t, a = pl.col(value), pl.col(target), pl.col(amber)
    return (
        pl.when((v - t) * sign >= 0).then(pl.lit("Green")).when((v - a) * sign >= 0).then(pl.lit("Amber")).otherwise(pl.lit("Red"))
    )


def officer(status: str) -> pl.Expr:
    s = pl.col(status).str.strip_chars().str.to_lowercase()
    return (
        pl.when(s.is_in(["g", "green"]))
        .then(pl.lit("Green"))
        .when(s.is_in(["a", "amber"]))
        .then(pl.lit("Amber"))
        .when(s.is_in(["r", "red"]))
        .then(pl.lit("Red"))
        .when(s.is_in(["b", "blue"]))
        .then(pl.lit("Blue"))
    )


def milestones(root: Path) -> pl.LazyFrame:
    ms = scan(root, "milestones.csv").with_columns(order=pl.int_range(pl.len()).over("plan"))
    up = scan(root, "updates.csv").with_columns(t=quarter_index("period"))
    periods = up.select("plan", "period", "t").unique()
    traj = scan(root, "targets.csv").filter(pl.col("period").str.contains("Q")).select(
        "plan", pl.col("item").alias("milestone"), t=quarter_index("period"), trajectory=num("target"), trajectory_amber=num("amber_threshold")
    )
    grid = (
        ms.join(periods, on="plan")
        .join(up.drop("path", "period"), on=["plan", "milestone", "t"], how="left")
        .join(traj, on=["plan", "milestone", "t"], how="left")
    )
    sign = pl.when(pl.col("polarity") == "high").then(1).when(pl.col("polarity") == "low").then(-1).otherwise(0)
    b0, b1 = year_end_index("baseline_period"), year_end_index("target_period")
    share = ((pl.col("t") - b0) / (b1 - b0)).clip(0, 1)
    profiled = num("baseline") + (num("target") - num("baseline")) * share
    target = pl.coalesce(pl.col("trajectory"), pl.when(num("baseline").is_not_null()).then(profiled).otherwise(num("target")))
    # An update with no value, flag, status or commentary counts as none (Blue).
    has = pl.any_horizontal(*(pl.col(c).is_not_null() for c in ["value", "complete", "issues", "status", "commentary"]))
    g = grid.with_columns(value=num("value"), target=target, sign=sign, has=has)
    g = g.with_columns(
        amber=pl.coalesce(pl.col("trajectory_amber"), num("amber_threshold"), pl.col("target") * (1 - 0.05 * pl.col("sign")))
    )
    due = date_index("due")
    computed = (
        pl.when(~pl.col("has"))
        .then(pl.lit("Blue"))
        .when(flag("complete"))
        .then(pl.lit("Green"))
        .when(flag("issues") | (due.is_not_null() & (due <= pl.col("t"))))
        .then(pl.lit("Red"))
        .when(pl.col("value").is_not_null() & pl.col("target").is_not_null() & (pl.col("sign") != 0))
        .then(against("value", "target", "amber", pl.col("sign")))
        .otherwise(pl.lit("Amber"))
    )
    g = g.with_columns(computed_status=computed, officer=officer("status"))
    reason = (
        pl.when(~pl.col("has"))
        .then(pl.concat_str(pl.lit("no update for "), pl.col("period")))
        .when(flag("complete"))
        .then(pl.concat_str(pl.lit("marked complete in the update for "), pl.col("period")))
        .when(flag("issues"))
        .then(pl.concat_str(pl.lit("issues flagged in the update for "), pl.col("period")))
        .when(due.is_not_null() & (due <= pl.col("t")))
        .then(pl.concat_str(pl.lit("due "), pl.col("due"), pl.lit(", passed by the end of "), pl.col("period"), pl.lit(", and not complete")))
        .when(pl.col("value").is_not_null() & pl.col("target").is_not_null() & (pl.col("sign") != 0))
        .then(
            pl.concat_str(
                fmt(pl.col("value")), pl.lit(" against a target of "), fmt(pl.col("target")), pl.lit(" for "), pl.col("period"),
                pl.lit(" ("), pl.col("polarity"), pl.lit(" is good, amber threshold "), fmt(pl.col("amber")), pl.lit(")"),
            )
        )
        .otherwise(pl.concat_str(pl.lit("ongoing, no issues reported for "), pl.col("period")))
    )
    return g.select(
        "plan", "period", kind=pl.lit("milestone"), item=pl.col("milestone"), priority=pl.col("priority"), title=pl.col("title"),
        status=pl.coalesce("officer", "computed_status"), computed_status="computed_status",
        disagrees=pl.col("officer").is_not_null() & (pl.col("officer") != pl.col("computed_status")),
        reason=pl.concat_str(pl.col("computed_status"), pl.lit(": "), reason), value="value", target="target",
        amber_threshold="amber", polarity="polarity", rated_period="period", dot=pl.lit(None, pl.String),
        dot_judgement=pl.lit(None, pl.String), t="t", k=pl.lit(0), order="order",
    )


def measures(root: Path, labels: list[str]) -> pl.LazyFrame:
    me = scan(root, "measures.csv").with_columns(order=pl.int_range(pl.len()).over("plan"))
    va = scan(root, "values.csv").with_columns(t=month_index("period"), value=num("value"), n=num("numerator"), d=num("denominator"))
    va = va.with_columns(label=pl.format("{}-{}", (pl.col("t") // 12), (pl.col("t") % 12 + 1).cast(pl.String).str.zfill(2)))
    periods = va.filter(pl.col("value").is_not_null()).select("plan", "t", "label").unique()
    ty = scan(root, "targets.csv").filter(~pl.col("period").str.contains("Q")).select(
        "plan", measure=pl.col("item"), year=pl.col("period").str.slice(0, 4).cast(pl.Int32), year_target=num("target")
    )
    cur = va.select("plan", "measure", "t", "value", "n", "d")
    prev = va.select("plan", "measure", pt="t", prev="value")
    g = (
        me.join(periods, on="plan")
        .join(cur, on=["plan", "measure", "t"], how="left")
        .with_columns(year=((pl.col("t") - 3) // 12).cast(pl.Int32), basis_t=pl.when(pl.col("dot_basis") == "year_ago").then(pl.col("t") - 12).otherwise(pl.col("t") - 1))
        .join(ty, on=["plan", "measure", "year"], how="left")
        .join(prev, left_on=["plan", "measure", "basis_t"], right_on=["plan", "measure", "pt"], how="left")
    )
    sign = pl.when(pl.col("polarity") == "high").then(1).when(pl.col("polarity") == "low").then(-1).otherwise(0)
    g = g.with_columns(target=pl.coalesce("year_target", num("target")), sign=sign)
    g = g.with_columns(amber=pl.coalesce(num("amber_threshold"), pl.col("target") * (1 - 0.05 * pl.col("sign"))))
    computed = (
        pl.when(pl.col("value").is_null())
        .then(pl.lit("Blue"))
        .when((pl.col("sign") == 0) | pl.col("target").is_null())
        .then(pl.lit(None, pl.String))
        .otherwise(against("value", "target", "amber", pl.col("sign")))
    )
    reason = (
        pl.when(pl.col("value").is_null())
        .then(pl.concat_str(pl.lit("Blue: no value for "), pl.col("label")))
        .when(pl.col("sign") == 0)
        .then(pl.concat_str(pl.lit("not rated: a neutral measure (neither high nor low is good); "), fmt(pl.col("value")), pl.lit(" for "), pl.col("label")))
        .when(pl.col("target").is_null())
        .then(pl.concat_str(pl.lit("not rated: no target for "), pl.col("label")))
        .otherwise(
            pl.concat_str(
                computed, pl.lit(": "), fmt(pl.col("value")), pl.lit(" against a target of "), fmt(pl.col("target")), pl.lit(" ("),
                pl.col("polarity"), pl.lit(" is good, amber threshold "), fmt(pl.col("amber")), pl.lit(")"),
            )
        )
    )
    delta = pl.col("value") - pl.col("prev")
    dot = pl.when(pl.col("prev").is_null() | pl.col("value").is_null()).then(pl.lit("none")).when(delta > 0).then(pl.lit("up")).when(delta < 0).then(pl.lit("down")).otherwise(pl.lit("same"))
    judgement = (
        pl.when((pl.col("sign") == 0) | pl.col("prev").is_null() | pl.col("value").is_null())
        .then(pl.lit("not_assessed"))
        .when(delta * pl.col("sign") > 0)
        .then(pl.lit("improving"))
        .when(delta * pl.col("sign") < 0)
        .then(pl.lit("worsening"))
        .otherwise(pl.lit("no_change"))
    )
    g = g.with_columns(computed_status=computed, reason=reason, dot=dot, dot_judgement=judgement)
    bench = scan(root, "benchmarks.csv").select(
        "plan", measure=pl.col("item"), bt=quarter_index("period"), label=pl.col("benchmark").str.strip_chars().str.to_lowercase().str.replace_all(" ", "_"), b=num("value")
    )
    g = g.sort("t")
    # The 95% Wilson score interval of n/d, in the value's units.
    z = 1.959963984540054
    p = pl.col("n") / pl.col("d")
    centre = (p + z * z / (2 * pl.col("d"))) / (1 + z * z / pl.col("d"))
    half = z * ((p * (1 - p) / pl.col("d") + z * z / (4 * pl.col("d") ** 2)).sqrt()) / (1 + z * z / pl.col("d"))
    scale = pl.col("value") / p
    g = g.with_columns(lo=(centre - half) * scale, hi=(centre + half) * scale)
    for label in labels:
        b = bench.filter(pl.col("label") == label).drop("label").rename({"b": f"b_{label}"}).sort("bt")
        g = g.join_asof(b, left_on="t", right_on="bt", by=["plan", "measure"], strategy="backward").drop("bt")
        bv = pl.col(f"b_{label}")
        similar = pl.when(pl.col("lo").is_not_null()).then((bv >= pl.col("lo")) & (bv <= pl.col("hi"))).otherwise(pl.col("value") == bv)
        gap = pl.col("value") - bv
        vs = (
            pl.when(pl.col("value").is_null() | bv.is_null())
            .then(pl.lit(None, pl.String))
            .when(similar)
            .then(pl.lit("similar"))
            .when(pl.col("sign") == 0)
            .then(pl.when(gap > 0).then(pl.lit("higher")).otherwise(pl.lit("lower")))
            .when(gap * pl.col("sign") > 0)
            .then(pl.lit("better"))
            .otherwise(pl.lit("worse"))
        )
        g = g.with_columns(**{f"vs_{label}": vs, f"gap_{label}": gap})
    bench_cols = [c for label in labels for c in (f"vs_{label}", f"gap_{label}")]
    return g.select(
        "plan", period="label", kind=pl.lit("measure"), item=pl.col("measure"), priority=pl.col("group"), title=pl.col("title"),
        status="computed_status", computed_status="computed_status", disagrees=pl.lit(False), reason="reason", value="value",
        target="target", amber_threshold="amber", polarity="polarity", rated_period="label", dot="dot", dot_judgement="dot_judgement",
        t="t", k=pl.lit(1), order="order", *bench_cols,
    )


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    labels = sorted(
        pl.scan_csv(str(root / "*" / "benchmarks.csv"), infer_schema=False)
        .select(pl.col("benchmark").str.strip_chars().str.to_lowercase().str.replace_all(" ", "_").unique())
        .collect()
        .to_series()
        .to_list()
    )
    m = milestones(root)
    for label in labels:
        m = m.with_columns(**{f"vs_{label}": pl.lit(None, pl.String), f"gap_{label}": pl.lit(None, pl.Float64)})
    columns = ["plan", "period", "kind", "item", "priority", "title", "status", "computed_status", "disagrees", "reason", "value",
               "target", "amber_threshold", "polarity", "rated_period", "dot", "dot_judgement", "t", "k", "order"]
    columns += [c for label in labels for c in (f"vs_{label}", f"gap_{label}")]
    ratings = pl.concat([m.select(columns), measures(root, labels).select(columns)], how="vertical_relaxed").sort(["plan", "t", "k", "order"]).drop("t", "k", "order")
    df = ratings.collect()
    if out.suffix == ".csv":
        df.write_csv(out)
    else:
        df.write_parquet(out)


if __name__ == "__main__":
    main()
