//! Ratings as Parquet (zstd, one thread-independent file layout): the column table's types,
//! text and numbers straight into polars' column builders.

use super::io;
use crate::error::Result;
use crate::model::columns::{self, column_names, Cell, ColumnType};
use crate::model::number::round_output;
use crate::model::period::PeriodLabels;
use crate::model::rating::{Rating, Ratings};
use crate::provenance::Provenance;
use polars::io::parquet::write::{get_encodings, ParquetCompression, StatisticsOptions};
use polars::prelude::*;
use polars_parquet::read::ParquetError;
use polars_parquet::write::{array_to_columns, CompressedPage, Compressor, Encoding, ParquetType, Version, WriteOptions};

/// The ratings as a polars DataFrame with the output's columns and types.
pub fn to_dataframe(ratings: &Ratings) -> Result<DataFrame> {
    let mut frame = FrameBuilder::new(&ratings.labels, ratings.rows.len());
    for r in &ratings.rows {
        frame.push(r);
    }
    frame.finish()
}

/// Builds [`to_dataframe`]'s frame one row at a time, from borrowed ratings: text and numbers
/// straight into polars' column builders, with no `String` per cell.
pub struct FrameBuilder {
    /// The names of the columns built.
    names: Vec<String>,
    /// Per column of the table (a rating's cells): 0 text, 1 number, 2 flag, 3 left out
    /// (`batch --columns`); and its index among columns of that kind.
    kinds: Vec<(u8, usize)>,
    texts: Vec<StringChunkedBuilder>,
    /// The builder `Column::new` uses for a `Vec<Option<f64>>`, so the same array.
    numbers: Vec<PrimitiveChunkedBuilder<Float64Type>>,
    flags: Vec<Vec<bool>>,
    periods: PeriodLabels,
    rows: usize,
}

impl FrameBuilder {
    /// A builder for `capacity` rows with these benchmark labels.
    pub fn new(labels: &[String], capacity: usize) -> FrameBuilder {
        FrameBuilder::picked(labels, None, capacity)
    }

    /// A builder of the columns `keep` keeps (per column in [`column_names`]' order; `None`:
    /// every column).
    pub fn picked(labels: &[String], keep: Option<&[bool]>, capacity: usize) -> FrameBuilder {
        let all = column_names(labels);
        let mut counts = [0usize; 4];
        let (mut texts, mut numbers, mut names) = (Vec::new(), Vec::new(), Vec::new());
        let kinds: Vec<(u8, usize)> = all
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let k = match columns::column(&name).map(|c| c.ty) {
                    _ if keep.is_some_and(|keep| !keep.get(i).copied().unwrap_or(false)) => 3,
                    Some(ColumnType::Flag) => 2,
                    Some(ColumnType::Number) => 1,
                    _ => 0,
                };
                match k {
                    0 => texts.push(StringChunkedBuilder::new(name.as_str().into(), capacity)),
                    1 => numbers.push(PrimitiveChunkedBuilder::new(name.as_str().into(), capacity)),
                    _ => {}
                }
                if k != 3 {
                    names.push(name);
                }
                counts[k as usize] += 1;
                (k, counts[k as usize] - 1)
            })
            .collect();
        FrameBuilder {
            names,
            kinds,
            texts,
            numbers,
            flags: (0..counts[2]).map(|_| Vec::with_capacity(capacity)).collect(),
            periods: PeriodLabels::default(),
            rows: 0,
        }
    }

    /// Adds a row.
    pub fn push(&mut self, r: &Rating<'_>) {
        let mut i = 0;
        columns::each_cell(r, |c| {
            // Cells beyond the columns are left out, as `zip` would.
            let Some(&(kind, slot)) = self.kinds.get(i) else { return };
            i += 1;
            if kind == 3 {
                return;
            }
            match c {
                Cell::Text(t) | Cell::Word(t) => self.texts[slot].append_value(t),
                Cell::Period(p) => self.texts[slot].append_value(self.periods.get(p)),
                Cell::Number(v) => self.numbers[slot].append_option(v.map(round_output)),
                Cell::Flag(b) => self.flags[slot].push(b),
            }
        });
        self.rows += 1;
    }

    /// The frame.
    pub fn finish(self) -> Result<DataFrame> {
        let (mut ti, mut ni, mut fi) = (self.texts.into_iter(), self.numbers.into_iter(), self.flags.into_iter());
        let mut columns = Vec::with_capacity(self.names.len());
        for (name, (k, _)) in self.names.iter().zip(self.kinds.iter().filter(|(k, _)| *k != 3)) {
            let name: PlSmallStr = name.as_str().into();
            // `Column::new` of the Series, as for a Vec: a series column even of one row.
            columns.push(match k {
                0 => match ti.next() {
                    Some(text) => Column::new(name, &text.finish().into_series()),
                    None => Column::new(name, Vec::<String>::new()),
                },
                1 => match ni.next() {
                    Some(number) => Column::new(name, &number.finish().into_series()),
                    None => Column::new(name, Vec::<Option<f64>>::new()),
                },
                _ => Column::new(name, fi.next().unwrap_or_default()),
            });
        }
        Ok(DataFrame::new(self.rows, columns)?)
    }
}

