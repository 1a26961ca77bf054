//! The priority overview table (README, "The overview table and the members' report")
//! written out: Markdown, CSV, JSON or a small HTML page, with a Total row and a % row. The counts themselves are made in
//! [`crate::counts::priorities`]; this module only writes them.

pub use crate::counts::{Counted, Counts, Overview, OverviewRow};
use crate::format::{escape, markdown_cell, period_long, period_short};
use crate::style::BASE_CSS;
use scorecard_core::{escape_formula, CsvFormulas, Status};
use serde::Serialize;
use std::io::Write;

/// An overview output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewFormat {
    /// A GitHub Markdown table.
    Markdown,
    /// CSV with a header row.
    Csv,
    /// A JSON object.
    Json,
    /// A small standalone HTML page.
    Html,
}

impl OverviewFormat {
    /// Parses `md` (`markdown`), `csv`, `json`, `html` (`htm`).
    pub fn parse(text: &str) -> Option<OverviewFormat> {
        match text.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(OverviewFormat::Markdown),
            "csv" => Some(OverviewFormat::Csv),
            "json" => Some(OverviewFormat::Json),
            "html" | "htm" => Some(OverviewFormat::Html),
            _ => None,
        }
    }

    /// The format a file name's extension names.
    pub fn from_path(path: &std::path::Path) -> Option<OverviewFormat> {
        path.extension().and_then(|e| e.to_str()).and_then(OverviewFormat::parse)
    }
}

impl Overview {
    /// What the table shows, in a sentence: its caption.
    pub fn caption(&self) -> String {
        let what = match self.counted {
            Counted::Milestones => "Delivery milestones by priority",
            Counted::Measures => "Measures by group",
        };
        let basis = if self.computed { "the engine's status" } else { "reported status" };
        format!("{what}, {} ({basis})", period_long(self.period))
    }

    /// Writes the overview in `format`.
    pub fn write(&self, format: OverviewFormat, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_with(format, CsvFormulas::Escape, out)
    }

    /// [`Overview::write`], CSV cells that look like formulas written as `formulas` says.
    pub fn write_with(&self, format: OverviewFormat, formulas: CsvFormulas, out: &mut dyn Write) -> std::io::Result<()> {
        let text = match format {
            OverviewFormat::Markdown => self.markdown(),
            OverviewFormat::Csv => self.csv_with(formulas),
            OverviewFormat::Json => self.json(),
            OverviewFormat::Html => self.html_page(),
        };
        out.write_all(text.as_bytes())
    }

    /// Cells of the table, as text: header, a row per priority, Total, %.
    /// `labelled`: statuses named by the plan's `[labels]` (Markdown, HTML), else by their
    /// canonical words (CSV, for programs).
    pub(crate) fn cells(&self, titles: bool, labelled: bool) -> Vec<Vec<String>> {
        let not_rated = self.shows_not_rated();
        let name = |s: Status| if labelled { self.labels.name(s).to_string() } else { s.name().to_string() };
        let mut header = vec![self.counted.heading().to_string()];
        if titles {
            header.push("Title".to_string());
        }
        header.extend(Status::ALL.iter().map(|s| name(*s)));
        header.push("Total".to_string());
        if not_rated {
            header.push("Not rated".to_string());
        }
        if self.rollup {
            header.push("Status".to_string());
        }
        let counts_row = |first: &str, title: &str, c: &Counts, status: Option<Option<Status>>| {
            let mut row = vec![first.to_string()];
            if titles {
                row.push(title.to_string());
            }
            row.extend(Status::ALL.iter().map(|s| c.get(*s).to_string()));
            row.push(c.total().to_string());
            if not_rated {
                row.push(c.not_rated.to_string());
            }
            if let Some(s) = status {
                row.push(s.map(name).unwrap_or_default());
            }
            row
        };
        let rolled = |s: Option<Status>| self.rollup.then_some(s);
        let mut table = vec![header];
        for r in &self.rows {
            table.push(counts_row(&r.id, &r.title, &r.counts, rolled(r.status)));
        }
        table.push(counts_row("Total", "", &self.total, rolled(None)));
        let mut percent = vec!["%".to_string()];
        if titles {
            percent.push(String::new());
        }
        percent.extend(Status::ALL.iter().map(|s| self.total.percent(*s).map(|p| format!("{p}%")).unwrap_or_default()));
        percent.push(String::new());
        if not_rated {
            percent.push(String::new());
        }
        if self.rollup {
            percent.push(String::new());
        }
        table.push(percent);
        table
    }

