//! Plain-text tables: columns padded to their widest cell, two spaces apart.

use std::borrow::Cow;
use std::io::{self, Write};

use orux_models::display::escape;

use crate::render::HEADER;

/// Writes `header` (styled) and `rows`, every row as wide as the header.
///
/// Cells come from the spec, so they are shown as data
/// (`orux_models::display::escape`). Widths count characters, which
/// is the display width of everything the catalog holds in the padded columns
/// (ids, names, types, values); the last column is not padded, so long
/// descriptions leave no trailing spaces.
pub fn write(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let rows: Vec<Vec<Cow<'_, str>>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let last = header.len().saturating_sub(1);
    for (i, title) in header.iter().enumerate() {
        write!(out, "{HEADER}{title}{HEADER:#}")?;
        if i < last {
            write!(out, "{}", pad(title, widths[i]))?;
        }
    }
    writeln!(out)?;
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            out.write_all(cell.as_bytes())?;
            if i < last {
                write!(out, "{}", pad(cell, widths[i]))?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The items joined with `, ` (`5, 10`), or `-` when there are none.
pub fn list_or_dash(items: impl Iterator<Item = String>) -> String {
    let list = items.collect::<Vec<_>>().join(", ");
    if list.is_empty() {
        "-".to_owned()
    } else {
        list
    }
}

/// The spaces after `cell` that reach `width`, plus the column gap.
fn pad(cell: &str, width: usize) -> String {
    " ".repeat(width - cell.chars().count() + 2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_align_and_the_last_is_not_padded() {
        let mut out = Vec::new();
        super::write(
            &mut out,
            &["ID", "NOTE"],
            &[
                vec!["a".into(), "first".into()],
                vec!["longer-id".into(), "—".into()],
            ],
        )
        .unwrap();
        // Styles are written raw here; strip them to see the layout.
        let text = String::from_utf8(anstream::adapter::strip_bytes(&out).into_vec()).unwrap();
        assert_eq!(text, "ID         NOTE\na          first\nlonger-id  —\n");
    }
}
