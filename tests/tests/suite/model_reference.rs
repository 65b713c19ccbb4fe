//! `generated/MODELS.md`, the model reference: one section per model with the
//! parameter table a person reads, and cells that spec text cannot break.

use std::path::Path;

use orux_models::catalog::MODELS;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models.yaml");
    std::fs::read_to_string(path).expect("models.yaml is readable")
}

fn reference(text: &str) -> String {
    let files = orux_codegen::generate(text, "models.yaml").unwrap_or_else(|e| panic!("{e}"));
    files
        .into_iter()
        .find(|f| f.path == Path::new("MODELS.md"))
        .expect("MODELS.md is generated")
        .contents
}

/// The lines of the table under `heading`, header row included.
fn table_after<'a>(page: &'a str, heading: &str) -> Vec<&'a str> {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in MODELS.md"));
    page[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .collect()
}

#[test]
fn every_model_has_its_section_and_one_row_per_field() {
    let page = reference(&spec_text());
    for info in MODELS {
        let heading = format!("## {} (`{}`)", info.name, info.id);
        let table = table_after(&page, &heading);
        assert_eq!(
            table[0],
            "| Field | Type | Required | Default | Allowed | Description |"
        );
        assert_eq!(table.len(), 2 + info.fields.len(), "{}", info.id);
    }
}

#[test]
fn the_sora_table_reads_like_orux_explain() {
    let page = reference(&spec_text());
    let table = table_after(&page, "## Sora 2 (`sora2`)");
    assert!(
        table.contains(&"| `prompt` | string | yes | - | 1 to 10000 characters | Text prompt describing the desired output. |"),
        "{table:#?}"
    );
    assert!(
        table.contains(&"| `duration` | enum | no | `5` | 5 or 10 | Length in seconds. |"),
        "{table:#?}"
    );
}

#[test]
fn the_matrix_lists_every_model_with_its_required_fields() {
    let page = reference(&spec_text());
    let matrix = table_after(&page, "## Models");
    assert_eq!(matrix.len(), 2 + MODELS.len());
    let runway = matrix
        .iter()
        .find(|row| row.contains("`runway-gen3-alpha-turbo`"))
        .expect("runway row");
    assert!(
        runway.ends_with("| image-to-video | 10 s | - | `prompt`, `image_url` |"),
        "{runway}"
    );
}

#[test]
fn the_hailuo_directives_and_examples_are_shown() {
    let page = reference(&spec_text());
    assert!(page.contains("## Directive set `camera`"));
    assert!(page.contains("`Pan Right`, `Pan Left`"));
    assert!(page.contains("  ```json\n  {\n    \"model\": \"hailuo-02\","));
}

/// A `|` or a line break in a description stays inside its cell.
#[test]
fn a_pipe_or_line_break_in_a_description_stays_in_its_cell() {
    let text = spec_text().replacen(
        "description: Length in seconds.}",
        "description: \"Length | in\\nseconds.\"}",
        1,
    );
    assert_ne!(text, spec_text(), "the edit must apply");
    let page = reference(&text);
    let table = table_after(&page, "## Sora 2 (`sora2`)");
    assert!(
        table.contains(&"| `duration` | enum | no | `5` | 5 or 10 | Length \\| in<br>seconds. |"),
        "{table:#?}"
    );
}
