//! The file import graph of a crate's `src/` and its cycles, for the rule "no import cycles
//! between files". Std only, so another crate can reuse it in a test with
//! `#[cfg(test)] #[path = "../../../host/src/import_graph.rs"] mod import_graph;`: its own test
//! then checks that crate's `src/` (`CARGO_MANIFEST_DIR`).
//!
//! - A file `a/b.rs` or `a/b/mod.rs` is module `a::b`; `lib.rs` is the crate root. With a
//!   `lib.rs`, `main.rs` and `bin/` are other crates and are skipped; without, `main.rs` is the
//!   root.
//! - Edges come from paths starting with `crate::`, `super::` or `self::`, in `use` items and in
//!   code. A path goes to the file of its longest module prefix (inline `mod x { .. }` modules
//!   belong to their file), then on through that module's `use` bindings, so
//!   `crate::cache::CacheConfig` reaches `cache/config.rs` when `cache/mod.rs` re-exports it.
//! - A file's references to its own submodules are the module tree it declares with `mod`, not
//!   imports, and give no edge; a reference upwards (`super::`) or sideways does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// One edge's first occurrence: where, and the path as written (absolute).
#[derive(Debug, Clone)]
pub struct Reference {
    pub line: usize,
    pub path: String,
}

/// Files (relative to `src/`, `/`-separated) and their edges.
#[derive(Debug, Default)]
pub struct Graph {
    pub files: Vec<String>,
    /// `edges[from][to]` = the first reference from `from` that resolves into `to`.
    pub edges: BTreeMap<usize, BTreeMap<usize, Reference>>,
}

/// An elementary cycle: file indices, the first not repeated at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<usize>);

/// At most this many cycles are listed per strongly connected component.
const MAX_CYCLES_PER_COMPONENT: usize = 50;

/// Panics naming every cycle (and each edge's first reference) when `src` has any.
pub fn assert_no_cycles(src: &Path) {
    let graph = Graph::read(src).unwrap_or_else(|e| panic!("reading {}: {e}", src.display()));
    let cycles = graph.cycles();
    if !cycles.is_empty() {
        panic!(
            "{} import cycle(s) between files in {}:\n{}",
            cycles.len(),
            src.display(),
            graph.describe(&cycles)
        );
    }
}

impl Graph {
    /// Reads every `.rs` file under `src` (a crate's `src/` directory).
    pub fn read(src: &Path) -> std::io::Result<Graph> {
        let mut paths = Vec::new();
        collect_rs(src, src, &mut paths)?;
        paths.sort();
        let library = paths.iter().any(|p| p == "lib.rs");
        let mut parsed = Vec::new();
        for relative in paths {
            let Some(module) = module_of(&relative, library) else {
                continue;
            };
            let text = std::fs::read_to_string(src.join(&relative))?;
            parsed.push(parse_file(relative, module, &text));
        }
        Ok(Graph::build(parsed))
    }

