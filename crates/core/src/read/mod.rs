//! Reading plans: one CSV table at a time with positions ([`table`]), an Excel workbook's
//! sheets as those same tables ([`workbook`]), the plan folder into a checked [`plan::Plan`]
//! ([`plan`]), and the input files' hashes ([`hash`]).

pub mod hash;
pub mod plan;
pub mod table;
pub mod workbook;
