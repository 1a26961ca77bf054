//! Ratings diffs for people: what moved between two ratings tables, as text for a terminal or
//! CI log, JSON, or Markdown for a pull-request comment or a CI job summary. Shared by
//! `scorecard diff` and `scorecard rate --check`; reading and comparing live in
//! `scorecard_core::diff`.
//!
//! Text and Markdown print nothing when the tables hold the same ratings, fields and
//! provenance; JSON always prints its object. A rating changed (exit status 1) when an item was
//! added or removed, or `status`, `computed_status`, `dot`, `dot_judgement` or a `vs_<label>`
//! changed.

use crate::args::DiffFormatArg;
use crate::common::user_error;
use anyhow::{Context, Result};
use scorecard_core::diff::{Change, Diff, Entry, FieldChange, Key, RatingsTable};
use scorecard_core::{month_abbreviation, split_month, Frequency, Period, YearType};
use scorecard_report::format::markdown_cell;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// How a diff is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Lines for a terminal or a CI log.
    Text,
    /// One JSON object.
    Json,
    /// A Markdown section.
    Markdown,
}

/// A row's item as the diff names it: milestones and measures by their id, roll-up rows by
/// their kind and id (`priority 1`, `action 1/2`), so that priority 1 does not read as a
/// milestone with the id 1.
fn shown_item(key: &Key) -> String {
    match key.kind.as_str() {
        "action" | "priority" => format!("{} {}", key.kind, key.item),
        _ => key.item.clone(),
    }
}

impl From<DiffFormatArg> for Style {
    fn from(f: DiffFormatArg) -> Style {
        match f {
            DiffFormatArg::Text => Style::Text,
            DiffFormatArg::Json => Style::Json,
            DiffFormatArg::Markdown | DiffFormatArg::Md => Style::Markdown,
        }
    }
}

/// Reads a ratings file, or standard input for `-`.
pub fn read_table(path: &Path) -> Result<RatingsTable> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
        return RatingsTable::from_bytes("-", &bytes, None).map_err(user_error);
    }
    RatingsTable::read(path).map_err(user_error)
}

/// Prints the diff in `style` and returns the documented exit status: 1 when a rating changed.
pub fn report(diff: &Diff, style: Style, all_fields: bool) -> Result<ExitCode> {
    let text = render(diff, style, all_fields);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if diff.has_rating_changes() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The diff in `style`; empty for text and Markdown when nothing differs at all.
pub fn render(diff: &Diff, style: Style, all_fields: bool) -> String {
    let view = View::new(diff, all_fields);
    match style {
        Style::Json => json_report(&view),
        _ if view.is_silent() => String::new(),
        Style::Text => text_report(&view),
        Style::Markdown => markdown_report(&view),
    }
}

/// What a rendering shows.
struct View<'a> {
    diff: &'a Diff,
    all_fields: bool,
    /// The changes shown: rated ones, and the others with --all-fields.
    changes: Vec<&'a Change>,
    /// Whether messages name the plan (the files hold several).
    name_plans: bool,
}

