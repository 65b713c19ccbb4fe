//! Reading an authentic body as the task event, with less work than a plain
//! `serde_json::from_slice::<WebhookEvent>`.
//!
//! Verification runs per delivery, and after the HMAC most of its time went
//! into this read (see BENCHMARKS.md, "Client"). What is avoided:
//! - `from_slice` checks UTF-8 once per string it keeps; checking the whole
//!   body once and reading it as `&str` is cheaper;
//! - `TaskStatus`'s own `Deserialize` copies the status into a `String`
//!   before matching it; here it is matched on the borrowed text;
//! - [`WebhookEventRef`] keeps every string borrowed from the body: no
//!   allocation per result URL.
//!
//! The result, and every error message, is the same as `from_slice` gives
//! (the tests compare the two on a corpus of good and bad bodies).

use std::borrow::Cow;

use serde::Deserialize;

use crate::WebhookEvent;
use orux_models::responses::TaskStatus;

/// A task event whose strings borrow from the body it was read from (a string
/// with escapes is decoded into its own `String`): what
/// [`Verifier::verify_borrowed`](crate::Verifier::verify_borrowed) returns, for
/// a receiver that looks at the event and lets it go. Same fields as
/// [`WebhookEvent`]; [`WebhookEventRef::into_owned`] makes one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookEventRef<'a> {
    /// The task's id.
    pub task_id: Cow<'a, str>,
    /// Its status (terminal, for a delivery Orux sends).
    pub status: TaskStatus,
    /// When it was submitted, when the server says.
    pub submit_time: Option<Cow<'a, str>>,
    /// Where the finished video can be downloaded (empty unless success).
    pub result_urls: Vec<Cow<'a, str>>,
    /// The duration in seconds reported with the result.
    pub duration_sec: Option<f64>,
}

impl WebhookEventRef<'_> {
    /// The same event with owned strings.
    pub fn into_owned(self) -> WebhookEvent {
        let mut event = WebhookEvent::new(self.task_id.into_owned(), self.status);
        event.submit_time = self.submit_time.map(Cow::into_owned);
        // Same element size: collected in place, no new vector.
        event.result_urls = self.result_urls.into_iter().map(Cow::into_owned).collect();
        event.duration_sec = self.duration_sec;
        event
    }
}

/// `WebhookEvent` as serde reads it: the same fields, order, types and
/// defaults, so the same bodies pass and fail with the same messages (the
/// tests compare both readers with `from_slice` on a corpus). Both structs
/// are named like the real one because serde puts the Rust name in some
/// messages ("expected struct TaskStatusResponse with 5 elements").
mod owned {
    use std::borrow::Cow;

    use serde::Deserialize;

    /// Owned strings read straight into the event's own `String`s (cheaper
    /// than borrowing first and copying after); only the status is borrowed.
    #[derive(Deserialize)]
    pub(super) struct TaskStatusResponse<'a> {
        pub task_id: String,
        #[serde(borrow)]
        pub status: Cow<'a, str>,
        #[serde(default)]
        pub submit_time: Option<String>,
        #[serde(default)]
        pub result_urls: Vec<String>,
        #[serde(default)]
        pub duration_sec: Option<f64>,
    }
}

/// See [`owned`]; here every string is borrowed where it can be.
mod borrowed {
    use std::borrow::Cow;

    use serde::Deserialize;

    #[derive(Deserialize)]
    pub(super) struct TaskStatusResponse<'a> {
        #[serde(borrow)]
        pub task_id: Cow<'a, str>,
        #[serde(borrow)]
        pub status: Cow<'a, str>,
        #[serde(default, borrow)]
        pub submit_time: Option<Text<'a>>,
        #[serde(default, borrow)]
        pub result_urls: Vec<Text<'a>>,
        #[serde(default)]
        pub duration_sec: Option<f64>,
    }

    /// A borrowed string inside an `Option` or a `Vec`, where serde would
    /// otherwise copy it (its `Cow` impl always does; only a field marked
    /// `borrow` borrows). serde_json reads a newtype as its content.
    #[derive(Deserialize)]
    pub(super) struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);
}

/// Reads `body` as `T`. `from_slice` checks UTF-8 once per string it reads;
/// checking the whole body once and reading it as `&str` is cheaper. A body
/// that is not UTF-8 as a whole goes to the byte reader, which rejects bad
/// bytes only inside the strings it reads: it decides (and words the error)
/// as before.
fn read<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// The body as a task event, or serde_json's message for why it is not one.
pub(crate) fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    let fields: owned::TaskStatusResponse<'_> = read(body)?;
    let mut event = WebhookEvent::new(fields.task_id, TaskStatus::parse(&fields.status));
    event.submit_time = fields.submit_time;
    event.result_urls = fields.result_urls;
    event.duration_sec = fields.duration_sec;
    Ok(event)
}

