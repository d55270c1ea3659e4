//! The report form's draft (see `crate::draft`): the step, the place, the category and the
//! description, saved while the citizen writes; after a reload the form opens where it was.
//! Not the e-mail address, not the photos. Dropped when the report is sent or cancelled.

use crate::api::Value;
use crate::draft::Draft;
use crate::reports::state::{State, Step};
use civickit_model::LatLng;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

impl State {
    fn draft_store(self) -> Draft {
        self.api.with_value(|a| Draft::new("reports", &a.tenant))
    }

    pub fn forget_draft(self) {
        self.draft_store().clear()
    }
}

/// Saves the draft on every change while a step of the form is open, and restores a stored
/// one once the town's config is there (step 2 lists its categories).
pub fn watch(s: State) {
    Effect::new(move |_| {
        let n = match s.step.get() {
            Step::Locate => 1,
            Step::Details => 2,
            Step::Preview => 3,
            _ => return,
        };
        let mut fields = vec![
            ("step", JsValue::from(n)),
            ("address", s.address.get().into()),
            ("category", s.category.get().into()),
            ("description", s.description.get().into()),
        ];
        if let Some(p) = s.position.get() {
            fields.push(("lat", p.lat.into()));
            fields.push(("lng", p.lng.into()));
        }
        s.draft_store().save(&fields);
    });
    Effect::new(move |restored: Option<bool>| {
        if restored == Some(true) || s.config.with(|c| c.is_none()) {
            return restored.unwrap_or(false);
        }
        let Some(d) = s.draft_store().load() else {
            return true;
        };
        let step = match d.int("step") {
            1 => Step::Locate,
            2 => Step::Details,
            3 => Step::Preview,
            _ => return true,
        };
        if s.step.get_untracked() == Step::Off {
            s.address.set(d.str("address"));
            s.category.set(d.str("category"));
            s.description.set(d.str("description"));
            if let (Some(lat), Some(lng)) = (d.num("lat"), d.num("lng")) {
                // The pin too, if the map is there already (else it follows when it is made).
                s.choose(LatLng::new(lat, lng));
            }
            // Opened without focus or scrolling: the page was reloaded, not the form asked for.
            s.step.set(step);
        }
        true
    });
}
