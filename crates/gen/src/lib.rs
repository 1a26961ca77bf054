/*!
Synthetic plan folders of any size, for `scorecard`'s benchmarks and batch tests.

Each generated plan looks like a real council's: six priorities; milestones of every kind the
rules treat differently (profiled from a baseline to a final target, with a quarterly
trajectory, with a flat target and amber threshold, with a due date, purely narrative);
quarterly updates with values, flags, officers' statuses and commentary; monthly measures of
every polarity, with numerators and denominators, annual targets and quarterly national and
statistical-neighbour benchmarks. Gaps are generated on purpose (missing updates and values)
so that every status occurs.

The output depends only on the [`Shape`] and the seed: the same call gives the same bytes, on
every machine, so benchmark figures can be reproduced.

# Example

```
let shape = scorecard_gen::Shape { milestones: 8, update_periods: 4, measures: 3, months: 12 };
let files = scorecard_gen::plan_files(&shape, 7);
assert!(files.iter().any(|(name, _)| name == "milestones.csv"));
assert_eq!(files, scorecard_gen::plan_files(&shape, 7));
```
*/
#![deny(missing_docs)]

use std::fmt::Write as _;
use std::path::Path;

/// The size of one generated plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Delivery milestones (with updates).
    pub milestones: usize,
    /// Quarterly reporting periods with updates, from 2019/20 Q1.
    pub update_periods: usize,
    /// Monthly measures (with values).
    pub measures: usize,
    /// Months with values, from April 2019.
    pub months: usize,
}

impl Shape {
    /// The issue #6 benchmark plan: 400 milestones at 24 quarters, 150 monthly measures over
    /// 60 months (18,600 ratings with `--periods all`).
    pub const BENCHMARK: Shape = Shape { milestones: 400, update_periods: 24, measures: 150, months: 60 };

    /// The ratings `batch --periods all` gives for one plan of this shape (every quarter has an
    /// update and every month a value).
    pub fn ratings(&self) -> usize {
        let milestone_periods = if self.milestones == 0 { 0 } else { self.update_periods };
        let measure_periods = if self.measures == 0 { 0 } else { self.months };
        self.milestones * milestone_periods + self.measures * measure_periods
    }
}

/// A small deterministic random number generator (SplitMix64): no dependency, and the same
/// numbers on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VERBS: [&str; 12] =
    ["Increase", "Reduce", "Improve", "Extend", "Embed", "Review", "Deliver", "Develop", "Roll out", "Strengthen", "Sustain", "Widen"];
const OBJECTS: [&str; 16] = [
    "take-up of early education places",
    "school readiness at age five",
    "attendance of looked after children",
    "breastfeeding at six to eight weeks",
    "uptake of the two-year-old offer",
    "timeliness of child protection conferences",
    "stability of placements",
    "access to mental health support",
    "participation of young carers",
    "young people in education, employment or training",
    "smoking at time of delivery",
    "dental health of five year olds",
    "quality of transition plans",
    "youth service attendance",
    "healthy weight in reception year",
    "the voice of the child in care planning",
];
const PLACES: [&str; 8] = [
    "across all localities",
    "in the most deprived wards",
    "through children's centres",
    "with health partners",
    "in secondary schools",
    "for children in need",
    "with the voluntary sector",
    "by March 2021",
];
const LEADS: [&str; 8] = [
    "Head of Early Help",
    "Director of Public Health",
    "Head of Safeguarding",
    "CCG Commissioning Lead",
    "Principal Educational Psychologist",
    "Head of Youth Services",
    "Virtual School Head",
    "Service Manager, Fostering",
];
const COMMENTS: [&str; 10] = [
    "On track.",
    "Delayed by staffing changes; recovery plan agreed.",
    "Data awaited from partner agency",
    "Pilot complete, roll-out under way",
    "See exception report",
    "Funding confirmed for next year.",
    "Consultation closed, results being analysed",
    "Recruitment to vacant post, \"business as usual\" from next quarter",
    "Target revised at board",
    "No change",
];

/// A CSV field, quoted when it holds a comma, quote or line break.
fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A CSV line from fields.
fn line(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push('\n');
}

/// One decimal, as people type percentages.
fn num(x: f64) -> String {
    format!("{x:.1}")
}

