//! `scorecard report` (issue #3): the members' report as a person would need it. One HTML
//! page that works offline (no script, nothing fetched), has every section the issue asks
//! for, never shows a status by colour alone, and has its charts beside it as PNG and SVG.
//!
//! The visual check (headless Chromium screenshots and A4 print) is done by hand, see the
//! README; these tests read the files.

use crate::util::{assert_text_shape, fixture, fixtures, regex_literal, root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-11-23 00:00 UTC: a fixed "produced" date.
const EPOCH: &str = "1795392000";

struct Made {
    dir: tempfile::TempDir,
    stdout: String,
}

impl Made {
    fn folder(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Runs `scorecard report ARGS` in a fresh folder with a fixed date.
fn report(args: &[&str]) -> Made {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .arg("report")
        .args(args)
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("the scorecard binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    Made { dir, stdout: String::from_utf8_lossy(&out.stdout).into_owned() }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every chart named in the page, as `charts/<name>`.
fn chart_names(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .split("href=\"charts/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter_map(|s| s.strip_suffix(".png"))
        .map(str::to_string)
        .collect();
    names.dedup();
    names
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let n = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (n(16), n(20))
}

#[test]
fn with_no_arguments_it_writes_the_demo_report_under_reports() {
    let made = report(&[]);
    let dir = made.folder("reports/cyp-2013-2013-12");
    let page = dir.join("report.html");
    assert!(page.is_file(), "no {}", page.display());
    assert!(made.stdout.contains("reports/cyp-2013-2013-12/report.html"), "{}", made.stdout);
    // The overview, a trend per measure and an XmR chart per measure (issue #13).
    assert!(made.stdout.contains("13 charts, each as PNG and SVG"), "{}", made.stdout);
    let html = read(&page);
    assert!(html.contains("Rotherham Children and Young People&#39;s Action Plan 2013-2016"));
    assert!(html.contains("<dt>Produced</dt><dd>23 November 2026</dd>"), "the date comes from SOURCE_DATE_EPOCH");
}

#[test]
fn every_chart_exists_as_png_and_svg_sized_for_a_page_or_a_slide() {
    let made = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let dir = made.folder("out");
    let html = read(&dir.join("report.html"));
    let names = chart_names(&html);
    let mut expected = vec!["overview".to_string()];
    for kind in ["trend", "xmr"] {
        expected.extend((1..=6).map(|i| format!("{kind}-M0{i}")));
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    for name in &names {
        let png = std::fs::read(dir.join(format!("charts/{name}.png"))).expect("png written");
        assert_eq!(png_size(&png), (1200, 675), "{name}.png");
        let svg = read(&dir.join(format!("charts/{name}.svg")));
        assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"), "{name}.svg");
        assert!(svg.contains("width=\"160mm\" height=\"90mm\""), "{name}.svg is sized for a page");
        // Text is drawn as outlines of the embedded font: nothing depends on the viewer's fonts.
        assert!(!svg.contains("<text"), "{name}.svg has font-dependent text");
        assert!(svg.contains("<use xlink:href=\"#"), "{name}.svg has no text at all");
        assert!(svg.contains("<title id=") && svg.contains("<desc id="), "{name}.svg has no text alternative");
    }
    // The overview chart's description carries every count in words.
    let overview = read(&dir.join("charts/overview.svg"));
    assert!(overview.contains("Priority 1: 9 Green, 38 Amber, 4 Red, 1 Blue"), "{}", &overview[..600]);
}

#[test]
fn the_page_works_offline_and_has_every_section() {
    let made = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    // Nothing from the network, no script.
    for bad in ["<script", "src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(", "<link", "<iframe", "<img"] {
        assert!(!html.contains(bad), "the page contains {bad}");
    }
    for attr in ["src=\"", "href=\""] {
        for value in html.split(attr).skip(1).filter_map(|s| s.split('"').next()) {
            assert!(value.starts_with('#') || value.starts_with("charts/"), "{attr}{value}\" is not local to the report");
        }
    }
    // Title, plan, period, date produced and the status meanings.
    assert!(html.contains("<title>Rotherham Children and Young People&#39;s Action Plan 2013-2016 – Progress report, Dec 2013</title>"));
    assert!(html.contains("<dt>Reporting period</dt><dd>December 2013</dd>"));
    assert!(html.contains("(<code>cyp-2013</code>, financial year)"));
    assert!(html.contains("The delivery milestone is at risk of not being delivered within the timescales identified"));
    // The sections, in order.
    let order = [
        "id=\"statuses\"",
        "id=\"overview\"",
        "id=\"priority-1\"",
        "id=\"priority-5\"",
        "id=\"scorecard\"",
        "id=\"trends\"",
        "id=\"notes\"",
        "id=\"glossary\"",
    ];
    let at: Vec<usize> = order.iter().map(|s| html.find(s).unwrap_or_else(|| panic!("no {s}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order: {at:?}");
    // The overview table with the seed's totals, and its chart.
    assert!(html.contains("<td class=\"s-green\">26</td><td class=\"s-amber\">121</td><td class=\"s-red\">7</td><td class=\"s-blue\">2</td><td class=\"total\">156</td>"));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" class=\"chart\""));
    // Printing: A4 landscape.
    assert!(html.contains("@page{size:A4 landscape"));
    // The glossary explains every term the page uses.
    for term in [
        "RAG",
        "Blue",
        "Direction of travel",
        "Tolerance and amber threshold",
        "Trajectory",
        "Statistical neighbours",
        "Year to date",
        "Benchmark",
        "Target",
    ] {
        assert!(html.contains(&format!("<dt>{term}</dt>")), "no glossary entry for {term}");
    }
}

#[test]
fn each_milestone_has_its_lead_due_date_status_reason_and_commentary() {
    let made = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    assert_eq!(html.matches("<td class=\"commentary\">").count(), 156, "one row per milestone");
    let row = |id: &str| -> String {
        let start = html.find(&format!("<tr><th scope=\"row\">{id}</th>")).unwrap_or_else(|| panic!("no row for {id}"));
        html[start..start + html[start..].find("</tr>").expect("row ends")].to_string()
    };
    let r = row("1.1");
    assert!(r.contains("Delivery - RFT Midwifery services; Strategy - Anne Charlesworth"), "{r}");
    assert!(r.contains("<span class=\"status s-red\">Red</span>"), "{r}");
    assert!(r.contains("Red: issues flagged in the update for December 2013"), "{r}");
    assert!(r.contains("Work to progress this with TRFT has being delayed"), "{r}");
    // 5.7: the officer says Amber, the calculated status is Red (6 schools against 5): both
    // are shown.
    let r = row("5.7");
    assert!(r.contains("<span class=\"status s-amber\">Amber</span><span class=\"both\">Officer: Amber<br>Calculated: Red</span>"), "{r}");
    // A dated milestone shows its due date the UK way.
    assert!(html.contains("<td>31/03/2014</td>") || html.contains("/2014</td>"), "no due dates shown");
    // A Blue milestone without an update says so.
    assert!(row("1.10").contains("No update for this period"));
}

#[test]
fn the_measures_scorecard_has_every_column_a_member_reads() {
    let made = report(&[&fixture("members-scorecard-2024"), "--period", "2023/24 Q3", "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    for header in [
        "Measure",
        "Last three periods",
        "Year to date",
        "Target",
        "Status",
        "Direction of travel",
        "National",
        "Statistical neighbours",
        "Trend",
    ] {
        assert!(
            html.contains(&format!("<th scope=\"col\">{header}</th>"))
                || html.contains(&format!("<th scope=\"col\" class=\"spark-cell\">{header}</th>")),
            "no {header} column"
        );
    }
    // The scorecard's row (the exceptions and the changes name the measure earlier).
    let scorecard = &html[html.find("id=\"scorecard\"").expect("a scorecard")..];
    let row = |id: &str| -> String {
        let start = scorecard.find(&format!("<span class=\"id\">{id}</span>")).unwrap_or_else(|| panic!("no row for {id}"));
        scorecard[start..start + scorecard[start..].find("</tr>").expect("row ends")].to_string()
    };
    // Example One: good is high, Amber within the 84% tolerance, down on last year, similar.
    let r = row("SC01");
    assert!(r.contains("Good is high"), "{r}");
    assert!(
        r.contains("Oct 2023: <strong>88.0%</strong>") && r.contains("Dec 2023: <strong>86.2%</strong>"),
        "three months, one decimal as the row's figures have: {r}"
    );
    assert!(r.contains("<strong>90.0%</strong> <span class=\"why\">amber from 84.0%</span>"), "{r}");
    assert!(r.contains("<span class=\"status s-amber\">Amber</span>"), "{r}");
    assert!(r.contains("class=\"dot worsening\"") && r.contains("Worsening"), "{r}");
    assert!(r.contains("fill=\"#b42318\""), "the arrow is red: {r}");
    assert!(r.contains("<strong>Similar</strong><span class=\"why\">82.9% (2022/23)</span>"), "{r}");
    assert!(r.contains("April to December 2023; 9 months, all cases pooled"), "year to date: {r}");
    assert!(r.contains("<svg class=\"spark\"") && r.contains("role=\"img\" aria-label=\"Trend from"), "{r}");
    // Issue #16: the forecast beside the status, its sentence under the row.
    assert!(r.contains("<span class=\"why forecast\" title=\"At risk: the line through the 6 values from July 2023 to December 2023 reaches 85.2 by the end of 2023/24, against a target of 90 (high is good)\">Forecast: at risk</span>"), "{r}");
    assert!(scorecard.contains("<strong>Forecast:</strong> At risk: the line through the 6 values"), "the forecast's sentence");
    // Example Two: good is low, Red, improving on last month, worse than both benchmarks.
    let r = row("SC02");
    assert!(r.contains("Good is low") && r.contains("<span class=\"status s-red\">Red</span>"), "{r}");
    // Issue #15 item 5: where low is good the band is above the target: "amber up to 24%".
    assert!(r.contains("<strong>22.0%</strong> <span class=\"why\">amber up to 24.0%</span>"), "the row's one decimal: {r}");
    assert!(r.contains("class=\"dot improving\"") && r.contains("fill=\"#00703c\""), "{r}");
    assert_eq!(r.matches("<strong>Worse</strong>").count(), 2, "{r}");
    // Not rated and Blue are written out too.
    assert!(row("EH03").contains("<span class=\"status s-none\">Not rated</span>"));
    assert!(row("SC04").contains("<span class=\"status s-blue\">Blue</span>"));
    // Data notes from measures.csv.
    assert!(html.contains("December 2023 figure not yet validated at the time of reporting (n/a)."));
}

#[test]
fn status_colours_always_come_with_their_words_and_tables_have_headers() {
    let made = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    // Every status label: its colour class and its word agree.
    let mut labels = 0;
    for piece in html.split("<span class=\"status").skip(1) {
        let class = piece.split("s-").nth(1).and_then(|s| s.split('"').next()).expect("status class");
        let text = piece.split('>').nth(1).and_then(|s| s.split('<').next()).expect("status text");
        let word = match class {
            "none" => "Not rated",
            c => &format!("{}{}", c[..1].to_uppercase(), &c[1..]),
        };
        assert!(text.starts_with(word), "a {class} label reads {text:?}");
        labels += 1;
    }
    assert!(labels > 156, "{labels} labels");
    // Every table has header cells and a caption.
    for table in html.split("<table").skip(1) {
        let table = &table[..table.find("</table>").expect("table ends")];
        assert!(table.contains("<th scope=\"col\""), "a table without column headers");
        assert!(table.contains("<caption"), "a table without a caption");
    }
    // Every SVG is either an image with a text alternative or decoration hidden from readers.
    for svg in html.split("<svg").skip(1) {
        let tag = &svg[..svg.find('>').expect("tag ends")];
        if tag.contains("aria-hidden=\"true\"") {
            continue;
        }
        assert!(tag.contains("role=\"img\""), "<svg{tag}>");
        assert!(tag.contains("aria-label=") || tag.contains("aria-labelledby="), "<svg{tag}>");
        assert!(svg.contains("<title"), "<svg{tag}> has no title");
    }
    assert!(html.contains("<html lang=\"en-GB\">"));
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let a = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let b = report(&[&fixture("cyp-2013"), "-o", "out"]);
    for file in ["report.html", "charts/overview.png", "charts/overview.svg", "charts/trend-M02.png", "charts/trend-M02.svg"] {
        let (x, y) = (std::fs::read(a.folder("out").join(file)).expect("a"), std::fs::read(b.folder("out").join(file)).expect("b"));
        assert!(x == y, "{file} differs between two runs");
    }
}

#[test]
fn word_and_excel_are_written_on_request_and_give_the_same_bytes_twice() {
    for (format, file, magic) in [("docx", "report.docx", "word/document.xml"), ("xlsx", "report.xlsx", "xl/workbook.xml")] {
        let a = report(&[&fixture("members-scorecard-2024"), "--format", format, "-o", "out"]);
        let b = report(&[&fixture("members-scorecard-2024"), "--format", format, "-o", "out"]);
        assert!(a.stdout.contains(file), "{}", a.stdout);
        let (x, y) = (std::fs::read(a.folder("out").join(file)).expect("a"), std::fs::read(b.folder("out").join(file)).expect("b"));
        assert!(x.starts_with(b"PK"), "{file} is a zip archive");
        assert!(x.windows(magic.len()).any(|w| w == magic.as_bytes()), "{file} holds {magic}");
        assert!(x == y, "{file} differs between two runs");
        assert!(!a.folder("out").join("report.html").exists(), "only the file asked for");
    }
}

#[test]
fn a_bad_plan_exits_2_and_writes_no_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(["report", &root().join("fixtures").join("no-such-plan").display().to_string(), "-o", "out"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("out").exists());
    let bad_date = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(["report", "-o", "out"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("runs");
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("SOURCE_DATE_EPOCH"));
    assert!(!dir.path().join("out").exists());
}

/// Every file under `dir`, relative to it, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// Every fixture's page (`report.html`) and the list of files written beside it, as snapshots
/// `integration__report__report-<fixture>-html.snap` and `...-files.snap`. No
/// `SOURCE_DATE_EPOCH` here: the produced date is today's, and a filter makes it `[DATE]`.
#[test]
fn every_fixtures_page_and_its_file_list_match_their_snapshots() {
    for name in fixtures() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new(env!("CARGO_BIN_EXE_scorecard"))
            .args(["report", &fixture(&name), "-o", "out"])
            .current_dir(dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("the scorecard binary runs");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let html = read(&dir.path().join("out/report.html"));
        assert_text_shape(&format!("report {name}: report.html"), &html);
        // The date is in the page's header and footer; both are filtered, and so is the version.
        assert_eq!(html.matches("<dt>Produced</dt><dd>").count(), 1, "one produced date in the header");
        assert_eq!(html.matches("<p>Produced on ").count(), 1, "one produced date in the footer");
        let version = format!(r"\bscorecard {}\b", regex_literal(env!("CARGO_PKG_VERSION")));
        let command = format!("scorecard report fixtures/{name} -o DIR");
        insta::with_settings!({
            omit_expression => true,
            description => format!("{command}: DIR/report.html"),
            filters => vec![
                (r"<dt>Produced</dt><dd>[^<]*</dd>", "<dt>Produced</dt><dd>[DATE]</dd>"),
                (r"<p>Produced on \d{1,2} [A-Z][a-z]+ \d{4} by", "<p>Produced on [DATE] by"),
                (version.as_str(), "scorecard [VERSION]"),
            ],
        }, {
            insta::assert_snapshot!(format!("report-{name}-html"), html);
        });
        insta::with_settings!({ omit_expression => true, description => format!("{command}: the files in DIR") }, {
            insta::assert_snapshot!(format!("report-{name}-files"), listing(&dir.path().join("out")).join("\n"));
        });
    }
}

#[test]
fn a_stale_item_is_listed_in_the_exceptions_with_when_it_was_last_updated() {
    // Issue #16 item 4: milestone 1.10 of the CYP plan has no update at all by December 2013,
    // so with `stale_after` = 2 (the default) it is stale. It is Blue, not Red, and it did not
    // get worse, so only its staleness puts it in the exceptions, whose reason says so.
    let made = report(&[&fixture("cyp-2013"), "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    let start = html.find("id=\"exceptions\"").expect("an exceptions section");
    let section = &html[start..start + html[start..].find("</section>").expect("the section ends")];
    let row = section.find("<span class=\"id\">1.10</span>").map(|at| &section[at..at + section[at..].find("</tr>").expect("row ends")]);
    let row = row.unwrap_or_else(|| panic!("1.10 is not in the exceptions: {section}"));
    assert!(row.contains("<span class=\"status s-blue\">Blue</span>"), "{row}");
    assert!(row.contains("Blue: no update for December 2013; Stale: no update by the end of December 2013"), "{row}");
}

#[test]
fn an_exception_writes_its_figures_to_the_decimals_of_its_scorecard_row() {
    // Issue #15 item 5, "the same decimals throughout a row": the latest value (61) and the
    // target (65) are whole numbers, but the measure's earlier value has one decimal, so its
    // scorecard row writes every figure to one decimal, and the exceptions say the same.
    let plan = crate::util::TempPlan::new(&[
        ("plan.toml", "name = \"Decimals\"\nyear_type = \"financial\"\n"),
        ("measures.csv", "measure,title,polarity,frequency,unit,target\nK1,Rate,high,monthly,%,65\n"),
        ("values.csv", "measure,period,value\nK1,2013-04,62.4\nK1,2013-05,63\nK1,2013-06,61\n"),
    ]);
    let made = report(&[&plan.path(), "-o", "out"]);
    let html = read(&made.folder("out/report.html"));
    let start = html.find("id=\"exceptions\"").expect("an exceptions section");
    let section = &html[start..start + html[start..].find("</section>").expect("the section ends")];
    assert!(section.contains("61.0% against a target of 65.0%"), "{section}");
    let scorecard = &html[html.find("id=\"scorecard\"").expect("a scorecard")..];
    assert!(scorecard.contains("Jun 2013: <strong>61.0%</strong>") && scorecard.contains("<strong>65.0%</strong>"), "{scorecard}");
}
