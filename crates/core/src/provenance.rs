//! Provenance: what produced a ratings file, so that CI can tell a rule change from a data
//! change.
//!
//! JSON and Parquet ratings carry the engine version, whether officers' statuses were ignored
//! (`--computed`), and per plan a SHA-256 of its effective rules (the [`Rules`] after
//! `plan.toml`'s overrides, as canonical JSON) and a SHA-256 of each input file's bytes. No
//! timestamps, no paths beyond the plan's folder name: the same inputs give the same bytes on
//! every machine. CSV stays plain.
//!
//! ```
//! use scorecard_core::{Plan, Provenance};
//!
//! let files = vec![
//!     ("measures.csv".to_string(), b"measure,title,polarity,frequency\nM1,Visits,high,monthly\n".to_vec()),
//!     ("values.csv".to_string(), b"measure,period,value\nM1,2013-12,5\n".to_vec()),
//! ];
//! let plan = Plan::from_files("demo", "demo", files).unwrap();
//! let p = Provenance::new(&[&plan], false);
//! assert_eq!(p.plans[0].files[0].0, "measures.csv");
//! assert_eq!(Provenance::from_json(&p.to_json()), Some(p));
//! ```

pub use crate::read::hash::sha256_hex;
use crate::read::plan::Plan;
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The Parquet key-value metadata key holding the provenance (as the JSON of
/// [`Provenance::to_json`]).
pub const PARQUET_KEY: &str = "scorecard.provenance";

/// The SHA-256 of the rules' canonical JSON (fields in declaration order, shortest
/// round-trip numbers).
pub fn rules_hash(rules: &Rules) -> String {
    // Serializing a plain struct of numbers, booleans and enums cannot fail.
    let text = serde_json::to_string(rules).unwrap_or_default();
    sha256_hex(text.as_bytes())
}

/// One plan's part of the provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSources {
    /// The plan's folder name (the `plan` column).
    pub plan: String,
    /// SHA-256 of the effective rules ([`rules_hash`]).
    pub rules_sha256: String,
    /// `(file name, SHA-256 of its bytes)` for each file read; in JSON an object
    /// `"files_sha256": {"updates.csv": ..., ...}` in this order.
    #[serde(rename = "files_sha256", with = "file_map")]
    pub files: Vec<(String, String)>,
}

/// `files` as a JSON object keyed by file name, in the list's order.
mod file_map {
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde::ser::{SerializeMap, Serializer};

    pub fn serialize<S: Serializer>(files: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(files.len()))?;
        for (f, h) in files {
            map.serialize_entry(f, h)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        struct Files;
        impl<'de> Visitor<'de> for Files {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of file names and their SHA-256")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut files = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    files.push(entry);
                }
                Ok(files)
            }
        }
        d.deserialize_map(Files)
    }
}

/// What produced a ratings table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `scorecard <version>` of the engine that rated.
    pub engine: String,
    /// Officers' statuses ignored (`--computed`).
    pub computed_only: bool,
    /// One entry per plan rated, in the order rated.
    pub plans: Vec<PlanSources>,
}

impl Provenance {
    /// The provenance of ratings of `plans` by this engine.
    pub fn new(plans: &[&Plan], computed_only: bool) -> Provenance {
        Provenance {
            engine: format!("scorecard {}", env!("CARGO_PKG_VERSION")),
            computed_only,
            plans: plans
                .iter()
                .map(|p| PlanSources { plan: p.name.clone(), rules_sha256: rules_hash(&p.rules), files: p.sources.clone() })
                .collect(),
        }
    }

    /// As JSON: `{"engine": ..., "computed_only": ..., "plans": [{"plan": ...,
    /// "rules_sha256": ..., "files_sha256": {"updates.csv": ..., ...}}]}`, keys in that order.
    pub fn to_json(&self) -> Json {
        // Serialising strings, booleans and lists into a value cannot fail.
        serde_json::to_value(self).unwrap_or(Json::Null)
    }

    /// Reads [`Provenance::to_json`]'s form back; `None` when it is not that shape.
    pub fn from_json(json: &Json) -> Option<Provenance> {
        Provenance::deserialize(json).ok()
    }

    /// The Parquet key-value metadata: one pair, [`PARQUET_KEY`] → compact JSON.
    pub fn key_value(&self) -> Vec<(String, String)> {
        vec![(PARQUET_KEY.to_string(), self.to_json().to_string())]
    }

    /// What differs between `self` (older) and `newer`, in words: engine, `--computed`, and
    /// per plan its rules and input files. Empty when they are the same.
    pub fn changes(&self, newer: &Provenance) -> Vec<String> {
        let mut notes = Vec::new();
        if self.engine != newer.engine {
            notes.push(format!("engine changed: {} -> {}", self.engine, newer.engine));
        }
        if self.computed_only != newer.computed_only {
            let says = |c: bool| if c { "engine's ratings only (--computed)" } else { "officers' statuses reported" };
            notes.push(format!("options changed: {} -> {}", says(self.computed_only), says(newer.computed_only)));
        }
        for new in &newer.plans {
            let Some(old) = self.plans.iter().find(|p| p.plan == new.plan) else {
                notes.push(format!("{}: plan only in the new file", new.plan));
                continue;
            };
            if old.rules_sha256 != new.rules_sha256 {
                notes.push(format!("{}: rules changed (sha256 {} -> {})", new.plan, short(&old.rules_sha256), short(&new.rules_sha256)));
            }
            let mut files = Vec::new();
            for (f, h) in &new.files {
                match old.files.iter().find(|(g, _)| g == f) {
                    Some((_, g)) if g == h => {}
                    Some(_) => files.push(f.clone()),
                    None => files.push(format!("{f} (added)")),
                }
            }
            for (f, _) in &old.files {
                if !new.files.iter().any(|(g, _)| g == f) {
                    files.push(format!("{f} (removed)"));
                }
            }
            if !files.is_empty() {
                notes.push(format!("{}: input files changed: {}", new.plan, files.join(", ")));
            }
        }
        for old in &self.plans {
            if !newer.plans.iter().any(|p| p.plan == old.plan) {
                notes.push(format!("{}: plan only in the old file", old.plan));
            }
        }
        notes
    }
}

/// The first 12 hex digits: enough to tell hashes apart in a message.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_standard_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_rule_override_changes_the_rules_hash_and_nothing_else_does() {
        let default = Rules::default();
        assert_eq!(rules_hash(&default), rules_hash(&Rules::default()));
        let wider = Rules { default_tolerance: 0.1, ..Rules::default() };
        assert_ne!(rules_hash(&default), rules_hash(&wider));
    }

    #[test]
    fn changes_name_the_rules_and_the_files() {
        let old = Provenance {
            engine: "scorecard 0.1.0".into(),
            computed_only: false,
            plans: vec![PlanSources {
                plan: "p".into(),
                rules_sha256: "a".repeat(64),
                files: vec![("updates.csv".into(), "1".into()), ("targets.csv".into(), "2".into())],
            }],
        };
        assert!(old.changes(&old).is_empty());
        let mut new = old.clone();
        new.plans[0].rules_sha256 = "b".repeat(64);
        new.plans[0].files[0].1 = "3".into();
        new.plans[0].files.pop();
        assert_eq!(
            old.changes(&new),
            vec![
                "p: rules changed (sha256 aaaaaaaaaaaa -> bbbbbbbbbbbb)".to_string(),
                "p: input files changed: updates.csv, targets.csv (removed)".to_string(),
            ]
        );
    }
}
