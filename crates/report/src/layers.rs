//! Checks of the crate's layout, read from its own source: the top-level modules import each
//! other without a cycle (nothing imports the crate root), and the core crate is named only
//! through its root facade (`scorecard_core::Plan`, never `scorecard_core::plan::Plan`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate's `src` folder.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("readable src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules (`src/x.rs` or `src/x/`) and the files of each; `lib` is the root.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(src()).expect("readable src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_string();
        if path.is_dir() {
            rust_files(&path, out.entry(stem).or_default());
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.entry(stem).or_default().push(path);
        }
    }
    out
}

/// A file's code without its comments (`//` to the end of the line, doc comments included).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    text.lines().map(|l| l.split_once("//").map_or(l, |(code, _)| code)).collect::<Vec<_>>().join("\n")
}

fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// What follows each `prefix` in `code`: the first path segment of each imported item, and
/// whether that item goes deeper (`a::b`), for `prefix::a::b` and `prefix::{a::b, c}` alike.
fn imports(code: &str, prefix: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(item.trim().to_string());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.push(item.trim().to_string());
        } else {
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out.into_iter().filter(|i| !i.is_empty()).map(|i| (ident(&i).to_string(), i.contains("::"))).collect()
}

/// Each top-level module and the top-level modules it imports; `crate::Item` for an item of
/// the root counts as importing `lib`. The root names its modules without `crate::`
/// (`charts::draw_report`), so its paths starting with a module's name count too. This
/// module (test code, whose examples spell `crate::` paths) is left out.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = modules();
    modules.remove("layers");
    let mut graph = BTreeMap::new();
    for (name, files) in &modules {
        let mut uses = BTreeSet::new();
        for file in files {
            let code = code(file);
            for (first, _) in imports(&code, "crate::") {
                uses.insert(if modules.contains_key(&first) { first } else { "lib".to_string() });
            }
            if name == "lib" {
                for module in modules.keys() {
                    let path = format!("{module}::");
                    let named = code
                        .match_indices(&path)
                        .any(|(at, _)| code[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':')));
                    if named {
                        uses.insert(module.clone());
                    }
                }
            }
        }
        uses.remove(name);
        graph.insert(name.clone(), uses);
    }
    graph
}

/// A cycle in `graph`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_import_each_other_without_a_cycle() {
    let graph = graph();
    let shown: Vec<String> =
        graph.iter().map(|(m, uses)| format!("{m} -> {}", uses.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
    assert!(graph.len() > 5 && !graph["lib"].is_empty(), "the modules were not found: {shown:?}");
    if let Some(c) = cycle(&graph) {
        panic!("the modules import each other in a cycle {}:\n{}", c.join(" -> "), shown.join("\n"));
    }
    // The shared helpers are the bottom layer: they import no other module of the crate.
    for helper in ["format", "palette", "error"] {
        assert!(graph[helper].is_empty(), "{helper} imports {:?}", graph[helper]);
    }
}

#[test]
fn the_cycle_check_finds_cycles() {
    let g = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(cycle(&g(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    assert_eq!(cycle(&g(&[("a", "b"), ("b", "c"), ("c", "a")])), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert_eq!(imports("use crate::{a::X, b, c::{d, e}};\nlet x = crate::f::g();", "crate::").len(), 4);
}

#[test]
fn the_core_is_named_through_its_facade() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        for (first, deeper) in imports(&code(&file), "scorecard_core::") {
            assert!(!deeper, "{} names `scorecard_core::{first}::…`: import it from the crate root", file.display());
        }
    }
}
