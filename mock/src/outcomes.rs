//! Scripted outcomes: how tasks end, and which submits are rate limited,
//! chosen by the server's configuration rather than by a request header.
//!
//! `X-Orux-Mock-Outcome` picks one task's ending, but a client that sends
//! bodies from a file (a batch manifest) cannot set a header per row. A
//! [`Script`] decides instead, in this order:
//! 1. the `X-Orux-Mock-Outcome` header, when the request has one;
//! 2. the first [`PromptRule`] whose text the body's `prompt` contains;
//! 3. the [`Shares`]: a fixed share of bodies fails, another expires, picked
//!    by the SHA-256 of the body, so the same body always ends the same way
//!    (and a replay of a submit agrees with the first answer);
//! 4. otherwise success.
//!
//! [`RateLimit`] answers a share of submits with 429 `rate_limited` and
//! `Retry-After`, before anything else is looked at: nothing is created and
//! the idempotency key is not taken. The share is exact and deterministic:
//! with a share of 1/4, every fourth submit is refused.
//!
//! [`Script::answer_delay`] holds back the answer to every submit that
//! created (or replayed) a task: the task exists while its client still
//! waits, so a client killed then has a submit whose outcome it cannot know.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

pub use crate::lifecycle::Outcome;

/// Longest [`Script::answer_delay`]: a client's request timeout is 30 s.
pub const MAX_ANSWER_DELAY: Duration = Duration::from_secs(60);

/// A task whose prompt contains `text` ends with `outcome`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptRule {
    /// How the task ends.
    pub outcome: Outcome,
    /// What the prompt must contain (case-sensitive, non-empty).
    pub text: String,
}

/// Shares of bodies that end failed or expired; each from 0 to 1, together
/// at most 1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shares {
    /// The share of bodies that end failed.
    pub failed: f64,
    /// The share of bodies that end expired.
    pub expired: f64,
}

/// A share of submits answered 429 with `Retry-After`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// From 0 to 1.
    pub share: f64,
    /// The `Retry-After` the 429 carries, in seconds.
    pub retry_after: u64,
}

/// The whole script; the default scripts nothing (every task succeeds,
/// nothing is rate limited).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Script {
    /// Tried in order; the first match wins.
    pub prompt_rules: Vec<PromptRule>,
    /// Applied to bodies no rule matched.
    pub shares: Shares,
    /// Refuses a share of submits.
    pub rate_limit: Option<RateLimit>,
    /// How long the answer to a successful submit is held back, on the
    /// server's clock (zero: answered at once).
    pub answer_delay: Duration,
}

impl Script {
    /// Checks the ranges; the message names the setting as `orux mock` spells it.
    pub fn check(&self) -> Result<(), String> {
        let share = |name: &str, value: f64| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(format!("{name} must be from 0 to 1, got {value}"))
            }
        };
        share("--fail-share", self.shares.failed)?;
        share("--expire-share", self.shares.expired)?;
        if self.shares.failed + self.shares.expired > 1.0 {
            return Err("--fail-share and --expire-share add up to more than 1".to_owned());
        }
        if let Some(limit) = &self.rate_limit {
            share("--rate-limit-share", limit.share)?;
        }
        if self.prompt_rules.iter().any(|rule| rule.text.is_empty()) {
            return Err("a prompt rule's text must not be empty".to_owned());
        }
        if self.answer_delay > MAX_ANSWER_DELAY {
            return Err(format!(
                "--submit-answer-delay must be from 0 to {} seconds",
                MAX_ANSWER_DELAY.as_secs()
            ));
        }
        Ok(())
    }

    /// How a task ends when no header chose: by its prompt, then by its
    /// body's digest.
    pub fn outcome(&self, prompt: Option<&str>, body_sha256: &[u8; 32]) -> Outcome {
        if let Some(prompt) = prompt
            && let Some(rule) = self
                .prompt_rules
                .iter()
                .find(|rule| prompt.contains(rule.text.as_str()))
        {
            return rule.outcome;
        }
        let point = unit_interval(body_sha256);
        if point < self.shares.failed {
            Outcome::Failed
        } else if point < self.shares.failed + self.shares.expired {
            Outcome::Expired
        } else {
            Outcome::Success
        }
    }
}

/// The first 8 bytes of a digest as a number in `[0, 1)`.
fn unit_interval(digest: &[u8; 32]) -> f64 {
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    // 53 bits: exactly representable, so the result stays below 1.
    (u64::from_be_bytes(head) >> 11) as f64 / (1u64 << 53) as f64
}

