//! Where the three webhook headers are read from.

/// A source of request headers. Names are matched case-insensitively; the first
/// value of a repeated header is used.
pub trait WebhookHeaders {
    /// The value of header `name` (lowercase), if present and text.
    fn get(&self, name: &str) -> Option<&str>;
}

impl WebhookHeaders for http::HeaderMap {
    fn get(&self, name: &str) -> Option<&str> {
        // `to_str` fails on bytes outside visible ASCII: treated as absent.
        http::HeaderMap::get(self, name).and_then(|value| value.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn get(&self, name: &str) -> Option<&str> {
        WebhookHeaders::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<&str> {
        WebhookHeaders::get(self.as_slice(), name)
    }
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn get(&self, name: &str) -> Option<&str> {
        WebhookHeaders::get(*self, name)
    }
}
