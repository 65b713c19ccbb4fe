//! The floors the validator is measured against.
//!
//! The issue defines the floor as `serde_json::from_slice` into the generated
//! types. There are two readings, and the benchmarks run both:
//!
//! - [`typed`]: `serde_json::from_slice::<TaskRequest>`, the derived serde path
//!   of the generated types. `TaskRequest` is internally tagged on `"model"`,
//!   so serde first buffers the whole body into its private `Content` tree,
//!   then deserializes the variant from it, copying every string into the
//!   request. Its value-set enums and `HttpsUrl`/`DataUri` still check their
//!   values (they have no unchecked constructor), so this floor is not
//!   check-free; it stops at the first error and has no positions.
//! - [`plain`]: a shadow struct with the union of every model's keys as plain
//!   `String`/`u32`/`bool` fields (`serde_json::Value` for Veo's `image`, which
//!   is a string or an object). No tag buffering, no enums, no URL or base64
//!   check, unknown keys skipped: the cheapest typed parse serde offers, the
//!   honest "no checks at all" floor.

use orux_models::TaskRequest;
use serde::Deserialize;

/// Every key any model accepts, as plain types.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read only by `Debug`, which keeps the fields alive
pub struct PlainRequest {
    model: String,
    prompt: Option<String>,
    duration: Option<u32>,
    resolution: Option<String>,
    aspect_ratio: Option<String>,
    audio: Option<bool>,
    image: Option<serde_json::Value>,
    image_url: Option<String>,
    camera_motion: Option<String>,
    video_url: Option<String>,
    audio_url: Option<String>,
    driver_audio_url: Option<String>,
    driver_image_url: Option<String>,
    target_resolution: Option<String>,
    webhook_url: Option<String>,
}

/// Floor (2a): the generated types' derived serde path.
pub fn typed(body: &[u8]) -> Result<TaskRequest, serde_json::Error> {
    serde_json::from_slice(body)
}

/// Floor (2b): the plain shadow struct, no checks at all.
pub fn plain(body: &[u8]) -> Result<PlainRequest, serde_json::Error> {
    serde_json::from_slice(body)
}
