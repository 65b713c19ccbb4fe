//! Reading an authentic body as the task event, with less work than a plain
//! `serde_json::from_slice::<WebhookEvent>`.
//!
//! Verification runs per delivery, and after the HMAC most of its time went
//! into this read (see BENCHMARKS.md, "Client"). Two costs are avoided here:
//! - `from_slice` checks UTF-8 once per string it keeps; checking the whole
//!   body once and reading it as `&str` is cheaper for an ASCII body;
//! - the status is matched on a borrowed string, where `TaskStatus`'s own
//!   `Deserialize` first copies it into a `String`.
//!
//! The result, and every error message, is the same as `from_slice` gives:
//! [`TaskStatusResponse`] here has the fields, order, types and defaults of `WebhookEvent`
//! (the tests compare the two on a corpus of good and bad bodies).

use std::borrow::Cow;

use serde::Deserialize;

use crate::WebhookEvent;
use orux_models::responses::TaskStatus;

/// `WebhookEvent` with the status borrowed from the body when it has no escapes.
///
/// Named like the real struct because serde puts the Rust name in some
/// messages ("expected struct TaskStatusResponse with 5 elements").
#[derive(Deserialize)]
struct TaskStatusResponse<'a> {
    task_id: String,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default)]
    submit_time: Option<String>,
    #[serde(default)]
    result_urls: Vec<String>,
    #[serde(default)]
    duration_sec: Option<f64>,
}

/// The body as a task event, or serde_json's message for why it is not one.
pub(crate) fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    let fields: TaskStatusResponse<'_> = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text)?,
        // Not UTF-8 as a whole: the byte reader, which rejects bad bytes only
        // inside the strings it keeps, decides (and words the error) as before.
        Err(_) => serde_json::from_slice(body)?,
    };
    let mut event = WebhookEvent::new(fields.task_id, TaskStatus::parse(&fields.status));
    event.submit_time = fields.submit_time;
    event.result_urls = fields.result_urls;
    event.duration_sec = fields.duration_sec;
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::parse;
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
            accepted += usize::from(ours.is_ok());
        }
        // Both kinds are in the corpus, so the comparison covers both.
        assert!((6..BODIES.len()).contains(&accepted), "{accepted} accepted");
    }
}
