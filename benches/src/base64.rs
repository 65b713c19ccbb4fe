//! Standard padded base64, for building image data URIs. Bench input only:
//! the validator under test has its own checker (the runtime's
//! `check_base64`); the encoder is the `base64` crate's.

use base64::Engine as _;

/// `bytes` as canonical padded standard base64.
pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_data_uris_the_validator_accepts() {
        for len in 0..8 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 200) as u8).collect();
            let uri = format!("data:image/png;base64,{}", encode(&bytes));
            // The validator under test accepts exactly canonical base64;
            // an empty payload is its own error.
            assert_eq!(orux_models::DataUri::parse(&uri).is_ok(), len > 0, "{uri}");
        }
    }
}