/// Writes Parquet (zstd, one thread-independent file layout).
pub fn write_parquet(ratings: &Ratings, out: &mut dyn std::io::Write) -> Result<()> {
    let mut df = to_dataframe(ratings)?;
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer).set_parallel(false).finish(&mut df)?;
    out.write_all(&buffer).map_err(io)?;
    Ok(())
}

/// Writes [`write_parquet`]'s file with the provenance in its key-value metadata under
/// [`PARQUET_KEY`](crate::provenance::PARQUET_KEY).
pub fn write_parquet_with_provenance(ratings: &Ratings, provenance: &Provenance, out: &mut dyn std::io::Write) -> Result<()> {
    let mut df = to_dataframe(ratings)?;
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer)
        .set_parallel(false)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(provenance.key_value())))
        .finish(&mut df)?;
    out.write_all(&buffer).map_err(io)?;
    Ok(())
}

/// Encodes and compresses frames into Parquet row groups on any thread, with the options
/// polars' own writer uses (zstd, min/max and null-count statistics per row group, dictionary
/// encoding where a column repeats, 1 MB pages), so that the writing thread only copies
/// finished pages into the file (issue #14). polars' batched writer compresses every page on
/// the thread that writes; the batch sinks encode row groups on every core instead, then
/// write them in order: the same bytes as polars' writer gives for the same row groups.
pub struct RowGroupEncoder {
    types: Vec<ParquetType>,
    encodings: Vec<Vec<Encoding>>,
    options: WriteOptions,
}

/// One row group, encoded and compressed: its row count and each column's pages.
pub struct EncodedRowGroup {
    /// Rows in the group.
    pub rows: u64,
    /// Each leaf column's compressed pages, in schema order.
    pub columns: Vec<Vec<CompressedPage>>,
}

impl RowGroupEncoder {
    /// An encoder for frames of `schema`, whose Parquet columns are `types` (the file writer's
    /// schema fields).
    pub fn new(types: Vec<ParquetType>, schema: &Schema) -> Result<RowGroupEncoder> {
        let arrow = schema.to_arrow(CompatLevel::newest());
        let encodings = get_encodings(&arrow).iter().cloned().collect();
        let options = WriteOptions {
            statistics: StatisticsOptions::default(),
            compression: ParquetCompression::default().into(),
            version: Version::V1,
            data_page_size: None,
        };
        Ok(RowGroupEncoder { types, encodings, options })
    }

    /// `df`'s row groups (one per chunk of its columns; rechunk first for one).
    pub fn encode(&self, df: &DataFrame) -> Result<Vec<EncodedRowGroup>> {
        let mut groups = Vec::new();
        for batch in df.iter_chunks(CompatLevel::newest(), false) {
            if batch.is_empty() {
                continue;
            }
            let rows = batch.len() as u64;
            let mut columns = Vec::new();
            for ((array, ty), encoding) in batch.columns().iter().zip(&self.types).zip(&self.encodings) {
                for pages in array_to_columns(array, ty.clone(), self.options, encoding)? {
                    let compressor = Compressor::new_from_vec(
                        pages.map(|p| p.map_err(|e| ParquetError::FeatureNotSupported(format!("reraised in polars: {e}")))),
                        self.options.compression,
                        Vec::new(),
                    );
                    columns
                        .push(compressor.collect::<std::result::Result<Vec<CompressedPage>, ParquetError>>().map_err(PolarsError::from)?);
                }
            }
            groups.push(EncodedRowGroup { rows, columns });
        }
        Ok(groups)
    }
}
