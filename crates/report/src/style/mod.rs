//! The CSS every page shares (the overview page and the members' report): page, tables and
//! the status colours. It is plain CSS in `base.css`, compiled in; the status colours in it
//! are [`crate::palette`]'s, which a test checks.

/// The shared CSS: page, tables, the status classes `.s-green` … `.s-none`, print colours.
pub(crate) const BASE_CSS: &str = include_str!("base.css");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::palette::status_colours;
    use scorecard_core::Status;

    #[test]
    fn status_classes_use_the_palette() {
        for s in [Some(Status::Green), Some(Status::Amber), Some(Status::Red), Some(Status::Blue), None] {
            let (fill, text) = status_colours(s);
            let class = s.map(|s| s.name().to_ascii_lowercase()).unwrap_or_else(|| "none".to_string());
            let rule = format!(".s-{class}{{background:{};color:{}}}", fill.hex(), text.hex());
            let has = |wanted: &str| BASE_CSS.lines().any(|line| line == wanted);
            assert!(has(&rule), "base.css lacks {rule}");
            assert!(has(&format!("table.overview tfoot {rule}")), "base.css lacks the tfoot rule of {class}");
        }
    }

    #[test]
    fn ends_with_a_newline() {
        assert!(BASE_CSS.ends_with("}\n"));
    }
}
