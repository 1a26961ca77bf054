//! placeholder
pub mod error;
pub mod period;
pub mod plan;
pub mod rules;
mod table;
pub mod values;
