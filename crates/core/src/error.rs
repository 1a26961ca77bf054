//! Errors: every input problem names its file, line and column, quotes the text and says what
//! was expected.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a plan's input, with its position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, as the user named it (`plans/cyp/updates.csv`).
    pub file: String,
    /// Line number, counting the header as line 1; `None` for a whole-file problem.
    pub line: Option<u64>,
    /// 1-based column number, where the problem is in one field.
    pub column: Option<usize>,
    /// The column's header name, where known.
    pub column_name: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// The sheet, for a plan read from a workbook (issue #15): `line` is then the sheet's row
    /// and `column` its column, shown as a cell (`plan.xlsx: sheet updates, cell C14: ...`).
    pub sheet: Option<String>,
}

impl Problem {
    /// A problem with the whole file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { file: file.into(), line: None, column: None, column_name: None, message: message.into(), sheet: None }
    }

    /// A problem at a line (and optionally a column).
    pub fn at(file: impl Into<String>, line: u64, column: Option<(usize, &str)>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            line: Some(line),
            column: column.map(|c| c.0),
            column_name: column.map(|c| c.1.to_string()),
            message: message.into(),
            sheet: None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ": sheet {sheet}")?;
            match (self.line, self.column) {
                (Some(row), Some(col)) => write!(f, ", cell {}{row}", column_letters(col))?,
                (Some(row), None) => write!(f, ", row {row}")?,
                _ => {}
            }
        } else if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(name) = &self.column_name {
            write!(f, "column `{name}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The letters of a 1-based column number: 1 is `A`, 27 is `AA`.
pub(crate) fn column_letters(column: usize) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The problems found in a plan, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plan's input is wrong; every problem found is listed.
    #[error("{0}")]
    Input(Problems),
    /// A file could not be read or written (`path` empty: the output the caller names).
    #[error("{}{source}", if path.as_os_str().is_empty() { String::new() } else { format!("{}: ", path.display()) })]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The columnar engine failed; this is a bug, not bad input.
    #[cfg(feature = "engine")]
    #[error("rating engine: {0}")]
    Engine(#[from] polars::error::PolarsError),
    /// A bug in scorecard rather than anything wrong with the input: an invariant the code
    /// relies on did not hold. The CLI reports it as a bug, with its own exit status (3).
    #[error("internal error (a bug in scorecard; please report it with the command that caused it): {0}")]
    Internal(String),
    /// A request that makes no sense for the plan (for example a period it cannot rate).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Whether the error is the user's input or usage (exit status 2) rather than the machine's.
    pub fn is_input(&self) -> bool {
        matches!(self, Error::Input(_) | Error::Usage(_))
    }

    /// Whether the error is a bug in scorecard (exit status 3) rather than the input's or the
    /// machine's.
    pub fn is_internal(&self) -> bool {
        #[cfg(feature = "engine")]
        if matches!(self, Error::Engine(_)) {
            return true;
        }
        matches!(self, Error::Internal(_))
    }
}

/// Short for `Result<T, scorecard_core::Error>`.
pub type Result<T> = std::result::Result<T, Error>;
