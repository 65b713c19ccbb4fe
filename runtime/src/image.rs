//! Veo's starting image: an https URL, an image data URI, or an earlier task.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::data_uri::{DataUri, DataUriError};
use crate::url::{HttpsUrl, UrlError};

/// One of the three shapes an `image_input` field accepts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImageInput {
    /// A publicly reachable https URL.
    Url(HttpsUrl),
    /// An inline `data:image/<subtype>;base64,<payload>` URI.
    DataUri(DataUri),
    /// An image produced by an earlier Orux AI task: `{"task_id": "img_…"}`.
    Task(TaskRef),
}

/// A reference to an earlier Orux AI task's output image.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskRef {
    /// The task's id (image tasks look like `img_…`); never empty.
    pub task_id: String,
}

/// Why a string is not an image input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageError {
    /// It starts with `data:` but is not a valid image data URI.
    DataUri(DataUriError),
    /// Otherwise it must be an https URL, and is not.
    Url(UrlError),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::DataUri(e) => e.fmt(f),
            ImageError::Url(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ImageError {}

impl ImageInput {
    /// Reads the string shapes: a `data:` URI, else an https URL.
    pub fn parse(text: &str) -> Result<ImageInput, ImageError> {
        if text.starts_with("data:") {
            DataUri::parse(text)
                .map(ImageInput::DataUri)
                .map_err(ImageError::DataUri)
        } else {
            HttpsUrl::parse(text)
                .map(ImageInput::Url)
                .map_err(ImageError::Url)
        }
    }

    /// A task reference; `None` when `task_id` is empty.
    pub fn task(task_id: impl Into<String>) -> Option<ImageInput> {
        let task_id = task_id.into();
        (!task_id.is_empty()).then_some(ImageInput::Task(TaskRef { task_id }))
    }
}

impl std::str::FromStr for ImageInput {
    type Err = ImageError;

    /// [`ImageInput::parse`]: a `data:` URI, else an https URL.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ImageInput::parse(text)
    }
}

impl TryFrom<&str> for ImageInput {
    type Error = ImageError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        ImageInput::parse(text)
    }
}

impl TryFrom<String> for ImageInput {
    type Error = ImageError;

    /// Keeps the `String` without copying it.
    fn try_from(text: String) -> Result<Self, Self::Error> {
        if text.starts_with("data:") {
            DataUri::try_from(text)
                .map(ImageInput::DataUri)
                .map_err(ImageError::DataUri)
        } else {
            HttpsUrl::try_from(text)
                .map(ImageInput::Url)
                .map_err(ImageError::Url)
        }
    }
}

impl Serialize for ImageInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ImageInput::Url(url) => serializer.serialize_str(url.as_str()),
            ImageInput::DataUri(uri) => serializer.serialize_str(uri.as_str()),
            ImageInput::Task(task) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("task_id", &task.task_id)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ImageInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ImageVisitor)
    }
}

struct ImageVisitor;

impl<'de> Visitor<'de> for ImageVisitor {
    type Value = ImageInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an https URL, an image data URI, or {\"task_id\": \"…\"}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ImageInput, E> {
        ImageInput::parse(v).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ImageInput, A::Error> {
        let mut task_id: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "task_id" {
                return Err(de::Error::unknown_field(&key, &["task_id"]));
            }
            if task_id.is_some() {
                return Err(de::Error::duplicate_field("task_id"));
            }
            task_id = Some(map.next_value()?);
        }
        match task_id {
            None => Err(de::Error::missing_field("task_id")),
            Some(id) => {
                ImageInput::task(id).ok_or_else(|| de::Error::custom("task_id must not be empty"))
            }
        }
    }
}
