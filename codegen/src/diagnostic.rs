//! Spec errors: each names `file:line:col`, the model and the field.

use std::fmt;

use crate::yaml::Loc;
use orux_runtime::display::{escape, excerpt};

/// One problem found in the spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecError {
    /// Where the offending key or value is written.
    pub loc: Loc,
    /// The model it belongs to, if any.
    pub model: Option<String>,
    /// The parameter (or value set, directive set) it belongs to, if any.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// Every problem of one spec file, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors {
    /// The file name shown before each place (as given by the caller).
    pub file: String,
    /// The problems, sorted by place.
    pub errors: Vec<SpecError>,
}

/// One line per error, then a count. Everything that came from the spec is
/// shown as data: model and field names are bounded and escaped like request
/// keys (`display::excerpt`), and each message is escaped (`display::escape`),
/// so no spec can send terminal control to whoever runs the generator.
impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = escape(&self.file);
        for error in &self.errors {
            write!(f, "{file}:{}: ", error.loc)?;
            let model = error.model.as_deref().map(excerpt);
            let field = error.field.as_deref().map(excerpt);
            match (model, field) {
                (Some(model), Some(field)) => write!(f, "model `{model}`, field `{field}`: ")?,
                (Some(model), None) => write!(f, "model `{model}`: ")?,
                (None, Some(field)) => write!(f, "`{field}`: ")?,
                (None, None) => {}
            }
            writeln!(f, "{}", escape(&error.message))?;
        }
        let count = self.errors.len();
        write!(
            f,
            "{count} error{} in {}",
            if count == 1 { "" } else { "s" },
            file
        )
    }
}

impl std::error::Error for SpecErrors {}

/// The subject of the errors being reported: which model and which field.
#[derive(Clone, Copy, Debug, Default)]
pub struct Subject<'a> {
    /// Model id.
    pub model: Option<&'a str>,
    /// Field, value set or directive set name.
    pub field: Option<&'a str>,
}

impl<'a> Subject<'a> {
    /// Errors about the top level of the file.
    pub const TOP: Subject<'static> = Subject {
        model: None,
        field: None,
    };

    /// Errors about one model.
    pub fn model(model: &'a str) -> Self {
        Subject {
            model: Some(model),
            field: None,
        }
    }

    /// Errors about one named item outside models (a value set, a shared param).
    pub fn item(field: &'a str) -> Self {
        Subject {
            model: None,
            field: Some(field),
        }
    }

    /// The same subject, narrowed to one field.
    pub fn field(self, field: &'a str) -> Self {
        Subject {
            field: Some(field),
            ..self
        }
    }
}

/// Collects errors; nothing is emitted while it holds any.
#[derive(Debug, Default)]
pub struct Sink {
    errors: Vec<SpecError>,
}

impl Sink {
    /// Records one error.
    pub fn error(&mut self, loc: Loc, subject: Subject<'_>, message: impl Into<String>) {
        self.errors.push(SpecError {
            loc,
            model: subject.model.map(str::to_owned),
            field: subject.field.map(str::to_owned),
            message: message.into(),
        });
    }

    /// How many errors were recorded so far.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether anything was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, sorted by place (then by text, so the order is stable).
    pub fn finish(mut self, file: &str) -> Result<(), SpecErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort();
        self.errors.dedup();
        Err(SpecErrors {
            file: file.to_owned(),
            errors: self.errors,
        })
    }
}
