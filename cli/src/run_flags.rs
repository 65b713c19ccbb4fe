//! `orux run`'s command line, built at run time from the catalog: one
//! subcommand per model, and a flag per parameter of its table. Nothing here
//! names a model or a field: a model added to `models.yaml` gets its
//! subcommand and flags with no change to this code, and the completions
//! (`orux completions`) come from the same `clap::Command`.
//!
//! - `prompt` is the positional `PROMPT`;
//! - an `enum` parameter takes one of its values (`--aspect-ratio 9:16`),
//!   listed in `--help` and offered by completions;
//! - a `boolean` one is a pair, `--audio` / `--no-audio`;
//! - `string`, `url` and `image_input` ones take text (`--image-url URL`;
//!   `--image` also takes a local image file);
//! - a parameter whose flag would be one of `orux run`'s own options
//!   ([`OPTION_NAMES`]) is spelled `--field-<name>`.
//!
//! Values are not checked here: the validator checks the body they make,
//! and reports every problem at once with the flag named.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StyledStr, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Command};
use orux_models::WireValue;
use orux_models::catalog::{FieldInfo, FieldKind, ModelInfo};
use orux_models::display::escape;

use crate::commands::explain::allowed;

/// The options of `orux run` itself; a parameter may not take these flags.
pub const OPTION_NAMES: [&str; 10] = [
    "out", "no-wait", "dry-run", "force", "base-url", "timeout", "format", "help", "version",
    "download",
];

/// The heading of a model's parameters in its `--help`.
pub const PARAMETERS_HEADING: &str = "Parameters (from the model's table)";

/// The parameter taken as the positional argument.
pub const PROMPT_FIELD: &str = "prompt";

/// What the user gave for one parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// The text after the flag (or the positional prompt).
    Text(String),
    /// `--flag` (true) or `--no-flag` (false).
    Bool(bool),
}

/// The flag a parameter is set with, without dashes: `aspect_ratio` →
/// `aspect-ratio`; one of [`OPTION_NAMES`] → `field-<name>`.
pub fn flag_name(field: &FieldInfo) -> String {
    let kebab = field.name.replace('_', "-");
    if OPTION_NAMES.contains(&kebab.as_str()) {
        format!("field-{kebab}")
    } else {
        kebab
    }
}

/// Whether the parameter is the positional `PROMPT`.
pub fn is_positional(field: &FieldInfo) -> bool {
    field.name == PROMPT_FIELD && field.kind == FieldKind::String
}

/// How a parameter is named to the user: `PROMPT` or `--aspect-ratio`.
pub fn shown_flag(field: &FieldInfo) -> String {
    if is_positional(field) {
        "PROMPT".to_owned()
    } else {
        format!("--{}", flag_name(field))
    }
}

/// The id of the `--no-<flag>` half of a boolean parameter (`:` never
/// appears in a wire name, so it cannot meet another parameter's id).
fn negative_id(field: &FieldInfo) -> String {
    format!("no:{}", field.name)
}

/// Adds one subcommand per model of `models` to `run`.
pub fn add_models(run: Command, models: &[&'static ModelInfo]) -> Command {
    run.subcommands(models.iter().map(|info| model_command(info)))
}

/// A model's subcommand: its parameters as arguments, its metadata as help.
pub fn model_command(info: &'static ModelInfo) -> Command {
    let about = format!(
        "{} ({}): {}",
        escape(info.name),
        escape(info.vendor),
        info.kind.as_str()
    );
    let mut command = Command::new(info.id)
        .about(about.clone())
        .long_about(format!("{about}\n{}", escape(info.description)))
        .next_help_heading(PARAMETERS_HEADING);
    for field in info.fields {
        command = match field.kind {
            _ if is_positional(field) => command.arg(
                Arg::new(field.name)
                    .value_name("PROMPT")
                    .action(ArgAction::Set)
                    .value_parser(Text::any())
                    .help(help(field)),
            ),
            FieldKind::Boolean => {
                let flag = flag_name(field);
                command
                    .arg(
                        Arg::new(field.name)
                            .long(flag.clone())
                            .action(ArgAction::SetTrue)
                            .overrides_with(negative_id(field))
                            .help(help(field)),
                    )
                    .arg(
                        Arg::new(negative_id(field))
                            .long(format!("no-{flag}"))
                            .action(ArgAction::SetTrue)
                            .overrides_with(field.name)
                            .help(format!("Send {} false", escape(field.name))),
                    )
            }
            _ => command.arg(
                Arg::new(field.name)
                    .long(flag_name(field))
                    .value_name(value_name(field))
                    .action(ArgAction::Set)
                    .value_parser(Text::offering(field.allowed))
                    .help(help(field)),
            ),
        };
    }
    command
}

fn value_name(field: &FieldInfo) -> String {
    match field.kind {
        FieldKind::Url => "URL".to_owned(),
        FieldKind::ImageInput => "IMAGE".to_owned(),
        FieldKind::String => "TEXT".to_owned(),
        FieldKind::Enum { .. } | FieldKind::Boolean => field.name.to_ascii_uppercase(),
    }
}

/// `Description. [type: enum] [default: 16:9] [required]`; clap adds the
/// possible values of an enum.
fn help(field: &FieldInfo) -> StyledStr {
    let mut text = escape(field.description).into_owned();
    let kind = field.kind.as_str();
    match field.kind {
        FieldKind::Enum { .. } | FieldKind::Boolean => text.push_str(&format!(" [type: {kind}]")),
        FieldKind::ImageInput => text.push_str(&format!(
            " [type: {kind}: {}, or a local PNG, JPEG, WebP or GIF file]",
            allowed(field)
        )),
        _ => text.push_str(&format!(" [type: {kind}: {}]", escape(&allowed(field)))),
    }
    if let Some(default) = field.default {
        text.push_str(&format!(" [default: {}]", escape(&default.to_string())));
    }
    if field.required {
        text.push_str(" [required]");
    }
    text.into()
}

/// The values a user gave, in the order of the model's table.
pub fn given(info: &'static ModelInfo, matches: &ArgMatches) -> Vec<(&'static FieldInfo, Given)> {
    info.fields
        .iter()
        .filter_map(|field| {
            let value = match field.kind {
                FieldKind::Boolean if !is_positional(field) => {
                    if matches.get_flag(field.name) {
                        Given::Bool(true)
                    } else if matches.get_flag(&negative_id(field)) {
                        Given::Bool(false)
                    } else {
                        return None;
                    }
                }
                _ => Given::Text(matches.get_one::<String>(field.name)?.clone()),
            };
            Some((field, value))
        })
        .collect()
}

/// A text value, taken as given (the validator checks it): UTF-8, with the
/// values to offer in help and completions when the parameter is an enum.
/// Unlike clap's `PossibleValuesParser`, another value is not refused here,
/// so that every problem of a command line is reported at once, by the
/// validator, with the spec's own message.
#[derive(Clone)]
struct Text(Vec<PossibleValue>);

impl Text {
    /// Any text, nothing to offer.
    fn any() -> Text {
        Text(Vec::new())
    }

    /// Any text, offering `values`.
    fn offering(values: &[WireValue]) -> Text {
        Text(
            values
                .iter()
                .map(|value| PossibleValue::new(escape(&value.to_string()).into_owned()))
                .collect(),
        )
    }
}

impl TypedValueParser for Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        _arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        value
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        if self.0.is_empty() {
            None
        } else {
            Some(Box::new(self.0.iter().cloned()))
        }
    }
}