    fn build(parsed: Vec<ParsedFile>) -> Graph {
        // Every module (file or inline) → its file, and every module's `use` bindings.
        let mut modules: HashMap<Vec<String>, usize> = HashMap::new();
        let mut bindings: HashMap<Vec<String>, HashMap<String, Vec<String>>> = HashMap::new();
        for (index, file) in parsed.iter().enumerate() {
            modules.insert(file.module.clone(), index);
            for inline in &file.inline_modules {
                modules.entry(inline.clone()).or_insert(index);
            }
        }
        for file in &parsed {
            for import in &file.imports {
                if let (Some(name), Some(path)) = (
                    &import.binding,
                    absolute(&import.scope, &import.path, &modules),
                ) {
                    bindings
                        .entry(import.scope.clone())
                        .or_default()
                        .insert(name.clone(), path);
                }
            }
        }
        let mut graph = Graph {
            files: parsed.iter().map(|f| f.relative.clone()).collect(),
            edges: BTreeMap::new(),
        };
        for (from, file) in parsed.iter().enumerate() {
            for import in &file.imports {
                if !import.explicit {
                    continue;
                }
                let Some(path) = absolute(&import.scope, &import.path, &modules) else {
                    continue;
                };
                let Some((target_module, to)) = resolve(&path, &modules, &bindings) else {
                    continue;
                };
                // Own submodules (and the file itself) are the module tree, not imports.
                if to == from || target_module.starts_with(&file.module) {
                    continue;
                }
                graph
                    .edges
                    .entry(from)
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| Reference {
                        line: import.line,
                        path: format!("crate::{}", path.join("::")),
                    });
            }
        }
        graph
    }

    /// Every elementary cycle (capped per component), in a stable order.
    pub fn cycles(&self) -> Vec<Cycle> {
        let mut cycles = Vec::new();
        for component in self.components() {
            if component.len() < 2 {
                continue;
            }
            let members: BTreeSet<usize> = component.iter().copied().collect();
            let before = cycles.len();
            for &start in &component {
                let mut path = vec![start];
                self.cycles_from(start, start, &members, &mut path, &mut cycles, before);
            }
        }
        cycles
    }

    /// Depth-first from `node`, through members greater than `start`, back to `start`.
    fn cycles_from(
        &self,
        start: usize,
        node: usize,
        members: &BTreeSet<usize>,
        path: &mut Vec<usize>,
        cycles: &mut Vec<Cycle>,
        component_start: usize,
    ) {
        let Some(next) = self.edges.get(&node) else {
            return;
        };
        for &to in next.keys() {
            if cycles.len() - component_start >= MAX_CYCLES_PER_COMPONENT {
                return;
            }
            if to == start {
                cycles.push(Cycle(path.clone()));
            } else if to > start && members.contains(&to) && !path.contains(&to) {
                path.push(to);
                self.cycles_from(start, to, members, path, cycles, component_start);
                path.pop();
            }
        }
    }

    /// Strongly connected components (Tarjan), each sorted.
    fn components(&self) -> Vec<Vec<usize>> {
        struct Tarjan<'g> {
            graph: &'g Graph,
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            on_stack: Vec<bool>,
            stack: Vec<usize>,
            next: usize,
            components: Vec<Vec<usize>>,
        }
        impl Tarjan<'_> {
            fn visit(&mut self, v: usize) {
                self.index[v] = Some(self.next);
                self.low[v] = self.next;
                self.next += 1;
                self.stack.push(v);
                self.on_stack[v] = true;
                let targets: Vec<usize> = self
                    .graph
                    .edges
                    .get(&v)
                    .map(|t| t.keys().copied().collect())
                    .unwrap_or_default();
                for w in targets {
                    match self.index[w] {
                        None => {
                            self.visit(w);
                            self.low[v] = self.low[v].min(self.low[w]);
                        }
                        Some(index) if self.on_stack[w] => self.low[v] = self.low[v].min(index),
                        Some(_) => {}
                    }
                }
                if Some(self.low[v]) == self.index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = self.stack.pop() {
                        self.on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    component.sort_unstable();
                    self.components.push(component);
                }
            }
        }
        let n = self.files.len();
        let mut tarjan = Tarjan {
            graph: self,
            index: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        };
        for v in 0..n {
            if tarjan.index[v].is_none() {
                tarjan.visit(v);
            }
        }
        let mut components = tarjan.components;
        components.sort();
        components
    }

    /// One block per cycle: `a.rs -> b.rs -> a.rs`, then each edge's first reference.
    pub fn describe(&self, cycles: &[Cycle]) -> String {
        let mut out = String::new();
        for cycle in cycles {
            out.push_str(&format!("{}\n", self.display(cycle)));
            for (i, &from) in cycle.0.iter().enumerate() {
                let to = cycle.0[(i + 1) % cycle.0.len()];
                let reference = &self.edges[&from][&to];
                out.push_str(&format!(
                    "    {}:{} {}\n",
                    self.files[from], reference.line, reference.path
                ));
            }
        }
        out
    }

    /// `a.rs -> b.rs -> a.rs`.
    pub fn display<'g>(&'g self, cycle: &'g Cycle) -> impl fmt::Display + 'g {
        struct Shown<'g>(&'g Graph, &'g Cycle);
        impl fmt::Display for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for &file in &self.1 .0 {
                    write!(f, "{} -> ", self.0.files[file])?;
                }
                write!(f, "{}", self.0.files[self.1 .0[0]])
            }
        }
        Shown(self, cycle)
    }
}

