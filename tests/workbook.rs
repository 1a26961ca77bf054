//! A plan as one Excel workbook (issue #15): each fixture saved as `plan.xlsx`, its twin, rates
//! to exactly the CSV bytes of the fixture; problems name the sheet and the cell.
//!
//! The twins are built here with rust_xlsxwriter as an officer's workbook holds them: numbers
//! as numbers, `61.9%` as the fraction 0.619 with a percentage format, due dates and months as
//! Excel dates, `1,380` as a number stored as text, ids and periods as text.

use crate::util::{fixture, root, scorecard, TempPlan};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// Every plan table of the fixture, in the order its sheets are written.
const TABLES: [&str; 7] = ["priorities", "milestones", "updates", "measures", "values", "targets", "benchmarks"];

/// Columns whose cells stay text, as an officer keeps ids and labels (`1.10` is not 1.1).
const TEXT_COLUMNS: [&str; 8] = ["priority", "milestone", "measure", "item", "benchmark", "title", "year_type", "unit"];

/// `(year, month, day)` of a date typed as `31/03/2014` or `2014-03-31`.
fn date(text: &str) -> Option<(u16, u8, u8)> {
    let parts: Vec<&str> = text.split(['/', '-']).collect();
    let n = |s: &str| s.parse::<u16>().ok();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => Some((n(y)?, n(m)? as u8, n(d)? as u8)),
        [y, m, d] if y.len() == 4 && d.len() == 2 => Some((n(y)?, n(m)? as u8, n(d)? as u8)),
        _ => None,
    }
}

/// A plain number as typed: digits, an optional sign and point.
fn plain(text: &str) -> Option<f64> {
    let ok = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if ok {
        text.parse().ok()
    } else {
        None
    }
}

/// The fixture's CSV files as one workbook's bytes.
fn workbook_twin(plan: &Path) -> Vec<u8> {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let month = Format::new().set_num_format("mmm-yy");
    for table in TABLES {
        let Ok(text) = std::fs::read_to_string(plan.join(format!("{table}.csv"))) else { continue };
        let sheet = book.add_worksheet();
        sheet.set_name(table).expect("sheet name");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut header: Vec<String> = Vec::new();
        for (r, record) in reader.records().enumerate() {
            let record = record.expect("fixture row");
            if r == 0 {
                header = record.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
            }
            for (c, field) in record.iter().enumerate() {
                let (row, col) = (r as u32, c as u16);
                let column = header.get(c).map(String::as_str).unwrap_or("");
                let typed = field.trim();
                let written = if r == 0 || typed.is_empty() || TEXT_COLUMNS.contains(&column) {
                    sheet.write_string(row, col, field).map(|_| ())
                } else if let Some(p) = typed.strip_suffix('%').filter(|p| plain(p).is_some()) {
                    // Excel stores 61.9% as the decimal 0.619 (not 61.9 / 100 in binary).
                    let fraction: f64 = format!("{p}e-2").parse().expect("a fraction");
                    sheet.write_number_with_format(row, col, fraction, &percent).map(|_| ())
                } else if let Some(x) = plain(typed) {
                    sheet.write_number(row, col, x).map(|_| ())
                } else if let (true, Some((y, m, d))) = (column == "due", date(typed)) {
                    let when = ExcelDateTime::from_ymd(y, m, d).expect("date");
                    sheet.write_datetime_with_format(row, col, &when, &day).map(|_| ())
                } else if let (true, Some((y, m))) = (column == "period", month_of(typed)) {
                    let when = ExcelDateTime::from_ymd(y, m, 1).expect("month");
                    sheet.write_datetime_with_format(row, col, &when, &month).map(|_| ())
                } else {
                    // Text, including numbers stored as text (`1,380`).
                    sheet.write_string(row, col, field).map(|_| ())
                };
                written.expect("cell written");
            }
        }
    }
    book.save_to_buffer().expect("workbook saved")
}

/// `(year, month)` of a month typed `2013-12`.
fn month_of(text: &str) -> Option<(u16, u8)> {
    let (y, m) = text.split_once('-')?;
    (y.len() == 4 && m.len() == 2).then_some(())?;
    Some((y.parse().ok()?, m.parse().ok()?))
}

/// A folder named like the fixture holding its twin `plan.xlsx` and its `plan.toml`.
fn twin_folder(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join(name);
    std::fs::create_dir(&dir).expect("plan folder");
    let plan = root().join("fixtures").join(name);
    std::fs::write(dir.join("plan.xlsx"), workbook_twin(&plan)).expect("workbook");
    std::fs::copy(plan.join("plan.toml"), dir.join("plan.toml")).expect("plan.toml");
    tmp
}