impl<'a> View<'a> {
    fn new(diff: &'a Diff, all_fields: bool) -> View<'a> {
        View {
            diff,
            all_fields,
            changes: diff.changes.iter().filter(|c| all_fields || c.is_rated()).collect(),
            name_plans: diff.plans().len() > 1,
        }
    }

    /// Nothing differs: no row, field, column or provenance.
    fn is_silent(&self) -> bool {
        let d = self.diff;
        d.added.is_empty()
            && d.removed.is_empty()
            && d.changes.is_empty()
            && d.columns_only_old.is_empty()
            && d.columns_only_new.is_empty()
            && d.provenance.is_empty()
    }

    /// The fields listed for a change: rated ones, and with --all-fields the others except
    /// the reason (shown beside it); `computed_status` only when it moved differently from
    /// `status`.
    fn fields(&self, change: &'a Change) -> Vec<&'a FieldChange> {
        let status = change.fields.iter().find(|f| f.column == "status");
        change
            .fields
            .iter()
            .filter(|f| f.column != "status" && f.column != "reason")
            .filter(|f| f.rated || self.all_fields)
            .filter(|f| {
                f.column != "computed_status" || status.is_none_or(|s| (s.old.as_str(), s.new.as_str()) != (f.old.as_str(), f.new.as_str()))
            })
            .collect()
    }

    fn item(&self, key: &Key) -> String {
        if self.name_plans {
            format!("{} {}", key.plan, shown_item(key))
        } else {
            shown_item(key)
        }
    }

    fn label(&self, key: &Key) -> String {
        format!("{} {}", self.item(key), period_text(&key.period))
    }

    fn notes(&self) -> Vec<String> {
        let d = self.diff;
        let mut notes = Vec::new();
        for c in &d.columns_only_old {
            notes.push(format!("column `{c}` only in {}", d.old));
        }
        for c in &d.columns_only_new {
            notes.push(format!("column `{c}` only in {}", d.new));
        }
        notes.extend(d.provenance.iter().cloned());
        notes
    }

    fn summary(&self) -> String {
        let d = self.diff;
        let changed = d.rated_changes();
        let mut s = format!(
            "{changed} rating{} changed, {} added, {} removed, {} unchanged",
            if changed == 1 { "" } else { "s" },
            d.added.len(),
            d.removed.len(),
            d.unchanged()
        );
        let other = d.other_changes();
        if other > 0 {
            s.push_str(&format!(" ({other} with other fields changed{})", if self.all_fields { "" } else { "; --all-fields shows them" }));
        }
        s
    }
}

/// A period as people say it: `Dec 2013` for a month, else the canonical label.
pub fn period_text(label: &str) -> String {
    match Period::parse(label, YearType::Financial) {
        Ok(p) if p.frequency == Frequency::Monthly => {
            let (year, month) = split_month(p.start);
            format!("{} {year}", month_abbreviation(month))
        }
        _ => label.to_string(),
    }
}

fn status_text(status: &str) -> &str {
    if status.is_empty() {
        "not rated"
    } else {
        status
    }
}

fn cell_text(cell: &str) -> &str {
    if cell.is_empty() {
        "(none)"
    } else {
        cell
    }
}

/// A change's moves, e.g. `["Red -> Amber", "dot up -> down"]`; `still Green` first when the
/// status did not move.
fn moves(view: &View, change: &Change, arrow: &str) -> Vec<String> {
    let mut parts = Vec::new();
    match change.fields.iter().find(|f| f.column == "status") {
        Some(s) => parts.push(format!("{} {arrow} {}", status_text(&s.old), status_text(&s.new))),
        None => parts.push(format!("still {}", status_text(&change.new_status))),
    }
    for f in view.fields(change) {
        let name = if f.column == "computed_status" { "computed" } else { f.column.as_str() };
        parts.push(format!("{name} {} {arrow} {}", cell_text(&f.old), cell_text(&f.new)));
    }
    if parts.len() == 1 && change.fields.iter().all(|f| f.column != "status") && change.old_reason != change.new_reason {
        parts.push("reason changed".to_string());
    }
    parts
}

fn text_report(view: &View) -> String {
    let mut out = String::new();
    for c in &view.changes {
        out.push_str(&format!("{}: {}\n", view.label(&c.key), moves(view, c, "->").join("; ")));
        if c.old_reason == c.new_reason {
            out.push_str(&format!("    reason: {}\n", c.new_reason));
        } else {
            out.push_str(&format!("    was: {}\n    now: {}\n", c.old_reason, c.new_reason));
        }
    }
    for (word, entries) in [("added", &view.diff.added), ("removed", &view.diff.removed)] {
        for e in entries {
            out.push_str(&format!("{word} {}: {}\n    reason: {}\n", view.label(&e.key), status_text(&e.status), e.reason));
        }
    }
    for n in view.notes() {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push_str(&format!("summary: {}\n", view.summary()));
    out
}

fn markdown_report(view: &View) -> String {
    let d = view.diff;
    let mut out = format!("### Ratings: {}\n\n", view.summary());
    out.push_str(&format!("`{}` → `{}`\n", markdown_cell(&d.old), markdown_cell(&d.new)));
    let plan_head = if view.name_plans { "Plan | " } else { "" };
    let plan_rule = if view.name_plans { "---|" } else { "" };
    let plan_cell = |k: &Key| if view.name_plans { format!("{} | ", markdown_cell(&k.plan)) } else { String::new() };
    if !view.changes.is_empty() {
        out.push_str(&format!("\n| {plan_head}Item | Period | Change | Reason before | Reason now |\n|{plan_rule}---|---|---|---|---|\n"));
        for c in &view.changes {
            let change = moves(view, c, "→").iter().map(|m| markdown_cell(m)).collect::<Vec<_>>().join("<br>");
            out.push_str(&format!(
                "| {}{} | {} | {change} | {} | {} |\n",
                plan_cell(&c.key),
                markdown_cell(&shown_item(&c.key)),
                markdown_cell(&period_text(&c.key.period)),
                markdown_cell(&c.old_reason),
                markdown_cell(&c.new_reason)
            ));
        }
    }
    for (title, entries) in [("Added", &d.added), ("Removed", &d.removed)] {
        if entries.is_empty() {
            continue;
        }
        out.push_str(&format!("\n**{title}**\n\n| {plan_head}Item | Period | Status | Reason |\n|{plan_rule}---|---|---|---|\n"));
        for e in entries {
            out.push_str(&format!(
                "| {}{} | {} | {} | {} |\n",
                plan_cell(&e.key),
                markdown_cell(&shown_item(&e.key)),
                markdown_cell(&period_text(&e.key.period)),
                markdown_cell(status_text(&e.status)),
                markdown_cell(&e.reason)
            ));
        }
    }
    let notes = view.notes();
    if !notes.is_empty() {
        out.push_str("\n**Notes**\n\n");
        for n in notes {
            out.push_str(&format!("- {}\n", markdown_cell(&n)));
        }
    }
    out
}

/// `diff --format json`'s document, field order as written.
#[derive(Serialize)]
struct JsonReport<'a> {
    old: &'a str,
    new: &'a str,
    changed: bool,
    summary: JsonSummary,
    changes: Vec<JsonChange<'a>>,
    added: Vec<JsonEntry<'a>>,
    removed: Vec<JsonEntry<'a>>,
    columns_only_in_old: &'a [String],
    columns_only_in_new: &'a [String],
    provenance: &'a [String],
}

#[derive(Serialize)]
struct JsonSummary {
    changed: usize,
    added: usize,
    removed: usize,
    unchanged: usize,
    other_changed: usize,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    plan: &'a str,
    period: &'a str,
    kind: &'a str,
    item: &'a str,
    rated: bool,
    fields: Vec<JsonField<'a>>,
    old_reason: &'a str,
    new_reason: &'a str,
}

#[derive(Serialize)]
struct JsonField<'a> {
    column: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    rated: bool,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    plan: &'a str,
    period: &'a str,
    kind: &'a str,
    item: &'a str,
    status: Option<&'a str>,
    reason: &'a str,
}

/// An empty cell is `null`.
fn nullable(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

impl<'a> JsonEntry<'a> {
    fn of(e: &'a Entry) -> JsonEntry<'a> {
        let k = &e.key;
        JsonEntry { plan: &k.plan, period: &k.period, kind: &k.kind, item: &k.item, status: nullable(&e.status), reason: &e.reason }
    }
}

fn json_report(view: &View) -> String {
    let d = view.diff;
    let changes = view
        .changes
        .iter()
        .map(|c| JsonChange {
            plan: &c.key.plan,
            period: &c.key.period,
            kind: &c.key.kind,
            item: &c.key.item,
            rated: c.is_rated(),
            fields: c
                .fields
                .iter()
                .filter(|f| f.rated || view.all_fields)
                .map(|f| JsonField { column: &f.column, old: nullable(&f.old), new: nullable(&f.new), rated: f.rated })
                .collect(),
            old_reason: &c.old_reason,
            new_reason: &c.new_reason,
        })
        .collect();
    let report = JsonReport {
        old: &d.old,
        new: &d.new,
        changed: d.has_rating_changes(),
        summary: JsonSummary {
            changed: d.rated_changes(),
            added: d.added.len(),
            removed: d.removed.len(),
            unchanged: d.unchanged(),
            other_changed: d.other_changes(),
        },
        changes,
        added: d.added.iter().map(JsonEntry::of).collect(),
        removed: d.removed.iter().map(JsonEntry::of).collect(),
        columns_only_in_old: &d.columns_only_old,
        columns_only_in_new: &d.columns_only_new,
        provenance: &d.provenance,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
