//! What lowering may spend on one spec: did-you-mean work, and how far the
//! spec may expand ([`SpecLimits::max_fields`], [`SpecLimits::max_allowed_values`]).

use crate::limits::SpecLimits;
use crate::naming;

/// Edit-distance work (characters compared) that did-you-mean hints may
/// cost per spec: a spec with typos gets its hints, a hostile one with
/// thousands of long unknown names gets its errors without hints.
const HINT_BUDGET: usize = 20_000_000;

/// The spec's remaining allowance of hint work and of expansion.
pub(super) struct Budget {
    /// What is left of [`HINT_BUDGET`].
    hints_left: usize,
    /// The caps on expansion, for messages.
    limits: SpecLimits,
    /// What is left of [`SpecLimits::max_fields`].
    fields_left: usize,
    /// What is left of [`SpecLimits::max_allowed_values`].
    values_left: usize,
    /// Whether a cap on expansion was exceeded (and reported).
    exceeded: bool,
}

/// The outcome of [`Budget::charge`].
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Charge {
    /// Within both caps; the field is counted.
    Within,
    /// This field exceeds a cap: the message to report, once.
    ExceededNow(String),
    /// A cap was exceeded (and reported) earlier; nothing more is expanded.
    ExceededBefore,
}

impl Budget {
    /// The full allowance under `limits`.
    pub(super) fn new(limits: &SpecLimits) -> Budget {
        Budget::with_hints(limits, HINT_BUDGET)
    }

    /// The allowance under `limits` with `hints` units of hint work.
    fn with_hints(limits: &SpecLimits, hints: usize) -> Budget {
        Budget {
            hints_left: hints,
            limits: *limits,
            fields_left: limits.max_fields,
            values_left: limits.max_allowed_values,
            exceeded: false,
        }
    }

    /// The known name `name` most plausibly means, while [`HINT_BUDGET`]
    /// lasts: each hint costs an edit distance per known name.
    pub(super) fn hint<'k>(&mut self, name: &str, known: &[&'k str]) -> Option<&'k str> {
        // What `naming::nearest` compares at most: 256 characters a side.
        let chars = |s: &str| s.len().min(256);
        let cost = known
            .iter()
            .map(|k| chars(k).saturating_mul(chars(name)).max(1))
            .fold(0usize, usize::saturating_add);
        self.hints_left = self.hints_left.checked_sub(cost)?;
        naming::nearest(name, known.iter().copied())
    }

    /// Counts one more generated field, with `values` allowed values (0 for
    /// a field that is no enum).
    pub(super) fn charge(&mut self, values: usize) -> Charge {
        if self.exceeded {
            return Charge::ExceededBefore;
        }
        let message = match (
            self.fields_left.checked_sub(1),
            self.values_left.checked_sub(values),
        ) {
            (Some(fields_left), Some(values_left)) => {
                self.fields_left = fields_left;
                self.values_left = values_left;
                return Charge::Within;
            }
            (None, _) => format!(
                "the spec expands to more than the limit of {} parameters in all models together \
                 (max_fields; an `every_model` parameter counts once per model)",
                self.limits.max_fields
            ),
            (_, None) => format!(
                "the spec expands to more than the limit of {} allowed values in all enum \
                 fields together (max_allowed_values; a value set counts once per field using it)",
                self.limits.max_allowed_values
            ),
        };
        self.exceeded = true;
        Charge::ExceededNow(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_fields: usize, max_allowed_values: usize) -> SpecLimits {
        SpecLimits {
            max_fields,
            max_allowed_values,
            ..SpecLimits::default()
        }
    }

    #[test]
    fn fields_are_counted_up_to_the_cap_then_reported_once() {
        let mut budget = Budget::new(&limits(2, 100));
        assert_eq!(budget.charge(0), Charge::Within);
        assert_eq!(budget.charge(3), Charge::Within);
        let Charge::ExceededNow(message) = budget.charge(0) else {
            panic!("the third field exceeds a cap of two");
        };
        assert!(message.contains("limit of 2 parameters"), "{message}");
        assert!(message.contains("max_fields"), "{message}");
        // Reported once; every later field is refused without a message.
        assert_eq!(budget.charge(0), Charge::ExceededBefore);
    }

    #[test]
    fn allowed_values_have_their_own_cap() {
        let mut budget = Budget::new(&limits(100, 5));
        assert_eq!(budget.charge(5), Charge::Within);
        let Charge::ExceededNow(message) = budget.charge(1) else {
            panic!("one value more than the cap");
        };
        assert!(message.contains("limit of 5 allowed values"), "{message}");
        assert!(message.contains("max_allowed_values"), "{message}");
    }

    #[test]
    fn a_field_refused_for_values_costs_no_field() {
        let mut budget = Budget::new(&limits(1, 5));
        assert!(matches!(budget.charge(6), Charge::ExceededNow(_)));
        // Once exceeded, nothing is counted any more.
        assert_eq!(budget.charge(0), Charge::ExceededBefore);
    }

    #[test]
    fn hints_stop_when_their_work_is_spent() {
        let known = ["duration", "resolution"];
        // "durtion" × ("duration", "resolution") costs 7·8 + 7·10 = 126.
        let mut budget = Budget::with_hints(&SpecLimits::default(), 200);
        assert_eq!(budget.hint("durtion", &known), Some("duration"));
        // 74 left: the same question now costs more than is left.
        assert_eq!(budget.hint("durtion", &known), None);
        // A refused question spends nothing: a cheaper one (7·8 = 56) still fits.
        assert_eq!(budget.hint("duratio", &["duration"]), Some("duration"));
        assert_eq!(budget.hint("duratio", &["duration"]), None);
    }
}
