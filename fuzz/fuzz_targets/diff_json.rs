//! Fuzzes the Json ratings reader of `diff` and `rate --check`: reading must return a table or
//! a message naming the file, never panic, abort or allocate without bound; a table read must
//! compare with itself as unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scorecard_core::diff::{compare, RatingsTable};
use scorecard_core::Format;

fuzz_target!(|data: &[u8]| {
    match RatingsTable::from_bytes("fuzz.json", data, Some(Format::Json)) {
        Ok(table) => {
            let diff = compare(&table, &table);
            assert!(!diff.has_rating_changes(), "a table differs from itself");
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.json"), "the message names the file: {e}"),
    }
});
