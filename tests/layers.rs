//! The layering of `src/` holds: no module uses a module of a higher layer.
//!
//! The layers are the numbered list in the crate documentation of
//! `src/lib.rs` (one source of truth: the docs say what the check checks).
//! Every `crate::…` path, `use crate::{…}` tree and `super::…` path that leaves
//! its top-level module is read from every `src/**/*.rs` outside comments,
//! strings and `#[cfg(test)]` items (test fixtures may read the bundled labels
//! from any layer), and mapped to the layer of the module it names. A path
//! into a higher layer fails the test, naming the file and line.
//!
//! Within `app`, no subcommand's file uses another's: what they share is in
//! a helper module of `app` (listed in [`APP_HELPERS`]) or in the library.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// Tokens with their 1-based lines, without comments, strings and char literals.
fn lex(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let n = c.len();
    // Skip a quoted string starting at `i` (on the quote); `hashes` for raw strings.
    let skip_string = |mut i: usize, raw: Option<usize>, line: &mut usize| -> usize {
        i += 1;
        while i < n {
            match c[i] {
                '\n' => *line += 1,
                '\\' if raw.is_none() => {
                    if i + 1 < n && c[i + 1] == '\n' {
                        *line += 1;
                    }
                    i += 1;
                }
                '"' => match raw {
                    None => return i + 1,
                    Some(h) => {
                        if (0..h).all(|k| i + 1 + k < n && c[i + 1 + k] == '#') {
                            return i + 1 + h;
                        }
                    }
                },
                _ => {}
            }
            i += 1;
        }
        n
    };
    while i < n {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && i + 1 < n && c[i + 1] == '/' {
            while i < n && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && i + 1 < n && c[i + 1] == '*' {
            let mut depth = 0;
            while i < n {
                if c[i] == '/' && i + 1 < n && c[i + 1] == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && i + 1 < n && c[i + 1] == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(i, None, &mut line);
        } else if ch == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if i + 1 < n && c[i + 1] == '\\' {
                i += 2;
                while i < n && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if i + 2 < n && c[i + 2] == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < n && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let raw_prefix = word == "r" || word == "br" || word == "b" || word == "c";
            if raw_prefix && i < n && (c[i] == '"' || c[i] == '#') {
                let mut h = 0;
                while i + h < n && c[i + h] == '#' {
                    h += 1;
                }
                if i + h < n && c[i + h] == '"' {
                    let raw = (word != "b" && word != "c") || h > 0;
                    i = skip_string(i + h, raw.then_some(h), &mut line);
                    continue;
                }
            }
            if word == "b" && i < n && c[i] == '\'' {
                continue; // b'x': the quote is lexed as a char literal next
            }
            out.push((Tok::Ident(word), line));
        } else if ch == ':' && i + 1 < n && c[i + 1] == ':' {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

/// A path out of the current module: the top-level module (or root item) it
/// names, and its line.
#[derive(Debug, Clone, PartialEq)]
struct Reference {
    name: String,
    line: usize,
}

/// The first segments of a use-tree group starting after `{` at `i`; returns them
/// and the index after the matching `}`.
fn group_heads(toks: &[(Tok, usize)], mut i: usize) -> (Vec<(String, usize)>, usize) {
    let mut heads = Vec::new();
    let mut depth = 1;
    let mut expect_head = true;
    while i < toks.len() && depth > 0 {
        match &toks[i].0 {
            Tok::Punct('{') => {
                depth += 1;
                expect_head = false;
            }
            Tok::Punct('}') => depth -= 1,
            Tok::Punct(',') if depth == 1 => expect_head = true,
            Tok::Ident(w) if depth == 1 && expect_head => {
                heads.push((w.clone(), toks[i].1));
                expect_head = false;
            }
            _ => {}
        }
        i += 1;
    }
    (heads, i)
}

/// The root item(s) a path names from `i`, just after its `crate::` (or the
/// `super::`s that reach the root): one name, or the heads of a `{…}` group
/// (`*` for anything else). Returns the index to go on from.
fn root_path(toks: &[(Tok, usize)], i: usize, line: usize, out: &mut Vec<Reference>) -> usize {
    match toks.get(i) {
        Some((Tok::Ident(name), l)) => {
            out.push(Reference {
                name: name.clone(),
                line: *l,
            });
            i + 1
        }
        Some((Tok::Punct('{'), _)) => {
            let (heads, next) = group_heads(toks, i + 1);
            out.extend(
                heads
                    .into_iter()
                    .map(|(name, line)| Reference { name, line }),
            );
            next
        }
        _ => {
            out.push(Reference {
                name: "*".into(),
                line,
            });
            i
        }
    }
}

/// Index after the item starting at `i` (after its attributes): through its
/// `;` or its matching `}`, whichever ends it.
fn skip_item(toks: &[(Tok, usize)], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < toks.len() {
        match toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            Tok::Punct(';') if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

fn is_cfg_test(toks: &[(Tok, usize)], i: usize) -> bool {
    let want = [
        Tok::Punct('#'),
        Tok::Punct('['),
        Tok::Ident("cfg".into()),
        Tok::Punct('('),
        Tok::Ident("test".into()),
        Tok::Punct(')'),
        Tok::Punct(']'),
    ];
    want.iter()
        .enumerate()
        .all(|(k, t)| toks.get(i + k).map(|x| &x.0) == Some(t))
}

/// Every path in `src` (the file of module `module`, e.g. `["model", "train"]`)
/// that reaches the crate root: `crate::X`, `crate::{X, Y}`, or enough
/// `super::`s to leave the top-level module.
fn references(src: &str, module: &[String]) -> Vec<Reference> {
    let toks = lex(src);
    let mut out = Vec::new();
    // Inline modules open in this file: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        if is_cfg_test(&toks, i) {
            // Skip further attributes of the same item, then the item.
            let mut j = i + 7;
            while toks.get(j).map(|t| &t.0) == Some(&Tok::Punct('#')) {
                let mut brackets = 0usize;
                j += 1;
                while j < toks.len() {
                    match toks[j].0 {
                        Tok::Punct('[') => brackets += 1,
                        Tok::Punct(']') => {
                            brackets -= 1;
                            if brackets == 0 {
                                j += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
            }
            i = skip_item(&toks, j);
            continue;
        }
        let line = toks[i].1;
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(w)
                if w == "crate" && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) =>
            {
                i = root_path(&toks, i + 2, line, &mut out);
                continue;
            }
            Tok::Ident(w)
                if w == "super" && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) =>
            {
                let mut ups = 0;
                let mut j = i;
                while let (Some((Tok::Ident(s), _)), Some((Tok::PathSep, _))) =
                    (toks.get(j), toks.get(j + 1))
                {
                    if s != "super" {
                        break;
                    }
                    ups += 1;
                    j += 2;
                }
                let here = module.len() + inline.len();
                if ups >= here {
                    // Left the top-level module: what follows names the root's item.
                    i = root_path(&toks, j, line, &mut out);
                    continue;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The layers listed in the crate docs of lib.rs: lines `//! N. [`a`], [`b`]: …`.
fn layers_of_lib(lib: &str) -> HashMap<String, usize> {
    let mut layers = HashMap::new();
    for l in lib.lines() {
        let Some(rest) = l.strip_prefix("//! ") else {
            continue;
        };
        let Some((num, rest)) = rest.split_once(". ") else {
            continue;
        };
        let Ok(rank) = num.trim().parse::<usize>() else {
            continue;
        };
        let names = rest.split(':').next().unwrap_or("");
        for part in names.split(", ") {
            let name = part.trim().trim_start_matches("[`").trim_end_matches("`]");
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                layers.insert(name.to_string(), rank);
            }
        }
    }
    layers
}

/// Root items of lib.rs re-exported with `pub use module::…::Name;`: Name → module.
fn root_reexports(lib: &str) -> HashMap<String, String> {
    let toks = lex(lib);
    let mut map = HashMap::new();
    let mut i = 0;
    while i + 2 < toks.len() {
        if toks[i].0 == Tok::Ident("pub".into()) && toks[i + 1].0 == Tok::Ident("use".into()) {
            let Tok::Ident(module) = &toks[i + 2].0 else {
                i += 1;
                continue;
            };
            let mut j = i + 3;
            let mut last = None;
            while j < toks.len() && toks[j].0 != Tok::Punct(';') {
                if let Tok::Ident(w) = &toks[j].0 {
                    last = Some(w.clone());
                }
                if toks[j].0 == Tok::Punct('{') {
                    let (heads, next) = group_heads(&toks, j + 1);
                    for (h, _) in heads {
                        map.insert(h, module.clone());
                    }
                    last = None;
                    j = next;
                    continue;
                }
                j += 1;
            }
            if let Some(name) = last {
                map.insert(name, module.clone());
            }
            i = j;
        }
        i += 1;
    }
    map
}

/// The module path of a file under src/: `model/train.rs` → `[model, train]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// Upward imports and unplaced modules of one file, as messages.
fn violations(
    file: &str,
    src: &str,
    module: &[String],
    layers: &HashMap<String, usize>,
    reexports: &HashMap<String, String>,
) -> Vec<String> {
    let Some(top) = module.first() else {
        return Vec::new();
    };
    let Some(&own) = layers.get(top) else {
        return vec![format!(
            "{file}: module `{top}` is in no layer of src/lib.rs"
        )];
    };
    let mut out = Vec::new();
    for r in references(src, module) {
        let target = reexports.get(&r.name).unwrap_or(&r.name);
        match layers.get(target) {
            Some(&rank) if rank > own => out.push(format!(
                "{file}:{}: uses `{}` (layer {rank}), above `{top}` (layer {own})",
                r.line, r.name
            )),
            Some(_) => {}
            None => out.push(format!(
                "{file}:{}: `{}` is neither a module in a layer of src/lib.rs nor re-exported there",
                r.line, r.name
            )),
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers_of_lib(&lib);
    assert!(
        layers.len() >= 10,
        "src/lib.rs lists too few layers: {layers:?}"
    );
    let reexports = root_reexports(&lib);
    // Every top-level module of lib.rs is in a layer.
    for (tok, _) in lex(&lib)
        .windows(2)
        .filter_map(|w| match (&w[0].0, &w[1].0) {
            (Tok::Ident(m), Tok::Ident(name)) if m == "mod" => Some((name.clone(), ())),
            _ => None,
        })
    {
        assert!(
            layers.contains_key(&tok),
            "src/lib.rs: module `{tok}` is in no layer"
        );
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        // The binary uses the library from outside, as any user does.
        if rel == Path::new("main.rs") || rel.starts_with("bin") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        let name = format!("src/{}", rel.display());
        problems.extend(violations(
            &name,
            &text,
            &module_of(rel),
            &layers,
            &reexports,
        ));
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files found under src/");
    assert!(
        problems.is_empty(),
        "upward imports:\n{}",
        problems.join("\n")
    );
}

/// The files of `src/app` that are not subcommands: what the subcommands
/// share. Everything else there is one subcommand, which may use these (and
/// the library) but never another subcommand; `mod.rs` dispatches to them all.
const APP_HELPERS: [&str; 6] = ["mod", "default_model", "emit", "inputs", "params", "stream"];

/// The files of `src/app` named by `src` (the file `src/app/<me>.rs`), as
/// `super::X`, `super::{X, …}` or `crate::app::X`, with their lines. Test code
/// counts too: a test reaching into another command couples them as much.
fn app_references(src: &str) -> Vec<Reference> {
    let toks = lex(src);
    let mut out = Vec::new();
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let line = toks[i].1;
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(_), _)), Some((Tok::Punct('{'), _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push(depth + 1);
                }
            }
            Tok::Ident(w)
                if w == "crate"
                    && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    && toks.get(i + 2).map(|t| &t.0) == Some(&Tok::Ident("app".into()))
                    && toks.get(i + 3).map(|t| &t.0) == Some(&Tok::PathSep) =>
            {
                i = root_path(&toks, i + 4, line, &mut out);
                continue;
            }
            Tok::Ident(w)
                if w == "super" && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) =>
            {
                let mut ups = 0;
                let mut j = i;
                while let (Some((Tok::Ident(s), _)), Some((Tok::PathSep, _))) =
                    (toks.get(j), toks.get(j + 1))
                {
                    if s != "super" {
                        break;
                    }
                    ups += 1;
                    j += 2;
                }
                // From src/app/x.rs, one `super` per inline module and one more reach `app`.
                if ups == inline.len() + 1 {
                    i = root_path(&toks, j, line, &mut out);
                    continue;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `file:line: …` for every subcommand of `app_files` that `src` (the file
/// `src/app/<me>.rs`) uses, other than itself.
fn command_imports(name: &str, me: &str, src: &str, app_files: &[String]) -> Vec<String> {
    app_references(src)
        .into_iter()
        .filter(|r| {
            r.name != me && app_files.contains(&r.name) && !APP_HELPERS.contains(&r.name.as_str())
        })
        .map(|r| {
            format!(
                "{name}:{}: uses the subcommand `{}`; move what they share into a helper ({}) or the library",
                r.line,
                r.name,
                APP_HELPERS[1..].join(", ")
            )
        })
        .collect()
}

#[test]
fn no_subcommand_imports_another() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut app_files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    app_files.sort();
    for h in APP_HELPERS {
        assert!(
            app_files.iter().any(|f| f == h),
            "APP_HELPERS names `{h}`, which is not a file of src/app"
        );
    }
    let commands = app_files
        .iter()
        .filter(|f| !APP_HELPERS.contains(&f.as_str()))
        .count();
    assert!(
        commands >= 10,
        "only {commands} subcommand files in src/app"
    );
    let mut problems = Vec::new();
    for f in app_files.iter().filter(|f| *f != "mod") {
        let text = std::fs::read_to_string(dir.join(format!("{f}.rs"))).unwrap();
        problems.extend(command_imports(
            &format!("src/app/{f}.rs"),
            f,
            &text,
            &app_files,
        ));
    }
    assert!(
        problems.is_empty(),
        "subcommands importing subcommands:\n{}",
        problems.join("\n")
    );
}

#[cfg(test)]
mod parser {
    use super::*;

    fn sample_layers() -> (HashMap<String, usize>, HashMap<String, String>) {
        let lib = "//! Layers:\n//!\n//! 0. [`error`], [`rng`]: foundation\n//! 1. [`io`]: bytes\n//! 2. [`model`]: models\n//! 3. [`shares`]: shares\n//! 4. [`render`]: output\n\npub mod error;\npub use error::{Error, Result};\n";
        (layers_of_lib(lib), root_reexports(lib))
    }

    fn module(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_layer_list_and_reexports_are_read_from_lib_docs() {
        let (layers, re) = sample_layers();
        assert_eq!(layers["error"], 0);
        assert_eq!(layers["rng"], 0);
        assert_eq!(layers["render"], 4);
        assert_eq!(re["Error"], "error");
        assert_eq!(re["Result"], "error");
    }

    #[test]
    fn upward_imports_are_found_with_their_lines() {
        let (layers, re) = sample_layers();
        let src = r##"
use crate::error::Error;
use crate::shares::table::ShareTable;
use crate::{io, render::format};
// use crate::render::ignored_in_a_comment;
/* use crate::render::ignored_in_a_block; */
const S: &str = "crate::render::in_a_string";
const R: &str = r#"crate::render::in_a_raw_string"#;
fn f<'a>(x: &'a str) -> char { let _ = crate::shares::call(x); 'c' }
mod inner {
    use super::super::super::render::x;
}
#[cfg(test)]
mod tests {
    use crate::render::fixture;
}
use crate::Result;
use crate::nowhere::x;
"##;
        let v = violations(
            "src/model/x.rs",
            src,
            &module(&["model", "x"]),
            &layers,
            &re,
        );
        assert_eq!(
            v,
            vec![
                "src/model/x.rs:3: uses `shares` (layer 3), above `model` (layer 2)",
                "src/model/x.rs:4: uses `render` (layer 4), above `model` (layer 2)",
                "src/model/x.rs:9: uses `shares` (layer 3), above `model` (layer 2)",
                "src/model/x.rs:11: uses `render` (layer 4), above `model` (layer 2)",
                "src/model/x.rs:18: `nowhere` is neither a module in a layer of src/lib.rs nor re-exported there",
            ]
        );
    }

    #[test]
    fn super_paths_inside_the_module_and_downward_imports_pass() {
        let (layers, re) = sample_layers();
        let src = "use super::sibling::X;\nuse super::super::io::Y;\nuse crate::model::Z;\npub(crate) fn g() {}\npub(super) fn h() {}\n";
        // From model/a/b.rs two `super`s still name a module of model.
        let v = violations(
            "src/model/a/b.rs",
            src,
            &module(&["model", "a", "b"]),
            &layers,
            &re,
        );
        assert!(v.is_empty(), "{v:?}");
        let up = "use super::super::shares::X;\n";
        let v = violations("src/model/a.rs", up, &module(&["model", "a"]), &layers, &re);
        assert_eq!(
            v,
            vec!["src/model/a.rs:1: uses `shares` (layer 3), above `model` (layer 2)"]
        );
    }

    #[test]
    fn a_module_outside_every_layer_is_named() {
        let (layers, re) = sample_layers();
        let v = violations(
            "src/extra.rs",
            "fn f() {}",
            &module(&["extra"]),
            &layers,
            &re,
        );
        assert_eq!(
            v,
            vec!["src/extra.rs: module `extra` is in no layer of src/lib.rs"]
        );
    }

    #[test]
    fn a_subcommand_using_another_is_named_with_its_line() {
        let files: Vec<String> = ["analyze", "label", "inputs", "emit", "mod"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let src = "use super::label::label_files;\nuse super::{inputs, Ui};\nuse super::emit::emit;\n// use super::label::in_a_comment;\nfn f() { crate::app::label::run(); }\nmod tests {\n    use super::*;\n    use super::super::label::x;\n}\nuse super::need_default;\n";
        let v = command_imports("src/app/analyze.rs", "analyze", src, &files);
        assert_eq!(v.len(), 3, "{v:?}");
        for (got, line) in v.iter().zip([1, 5, 8]) {
            assert!(
                got.starts_with(&format!(
                    "src/app/analyze.rs:{line}: uses the subcommand `label`"
                )),
                "{got}"
            );
        }
        // Its own module, helpers and the items of app/mod.rs pass.
        let own = "use super::analyze::x;\nuse super::inputs::open;\nuse super::Ui;\n";
        assert!(command_imports("src/app/analyze.rs", "analyze", own, &files).is_empty());
    }
}
