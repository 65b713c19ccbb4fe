//! Bearer authentication: any `sk-app-…` key, or exactly the configured one.

use axum::http::{HeaderMap, header};
use orux_models::wire::{API_KEY_PREFIX, ErrorCode};

use crate::error::ApiError;

/// Which keys are accepted.
#[derive(Clone)]
pub enum Keys {
    /// Any key that starts with `sk-app-` and has something after it.
    AnyAppKey,
    /// Only this key.
    Exactly(String),
}

impl Keys {
    /// Checks the `Authorization` header; the error never repeats the key.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let unauthorized =
            |message: &str| ApiError::new(ErrorCode::Unauthorized, message.to_owned());
        let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
            unauthorized("missing Authorization header; send `Authorization: Bearer sk-app-…`")
        })?;
        let value = value
            .to_str()
            .map_err(|_| unauthorized("the Authorization header is not visible ASCII"))?;
        let key = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim())
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <key>`"))?;
        let accepted = match self {
            Keys::AnyAppKey => key.len() > API_KEY_PREFIX.len() && key.starts_with(API_KEY_PREFIX),
            Keys::Exactly(expected) => constant_time_eq(key.as_bytes(), expected.as_bytes()),
        };
        if accepted {
            Ok(())
        } else {
            Err(unauthorized("invalid API key"))
        }
    }
}

/// Compares without stopping at the first difference, so the time taken does
/// not tell how much of a guessed key was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn app_keys_and_an_exact_key() {
        let any = Keys::AnyAppKey;
        assert!(any.check(&with("Bearer sk-app-123")).is_ok());
        assert!(any.check(&with("bearer sk-app-123")).is_ok());
        for bad in [
            "Bearer sk-app-",
            "Bearer sk-live-1",
            "Basic sk-app-1",
            "sk-app-1",
        ] {
            assert!(any.check(&with(bad)).is_err(), "{bad}");
        }
        assert!(any.check(&HeaderMap::new()).is_err());
        let exact = Keys::Exactly("sk-app-right".to_owned());
        assert!(exact.check(&with("Bearer sk-app-right")).is_ok());
        assert!(exact.check(&with("Bearer sk-app-wrong")).is_err());
        assert!(exact.check(&with("Bearer sk-app-righ")).is_err());
    }
}
