//! `orux schema [MODEL]`: the JSON Schema bundle, or one model's schema, as
//! generated into `orux_models::schema`.

use std::io::{self, Write};

use orux_models::schema;

use super::find_model;
use crate::{Error, Verdict};

/// Prints the bundle (every model, `TaskRequest` at the root), or the
/// standalone schema of one model.
pub fn run(model: Option<&str>) -> Result<Verdict, Error> {
    let text = match model {
        None => schema::BUNDLE,
        Some(id) => {
            let info = find_model(id)?;
            schema::model(info.id).ok_or_else(|| {
                Error::Message(format!("orux-models has no schema for {}", info.id))
            })?
        }
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| {
            // The files end with a newline; never leave a prompt glued to the output.
            if text.ends_with('\n') {
                Ok(())
            } else {
                writeln!(out)
            }
        })
        .and_then(|()| out.flush())
        .map_err(Error::stdout)?;
    Ok(Verdict::Success)
}
