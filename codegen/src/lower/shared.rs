//! Shared parameters: which exist, which every model gets, which are used,
//! and what each lowered to on its own.

use std::collections::BTreeMap;

use crate::ir::Field;
use crate::spec::Spec;

/// The spec's `shared_params`, by name and by place (their index in
/// [`Spec::shared_params`]).
pub(super) struct SharedParams {
    /// Place by name.
    index: BTreeMap<String, usize>,
    /// Places of the parameters with `every_model: true`, in spec order.
    every_model: Vec<usize>,
    /// Whether each place is used by some model (sized once, from the spec).
    used: Vec<bool>,
    /// Each place lowered on its own (`None` where its definition had errors).
    lowered: Vec<Option<Field>>,
}

impl SharedParams {
    /// The shared parameters of `spec`, none used and none lowered yet.
    pub(super) fn new(spec: &Spec) -> SharedParams {
        let params = &spec.shared_params;
        SharedParams {
            index: params
                .iter()
                .enumerate()
                .map(|(place, p)| (p.name.value.clone(), place))
                .collect(),
            every_model: params
                .iter()
                .enumerate()
                .filter(|(_, p)| p.def.every_model.as_ref().is_some_and(|e| e.value))
                .map(|(place, _)| place)
                .collect(),
            used: vec![false; params.len()],
            lowered: Vec::new(),
        }
    }

    /// Records what each shared parameter lowered to, in spec order.
    pub(super) fn set_lowered(&mut self, lowered: Vec<Option<Field>>) {
        self.lowered = lowered;
    }

    /// The place of the shared parameter `name`, now counted as used.
    pub(super) fn use_named(&mut self, name: &str) -> Option<usize> {
        let place = *self.index.get(name)?;
        self.used[place] = true;
        Some(place)
    }

    /// The places of the `every_model` parameters, in spec order, now counted
    /// as used: one more model gets them.
    pub(super) fn use_every_model(&mut self) -> Vec<usize> {
        for &place in &self.every_model {
            self.used[place] = true;
        }
        self.every_model.clone()
    }

    /// What the parameter at `place` lowered to; `None` when its own
    /// definition had errors (reported there).
    pub(super) fn lowered(&self, place: usize) -> Option<&Field> {
        self.lowered.get(place)?.as_ref()
    }

    /// The places no model used.
    pub(super) fn unused(&self) -> impl Iterator<Item = usize> + '_ {
        self.used
            .iter()
            .enumerate()
            .filter(|(_, used)| !**used)
            .map(|(place, _)| place)
    }
}
