//! File hashes: the SHA-256 of every input file, taken as the plan is read, for provenance.

use super::plan::PLAN_FILES;
use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// `(file name, SHA-256)` of each file, plan files in [`PLAN_FILES`] order, any other after
/// them by name.
pub fn file_hashes(files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    let mut hashes: Vec<(String, String)> = files.iter().map(|(name, bytes)| (name.clone(), sha256_hex(bytes))).collect();
    let order = |name: &str| PLAN_FILES.iter().position(|f| *f == name).unwrap_or(PLAN_FILES.len());
    hashes.sort_by(|a, b| (order(&a.0), &a.0).cmp(&(order(&b.0), &b.0)));
    hashes
}
