//! `orux webhook verify --secret whsec_… --header 'NAME: VALUE'… [--now UNIX_SECONDS] [FILE|-]`.

use std::io::{self, Write};
use std::time::{Duration, SystemTime};

use orux_client::webhooks::Verifier;

use crate::api_args::{VerifyArgs, WebhookArgs, WebhookCommand};
use crate::{Error, Verdict, input, json_out};

/// The largest body read: an event is a few hundred bytes.
const MAX_BODY: usize = 1024 * 1024;

/// Runs a `webhook` subcommand.
pub fn run(args: &WebhookArgs) -> Result<Verdict, Error> {
    match &args.command {
        WebhookCommand::Verify(args) => verify(args),
    }
}

/// Verifies the delivery in the raw body and headers; prints the event as
/// JSON (exit 0), or why it is not trusted (exit 1).
fn verify(args: &VerifyArgs) -> Result<Verdict, Error> {
    let verifier =
        Verifier::new(&args.secret).map_err(|error| Error::Message(error.to_string()))?;
    let headers = args
        .headers
        .iter()
        .map(|header| parse_header(header))
        .collect::<Result<Vec<_>, _>>()?;
    let now = match args.now {
        Some(secs) => SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_secs(secs))
            .ok_or_else(|| Error::Message(format!("--now {secs} is out of range")))?,
        None => SystemTime::now(),
    };
    let (mut reader, name) = super::validate::open(args.file.as_deref())?;
    let mut body = Vec::new();
    let fit = input::read_all(&mut reader, &mut body, MAX_BODY).map_err(|source| Error::Io {
        context: format!("cannot read {name}"),
        source,
    })?;
    if let input::Fit::TooLarge { size } = fit {
        let _ = writeln!(
            io::stderr(),
            "not verified: the body is {size} bytes, over the {MAX_BODY}-byte limit"
        );
        return Ok(Verdict::Invalid);
    }
    match verifier.verify(&headers, &body, now) {
        Ok(event) => {
            json_out::write(&mut io::stdout().lock(), &event).map_err(Error::stdout)?;
            Ok(Verdict::Success)
        }
        Err(error) => {
            let _ = writeln!(io::stderr(), "not verified: {error}");
            Ok(Verdict::Invalid)
        }
    }
}

/// `NAME: VALUE` into a pair; the value is trimmed.
fn parse_header(text: &str) -> Result<(String, String), Error> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() && !name.contains(char::is_whitespace) => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(Error::Message(format!(
            "--header expects 'NAME: VALUE', got {:?}",
            text.chars().take(80).collect::<String>()
        ))),
    }
}
