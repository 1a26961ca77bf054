//! `scorecard validate`: every problem, with its position, in one run (issue #2).

use crate::util::{fixture, scorecard, TempPlan};

#[test]
fn fixtures_are_valid() {
    for name in ["cyp-2013", "members-scorecard-2024"] {
        let run = scorecard(&["validate", &fixture(name)]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(run.stdout.contains(": ok:"), "{}", run.stdout);
    }
}

#[test]
fn lists_every_problem_not_just_the_first() {
    let plan = TempPlan::new(&[
        ("milestones.csv", "priority,milestone,title,due\n1,1.1,One,07/25/2013\n1,1.1,Again,\n"),
        ("updates.csv", "milestone,period,value\n1.1,2013-13,6l.9\n9.9,2013-12,1\n"),
    ]);
    let run = scorecard(&["validate", &plan.path()]);
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let p = plan.path();
    assert_eq!(
        lines,
        vec![
            format!("{p}/milestones.csv:2:4: column `due`: \"07/25/2013\" reads as month 25: dates are day/month/year, not US month/day/year; expected a date such as 2014-03-31 or 31/03/2014 (day/month/year)"),
            format!("{p}/milestones.csv:3:2: column `milestone`: id \"1.1\" is already used at {p}/milestones.csv:2; ids must be unique across milestones and measures"),
            format!("{p}/updates.csv:2:2: column `period`: month 13 does not exist; expected a period such as 2013-12, Dec 2013, 2013/14 Q3, 2013/14 or 2013"),
            format!("{p}/updates.csv:2:3: column `value`: \"6l.9\" is not a number; expected a number such as 61.9, 61.9% or 1,380"),
            format!("{p}/updates.csv:3:1: column `milestone`: unknown item \"9.9\"; expected an id from milestones.csv"),
            format!("scorecard: 5 problems found in {p}"),
        ]
    );
}
