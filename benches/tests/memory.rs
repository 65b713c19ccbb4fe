//! The generated validator copies a 100 KB inline image at most once: the
//! typed request owns one copy of the data URI, and scanning, base64 checking
//! and error bookkeeping add nothing proportional to it.
//!
//! Measured with a counting allocator (per thread, so the harness does not
//! disturb it). Byte counts, not times: the result is the same on every run.

use orux_benches::alloc::{Counting, measure};
use orux_benches::mix;
use orux_models::{ImageInput, TaskRequest};

#[global_allocator]
static ALLOC: Counting = Counting;

/// Room for everything that does not depend on the image's size: the
/// scanned entries, the other fields, the report.
const FIXED_OVERHEAD: usize = 8 * 1024;

fn data_uri(body: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap();
    value["image"].as_str().unwrap().to_owned()
}

#[test]
fn a_valid_100kb_image_is_copied_once_into_the_request() {
    let body = mix::image_body(3);
    let uri = data_uri(&body);
    assert!(uri.len() > 100_000, "{} bytes", uri.len());

    let (result, usage) = measure(|| TaskRequest::from_json(&body));
    let validated = result.expect("the image body is valid");
    let TaskRequest::Veo31Quality(request) = validated.request else {
        panic!("not a Veo 3.1 Quality request");
    };
    let Some(ImageInput::DataUri(kept)) = request.image else {
        panic!("the image is not kept as a data URI");
    };
    assert_eq!(kept.as_str(), uri);
    assert!(
        usage.peak_bytes >= uri.len(),
        "the allocator is not counting: peak {} bytes",
        usage.peak_bytes
    );
    assert!(
        usage.peak_bytes < uri.len() + FIXED_OVERHEAD,
        "peak heap {} bytes for a {}-byte data URI: copied more than once",
        usage.peak_bytes,
        uri.len()
    );
}

#[test]
fn an_invalid_100kb_image_is_not_copied_at_all() {
    // The same body with one character of the payload made invalid.
    let mut body = mix::image_body(3);
    let at = body.len() - 100;
    assert!(body[at].is_ascii_alphanumeric());
    body[at] = b'-';

    let (result, usage) = measure(|| TaskRequest::from_json(&body).map(|_| ()));
    let errors = result.expect_err("a URL-safe character is not standard base64");
    assert_eq!(errors.errors.len(), 1);
    assert_eq!(errors.errors[0].path, "/image");
    assert!(
        usage.peak_bytes < FIXED_OVERHEAD,
        "peak heap {} bytes to reject a 100 KB body",
        usage.peak_bytes
    );
}
