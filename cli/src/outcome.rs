//! The verdict on one body, as `orux validate` reports it: apart from the
//! streams (`validate`) and the renderers (`render`, `json_out`), which all
//! read it.

use orux_models::{Diagnostic, DiagnosticKind, Limits, TaskRequest, ValidationErrors};

use crate::input::Fit;

/// What [`Outcome::suggest_jsonl`] adds, for `orux validate`, to the error
/// about data after the first object.
pub const JSONL_HINT: &str =
    "; it looks like JSON Lines (one body per line): use --jsonl to validate each line";

/// The same hint for `orux submit`, which sends one body.
pub const SUBMIT_JSONL_HINT: &str = "; it looks like JSON Lines (one body per line): \
     `orux submit` sends one body; `orux batch FILE` submits each line (and \
     `orux validate --jsonl` checks each line)";

/// The verdict on one body: what `orux validate` reports for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The model the body named, when it named a known one.
    pub model: Option<&'static str>,
    /// Every error, in body order; empty exactly when the body is valid.
    pub errors: Vec<Diagnostic>,
    /// Warnings (unknown Hailuo camera directives); they do not make a body invalid.
    pub warnings: Vec<Diagnostic>,
}

impl Outcome {
    /// Validates a body with [`TaskRequest::from_json_with_limits`].
    pub fn of_body(body: &[u8], limits: &Limits) -> Outcome {
        match TaskRequest::from_json_with_limits(body, limits) {
            Ok(valid) => Outcome {
                model: Some(valid.request.model().id()),
                errors: Vec::new(),
                warnings: valid.warnings,
            },
            Err(invalid) => invalid.into(),
        }
    }

    /// Validates what [`crate::input`] read into `buf`: a body over the
    /// size limit was not kept whole, so it gets the validator's size error
    /// with its real size.
    pub fn of_read(buf: &[u8], fit: Fit, limits: &Limits) -> Outcome {
        match fit {
            Fit::Complete => Outcome::of_body(buf, limits),
            Fit::TooLarge { size } => ValidationErrors::body_too_large(size, limits).into(),
        }
    }

    /// Adds `hint` ([`JSONL_HINT`], [`SUBMIT_JSONL_HINT`]) when `body`
    /// failed as one body because it holds several JSON objects on separate
    /// lines: a complete first object ([`DiagnosticKind::TrailingData`]),
    /// then a newline and `{`. The commands that read one body call this;
    /// the runtime knows nothing of JSON Lines.
    pub fn suggest_jsonl(&mut self, body: &[u8], hint: &str) {
        let [error] = self.errors.as_mut_slice() else {
            return;
        };
        let Some(offset) = error.offset else {
            return;
        };
        if error.kind != DiagnosticKind::TrailingData || body.get(offset) != Some(&b'{') {
            return;
        }
        let before = body.get(..offset).unwrap_or_default();
        let gap = &before[before.trim_ascii_end().len()..];
        if gap.contains(&b'\n') {
            error.message.push_str(hint);
        }
    }

    /// Whether the body is valid (it may still have warnings).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

impl From<ValidationErrors> for Outcome {
    fn from(invalid: ValidationErrors) -> Outcome {
        Outcome {
            model: invalid.model,
            errors: invalid.errors,
            warnings: invalid.warnings,
        }
    }
}
