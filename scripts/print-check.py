#!/usr/bin/env python3
"""Prints both fixtures' packs to PDF with headless Chromium and checks them as a reader would.

Usage: scripts/print-check.py [SCORECARD_BINARY] [--keep DIR]

For each fixture it writes the report (`scorecard report`), then:
- prints it on A4 (Chromium `--print-to-pdf --no-pdf-header-footer`; the page's own @page
  rules give the size, margins and the running footer) and counts the pages (poppler's
  `pdfinfo`): more than the fixture's budget fails;
- loads a copy of the page whose print rules apply on screen, at the A4 landscape text width,
  with a script that lists every element overflowing its cell or the page, text under 9 pt,
  chart text under 8 pt and every word broken across lines inside a table (`--dump-dom`);
  any fails;
- loads it at tablet width (820 px) with a script that lists every word broken across lines
  inside a table; any fails.

Needs `chromium` and `pdfinfo` (Debian: chromium, poppler-utils), which `.ci/run` installs.
Exits 1 on a failure, naming it; prints one line per fixture otherwise.
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (fixture, period or None, page budget)
# The members' pack: 8 pages (the issue's budget; 18 before the compact print layout). The
# CYP progress report: 54 pages, as measured after it (60 before); its 156 milestones' commentary
# is most of it, so its budget holds the line rather than a target.
FIXTURES = [("members-scorecard-2024", None, 8), ("cyp-2013", None, 54)]
# A4 landscape less the page's 11 mm side margins, in CSS pixels (96 per inch).
PRINT_WIDTH = round((297 - 22) / 25.4 * 96)
TABLET_WIDTH = 820

MEASURE = r"""
<script>
(function () {
  const found = [];
  const name = (el) => {
    const id = el.closest('[id]');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return el.tagName.toLowerCase() + (id ? ' in #' + id.id : '') + ': "' + text + '"';
  };
  const width = document.documentElement.clientWidth;
  if (MODE === 'print') {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (el.closest('.visually-hidden')) continue;
      if (r.right > width + 1) found.push('past the page edge by ' + Math.round(r.right - width) + 'px: ' + name(el));
    }
    for (const el of document.querySelectorAll('td, th')) {
      if (el.scrollWidth > el.clientWidth + 1) found.push('wider than its cell by ' + (el.scrollWidth - el.clientWidth) + 'px: ' + name(el));
    }
    // Body text at least 9 pt (12 CSS px) wherever text is shown.
    const small = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || el.closest('.visually-hidden, svg, pre, title')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 12 - 0.01 && !small.has(el)) {
        small.add(el);
        found.push('text smaller than 9 pt (' + (size * 0.75).toFixed(1) + ' pt): ' + name(el));
      }
    }
    // Chart text at least 8 pt: the charts' smallest text is CHART_TEXT of their design
    // units (the viewBox's width: 1200, or 600 for the page's small charts).
    for (const svg of document.querySelectorAll('svg.chart')) {
      if (svg.getBoundingClientRect().width === 0) continue;
      const pt = CHART_TEXT * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 0.75;
      if (pt < 8 - 0.01) found.push('chart text printed at ' + pt.toFixed(1) + ' pt: ' + name(svg.closest('figure') || svg));
    }
  }
  // A word broken across lines, in print and at tablet width: one word whose range has boxes
  // on two lines. A break after a hyphen or a slash (re-|referrals, 31/|03/2014) is where a
  // word may break.
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.visually-hidden, svg')) continue;
      const r = node.parentElement.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const text = node.textContent;
      const re = /[^\s\-\/]+[\-\/]*/g;
      let m;
      while ((m = re.exec(text))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (tops.size > 1) found.push('word broken across lines: "' + m[0] + '" in ' + name(cell));
      }
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = found.join('\n');
  document.body.appendChild(pre);
})();
</script>
"""


def chart_text():
    """The charts' smallest text size, in their 1200 design units (`SMALL` in layout.rs)."""
    layout = open(os.path.join(ROOT, "crates/report/src/charts/layout.rs"), encoding="utf-8").read()
    return float(re.search(r"const SMALL: f64 = ([0-9.]+);", layout).group(1))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300, **kw)


def chromium(*args):
    base = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    return run(base + list(args))


def measured(page, mode, width):
    """Loads a copy of `page` with the measuring script and returns what it found."""
    text = open(page, encoding="utf-8").read()
    if mode == "print":
        # The print rules on screen: Chromium lays the page out as it prints it.
        # The print rules on screen, and the screen's rules off (`@media print` never applies
        # on screen; `not all and (max-width:…)` would apply above that width).
        text = text.replace("@media print{", "@media all{").replace("@media screen", "@media print")
    script = MEASURE.replace("MODE", repr(mode)).replace("CHART_TEXT", str(chart_text()))
    text = text.replace("</body>", script + "</body>")
    copy = page.replace("report.html", f"measure-{mode}.html")
    open(copy, "w", encoding="utf-8").write(text)
    out = chromium(f"--window-size={width},1200", "--virtual-time-budget=10000", "--dump-dom", "file://" + copy).stdout
    m = re.search(r'<pre id="measured">(.*?)</pre>', out, re.S)
    if m is None:
        return ["the measuring script did not run"]
    return [html.unescape(line) for line in m.group(1).splitlines() if line.strip()]


def main():
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        at = args.index("--keep")
        keep = args[at + 1]
        del args[at : at + 2]
    binary = args[0] if args else os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "debug", "scorecard")
    for tool in ("chromium", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"print-check: {tool} is not installed (Debian: chromium, poppler-utils)", file=sys.stderr)
            return 1
    failures = []
    work = keep or tempfile.mkdtemp(prefix="print-check-")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795392000")
    for fixture, period, budget in FIXTURES:
        out = os.path.join(work, fixture)
        cmd = [binary, "report", os.path.join(ROOT, "fixtures", fixture), "-o", out]
        if period:
            cmd += ["--period", period]
        run(cmd, env=env)
        page = os.path.join(out, "report.html")
        pdf = os.path.join(out, "report.pdf")
        chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + page)
        pages = int(re.search(r"^Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout, re.M).group(1))
        problems = measured(page, "print", PRINT_WIDTH) + measured(page, "tablet", TABLET_WIDTH)
        if pages > budget:
            failures.append(f"{fixture}: {pages} pages printed, budget {budget}")
        failures += [f"{fixture}: {p}" for p in problems]
        print(f"print-check: {fixture}: {pages} pages (budget {budget}), {len(problems)} overflows or broken words")
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("print-check: FAILED " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
