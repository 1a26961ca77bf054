//! The glossary: the words of the report, for members.

use crate::format::escape;
use std::fmt::Write;

pub(super) fn glossary(out: &mut String) {
    let terms: [(&str, &str); 20] = [
        ("RAG", "Red, Amber, Green: the status of a milestone or measure. Blue means no information for the period."),
        ("Delivery milestone", "A commitment in the action plan, under a priority and an action, with a lead and sometimes a due date or a target."),
        ("Measure (KPI)", "A key performance indicator: a number reported monthly, quarterly or annually, with a target, a tolerance and benchmarks."),
        ("Good is high / good is low", "Whether a higher number is better (for example, assessments on time) or a lower one (for example, re-referrals). A neutral measure is contextual and not rated."),
        ("Target", "The level the plan aims for in the period. At or better than the target is Green."),
        ("Tolerance and amber threshold", "How far short of the target still counts as Amber. The amber threshold is the edge of the tolerance: beyond it is Red. Where a plan gives no threshold, the tolerance is a share of the target set in the plan's rules (5% unless the plan says otherwise)."),
        ("Trajectory", "A target for each period on the way to a final target, for example smoking at time of delivery 18.8% in Q1, 18.5% in Q2."),
        ("Profiled target", "Where a milestone has a baseline and a final target but no trajectory, the target for a period is read off a straight line from the baseline to the final target."),
        ("Direction of travel", "Whether the number went up, down or stayed level compared with the previous period or with the same period a year earlier, and whether that is improving or worsening given whether good is high or low."),
        ("Benchmark", "Another area's value for the same measure: the national (England) average, the regional average or the statistical neighbours' average. The report uses the latest one available for the period."),
        ("Statistical neighbours", "The group of councils most similar to this one in their population and circumstances; their average is a fairer comparison than the national average."),
        ("Better, similar, worse", "How the measure compares with a benchmark, given whether good is high or low. Where the data give a numerator and a denominator, \"similar\" means the benchmark lies within the 95% confidence interval of the measure, so that chance variation is not called a difference. Higher and lower are used for neutral measures."),
        ("Year to date", "The measure over the plan's year so far: all cases pooled where the data give numerators and denominators, otherwise the average of the months or quarters."),
        ("Financial year", "April to March: 2013/14 Q1 is April to June 2013."),
        ("Academic year", "September to August, used for school measures."),
        ("Reporting period", "The month, quarter or year the report is for. A measure is rated on its own latest period that ended by then."),
        ("Officer status", "The status the lead officer gave a milestone in the update. Where it differs from the status the plan's rules give (the engine's status), both are shown."),
        ("Blue", "No update was provided for the period, or the update said nothing, or the measure has no value for the period."),
        ("Not rated", "A neutral (contextual) measure, or a measure with no target for the period."),
        ("Trend line", "The small line in the scorecard: the measure's values over up to two years, with the current target dashed. The full charts are in the Trends section."),
    ];
    out.push_str(
        "<section id=\"glossary\" aria-labelledby=\"glossary-h\">\n<h2 id=\"glossary-h\">Glossary</h2>\n<dl class=\"glossary\">\n",
    );
    for (term, meaning) in terms {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(meaning));
    }
    out.push_str("</dl>\n</section>\n");
}
