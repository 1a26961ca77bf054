//! What the report counts and looks up, apart from how it is drawn or written: the overview's
//! statuses per priority or group ([`priorities`]) and the facts of each measure
//! ([`measures`]). Nothing here renders; the table, the charts and the page read these.

pub mod measures;
pub mod priorities;

pub use measures::{MeasureFacts, Point, YearToDate, HISTORY};
pub use priorities::{Counted, Counts, Overview, OverviewRow};
