//! Why a report could not be made: the crate's one error type, a layer below everything that
//! can fail (the measures' facts, the charts), so that none of them needs the crate root.

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine failed while rating earlier periods.
    #[error("rating the periods the report shows failed: {0}")]
    Rating(#[from] scorecard_core::Error),
    /// A chart could not be drawn.
    #[error("cannot draw the chart `{name}`: {message}")]
    Chart {
        /// The chart's file name stem.
        name: String,
        /// plotters' message.
        message: String,
    },
    /// The Word document or the workbook could not be written.
    #[error("cannot write the document: {0}")]
    Document(String),
}
