//! A random-mutation smoke run of `diff`'s ratings readers, for when the cargo-fuzz `diff_*`
//! targets cannot be built (their polars build takes an hour on a small machine): the same
//! check as `fuzz/fuzz_targets/diff_*.rs` (a table, or a message naming the file; a table read
//! compares with itself as unchanged; never a panic), on seeds mutated at random (bit flips,
//! byte sets, deletions, insertions, truncations, splices of two seeds). Not coverage-guided,
//! so weaker than cargo-fuzz; the README's "Fuzzing" says which targets ran which way.
//!
//! ```sh
//! cargo run --example mutate_ratings -- SECONDS csv|json|parquet SEED...
//! ```
//!
//! Prints the executions and how many were read as a table; on a finding, writes the input to
//! `mutate-finding.<format>` and exits 1.

use scorecard_core::diff::{compare, RatingsTable};
use scorecard_core::Format;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = [0, 0xFF, b'"', b',', b'\n', b'{', b'}', b'0', b'9', b'-'][rng.below(10)];
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below(64.min(len - i));
                data.drain(i..i + n);
            }
            3 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(i..i, bytes);
            }
            4 if len > 0 => data.truncate(rng.below(len)),
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let (i, j) = (rng.below(len + 1), rng.below(other.len() + 1));
                data.truncate(i);
                data.extend_from_slice(&other[j..]);
            }
            _ if len >= 4 => {
                // A little-endian length field somewhere set to an extreme.
                let i = rng.below(len - 3);
                let v: u32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000][rng.below(5)];
                data[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            _ => {}
        }
    }
    data
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seconds, format, seeds @ ..] = args.as_slice() else {
        anyhow::bail!("usage: mutate_ratings SECONDS csv|json|parquet SEED...");
    };
    let format = match format.as_str() {
        "csv" => Format::Csv,
        "json" => Format::Json,
        "parquet" => Format::Parquet,
        other => anyhow::bail!("unknown format {other}"),
    };
    let name = format!("fuzz.{}", args[1]);
    let seeds: Vec<Vec<u8>> = seeds.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    anyhow::ensure!(!seeds.is_empty(), "give at least one seed");
    let deadline = Instant::now() + Duration::from_secs(seconds.parse()?);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id()));
    // Panics are findings: say them here, not on standard error per input.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut runs, mut tables) = (0u64, 0u64);
    while Instant::now() < deadline {
        let data = mutate(&mut rng, &seeds);
        let outcome = std::panic::catch_unwind(|| match RatingsTable::from_bytes(&name, &data, Some(format)) {
            Ok(table) => {
                let diff = compare(&table, &table);
                if diff.has_rating_changes() {
                    Err("a table differs from itself".to_string())
                } else {
                    Ok(true)
                }
            }
            Err(e) if e.to_string().starts_with(&name) => Ok(false),
            Err(e) => Err(format!("the message does not name the file: {e}")),
        });
        runs += 1;
        let finding = match outcome {
            Ok(Ok(table)) => {
                tables += u64::from(table);
                continue;
            }
            Ok(Err(why)) => why,
            Err(panic) => panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".into()),
        };
        let out = format!("mutate-finding.{}", args[1]);
        std::fs::write(&out, &data)?;
        eprintln!("finding after {runs} runs: {finding}; input written to {out}");
        std::process::exit(1);
    }
    eprintln!("{} {runs} runs in {seconds} s, {tables} read as a table, no finding", args[1]);
    Ok(())
}
