//! `orux example MODEL`: a minimal valid request body.

use std::io::{self, Write};

use super::find_model;
use crate::{Error, Verdict};

/// Prints the model's minimal body (`model` plus its required fields, set to
/// the spec's examples) as one line of compact JSON.
pub fn run(id: &str) -> Result<Verdict, Error> {
    let info = find_model(id)?;
    let body = info.minimal_body().ok_or_else(|| {
        Error::Message(format!(
            "models.yaml gives no example for a required field of {}",
            info.id
        ))
    })?;
    let mut out = io::stdout().lock();
    writeln!(out, "{body}")
        .and_then(|()| out.flush())
        .map_err(Error::stdout)?;
    Ok(Verdict::Success)
}
