//! Writing ratings as CSV, JSON or Parquet, byte for byte the same for the same ratings.
//!
//! Every writer takes its columns from the one column table
//! ([`crate::model::columns`]): `plan, period, kind, item, priority, title, status,
//! computed_status, disagrees, reason, value, target, amber_threshold, polarity, rated_period,
//! dot, dot_judgement`, then `vs_<label>, gap_<label>` for each benchmark label in sorted order.

pub mod csv;
pub mod json;
pub(crate) mod parallel;
pub mod parquet;

pub use self::csv::{
    csv_header, csv_record, escape_formula, restore_formula, write_csv, write_csv_record, write_csv_record_cached, write_csv_with,
    CsvFormulas, CsvScratch, ItemCells,
};
pub use self::json::{rating_json, write_json, write_json_with_provenance, JsonRecords, JsonRows, RowSource};
pub use self::parquet::{to_dataframe, write_parquet, write_parquet_with_provenance, FrameBuilder};
use crate::error::Result;
pub use crate::model::columns::column_names;
use crate::model::rating::Ratings;

/// An output format for ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON object `{"ratings": [...]}`, one object per row.
    Json,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// Parses `csv`, `json` or `parquet`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// Guesses the format from a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension().and_then(|e| e.to_str()).and_then(Format::parse)
    }
}

/// Writes ratings in `format`.
pub fn write(ratings: &Ratings, format: Format, out: &mut dyn std::io::Write) -> Result<()> {
    match format {
        Format::Csv => csv::write_csv(ratings, out),
        Format::Json => json::write_json(ratings, out),
        Format::Parquet => parquet::write_parquet(ratings, out),
    }
}

/// A write error: the caller, who knows the output's name, puts it in front.
fn io(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::Io { path: std::path::PathBuf::new(), source: e }
}

/// Writes ratings in `format` with their [`Provenance`](crate::provenance::Provenance): a
/// leading `"provenance"` key in JSON, key-value metadata in Parquet; CSV stays plain.
pub fn write_with_provenance(
    ratings: &Ratings,
    format: Format,
    provenance: &crate::provenance::Provenance,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    write_with_options(ratings, format, provenance, &WriteOptions::default(), out)
}

/// What a caller may choose about how ratings are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// How CSV text cells that look like spreadsheet formulas are written (JSON and Parquet
    /// always hold the text as it is).
    pub csv_formulas: CsvFormulas,
}

/// [`write_with_provenance`], with `options`.
pub fn write_with_options(
    ratings: &Ratings,
    format: Format,
    provenance: &crate::provenance::Provenance,
    options: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    match format {
        Format::Csv => csv::write_csv_with(ratings, options.csv_formulas, out),
        Format::Json => json::write_json_with_provenance(ratings, provenance, out),
        Format::Parquet => parquet::write_parquet_with_provenance(ratings, provenance, out),
    }
}

#[cfg(test)]
mod tests {
    use super::csv::*;
    use super::json::needs_json_escape;
    use super::json::*;
    use super::parallel::in_order;
    use super::parquet::*;
    use super::*;
    use crate::model::columns::{each_cell, fixed_cells, Cell};
    use crate::model::period::{Frequency, Period, PeriodLabels, YearType};
    use crate::model::rating::{Comparison, Dot, DotJudgement, ForecastStatus, Kind, Level, Rating, Trend, TrendJudgement, Versus};
    use crate::model::values::{Polarity, Status};
    use polars::prelude::*;

