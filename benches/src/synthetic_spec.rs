//! Synthetic specs of any size for the generator benchmarks.
//!
//! A spec of `n` models is the real `models.yaml` with its model entries
//! repeated, renamed (`sora2` → `sora2-s3`, "Sora 2" → "Sora 2 (s3)") until
//! there are `n`: the value sets, shared parameters and the mix of field
//! types, enums, URLs, directives and image inputs stay exactly those of the
//! real spec, so the cost per model is the real one.

/// The real spec, `models.yaml` at the repository root.
pub fn real() -> Result<String, String> {
    let path = crate::repo_root().join("models.yaml");
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `spec` with exactly `n` models, the first copy keeping the real ids.
pub fn with_models(spec: &str, n: usize) -> Result<String, String> {
    slice(spec, 0, n)
}

/// Models `start..start + n` of the endless sequence [`with_models`] takes
/// its first `n` from: consecutive slices are parts of one large spec.
///
/// The loader refuses a spec over 1 MiB or 10,000 parameters (issue 6's
/// hostile-input limits), which a 10,000-model spec is; the generator bench
/// loads such a spec as ten slices of 1,000 and joins their models.
pub fn slice(spec: &str, start: usize, n: usize) -> Result<String, String> {
    let (head, blocks) = split(spec)?;
    let mut out = String::with_capacity(head.len() + n * 1024);
    out.push_str(&head);
    for i in start..start + n {
        let block = &blocks[i % blocks.len()];
        let copy = i / blocks.len();
        out.push_str(&renamed(block, copy));
    }
    Ok(out)
}

/// Models per slice when a spec is too large to load whole.
pub const SLICE: usize = 1000;

/// The slices of the `n`-model spec: the whole text when `n` is at most
/// [`SLICE`], else consecutive [`slice`]s of `SLICE` models.
pub fn slices(spec: &str, n: usize) -> Result<Vec<String>, String> {
    if n <= SLICE {
        return Ok(vec![with_models(spec, n)?]);
    }
    (0..n.div_ceil(SLICE))
        .map(|i| slice(spec, i * SLICE, SLICE.min(n - i * SLICE)))
        .collect()
}

/// Loads every slice and joins their models: the IR of the whole spec.
///
/// Lowering checks each model on its own, so the join is what lowering the
/// whole spec would give, minus the checks across slices (unique ids and
/// names), which hold by construction.
pub fn load_slices(slices: &[String]) -> Result<orux_codegen::ir::Ir, String> {
    let mut joined: Option<orux_codegen::ir::Ir> = None;
    for text in slices {
        let ir = orux_codegen::load(text, "synthetic.yaml").map_err(|e| e.to_string())?;
        match &mut joined {
            None => joined = Some(ir),
            Some(joined) => joined.models.extend(ir.models),
        }
    }
    joined.ok_or_else(|| "no slices".to_owned())
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
    fn slices_continue_the_same_sequence() {
        let whole = with_models(SPEC, 6).unwrap();
        let tail = slice(SPEC, 3, 3).unwrap();
        let models = |text: &str| {
            text.lines()
                .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.contains('#'))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(models(&tail), models(&whole)[3..]);
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