/// Decides which submits a [`RateLimit`] refuses: a running sum of the
/// share, in millionths so that decimal shares add up exactly (0.1 ten times
/// is one refusal, not a near miss), refusing a submit each time the sum
/// reaches a whole submit.
#[derive(Debug)]
pub struct RateLimiter {
    limit: Option<(u64, u64)>,
    sum: Mutex<u64>,
}

const MILLION: u64 = 1_000_000;

impl RateLimiter {
    /// A limiter for `limit` (none: nothing is refused).
    pub fn new(limit: Option<RateLimit>) -> RateLimiter {
        RateLimiter {
            limit: limit.map(|limit| {
                // A checked share is within 0..=1.
                let millionths = (limit.share.clamp(0.0, 1.0) * MILLION as f64).round() as u64;
                (millionths, limit.retry_after)
            }),
            sum: Mutex::new(0),
        }
    }

    /// `Some(retry_after)` when this submit is to be refused.
    pub fn refuse(&self) -> Option<u64> {
        let (millionths, retry_after) = self.limit.filter(|(share, _)| *share > 0)?;
        let mut sum = self.sum.lock().unwrap_or_else(PoisonError::into_inner);
        *sum += millionths;
        if *sum >= MILLION {
            *sum -= MILLION;
            Some(retry_after)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(n: u8) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest([n]).into()
    }

    #[test]
    fn a_prompt_rule_wins_over_the_shares() {
        let script = Script {
            prompt_rules: vec![
                PromptRule {
                    outcome: Outcome::Expired,
                    text: "[late]".to_owned(),
                },
                PromptRule {
                    outcome: Outcome::Failed,
                    text: "[fail]".to_owned(),
                },
            ],
            shares: Shares {
                failed: 1.0,
                expired: 0.0,
            },
            ..Script::default()
        };
        assert_eq!(
            script.outcome(Some("a [fail] and [late]"), &digest(1)),
            Outcome::Expired
        );
        assert_eq!(script.outcome(Some("[fail]"), &digest(1)), Outcome::Failed);
        assert_eq!(script.outcome(Some("calm"), &digest(1)), Outcome::Failed);
        assert_eq!(script.outcome(None, &digest(1)), Outcome::Failed);
    }

    #[test]
    fn shares_split_bodies_by_digest_in_about_their_proportion() {
        let script = Script {
            shares: Shares {
                failed: 0.2,
                expired: 0.1,
            },
            ..Script::default()
        };
        let mut counts = [0usize; 3];
        for n in 0..=255u8 {
            let index = match script.outcome(None, &digest(n)) {
                Outcome::Failed => 0,
                Outcome::Expired => 1,
                Outcome::Success => 2,
            };
            counts[index] += 1;
            // The same body always ends the same way.
            assert_eq!(
                script.outcome(None, &digest(n)),
                script.outcome(None, &digest(n))
            );
        }
        // 256 draws: 51 ± 20 failed, 26 ± 16 expired.
        assert!((31..=71).contains(&counts[0]), "{counts:?}");
        assert!((10..=42).contains(&counts[1]), "{counts:?}");
        assert_eq!(
            Script::default().outcome(None, &digest(0)),
            Outcome::Success
        );
    }

    #[test]
    fn the_rate_limit_refuses_an_exact_share() {
        let limiter = RateLimiter::new(Some(RateLimit {
            share: 0.25,
            retry_after: 2,
        }));
        let refused: Vec<bool> = (0..12).map(|_| limiter.refuse().is_some()).collect();
        assert_eq!(refused.iter().filter(|r| **r).count(), 3);
        assert!(refused[3] && refused[7] && refused[11]);
        assert_eq!(RateLimiter::new(None).refuse(), None);
        let tenth = RateLimiter::new(Some(RateLimit {
            share: 0.1,
            retry_after: 1,
        }));
        let refused: Vec<usize> = (1..=30).filter(|_| tenth.refuse().is_some()).collect();
        assert_eq!(refused, [10, 20, 30]);
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let bad = Script {
            shares: Shares {
                failed: 0.7,
                expired: 0.6,
            },
            ..Script::default()
        };
        assert!(bad.check().unwrap_err().contains("add up"));
        let bad = Script {
            rate_limit: Some(RateLimit {
                share: 1.5,
                retry_after: 1,
            }),
            ..Script::default()
        };
        assert!(bad.check().unwrap_err().contains("--rate-limit-share"));
        assert!(Script::default().check().is_ok());
    }
}