    /// Ratings with every kind of awkward cell: text needing escapes, empty text, numbers
    /// rounding to 0, beyond 2^32, not finite, and benchmarks with and without values.
    fn ratings(rows: usize) -> Ratings {
        let texts = [
            "",
            "plain",
            "a \"quoted\" word",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "nul\u{0}\u{1f}",
            "del\u{7f}",
            "é ü 中文 🎉",
            "exactly sixteen!",
            "sixteen+\"quote\"+more text here",
        ];
        let numbers = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(1.0),
            Some(-2.5),
            Some(1e-7),
            Some(-4e-7),
            Some(0.1 + 0.2),
            Some(123456.1234567),
            Some(4294967296.5),
            Some(1e15),
            Some(2e-300),
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
        ];
        let statuses = [None, Some(Status::Green), Some(Status::Amber), Some(Status::Red), Some(Status::Blue)];
        let versus = [None, Some(Versus::Better), Some(Versus::Similar), Some(Versus::Worse), Some(Versus::Higher), Some(Versus::Lower)];
        let periods = [
            Period::from_start(2013 * 12 + 3, Frequency::Quarterly, YearType::Financial),
            Period::from_start(2013 * 12 + 11, Frequency::Monthly, YearType::Financial),
            Period::from_start(2023 * 12 + 8, Frequency::Annual, YearType::Academic),
            Period::from_start(2024 * 12, Frequency::Quarterly, YearType::Calendar),
        ];
        let pick = |i: usize, salt: usize, n: usize| (i.wrapping_mul(2654435761) ^ salt.wrapping_mul(40503)) % n;
        let rows = (0..rows)
            .map(|i| Rating {
                plan: format!("plan-{}", i % 3).into(),
                period: periods[pick(i, 1, periods.len())],
                kind: if i % 2 == 0 { Kind::Milestone } else { Kind::Measure },
                item: texts[pick(i, 2, texts.len())].to_string().into(),
                priority: texts[pick(i, 3, texts.len())].to_string().into(),
                title: texts[pick(i, 4, texts.len())].to_string().into(),
                status: statuses[pick(i, 5, statuses.len())],
                computed_status: statuses[pick(i, 6, statuses.len())],
                disagrees: i % 5 == 0,
                reason: texts[pick(i, 7, texts.len())].repeat(1 + i % 4).into(),
                value: numbers[pick(i, 8, numbers.len())],
                target: numbers[pick(i, 9, numbers.len())],
                amber_threshold: numbers[pick(i, 10, numbers.len())],
                polarity: [Polarity::HighIsGood, Polarity::LowIsGood, Polarity::Neutral][i % 3],
                rated_period: periods[pick(i, 11, periods.len())],
                dot: [Dot::Up, Dot::Down, Dot::Same, Dot::None][i % 4],
                dot_judgement: [DotJudgement::Improving, DotJudgement::Worsening, DotJudgement::NoChange, DotJudgement::NotAssessed][i % 4],
                comparator_value: None,
                benchmarks: (0..2)
                    .map(|b| Comparison {
                        versus: versus[pick(i, 12 + b, versus.len())],
                        gap: numbers[pick(i, 14 + b, numbers.len())],
                        value: None,
                        period: None,
                        sig: [None, Some(Level::P95), Some(Level::P99_8)][pick(i, 16 + b, 3)],
                    })
                    .collect::<Vec<_>>()
                    .into(),
                expected_progress: numbers[pick(i, 16, numbers.len())],
                progress_ratio: numbers[pick(i, 17, numbers.len())],
                forecast_value: numbers[pick(i, 18, numbers.len())],
                forecast_status: [None, Some(ForecastStatus::OnTrack), Some(ForecastStatus::AtRisk), Some(ForecastStatus::OffTrack)][i % 4],
                forecast_reason: texts[pick(i, 19, texts.len())].to_string().into(),
                stale: i % 3 == 0,
                stale_reason: texts[pick(i, 20, texts.len())].to_string().into(),
                trend: [None, Some(Trend::Increasing), Some(Trend::CannotBeCalculated)][i % 3],
                trend_judgement: [None, Some(TrendJudgement::GettingWorse), Some(TrendJudgement::NotAssessed)][i % 3],
                trend_reason: texts[pick(i, 18, texts.len())].to_string().into(),
                spc: Default::default(),
                spc_reason: "".into(),
            })
            .collect();
        Ratings { labels: vec!["national".into(), "statistical_neighbours".into()], rows }
    }

    /// `write_json` as it was: a serde_json map per row.
    fn json_by_map(ratings: &Ratings) -> Vec<u8> {
        let names = column_names(&ratings.labels);
        let mut out = format!("{{\"columns\":{},\"ratings\":[", serde_json::to_string(&names).unwrap());
        for (i, r) in ratings.rows.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&serde_json::to_string(&rating_json(r, &names)).unwrap());
        }
        out.push_str("\n]}\n");
        out.into_bytes()
    }

    #[test]
    fn each_cell_gives_the_fixed_cells_then_the_benchmarks() {
        for r in &ratings(200).rows {
            let mut each = Vec::new();
            each_cell(r, |c| each.push(format!("{c:?}")));
            let listed: Vec<String> = fixed_cells(r)
                .into_iter()
                .chain(r.benchmarks.iter().flat_map(crate::model::columns::benchmark_cells))
                .map(|c| format!("{c:?}"))
                .collect();
            assert_eq!(each, listed);
        }
    }

    #[test]
    fn csv_records_with_cached_item_cells_are_the_same_bytes() {
        // Rows of one item share its kind, id, priority and title; key them by those cells, so
        // the cache is filled once per item and then read back on its later rows (every row
        // twice, as a batch writes an item at each period).
        let ratings = ratings(2_000);
        let mut keys: Vec<(Kind, String, String, String)> = Vec::new();
        let (mut items, mut plain_scratch, mut cached_scratch) = (ItemCells::default(), CsvScratch::default(), CsvScratch::default());
        let (mut plain, mut cached) = (Vec::new(), Vec::new());
        let mut encoded = Vec::new();
        for _ in 0..2 {
            for r in &ratings.rows {
                let id = (r.kind, r.item.to_string(), r.priority.to_string(), r.title.to_string());
                let key = keys.iter().position(|k| *k == id).unwrap_or_else(|| {
                    keys.push(id);
                    keys.len() - 1
                });
                write_csv_record(r, &mut plain, &mut plain_scratch);
                write_csv_record_cached(r, key, &mut items, &mut cached, &mut cached_scratch);
            }
            encoded.push(items.text.len());
        }
        assert_eq!(encoded[0], encoded[1], "the second pass encodes no item again: it reads the cache");
        assert_eq!(String::from_utf8(cached).unwrap(), String::from_utf8(plain).unwrap());
        items.clear();
        let (mut again, mut once) = (Vec::new(), Vec::new());
        write_csv_record_cached(&ratings.rows[1], 0, &mut items, &mut again, &mut cached_scratch);
        write_csv_record(&ratings.rows[1], &mut once, &mut plain_scratch);
        assert_eq!(again, once, "a cleared cache forgets the previous reader's items");
    }

    #[test]
    fn json_records_write_serde_jsons_bytes() {
        let ratings = ratings(2_000);
        let names = column_names(&ratings.labels);
        let records = JsonRecords::new(&names);
        let mut periods = PeriodLabels::default();
        let mut line = Vec::new();
        for r in &ratings.rows {
            line.clear();
            records.write(r, &mut line, &mut periods);
            assert_eq!(String::from_utf8(line.clone()).unwrap(), serde_json::to_string(&rating_json(r, &names)).unwrap());
        }
        // Names shared by two columns, and fewer names than cells: as the map has them.
        for names in [vec!["plan".to_string(), "title".into(), "plan".into()], names[..5].to_vec()] {
            let records = JsonRecords::new(&names);
            for r in &ratings.rows[..50] {
                line.clear();
                records.write(r, &mut line, &mut periods);
                assert_eq!(String::from_utf8(line.clone()).unwrap(), serde_json::to_string(&rating_json(r, &names)).unwrap());
            }
        }
    }

    #[test]
    fn escapes_are_found_in_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', 0, 0x1f] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_json_escape(&bytes), "{len} {at} {special}");
                }
            }
            assert!(!needs_json_escape(&vec![b'a'; len]));
            assert!(!needs_json_escape("é€🎉\u{7f} ".repeat(len).as_bytes()));
        }
    }

    #[test]
    fn json_is_the_same_on_any_number_of_threads_and_as_by_map() {
        // Over two pieces per thread, with a piece cut part-way.
        let ratings = ratings(3 * JSON_ROWS_PER_PIECE + 123);
        let expected = json_by_map(&ratings);
        let mut written = Vec::new();
        write_json(&ratings, &mut written).unwrap();
        assert!(written == expected, "write_json differs from the map's JSON");
        for threads in [1, 2, 3, 7] {
            let mut out = Vec::new();
            let mut rows = JsonRows::start_on(&ratings.labels, &mut out, threads).unwrap();
            // In two calls, as a batch writes chunks.
            let (first, second) = ratings.rows.split_at(JSON_ROWS_PER_PIECE + 5);
            rows.write(first, first.len(), &mut out).unwrap();
            rows.write(second, second.len(), &mut out).unwrap();
            rows.finish(&mut out).unwrap();
            assert!(out == expected, "{threads} threads");
        }
        let empty = Ratings { labels: vec![], rows: vec![] };
        let mut out = Vec::new();
        write_json(&empty, &mut out).unwrap();
        assert_eq!(out, json_by_map(&empty));
    }

    #[test]
    fn in_order_hands_items_over_in_order_and_stops_at_the_first_error() {
        for threads in [1, 2, 3, 8] {
            let mut states = vec![0usize; threads];
            let mut seen = Vec::new();
            in_order(
                100,
                &mut states,
                |i, made| {
                    *made += 1;
                    Ok(i)
                },
                |i| {
                    seen.push(i);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..100).collect::<Vec<_>>());
            assert_eq!(states.iter().sum::<usize>(), 100);

            let mut seen = Vec::new();
            let made = in_order(
                100,
                &mut states,
                |i, _| if i == 40 { Err(crate::error::Error::Usage("no".into())) } else { Ok(i) },
                |i| {
                    seen.push(i);
                    Ok(())
                },
            );
            assert!(made.is_err());
            assert_eq!(seen, (0..40).collect::<Vec<_>>());

            let mut seen = Vec::new();
            let taken = in_order(
                100,
                &mut states,
                |i, _| Ok(i),
                |i| {
                    seen.push(i);
                    if i == 10 {
                        Err(crate::error::Error::Usage("full".into()))
                    } else {
                        Ok(())
                    }
                },
            );
            assert!(taken.is_err());
            assert_eq!(seen, (0..11).collect::<Vec<_>>());
        }
        let mut states = vec![(); 2];
        let panicked = in_order(10, &mut states, |i, _| if i == 3 { panic!("a formatting bug") } else { Ok(i) }, |_| Ok(()));
        assert!(panicked.is_err());
    }

    /// The frame as `FrameBuilder` built it before: a `String` per text cell.
    fn frame_from_strings(ratings: &Ratings) -> DataFrame {
        let names = column_names(&ratings.labels);
        let mut columns: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        let mut numbers: Vec<Vec<Option<f64>>> = vec![Vec::new(); names.len()];
        let mut flags: Vec<Vec<bool>> = vec![Vec::new(); names.len()];
        for r in &ratings.rows {
            let mut cells = Vec::new();
            each_cell(r, |c| cells.push(c));
            for (i, c) in cells.into_iter().enumerate() {
                match c {
                    Cell::Text(t) | Cell::Word(t) => columns[i].push(t.to_string()),
                    Cell::Period(p) => columns[i].push(p.to_string()),
                    Cell::Number(v) => numbers[i].push(v.map(crate::model::number::round_output)),
                    Cell::Flag(b) => flags[i].push(b),
                }
            }
        }
        let columns = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name: PlSmallStr = name.as_str().into();
                let ty = crate::model::columns::column(name.as_str()).map(|c| c.ty);
                if ty == Some(crate::model::columns::ColumnType::Flag) {
                    Column::new(name, std::mem::take(&mut flags[i]))
                } else if !numbers[i].is_empty() || ty == Some(crate::model::columns::ColumnType::Number) {
                    Column::new(name, std::mem::take(&mut numbers[i]))
                } else {
                    Column::new(name, std::mem::take(&mut columns[i]))
                }
            })
            .collect();
        DataFrame::new(ratings.rows.len(), columns).unwrap()
    }

    #[test]
    fn parquet_is_the_same_as_from_a_string_per_cell() {
        for n in [0, 1, 300, 70_000] {
            let ratings = ratings(n);
            let mut written = Vec::new();
            write_parquet(&ratings, &mut written).unwrap();
            let mut expected = Vec::new();
            ParquetWriter::new(&mut expected).set_parallel(false).finish(&mut frame_from_strings(&ratings)).unwrap();
            assert!(written == expected, "{n} rows");
        }
    }
}