/// [`parse`], with the strings borrowed from `body`.
pub(crate) fn parse_borrowed(body: &[u8]) -> Result<WebhookEventRef<'_>, serde_json::Error> {
    let fields: borrowed::TaskStatusResponse<'_> = read(body)?;
    Ok(WebhookEventRef {
        task_id: fields.task_id,
        status: TaskStatus::parse(&fields.status),
        submit_time: fields.submit_time.map(|text| text.0),
        // Same element size: collected in place, no new vector.
        result_urls: fields.result_urls.into_iter().map(|text| text.0).collect(),
        duration_sec: fields.duration_sec,
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{WebhookEventRef, parse, parse_borrowed};
    use crate::WebhookEvent;

    /// Good and bad bodies: each must read exactly as `from_slice` reads it.
    const BODIES: &[&[u8]] = &[
        br#"{"task_id":"task_1","status":"SUCCESS","result_urls":["https://a/v.mp4"],"duration_sec":38}"#,
        br#"{"task_id":"t","status":"queued","submit_time":"2026-06-04T22:00:00"}"#,
        br#"{"task_id":"t","status":"PAUSED","extra":{"nested":[1,2,3]}}"#,
        br#"{"task_id":"t\u00e9","status":"F\u0041ILED","result_urls":["a\"b"]}"#,
        br#"{"status":"SUCCESS","task_id":"t","result_urls":[],"duration_sec":8.5}"#,
        br#"{"task_id":"t","status":"expired","submit_time":null,"duration_sec":null}"#,
        br#"["t","running"]"#,
        br#"["t"]"#,
        br#"{"task_id":"t"}"#,
        br#"{"status":"SUCCESS"}"#,
        br#"{"task_id":"t","status":5}"#,
        br#"{"task_id":7,"status":"SUCCESS"}"#,
        br#"{"task_id":"t","status":"SUCCESS","result_urls":null}"#,
        br#"{"task_id":"t","status":"SUCCESS","result_urls":["a",1]}"#,
        br#"{"task_id":"t","status":"SUCCESS","duration_sec":"38"}"#,
        br#"{"task_id":"t","task_id":"u","status":"SUCCESS"}"#,
        br#"{"task_id":"t","status":"SUCCESS"} trailing"#,
        br#"{"task_id":"t","status":"SUCCESS""#,
        b"",
        b"null",
        // Not UTF-8: inside an ignored string (accepted), inside kept ones (rejected).
        b"{\"task_id\":\"t\",\"status\":\"SUCCESS\",\"note\":\"\xff\"}",
        b"{\"task_id\":\"t\xff\",\"status\":\"SUCCESS\"}",
        b"{\"task_id\":\"t\",\"status\":\"\xc3\"}",
        b"{\"task_id\":\"t\",\"status\":\"SUCCESS\"}\xff",
    ];

    #[test]
    fn reads_every_body_as_from_slice_does() {
        let mut accepted = 0;
        for body in BODIES {
            let ours = parse(body).map_err(|error| error.to_string());
            let plain = serde_json::from_slice::<WebhookEvent>(body).map_err(|e| e.to_string());
            assert_eq!(ours, plain, "{}", String::from_utf8_lossy(body));
            let borrowed = parse_borrowed(body)
                .map(WebhookEventRef::into_owned)
                .map_err(|error| error.to_string());
            assert_eq!(borrowed, plain, "{}", String::from_utf8_lossy(body));
            accepted += usize::from(ours.is_ok());
        }
        // Both kinds are in the corpus, so the comparison covers both.
        assert!((6..BODIES.len()).contains(&accepted), "{accepted} accepted");
    }

    #[test]
    fn borrows_unless_escaped() {
        let body = br#"{"task_id":"task_1","status":"success","submit_time":"2026-06-04T22:00:00","result_urls":["https://a/1.mp4","https://a/\u0032.mp4"]}"#;
        let event = parse_borrowed(body).expect("an event");
        assert!(matches!(event.task_id, Cow::Borrowed("task_1")));
        assert!(matches!(event.submit_time, Some(Cow::Borrowed(_))));
        assert!(matches!(
            event.result_urls[0],
            Cow::Borrowed("https://a/1.mp4")
        ));
        // An escape cannot be borrowed: decoded into its own string.
        assert_eq!(event.result_urls[1], "https://a/2.mp4");
        assert!(matches!(event.result_urls[1], Cow::Owned(_)));
        let plain: crate::WebhookEvent = serde_json::from_slice(body).expect("an event");
        assert_eq!(event.into_owned(), plain);
    }
}
