//! The bottom layer: what a plan's values and a rating are, with no reading, rating or
//! writing. Periods and their labels, statuses and polarities, the rating type, the ratings
//! table's column definitions and how numbers are written.

pub mod columns;
pub mod number;
pub mod period;
pub mod rating;
pub mod values;
