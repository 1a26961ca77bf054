//! The glossary: the words of the report, for members.

use crate::format::escape;
use std::fmt::Write;

pub(super) fn glossary(out: &mut String, terms: &[(&str, &str)]) {
    out.push_str(
        "<section id=\"glossary\" aria-labelledby=\"glossary-h\">\n<h2 id=\"glossary-h\">Glossary</h2>\n<dl class=\"glossary\">\n",
    );
    for (term, meaning) in terms {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(meaning));
    }
    out.push_str("</dl>\n</section>\n");
}
