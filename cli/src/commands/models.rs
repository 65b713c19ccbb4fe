//! `orux models [--format human|json]`: the model matrix.

use std::io::{self, Write};

use orux_models::WireValue;
use orux_models::catalog::MODELS;
use orux_models::catalog::ModelInfo;
use serde::Serialize;

use crate::format::Format;
use crate::json_out;
use crate::table::{self, list_or_dash};
use crate::{Error, Verdict};

/// The parameter that sets the clip length, on the models that have one;
/// its allowed values are the model's durations.
const DURATION_FIELD: &str = "duration";

/// One model in `--format json`.
#[derive(Serialize)]
struct ModelSummary {
    id: &'static str,
    name: &'static str,
    vendor: &'static str,
    kind: &'static str,
    description: &'static str,
    max_duration: Option<u32>,
    capabilities: Vec<&'static str>,
    /// Accepted clip lengths in seconds; empty without length control.
    durations: &'static [WireValue],
    required: Vec<&'static str>,
}

impl ModelSummary {
    fn of(info: &'static ModelInfo) -> Self {
        ModelSummary {
            id: info.id,
            name: info.name,
            vendor: info.vendor,
            kind: info.kind.as_str(),
            description: info.description,
            max_duration: info.max_duration,
            capabilities: info.capabilities.iter().map(|c| c.as_str()).collect(),
            durations: info
                .field(DURATION_FIELD)
                .map_or(&[], |field| field.allowed),
            required: info
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.name)
                .collect(),
        }
    }
}

/// Prints every model, in spec order.
pub fn run(format: Format) -> Result<Verdict, Error> {
    let models: Vec<ModelSummary> = MODELS.iter().map(|info| ModelSummary::of(info)).collect();
    match format {
        Format::Json => {
            let mut out = io::stdout().lock();
            json_out::write_pretty(&mut out, &models).and_then(|()| out.flush())
        }
        Format::Human => {
            let rows: Vec<Vec<String>> = models
                .iter()
                .map(|model| {
                    vec![
                        model.id.to_owned(),
                        model.name.to_owned(),
                        model.kind.to_owned(),
                        list_or_dash(model.durations.iter().map(WireValue::to_string)),
                        list_or_dash(model.required.iter().map(|name| name.to_string())),
                    ]
                })
                .collect();
            let mut out = anstream::stdout().lock();
            table::write(
                &mut out,
                &["ID", "NAME", "KIND", "DURATIONS (S)", "REQUIRED"],
                &rows,
            )
            .and_then(|()| out.flush())
        }
    }
    .map_err(Error::stdout)?;
    Ok(Verdict::Success)
}