#[test]
fn each_fixture_as_a_workbook_rates_to_the_csv_bytes() {
    for (name, periods) in
        [("cyp-2013", &["", "2013/14 Q1", "2013/14 Q2"][..]), ("members-scorecard-2024", &["", "2023/24 Q2", "2023/24 Q3"][..])]
    {
        let tmp = twin_folder(name);
        let twin = tmp.path().join(name).display().to_string();
        let workbook = tmp.path().join(name).join("plan.xlsx").display().to_string();
        for period in periods {
            let args = |plan: &str| {
                let mut a = vec!["rate".to_string(), plan.to_string()];
                if !period.is_empty() {
                    a.extend(["--period".to_string(), period.to_string()]);
                }
                a
            };
            let run = |plan: &str| {
                let a = args(plan);
                let r = scorecard(&a.iter().map(String::as_str).collect::<Vec<_>>());
                assert_eq!(r.code, 0, "{name} {period}: {}", r.stderr);
                r.stdout
            };
            let csv = run(&fixture(name));
            assert!(csv.lines().count() > 5, "{name} {period}: {csv}");
            assert_eq!(run(&twin), csv, "{name} at {period:?}: the folder holding plan.xlsx");
            // The workbook named itself: its folder's name is the plan's, as it is plan.xlsx.
            assert_eq!(run(&workbook), csv, "{name} at {period:?}: plan.xlsx named");
        }
    }
}

/// A one-sheet-pair workbook: `updates` rows written as given (text cells), after the header.
fn small_workbook(updates: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Milestones").expect("name");
    for (c, h) in ["priority", "milestone", "title", "due"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    for (c, v) in ["1", "1.1", "Open the centre"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).expect("cell");
    }
    let sheet = book.add_worksheet();
    sheet.set_name("updates").expect("name");
    for (c, h) in ["milestone", "period", "value", "complete", "issues", "commentary"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, row) in updates.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *v).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("saved")
}

#[test]
fn problems_name_the_sheet_and_the_cell() {
    let plan = TempPlan::new(&[]);
    let path = Path::new(&plan.path()).join("plan.xlsx");
    std::fs::write(&path, small_workbook(&[&["1.1", "2013-12", "12", "", "", "ok"], &["1.1", "2014-01", "lots", "maybe", "", ""]]))
        .expect("write");
    let run = scorecard(&["validate", &plan.path()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let shown = path.display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "{shown}: sheet updates, cell C3: column `value`: \"lots\" is not a number; expected a number such as 61.9, 61.9% or 1,380"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("{shown}: sheet updates, cell D3: column `complete`: ")), "{}", run.stderr);
}

#[test]
fn workbook_messages_name_sheets_not_files() {
    let plan = TempPlan::new(&[]);
    let path = Path::new(&plan.path()).join("plan.xlsx");
    std::fs::write(&path, small_workbook(&[&["9.9", "2013-12", "12", "", "", ""], &["1.1", "2013-12", "", "", "", "x"]])).expect("write");
    let run = scorecard(&["validate", &plan.path()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "{}: sheet updates, cell A2: column `milestone`: unknown item \"9.9\"; expected an id from the milestones sheet",
            path.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_with_both_a_workbook_and_csv_files_is_refused() {
    let plan = TempPlan::new(&[("milestones.csv", "priority,milestone,title\n1,1.1,x\n"), ("updates.csv", "milestone,period\n")]);
    std::fs::write(Path::new(&plan.path()).join("plan.xlsx"), small_workbook(&[])).expect("write");
    let run = scorecard(&["rate", &plan.path()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("holds both plan.xlsx and CSV plan files (milestones.csv, updates.csv)"), "{}", run.stderr);
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_input_error() {
    let plan = TempPlan::new(&[("plan.xlsx", "priority,milestone,title\n")]);
    let run = scorecard(&["rate", &plan.path()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("plan.xlsx: cannot read the workbook"), "{}", run.stderr);
}

#[test]
fn batch_rates_a_workbook_plan_as_its_csv_twin() {
    let tmp = twin_folder("members-scorecard-2024");
    let twin = tmp.path().join("members-scorecard-2024").display().to_string();
    let out = |name: &str| tmp.path().join(name).display().to_string();
    for (plan, file) in [(fixture("members-scorecard-2024"), "csv.csv"), (twin, "xlsx.csv")] {
        let run = scorecard(&["batch", &plan, "-o", &out(file)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let csv = std::fs::read_to_string(out("csv.csv")).unwrap();
    assert!(csv.contains("vs_national"), "the benchmarks' columns are there");
    assert_eq!(std::fs::read_to_string(out("xlsx.csv")).unwrap(), csv);
}