/// The financial quarter `q` (0-based) after 2019/20 Q1, written `2019/20 Q1`.
fn quarter(q: usize) -> String {
    let year = 2019 + q / 4;
    format!("{year}/{:02} Q{}", (year + 1) % 100, q % 4 + 1)
}

/// The month `m` (0-based) after April 2019, in one of the spellings SPEC accepts.
fn month(m: usize, spelling: usize) -> String {
    let absolute = 2019 * 12 + 3 + m;
    let (year, mo) = (absolute / 12, absolute % 12);
    match spelling % 4 {
        0 => format!("{} {year}", scorecard_core::month_abbreviation(mo as u32 + 1)),
        _ => format!("{year}-{:02}", mo + 1),
    }
}

/// The financial year holding month `m` (0-based from April 2019), written `2019/20`.
fn financial_year(y: usize) -> String {
    let year = 2019 + y;
    format!("{year}/{:02}", (year + 1) % 100)
}

/// What a milestone measures and how it is targeted.
#[derive(Clone, Copy, PartialEq)]
enum MilestoneKind {
    /// Baseline and final target, profiled in a straight line.
    Profiled,
    /// A quarterly trajectory in `targets.csv`.
    Trajectory,
    /// A flat final target with an amber threshold.
    Flat,
    /// A narrative milestone with a due date.
    Due,
    /// A narrative milestone.
    Narrative,
}

struct GenMilestone {
    id: String,
    kind: MilestoneKind,
    start: f64,
    goal: f64,
    completes_at: usize,
}

/// The files of one generated plan, as `(file name, bytes)` pairs in a fixed order.
pub fn plan_files(shape: &Shape, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let mut files = Vec::new();
    files.push(("plan.toml".to_string(), format!("name = \"Generated plan {seed}\"\nyear_type = \"financial\"\n").into_bytes()));
    let mut priorities = String::from("priority,title,strategic_lead\n");
    for p in 1..=6 {
        let title = format!("Priority {p}: {} {}", rng.pick(&VERBS), rng.pick(&OBJECTS));
        line(&mut priorities, &[&p.to_string(), &title, rng.pick(&LEADS)]);
    }
    files.push(("priorities.csv".to_string(), priorities.into_bytes()));
    let mut targets = String::from("item,period,target,amber_threshold\n");
    let mut benchmarks = String::from("item,period,benchmark,value\n");
    if shape.milestones > 0 {
        let (milestones, updates) = milestones(shape, &mut rng, &mut targets);
        files.push(("milestones.csv".to_string(), milestones.into_bytes()));
        files.push(("updates.csv".to_string(), updates.into_bytes()));
    }
    if shape.measures > 0 {
        let (measures, values) = measures(shape, &mut rng, &mut targets, &mut benchmarks);
        files.push(("measures.csv".to_string(), measures.into_bytes()));
        files.push(("values.csv".to_string(), values.into_bytes()));
    }
    files.push(("targets.csv".to_string(), targets.into_bytes()));
    files.push(("benchmarks.csv".to_string(), benchmarks.into_bytes()));
    files
}