    /// A GitHub Markdown table.
    pub fn markdown(&self) -> String {
        let table = self.cells(self.shows_titles(), true);
        let mut out = String::new();
        for (i, row) in table.iter().enumerate() {
            out.push_str("| ");
            out.push_str(&row.iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | "));
            out.push_str(" |\n");
            if i == 0 {
                let titles = usize::from(self.shows_titles());
                let rule: Vec<&str> = (0..row.len()).map(|c| if c <= titles { "---" } else { "---:" }).collect();
                out.push_str(&format!("|{}|\n", rule.join("|")));
            }
        }
        out
    }

    /// CSV: a header row (`priority,title,green,amber,red,blue,total`, then `not_rated` when
    /// shown), a row per priority, the Total row and the % row.
    ///
    /// A priority or title that a spreadsheet would take for a formula (`=...`, `+...`,
    /// `-...`, `@...`) is written with a `'` in front, as `rate` writes ratings CSV
    /// ([`CsvFormulas`]); [`Overview::csv_with`] chooses.
    pub fn csv(&self) -> String {
        self.csv_with(CsvFormulas::Escape)
    }

    /// [`Overview::csv`], writing cells that look like formulas as `formulas` says.
    pub fn csv_with(&self, formulas: CsvFormulas) -> String {
        let mut table = self.cells(true, false);
        table[0] = table[0].iter().map(|h| h.to_ascii_lowercase().replace(' ', "_")).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in &table {
            // Counts and percentages begin with a digit, so only text cells can be escaped.
            let row: Vec<std::borrow::Cow<str>> = match formulas {
                CsvFormulas::Escape => row.iter().map(|c| escape_formula(c)).collect(),
                CsvFormulas::Keep => row.iter().map(|c| std::borrow::Cow::Borrowed(c.as_str())).collect(),
            };
            // Writing to memory cannot fail.
            let _ = w.write_record(row.iter().map(|c| c.as_bytes()));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// JSON: `plan`, `title`, `period`, `counted`, `status`, `rows`, `total` and `percent`.
    /// Every count object has `green`, `amber`, `red`, `blue`, `total` and `not_rated`.
    pub fn json(&self) -> String {
        let rows = self
            .rows
            .iter()
            .map(|r| JsonRow {
                priority: (self.counted == Counted::Milestones).then_some(r.id.as_str()),
                group: (self.counted == Counted::Measures).then_some(r.id.as_str()),
                title: &r.title,
                counts: JsonCounts::of(&r.counts),
                status: r.status.filter(|_| self.rollup).map(|s| s.name()),
            })
            .collect();
        let percent = |s: Status| self.total.percent(s);
        let doc = JsonOverview {
            plan: &self.plan,
            title: &self.plan_title,
            period: self.period.to_string(),
            counted: self.counted.name(),
            status: self.basis(),
            rows,
            total: JsonCounts::of(&self.total),
            percent: JsonPercent {
                green: percent(Status::Green),
                amber: percent(Status::Amber),
                red: percent(Status::Red),
                blue: percent(Status::Blue),
            },
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The table as an HTML `<table>` with a caption, header cells and status-coloured
    /// columns (the status is always the column's heading as well).
    pub fn html_table(&self) -> String {
        let titles = self.shows_titles();
        let table = self.cells(titles, true);
        let class_of = |column: usize| -> String {
            let first_count = 1 + usize::from(titles);
            match column.checked_sub(first_count) {
                Some(i) if i < 4 => format!(" class=\"s-{}\"", Status::ALL[i].name().to_ascii_lowercase()),
                Some(4) => " class=\"total\"".to_string(),
                Some(_) => " class=\"s-none\"".to_string(),
                None if titles && column == 1 => " class=\"title\"".to_string(),
                None => String::new(),
            }
        };
        let mut out = String::from("<table class=\"overview\">\n");
        out.push_str(&format!("<caption>{}</caption>\n<thead><tr>", escape(&self.caption())));
        for (c, h) in table[0].iter().enumerate() {
            out.push_str(&format!("<th scope=\"col\"{}>{}</th>", class_of(c), escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let n = table.len();
        for (r, row) in table.iter().enumerate().skip(1) {
            if r == n - 2 {
                out.push_str("</tbody>\n<tfoot>\n");
            }
            out.push_str("<tr>");
            for (c, cell) in row.iter().enumerate() {
                if c == 0 {
                    out.push_str(&format!("<th scope=\"row\">{}</th>", escape(cell)));
                } else {
                    out.push_str(&format!("<td{}>{}</td>", class_of(c), escape(cell)));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tfoot>\n</table>\n");
        out
    }

    /// A small standalone HTML page holding the table (no script, no external reference).
    pub fn html_page(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} – overview, {}</title>\n<style>\n{}</style>\n</head>\n<body>\n<h1>{}</h1>\n{}</body>\n</html>\n",
            escape(&self.plan_title),
            escape(&period_short(self.period)),
            BASE_CSS,
            escape(&self.plan_title),
            self.html_table()
        )
    }
}

/// The JSON document, keys in field order.
#[derive(Serialize)]
struct JsonOverview<'a> {
    plan: &'a str,
    title: &'a str,
    period: String,
    counted: &'static str,
    status: &'static str,
    rows: Vec<JsonRow<'a>>,
    total: JsonCounts,
    percent: JsonPercent,
}

/// One row: its id under `priority` (milestones) or `group` (measures), then its counts.
#[derive(Serialize)]
struct JsonRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    title: &'a str,
    #[serde(flatten)]
    counts: JsonCounts,
    /// The rolled-up status (`--rollup`, issue #16).
    #[serde(skip_serializing_if = "Option::is_none", rename = "rollup_status")]
    status: Option<&'static str>,
}

/// A count object.
#[derive(Serialize)]
struct JsonCounts {
    green: usize,
    amber: usize,
    red: usize,
    blue: usize,
    total: usize,
    not_rated: usize,
}

impl JsonCounts {
    fn of(c: &Counts) -> JsonCounts {
        JsonCounts { green: c.green, amber: c.amber, red: c.red, blue: c.blue, total: c.total(), not_rated: c.not_rated }
    }
}

/// Each status as a whole percentage of the Total; `null` when the Total is 0.
#[derive(Serialize)]
struct JsonPercent {
    green: Option<usize>,
    amber: Option<usize>,
    red: Option<usize>,
    blue: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorecard_core::Period;

    fn measures_overview() -> Overview {
        let counts = Counts { not_rated: 2, ..Counts::default() };
        Overview {
            plan: "t".into(),
            plan_title: "T & Co".into(),
            period: Period::month(2013, 12),
            counted: Counted::Measures,
            computed: true,
            rows: vec![OverviewRow { id: "Health".into(), title: String::new(), counts, status: None }],
            total: counts,
            rollup: false,
            labels: Default::default(),
        }
    }

    #[test]
    fn json_keys_in_order_with_null_percentages_without_a_total() {
        let expected = r#"{
  "plan": "t",
  "title": "T & Co",
  "period": "2013-12",
  "counted": "measures",
  "status": "computed",
  "rows": [
    {
      "group": "Health",
      "title": "",
      "green": 0,
      "amber": 0,
      "red": 0,
      "blue": 0,
      "total": 0,
      "not_rated": 2
    }
  ],
  "total": {
    "green": 0,
    "amber": 0,
    "red": 0,
    "blue": 0,
    "total": 0,
    "not_rated": 2
  },
  "percent": {
    "green": null,
    "amber": null,
    "red": null,
    "blue": null
  }
}
"#;
        assert_eq!(measures_overview().json(), expected);
    }

    #[test]
    fn markdown_cells_go_through_the_one_escaper() {
        let mut o = measures_overview();
        o.rows[0].title = "Jobs | skills & <training>\r\nfor all".into();
        let row = o.markdown().lines().nth(2).expect("a first row").to_string();
        assert_eq!(row, "| Health | Jobs \\| skills &amp; &lt;training&gt;  for all | 0 | 0 | 0 | 0 | 0 | 2 |");
    }
}
