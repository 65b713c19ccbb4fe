//! Synthetic specs of any size for the generator benchmarks.
//!
//! A spec of `n` models is the real `models.yaml` with its model entries
//! repeated, renamed (`sora2` → `sora2-s3`, "Sora 2" → "Sora 2 (s3)") until
//! there are `n`: the value sets, shared parameters and the mix of field
//! types, enums, URLs, directives and image inputs stay exactly those of the
//! real spec, so the cost per model is the real one.

use orux_codegen::SpecLimits;
use orux_codegen::ir::Ir;

/// The real spec, `models.yaml` at the repository root.
pub fn real() -> Result<String, String> {
    let path = crate::repo_root().join("models.yaml");
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `spec` with exactly `n` models, the first copy keeping the real ids.
pub fn with_models(spec: &str, n: usize) -> Result<String, String> {
    let (head, blocks) = split(spec)?;
    let mut out = String::with_capacity(head.len() + n * 1024);
    out.push_str(&head);
    for i in 0..n {
        let block = &blocks[i % blocks.len()];
        let copy = i / blocks.len();
        out.push_str(&renamed(block, copy));
    }
    Ok(out)
}

/// The size caps the benchmarks load every synthetic spec with.
///
/// A 10,000-model spec is about 6 MB with some 45,000 parameters, past the
/// generator's default caps against hostile specs (1 MiB, 10,000 parameters:
/// [`SpecLimits::default`]), which are there to refuse a stray file, not to
/// size a real catalog. Every size is loaded with these raised caps, so all
/// sizes time the same path, and the 10,000-model spec is checked whole
/// (unique ids and Rust names across all models included).
pub fn limits() -> SpecLimits {
    SpecLimits {
        max_spec_bytes: 64 << 20,
        max_fields: 1_000_000,
        max_allowed_values: 10_000_000,
    }
}

/// Loads a synthetic spec with [`limits`].
pub fn load(text: &str) -> Result<Ir, String> {
    orux_codegen::load_with_limits(text, "synthetic.yaml", &limits()).map_err(|e| e.to_string())
}

/// One model entry: its comment lines, its `  <id>:` line, and its body.
struct Block {
    comments: Vec<String>,
    id: String,
    body: Vec<String>,
}

/// Everything up to and including `models:`, and the model entries.
fn split(spec: &str) -> Result<(String, Vec<Block>), String> {
    let mut head = String::new();
    let mut lines = spec.lines();
    for line in lines.by_ref() {
        head.push_str(line);
        head.push('\n');
        if line == "models:" {
            break;
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending = Vec::new();
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || (indent == 2 && trimmed.starts_with('#')) {
            pending.push(line.to_owned());
        } else if indent == 2 {
            let id = trimmed
                .strip_suffix(':')
                .ok_or_else(|| format!("expected `  <model id>:`, found {line:?}"))?;
            blocks.push(Block {
                comments: std::mem::take(&mut pending),
                id: id.to_owned(),
                body: Vec::new(),
            });
        } else if indent > 2 {
            let block = blocks
                .last_mut()
                .ok_or_else(|| format!("model field before any model: {line:?}"))?;
            block.body.append(&mut pending);
            block.body.push(line.to_owned());
        } else {
            return Err(format!("a top-level key after `models:`: {line:?}"));
        }
    }
    if blocks.is_empty() {
        return Err("the spec has no models".to_owned());
    }
    Ok((head, blocks))
}

/// The block's text for copy number `copy` (0 is the original).
fn renamed(block: &Block, copy: usize) -> String {
    let mut text = String::new();
    for line in &block.comments {
        text.push_str(line);
        text.push('\n');
    }
    if copy == 0 {
        text.push_str(&format!("  {}:\n", block.id));
    } else {
        text.push_str(&format!("  {}-s{copy}:\n", block.id));
    }
    let mut named = false;
    for line in &block.body {
        match line.strip_prefix("    name: ") {
            Some(name) if copy > 0 && !named => {
                named = true;
                text.push_str(&format!("    name: {name} (s{copy})\n"));
            }
            _ => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "version: 1\nmodels:\n  # about a\n  a:\n    name: A\n    params: {}\n\n  b:\n    name: B\n";

    #[test]
    fn repeats_and_renames_models() {
        let out = with_models(SPEC, 5).unwrap();
        let ids: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.contains('#'))
            .collect();
        assert_eq!(ids, ["  a:", "  b:", "  a-s1:", "  b-s1:", "  a-s2:"]);
        assert!(out.contains("    name: A (s2)\n"));
        assert_eq!(out.matches("  # about a\n").count(), 3);
    }

    #[test]
    fn the_real_spec_is_unchanged_at_its_own_size() {
        let real = real().unwrap();
        let (_, blocks) = split(&real).unwrap();
        assert!(blocks.len() >= 17, "{} models", blocks.len());
        let rebuilt = with_models(&real, blocks.len()).unwrap();
        assert_eq!(rebuilt.trim_end(), real.trim_end());
    }
}
