/*!
The `scorecard` Python package's native module, `scorecard._scorecard` (issue #14).

Every function returns a [`Table`]: the polars frame the CLI would write, handed to Python
through the Arrow C stream interface (`__arrow_c_stream__`, the Arrow PyCapsule protocol), so
that `polars.DataFrame(t)`, `pyarrow.table(t)` and DuckDB take the columns without a copy and
without this package depending on any of them. The Python side (`python/scorecard/`) adds the
`PlanError` exception's documentation, `to_polars`, the type stubs and the Spark module.

The rows and columns are the CLI's, cell for cell: `rate` is `scorecard rate`, `batch` is
`scorecard batch` (the same benchmark columns, the same order), `overview` is the priority
table of `scorecard overview`. Bad input raises `PlanError`, whose `problems` are the
[`Problem`]s the CLI prints (file, line, column, message).
*/

use polars::prelude::*;
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::{ArrowDataType, Field, Metadata};
use polars_arrow::ffi;
use pyo3::exceptions::{PyException, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use scorecard_core::batch::{self as core_batch, BatchOptions, Counters, Periods};
use scorecard_core::engine::RowScratch;
use scorecard_core::model::columns::Picked;
use scorecard_core::provenance::PARQUET_KEY;
use scorecard_core::write::{to_dataframe, FrameBuilder};
use scorecard_core::{rate as rate_plan, Plan, Provenance, RateOptions};
use scorecard_report::overview::{Counted, Counts, Overview};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pyo3::create_exception!(
    scorecard,
    PlanError,
    PyException,
    "A plan's input is wrong. `problems` lists every problem found, each with file, line, column and message."
);

/// One thing wrong with a plan's input: the file, the line (the header is line 1), the column
/// (1-based) and its header name where the problem is in one field, and what was expected.
#[pyclass(module = "scorecard", name = "Problem", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
struct Problem {
    file: String,
    line: Option<u64>,
    column: Option<usize>,
    column_name: Option<String>,
    message: String,
}

#[pymethods]
impl Problem {
    fn __str__(&self) -> String {
        self.core().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Problem(file={:?}, line={}, column={}, message={:?})",
            self.file,
            self.line.map_or("None".to_string(), |l| l.to_string()),
            self.column.map_or("None".to_string(), |c| c.to_string()),
            self.message
        )
    }
}

impl Problem {
    fn from_core(p: &scorecard_core::Problem) -> Problem {
        Problem { file: p.file.clone(), line: p.line, column: p.column, column_name: p.column_name.clone(), message: p.message.clone() }
    }

    fn core(&self) -> scorecard_core::Problem {
        scorecard_core::Problem {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            column_name: self.column_name.clone(),
            message: self.message.clone(),
            sheet: None,
        }
    }
}

/// A core error as a Python exception: bad input as `PlanError` with its problems, a file that
/// cannot be read as `OSError`, anything else (a bug) as `RuntimeError`.
fn py_error(py: Python<'_>, e: scorecard_core::Error) -> PyErr {
    match e {
        scorecard_core::Error::Input(problems) => {
            let err = PlanError::new_err(problems.to_string());
            let list: Vec<Problem> = problems.0.iter().map(Problem::from_core).collect();
            // Setting an attribute on a fresh exception object cannot fail in practice; if it
            // did, the message still lists every problem.
            if let Ok(list) = list.into_pyobject(py) {
                let _ = err.value(py).setattr("problems", list);
            }
            err
        }
        scorecard_core::Error::Io { .. } => PyOSError::new_err(e.to_string()),
        e if e.is_internal() => PyRuntimeError::new_err(format!("scorecard bug: {e}")),
        e => PyValueError::new_err(e.to_string()),
    }
}

/// A table of results: rows and typed columns, exported through the Arrow PyCapsule
/// interface. Read it with `polars.DataFrame(t)`, `pyarrow.table(t)`, DuckDB (`duckdb.sql("from
/// t")`), or `t.to_polars()`.
#[pyclass(module = "scorecard", name = "Table", frozen)]
struct Table {
    df: DataFrame,
    /// The provenance JSON (ratings only), also in the exported schema's metadata under
    /// `scorecard.provenance`, as in the CLI's Parquet files.
    provenance: Option<String>,
}

#[pymethods]
impl Table {
    /// The Arrow C stream of the table's record batches (strings as Arrow `string_view`).
    /// `requested_schema` is accepted and ignored, as the protocol allows.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(&self, py: Python<'py>, requested_schema: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = export_stream(&self.df, self.provenance.as_deref());
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The table as a `polars.DataFrame` (needs polars 1.3 or later installed), through the
    /// Arrow stream: no copy.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.getattr("DataFrame")?.call1((slf,))
    }

    /// The table as a `pyarrow.Table` (needs pyarrow 14 or later installed), through the Arrow
    /// stream: no copy.
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.getattr("table")?.call1((slf,))
    }

    /// The number of rows.
    fn __len__(&self) -> usize {
        self.df.height()
    }

    /// The column names, in order.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.df.get_column_names().iter().map(|n| n.to_string()).collect()
    }

    /// `(rows, columns)`.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        self.df.shape()
    }

    /// The provenance (engine version, `computed`, and per plan the SHA-256 of its rules and
    /// files) as a dict, as in `scorecard rate --format json`; `None` for an overview.
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.provenance {
            None => Ok(None),
            Some(text) => {
                let json = py.import("json")?;
                Ok(Some(json.call_method1("loads", (text.as_str(),))?))
            }
        }
    }

    fn __repr__(&self) -> String {
        let (rows, cols) = self.df.shape();
        format!("<scorecard.Table: {rows} rows, {cols} columns>")
    }
}

