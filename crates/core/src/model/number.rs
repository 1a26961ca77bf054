//! How numbers are written in every output: at most 6 decimals, no trailing zeros, no `-0`,
//! and the scientific form for numbers too large or too small for that. Ratings files, reasons
//! and `diff` all write numbers through these functions, so the same value is the same text.

/// Rounds a computed number to 6 decimals so that output bytes do not depend on the last bit
/// of floating-point arithmetic.
pub fn round_output(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// A number in output: at most 6 decimals, no trailing zeros, no `-0`; numbers too large or too
/// small for that (1e15 and above, or below 1e-6) in shortest scientific form, such as `2e-300`.
pub fn format_number(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        return format!("{x:e}");
    }
    let r = round_output(x);
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// [`format_number`] appended to `out`, without allocating: the same bytes, for writers of
/// many rows. Numbers below 2^32 in size are written from their integer count of millionths;
/// the rest go through [`format_number`].
///
/// The digits are written by hand rather than with `itoa`: this runs for several numbers of
/// every row, and `itoa` (six fraction digits formatted, then the trailing zeros trimmed)
/// measured 57 million more instructions than this loop for `batch` of 10 plans to CSV
/// (callgrind, 2.0% of the run; BENCHMARKS.md).
pub fn write_number(x: f64, out: &mut String) {
    let Some(millionths) = millionths(x) else {
        out.push_str(&format_number(x));
        return;
    };
    if millionths < 0 {
        out.push('-');
    }
    let m = millionths.unsigned_abs();
    // Digits written by hand: this runs for several numbers of every row.
    let mut int = [0u8; 20];
    let mut at = int.len();
    let mut whole = m / 1_000_000;
    loop {
        at -= 1;
        int[at] = (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    for &d in &int[at..] {
        out.push(char::from(b'0' + d));
    }
    let mut fraction = (m % 1_000_000) as u32;
    if fraction != 0 {
        out.push('.');
        let mut scale = 100_000;
        while fraction != 0 {
            out.push(char::from(b'0' + (fraction / scale) as u8));
            fraction %= scale;
            scale /= 10;
        }
    }
}

/// The number of millionths [`write_number`] writes `x` from; `None` for the numbers it
/// leaves to [`format_number`] (not finite, scientific form, or 2^32 and above).
///
/// `round_output` keeps this many millionths; below 2^32 a double is exact to well under half
/// a millionth, so `{:.6}` of the rounded double prints exactly these digits.
fn millionths(x: f64) -> Option<i64> {
    if !x.is_finite() || (x != 0.0 && x.abs() < 1e-6) || x.abs() >= 4_294_967_296.0 {
        return None;
    }
    Some((x * 1e6).round() as i64)
}

/// How many decimals [`write_number`] writes for `x` (0 to 6); `None` for the numbers it
/// writes in scientific form or through [`format_number`].
pub fn decimals_written(x: f64) -> Option<usize> {
    let mut fraction = millionths(x)?.unsigned_abs() % 1_000_000;
    if fraction == 0 {
        return Some(0);
    }
    let mut places = 6;
    while fraction % 10 == 0 {
        fraction /= 10;
        places -= 1;
    }
    Some(places)
}