fn milestones(shape: &Shape, rng: &mut Rng, targets: &mut String) -> (String, String) {
    let mut out = String::from(
        "priority,milestone,title,action,lead,due,baseline,baseline_period,target,target_period,polarity,amber_threshold,unit\n",
    );
    let mut list = Vec::with_capacity(shape.milestones);
    let per_priority = shape.milestones.div_ceil(6).max(1);
    for i in 0..shape.milestones {
        let priority = i / per_priority + 1;
        let id = format!("{priority}.{}", i % per_priority + 1);
        let title = format!("{} {}", rng.pick(&VERBS), rng.pick(&OBJECTS));
        let action = format!(
            "({}) We will {} {} {}",
            i % per_priority / 10 + 1,
            rng.pick(&VERBS).to_lowercase(),
            rng.pick(&OBJECTS),
            rng.pick(&PLACES)
        );
        let kind = match i % 8 {
            0 | 1 => MilestoneKind::Profiled,
            2 => MilestoneKind::Trajectory,
            3 => MilestoneKind::Flat,
            4 | 5 => MilestoneKind::Due,
            _ => MilestoneKind::Narrative,
        };
        let start = 20.0 + rng.unit() * 60.0;
        let low = rng.chance(0.4);
        let goal = if low { start * (0.75 + rng.unit() * 0.2) } else { (start * (1.05 + rng.unit() * 0.3)).min(99.0) };
        let polarity = if low { "low" } else { "high" };
        let horizon = shape.update_periods.max(1);
        let completes_at = if rng.chance(0.5) { rng.below(horizon * 2) } else { usize::MAX };
        let row: [String; 13] = match kind {
            MilestoneKind::Profiled => [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                num(start),
                "2018/19".into(),
                num(goal),
                financial_year(horizon.div_ceil(4).max(1) - 1),
                if rng.chance(0.5) { polarity.into() } else { String::new() },
                String::new(),
                "%".into(),
            ],
            MilestoneKind::Trajectory => [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                num(goal),
                String::new(),
                polarity.into(),
                String::new(),
                "%".into(),
            ],
            MilestoneKind::Flat => {
                let amber = if low { goal * 1.1 } else { goal * 0.9 };
                [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    num(goal),
                    String::new(),
                    polarity.into(),
                    num(amber),
                    "%".into(),
                ]
            }
            MilestoneKind::Due => {
                let q = rng.below(horizon + 4);
                let year = 2019 + (q + 1) / 4;
                let due = match q % 4 {
                    0 => format!("30/06/{year}"),
                    1 => format!("{year}-09-30"),
                    2 => format!("31/12/{year}"),
                    _ => format!("{year}-03-31"),
                };
                [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    due,
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            }
            MilestoneKind::Narrative => Default::default(),
        };
        let [_, _, _, _, _, due, baseline, baseline_period, target, target_period, polarity_text, amber, unit] = &row;
        let priority_text = priority.to_string();
        line(
            &mut out,
            &[
                &priority_text,
                &id,
                &title,
                &action,
                rng.pick(&LEADS),
                due,
                baseline,
                baseline_period,
                target,
                target_period,
                polarity_text,
                amber,
                unit,
            ],
        );
        if kind == MilestoneKind::Trajectory {
            for q in 0..shape.update_periods {
                let t = start + (goal - start) * (q + 1) as f64 / shape.update_periods as f64;
                let amber = if rng.chance(0.5) { num(if low { t * 1.05 } else { t * 0.95 }) } else { String::new() };
                line(targets, &[&id, &quarter(q), &num(t), &amber]);
            }
        }
        list.push(GenMilestone { id, kind, start, goal, completes_at });
    }
    let mut updates = String::from("milestone,period,value,complete,issues,status,commentary\n");
    for m in &list {
        for q in 0..shape.update_periods {
            if rng.chance(0.03) {
                continue; // no update: Blue
            }
            let numeric = matches!(m.kind, MilestoneKind::Profiled | MilestoneKind::Trajectory | MilestoneKind::Flat);
            let value = if numeric && !rng.chance(0.05) {
                let progress = (q + 1) as f64 / shape.update_periods.max(1) as f64;
                num(m.start + (m.goal - m.start) * progress + (rng.unit() - 0.5) * 6.0)
            } else {
                String::new()
            };
            let complete = if q >= m.completes_at { "yes" } else { "" };
            let issues = if rng.chance(0.05) { "yes" } else { "" };
            let status = if rng.chance(0.1) { rng.pick(&["Green", "Amber", "Red", "G", "A"]) } else { "" };
            let commentary = if rng.chance(0.25) { rng.pick(&COMMENTS) } else { "" };
            line(&mut updates, &[&m.id, &quarter(q), &value, complete, issues, status, commentary]);
        }
    }
    (out, updates)
}

fn measures(shape: &Shape, rng: &mut Rng, targets: &mut String, benchmarks: &mut String) -> (String, String) {
    let mut out = String::from("measure,title,polarity,frequency,group,unit,target,amber_threshold,dot_basis,year_type,notes\n");
    let mut values = String::from("measure,period,value,numerator,denominator\n");
    let years = shape.months.div_ceil(12);
    for j in 0..shape.measures {
        let id = format!("KPI{:03}", j + 1);
        let title = format!("% {}", rng.pick(&OBJECTS));
        let polarity = match j % 10 {
            9 => "neutral",
            k if k % 2 == 0 => "high",
            _ => "low",
        };
        let rated = polarity != "neutral";
        let level = 30.0 + rng.unit() * 50.0;
        let has_target = rated && j % 7 != 3;
        let target = if has_target {
            if polarity == "high" {
                level * 1.05
            } else {
                level * 0.95
            }
        } else {
            0.0
        };
        let amber =
            if has_target && j % 3 == 0 { num(if polarity == "high" { target * 0.9 } else { target * 1.1 }) } else { String::new() };
        let fraction = j % 2 == 0;
        let group = format!("Group {}", j % 5 + 1);
        let dot_basis = if j % 4 == 1 { "year_ago" } else { "" };
        let notes = if j % 6 == 0 { "Illustrative, generated" } else { "" };
        line(
            &mut out,
            &[
                &id,
                &title,
                polarity,
                "monthly",
                &group,
                if fraction { "%" } else { "" },
                &if has_target { num(target) } else { String::new() },
                &amber,
                dot_basis,
                "",
                notes,
            ],
        );
        if has_target && j % 5 == 0 {
            for y in 0..years {
                let t = if polarity == "high" { target + y as f64 } else { target - y as f64 };
                line(targets, &[&id, &financial_year(y), &num(t), ""]);
            }
        }
        if j % 5 < 2 {
            for q in 0..shape.months / 3 {
                for label in ["National", "Statistical neighbours"] {
                    let b = level + (rng.unit() - 0.5) * 8.0;
                    line(benchmarks, &[&id, &quarter(q), label, &num(b)]);
                }
            }
        }
        for m in 0..shape.months {
            let drift = (m as f64 / 12.0) * if polarity == "low" { -1.0 } else { 1.0 };
            let v = (level + drift + (rng.unit() - 0.5) * 10.0).clamp(0.5, 99.5);
            if rng.chance(0.02) {
                line(&mut values, &[&id, &month(m, j), "", "", ""]);
            } else if fraction {
                let d = 80 + rng.below(400);
                let n = ((v / 100.0) * d as f64).round() as usize;
                let value = n as f64 * 100.0 / d as f64;
                line(&mut values, &[&id, &month(m, j), &num(value), &n.to_string(), &d.to_string()]);
            } else {
                line(&mut values, &[&id, &month(m, j), &num(v), "", ""]);
            }
        }
    }
    (out, values)
}

/// Writes `plans` generated plans into `dir` as folders `plan-0001`, `plan-0002`, …; plan `i`
/// uses seed `seed + i`. Returns the folders written.
pub fn write_plans(dir: &Path, plans: usize, shape: &Shape, seed: u64) -> std::io::Result<Vec<std::path::PathBuf>> {
    let width = plans.to_string().len().max(4);
    let mut written = Vec::with_capacity(plans);
    for i in 1..=plans {
        let folder = dir.join(format!("plan-{i:0width$}"));
        std::fs::create_dir_all(&folder)?;
        for (name, bytes) in plan_files(shape, seed.wrapping_add(i as u64)) {
            std::fs::write(folder.join(name), bytes)?;
        }
        written.push(folder);
    }
    Ok(written)
}

/// A short description of the data generated, for benchmark records.
pub fn describe(plans: usize, shape: &Shape) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "{plans} plans of {} milestones at {} quarters and {} monthly measures over {} months ({} ratings)",
        shape.milestones,
        shape.update_periods,
        shape.measures,
        shape.months,
        plans * shape.ratings()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
        let shape = Shape { milestones: 20, update_periods: 8, measures: 10, months: 24 };
        assert_eq!(plan_files(&shape, 1), plan_files(&shape, 1));
        assert_ne!(plan_files(&shape, 1), plan_files(&shape, 2));
    }

    #[test]
    fn periods_are_spelt_as_spec_accepts() {
        assert_eq!(quarter(0), "2019/20 Q1");
        assert_eq!(quarter(23), "2024/25 Q4");
        assert_eq!(month(0, 1), "2019-04");
        assert_eq!(month(9, 0), "Jan 2020");
        assert_eq!(financial_year(1), "2020/21");
    }

    #[test]
    fn benchmark_shape_gives_the_issues_ratings() {
        assert_eq!(Shape::BENCHMARK.ratings() * 100, 1_860_000);
    }
}