/// The frame as one Arrow stream of struct arrays (one per chunk), with the provenance in the
/// schema's metadata.
fn export_stream(df: &DataFrame, provenance: Option<&str>) -> ffi::ArrowArrayStream {
    let mut df = df.clone();
    df.rechunk_mut();
    let fields: Vec<Field> = df.columns().iter().map(|c| c.field().to_arrow(CompatLevel::newest())).collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches: Vec<Box<dyn Array>> = df
        .iter_chunks(CompatLevel::newest(), false)
        .map(|batch| {
            let len = batch.height();
            Box::new(StructArray::new(dtype.clone(), len, batch.into_arrays(), None)) as Box<dyn Array>
        })
        .collect();
    let mut field = Field::new("".into(), dtype, false);
    if let Some(p) = provenance {
        let mut metadata = Metadata::new();
        metadata.insert(PARQUET_KEY.into(), p.into());
        field = field.with_metadata(metadata);
    }
    ffi::export_iterator(Box::new(batches.into_iter().map(Ok)), field)
}

fn read_plan(py: Python<'_>, path: &Path) -> PyResult<Plan> {
    py.detach(|| Plan::read(path)).map_err(|e| py_error(py, e))
}

/// Rates one plan folder at one period, as `scorecard rate`: one row per milestone and
/// measure. `period` defaults to the plan's latest period with an update or value;
/// `computed=True` reports the engine's rating alone, ignoring officers' statuses;
/// `rollup=True` adds each action's and priority's row, as `rate --rollup`.
#[pyfunction]
#[pyo3(signature = (plan, period=None, computed=false, rollup=false))]
fn rate(py: Python<'_>, plan: PathBuf, period: Option<&str>, computed: bool, rollup: bool) -> PyResult<Table> {
    let plan = read_plan(py, &plan)?;
    let t = match period {
        Some(p) => plan.parse_period(p).map_err(|e| py_error(py, e))?,
        None => plan
            .latest_period()
            .ok_or_else(|| PyValueError::new_err(format!("{}: no update or value in any period; give period=", plan.name)))?,
    };
    let options = RateOptions { computed_only: computed, rollup, ..RateOptions::default() };
    let df = py.detach(|| rate_plan(&plan, t, options).and_then(|r| to_dataframe(&r))).map_err(|e| py_error(py, e))?;
    let provenance = Provenance::new(&[&plan], computed).to_json().to_string();
    Ok(Table { df, provenance: Some(provenance) })
}

/// One path, or any iterable of paths.
fn paths(plans: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if let Ok(p) = plans.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    plans.try_iter()?.map(|p| p?.extract::<PathBuf>()).collect()
}

/// Rates many plan folders, as `scorecard batch`: every period of each (`periods="all"`) or
/// the periods given (`"2013/14 Q3"`, `"2013-04..2014-03"`, as `--periods`), plans in folder
/// name order, with a `vs_`/`gap_` column pair for every benchmark label of any plan (or of
/// `labels`, which must hold them all: the Spark module fixes the columns this way).
/// `rollup=True` adds each action's and priority's rows, as `batch --rollup`. `columns` (a
/// list of column names, as `batch --columns`) keeps those columns alone, in the table's order,
/// and leaves the sentences of the others unworded; an unknown name raises `ValueError`.
#[pyfunction]
#[pyo3(signature = (plans, periods="all", computed=false, labels=None, rollup=false, columns=None))]
fn batch(
    py: Python<'_>,
    plans: Bound<'_, PyAny>,
    periods: &str,
    computed: bool,
    labels: Option<Vec<String>>,
    rollup: bool,
    columns: Option<Vec<String>>,
) -> PyResult<Table> {
    let paths = paths(&plans)?;
    let periods = Periods::parse(periods).map_err(|e| PyValueError::new_err(format!("periods {e}")))?;
    let result = py.detach(|| -> scorecard_core::Result<(DataFrame, String)> {
        let inputs = core_batch::inputs(&paths)?;
        let labels: BTreeSet<String> = match labels {
            Some(labels) => labels.into_iter().collect(),
            None => inputs.iter().flat_map(|i| core_batch::scan_labels(&i.path).unwrap_or_default()).collect(),
        };
        let labels: Vec<String> = labels.into_iter().collect();
        let picked = Picked::of(columns.as_deref(), &labels).map_err(scorecard_core::Error::Usage)?;
        let keep = picked.subset();
        let rate = RateOptions { computed_only: computed, rollup, ..RateOptions::default() }.for_columns(&picked);
        let options = BatchOptions { periods, rate, ..BatchOptions::default() };
        let mut df = FrameBuilder::picked(&labels, keep, 0).finish()?;
        let mut provenance = Provenance::new(&[], computed);
        let mut scratch = RowScratch::wording(picked.sentences());
        let summary = core_batch::run(&inputs, &labels, &options, &Counters::default(), &mut |chunk| {
            let reader = chunk.reader()?;
            let mut builder = FrameBuilder::picked(&labels, keep, chunk.len());
            for r in 0..chunk.len() {
                builder.push(&reader.view(r, &mut scratch)?);
            }
            df.vstack_mut(&builder.finish()?)?;
            let plans: Vec<&Plan> = chunk.plans.iter().map(|(p, _)| p).collect();
            provenance.plans.extend(Provenance::new(&plans, computed).plans);
            Ok(())
        })?;
        if let Some((_, error)) = summary.stopped {
            return Err(error);
        }
        df.rechunk_mut();
        Ok((df, provenance.to_json().to_string()))
    });
    let (df, provenance) = result.map_err(|e| py_error(py, e))?;
    Ok(Table { df, provenance: Some(provenance) })
}