fn collect_rs(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under root");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// `a/b.rs`, `a/b/mod.rs` → `[a, b]`; the crate root (`lib.rs`, else `main.rs`) → `[]`; other
/// crates' roots → `None`.
fn module_of(relative: &str, library: bool) -> Option<Vec<String>> {
    if (library && relative == "main.rs") || relative.starts_with("bin/") {
        return None;
    }
    let mut parts: Vec<String> = relative.split('/').map(str::to_owned).collect();
    let last = parts.pop()?;
    match last.as_str() {
        "mod.rs" => {}
        "lib.rs" | "main.rs" if parts.is_empty() => {}
        _ => parts.push(last.trim_end_matches(".rs").to_owned()),
    }
    Some(parts)
}

/// A path as written in module `scope`: from a `use` item (with the name it binds, `None` for
/// a glob) or from code.
#[derive(Debug)]
struct Import {
    scope: Vec<String>,
    path: Vec<String>,
    binding: Option<String>,
    /// Starts with `crate`, `super` or `self`: an edge. Relative `use` paths only bind names.
    explicit: bool,
    line: usize,
}

#[derive(Debug)]
struct ParsedFile {
    relative: String,
    module: Vec<String>,
    inline_modules: Vec<Vec<String>>,
    imports: Vec<Import>,
}

/// `scope` + a path as written → an absolute module path (without `crate`), or `None` for
/// extern crates and `super` above the root. A relative first segment counts when it is a
/// module under `scope`.
fn absolute(
    scope: &[String],
    path: &[String],
    modules: &HashMap<Vec<String>, usize>,
) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut base: Vec<String> = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("self") => {
            segments.next();
            scope.to_vec()
        }
        Some("super") => {
            let mut base = scope.to_vec();
            while segments.peek().map(|s| s.as_str()) == Some("super") {
                segments.next();
                base.pop()?;
            }
            base
        }
        Some(first) => {
            let mut child = scope.to_vec();
            child.push(first.to_owned());
            if !modules.contains_key(&child) {
                return None;
            }
            scope.to_vec()
        }
        None => return None,
    };
    base.extend(segments.cloned());
    Some(base)
}

