//! Reading plans: one CSV table at a time with positions ([`table`]), the plan folder into a
//! checked [`plan::Plan`] ([`plan`]), and the input files' hashes ([`hash`]).

pub mod hash;
pub mod plan;
pub mod table;