/// The priority overview of one plan at one period, as `scorecard overview`: a row per
/// priority (or measure group, for a plan without milestones) with its counts of Green, Amber,
/// Red and Blue, their total and the not-rated count, then a `Total` row. The first column is
/// `priority` (or `group`). The CLI's `%` row is left out: it is the counts over `total`.
#[pyfunction]
#[pyo3(signature = (plan, period=None, computed=false))]
fn overview(py: Python<'_>, plan: PathBuf, period: Option<&str>, computed: bool) -> PyResult<Table> {
    let plan = read_plan(py, &plan)?;
    let t = match period {
        Some(p) => plan.parse_period(p).map_err(|e| py_error(py, e))?,
        None => plan
            .latest_period()
            .ok_or_else(|| PyValueError::new_err(format!("{}: no update or value in any period; give period=", plan.name)))?,
    };
    let ratings = py
        .detach(|| rate_plan(&plan, t, RateOptions { computed_only: computed, ..RateOptions::default() }))
        .map_err(|e| py_error(py, e))?;
    let mut o = Overview::new(&plan, t, &ratings);
    o.computed = computed;
    overview_frame(&o).map(|df| Table { df, provenance: None }).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

fn overview_frame(o: &Overview) -> PolarsResult<DataFrame> {
    let first = match o.counted {
        Counted::Milestones => "priority",
        Counted::Measures => "group",
    };
    let mut rows: Vec<(&str, &str, &Counts)> = o.rows.iter().map(|r| (r.id.as_str(), r.title.as_str(), &r.counts)).collect();
    rows.push(("Total", "", &o.total));
    let count =
        |name: &str, f: &dyn Fn(&Counts) -> usize| Column::new(name.into(), rows.iter().map(|r| f(r.2) as u64).collect::<Vec<u64>>());
    let columns = vec![
        Column::new(first.into(), rows.iter().map(|r| r.0).collect::<Vec<&str>>()),
        Column::new("title".into(), rows.iter().map(|r| r.1).collect::<Vec<&str>>()),
        count("green", &|c| c.green),
        count("amber", &|c| c.amber),
        count("red", &|c| c.red),
        count("blue", &|c| c.blue),
        count("total", &|c| c.total()),
        count("not_rated", &|c| c.not_rated),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Checks a plan folder: the list of every problem found (empty when the plan is good), as
/// `scorecard validate` prints them.
#[pyfunction]
fn validate(py: Python<'_>, plan: PathBuf) -> PyResult<Vec<Problem>> {
    match py.detach(|| Plan::read(&plan)) {
        Ok(_) => Ok(Vec::new()),
        Err(scorecard_core::Error::Input(problems)) => Ok(problems.0.iter().map(Problem::from_core).collect()),
        Err(e) => Err(py_error(py, e)),
    }
}

/// The rating column names for these benchmark labels, in output order (the Spark module's
/// schema).
#[pyfunction]
#[pyo3(signature = (labels=Vec::new()))]
fn column_names(labels: Vec<String>) -> Vec<String> {
    let mut labels = labels;
    labels.sort();
    labels.dedup();
    scorecard_core::column_names(&labels)
}

/// The benchmark labels of these plan folders' `benchmarks.csv` files, sorted: the `vs_`/`gap_`
/// columns `batch` gives them.
#[pyfunction]
fn benchmark_labels(plans: Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let plans = paths(&plans)?;
    let labels: BTreeSet<String> = plans.iter().flat_map(|p| core_batch::scan_labels(p).unwrap_or_default()).collect();
    Ok(labels.into_iter().collect())
}

/// The native module.
#[pymodule]
fn _scorecard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rate, m)?)?;
    m.add_function(wrap_pyfunction!(batch, m)?)?;
    m.add_function(wrap_pyfunction!(overview, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(column_names, m)?)?;
    m.add_function(wrap_pyfunction!(benchmark_labels, m)?)?;
    m.add_class::<Table>()?;
    m.add_class::<Problem>()?;
    m.add("PlanError", m.py().get_type::<PlanError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