/// The module and file an absolute path lands in: its longest module prefix, then on through
/// that module's `use` binding of the next segment, if any.
fn resolve(
    path: &[String],
    modules: &HashMap<Vec<String>, usize>,
    bindings: &HashMap<Vec<String>, HashMap<String, Vec<String>>>,
) -> Option<(Vec<String>, usize)> {
    let mut path = path.to_vec();
    for _ in 0..16 {
        let prefix = (0..=path.len())
            .rev()
            .find(|&n| modules.contains_key(&path[..n]))?;
        let module = path[..prefix].to_vec();
        let next = path
            .get(prefix)
            .and_then(|name| bindings.get(&module)?.get(name));
        match next {
            Some(target) if !target.starts_with(&path[..=prefix]) => {
                let mut followed = target.clone();
                followed.extend(path[prefix + 1..].iter().cloned());
                path = followed;
            }
            _ => return Some((module.clone(), modules[&module])),
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// Tokens with their lines; comments, strings, chars, lifetimes and numbers dropped.
fn tokenize(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |from: usize, to: usize, line: &mut usize| {
        *line += chars[from..to.min(chars.len())]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            count_lines(start, i, &mut line);
        } else if let Some(end) = raw_string_end(&chars, i) {
            count_lines(i, end, &mut line);
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let start = i;
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            count_lines(start, i, &mut line);
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            // A char literal ('x', '\n', b'x') or a lifetime ('a).
            let quote = if c == 'b' { i + 1 } else { i };
            if chars.get(quote + 1) == Some(&'\\') {
                i = quote + 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(quote + 2) == Some(&'\'') {
                i = quote + 3;
            } else {
                i = quote + 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            if c == 'r' && next == Some('#') {
                i += 2; // a raw identifier, r#name
            }
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            tokens.push((Token::PathSep, line));
            i += 2;
        } else {
            tokens.push((Token::Punct(c), line));
            i += 1;
        }
    }
    tokens
}

/// The end of a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i`.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    j += hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && chars[j + 1..].iter().take_while(|&&c| c == '#').count() >= hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(chars.len())
}

fn parse_file(relative: String, module: Vec<String>, text: &str) -> ParsedFile {
    let tokens = tokenize(text);
    let mut file = ParsedFile {
        relative,
        module: module.clone(),
        inline_modules: Vec::new(),
        imports: Vec::new(),
    };
    // Inline modules open at a brace depth; the scope is the file module plus open ones.
    let mut scope = module;
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let ident = |i: usize| match tokens.get(i) {
        Some((Token::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        let previous = i.checked_sub(1).map(|p| &tokens[p].0);
        let after_path = matches!(previous, Some(Token::PathSep | Token::Punct('$')));
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth = depth.saturating_sub(1);
                if open.last() == Some(&depth) {
                    open.pop();
                    scope.pop();
                }
            }
            Token::Ident(word) if word == "mod" && !after_path => {
                if let (Some(name), Some((Token::Punct('{'), _))) =
                    (ident(i + 1), tokens.get(i + 2))
                {
                    scope.push(name.to_owned());
                    file.inline_modules.push(scope.clone());
                    open.push(depth);
                    depth += 1;
                    i += 3;
                    continue;
                }
            }
            Token::Ident(word) if word == "use" && !after_path => {
                let end = (i..tokens.len())
                    .find(|&j| tokens[j].0 == Token::Punct(';'))
                    .unwrap_or(tokens.len());
                let mut trees = Vec::new();
                use_tree(&tokens[i + 1..end], Vec::new(), &mut trees);
                for (path, binding) in trees {
                    let explicit = matches!(
                        path.first().map(String::as_str),
                        Some("crate" | "super" | "self")
                    );
                    file.imports.push(Import {
                        scope: scope.clone(),
                        path,
                        binding,
                        explicit,
                        line: *line,
                    });
                }
                i = end + 1;
                continue;
            }
            Token::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && !after_path
                    && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::PathSep)
                    && ident(i.wrapping_sub(1)) != Some("in") =>
            {
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while tokens.get(j).map(|t| &t.0) == Some(&Token::PathSep) {
                    match ident(j + 1) {
                        Some(segment) => path.push(segment.to_owned()),
                        None => break,
                    }
                    j += 2;
                }
                file.imports.push(Import {
                    scope: scope.clone(),
                    path,
                    binding: None,
                    explicit: true,
                    line: *line,
                });
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    file
}

/// Expands a `use` tree into (path, bound name); `None` for globs.
fn use_tree(
    tokens: &[(Token, usize)],
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let mut path = prefix;
    let mut i = 0;
    if tokens.first().map(|t| &t.0) == Some(&Token::PathSep) {
        i += 1; // `use ::std::..`
    }
    while i < tokens.len() {
        match &tokens[i].0 {
            Token::Ident(word) if word == "as" => {
                if let Some((Token::Ident(alias), _)) = tokens.get(i + 1) {
                    out.push((path.clone(), Some(alias.clone()).filter(|a| a != "_")));
                }
                return;
            }
            Token::Ident(word) if word == "self" && !path.is_empty() => {}
            Token::Ident(word) => path.push(word.clone()),
            Token::PathSep => {}
            Token::Punct('*') => {
                out.push((path, None));
                return;
            }
            Token::Punct('{') => {
                // Split the group at top-level commas.
                let mut depth = 0;
                let mut start = i + 1;
                for j in i + 1..tokens.len() {
                    match tokens[j].0 {
                        Token::Punct('{') => depth += 1,
                        Token::Punct('}') if depth == 0 => {
                            if start < j {
                                use_tree(&tokens[start..j], path.clone(), out);
                            }
                            return;
                        }
                        Token::Punct('}') => depth -= 1,
                        Token::Punct(',') if depth == 0 => {
                            if start < j {
                                use_tree(&tokens[start..j], path.clone(), out);
                            }
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            _ => return,
        }
        i += 1;
    }
    if let Some(last) = path.last().cloned() {
        out.push((path, Some(last)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` under a fresh directory and returns it.
    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "import-graph-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn cycles_in(dir: &Path) -> Vec<String> {
        let graph = Graph::read(dir).unwrap();
        let cycles = graph.cycles();
        let shown = cycles
            .iter()
            .map(|c| graph.display(c).to_string())
            .collect();
        std::fs::remove_dir_all(dir).unwrap();
        shown
    }

    #[test]
    fn this_crate_has_no_import_cycles() {
        assert_no_cycles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    }

    #[test]
    fn finds_cycles_through_re_exports_code_paths_and_super() {
        let dir = tree(
            "found",
            &[
                ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub mod d;\n"),
                ("a.rs", "use crate::b::{self, Thing as T};\n"),
                ("b/mod.rs", "pub mod inner;\npub use inner::Thing;\n"),
                ("b/inner.rs", "pub struct Thing(super::super::a::X);\n"),
                // In code, not in a `use`; strings and comments do not count.
                ("c.rs", "fn f() { crate::d::g(); } // crate::a::X\n"),
                ("d.rs", "fn g() { let _ = \"crate::a\"; crate::c::f() }\n"),
            ],
        );
        assert_eq!(
            cycles_in(&dir),
            ["a.rs -> b/inner.rs -> a.rs", "c.rs -> d.rs -> c.rs"]
        );
    }

    #[test]
    fn the_module_tree_and_tests_are_not_cycles() {
        let dir = tree(
            "clean",
            &[
                ("lib.rs", "pub mod cache;\npub mod settings;\n"),
                // A parent uses its children; children use the parent's items.
                (
                    "cache/mod.rs",
                    "mod memory;\npub use config::Config;\npub mod config;\n\
                     pub trait Store {}\nfn f() { memory::Memory; self::memory::Memory; }\n\
                     #[cfg(test)]\nmod tests { use super::*; use crate::cache::Store; }\n",
                ),
                ("cache/memory.rs", "use super::Store;\npub struct Memory;\n"),
                (
                    "cache/config.rs",
                    "pub struct Config;\nuse crate::settings::Env;\n",
                ),
                // `cache/mod.rs` defines `Store`; `cache/config.rs` is not involved.
                (
                    "settings.rs",
                    "pub struct Env;\nstruct S(crate::cache::Store);\n",
                ),
                ("main.rs", "use openimis::settings;\nuse crate::x::y;\n"),
            ],
        );
        assert_eq!(cycles_in(&dir), Vec::<String>::new());
    }

    #[test]
    fn use_trees_expand() {
        let tokens = tokenize("crate::a::{b, c::{self, D as E}, f::*, _g as _}");
        let mut out = Vec::new();
        use_tree(&tokens, Vec::new(), &mut out);
        let shown: Vec<String> = out
            .iter()
            .map(|(p, b)| format!("{}={}", p.join("::"), b.as_deref().unwrap_or("*")))
            .collect();
        assert_eq!(
            shown,
            [
                "crate::a::b=b",
                "crate::a::c=c",
                "crate::a::c::D=E",
                "crate::a::f=*",
                "crate::a::_g=*"
            ]
        );
    }
}
