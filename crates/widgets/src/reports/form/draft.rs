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

    /// Saves the draft while a step of the form is open (tracks what it saves: called from
    /// the form's effect that shows the chosen place).
    pub(super) fn save_draft(self) {
        let n = match self.step.get() {
            Step::Locate => 1,
            Step::Details => 2,
            Step::Preview => 3,
            _ => return,
        };
        let mut fields = vec![
            ("step", JsValue::from(n)),
            ("address", self.address.get().into()),
            ("category", self.category.get().into()),
            ("description", self.description.get().into()),
        ];
        if let Some(p) = self.position.get() {
            fields.push(("lat", p.lat.into()));
            fields.push(("lng", p.lng.into()));
        }
        self.draft_store().save(&fields);
    }

    /// Opens the stored draft, once the town's config is there (step 2 lists its categories)
    /// and the map if it could be made (the pin). Without focus or scrolling: the page was
    /// reloaded, the form was not asked for.
    pub fn restore_draft(self) {
        let Some(d) = self.draft_store().load() else {
            return;
        };
        let step = match d.int("step") {
            1 => Step::Locate,
            2 => Step::Details,
            3 => Step::Preview,
            _ => return,
        };
        if self.step.get_untracked() != Step::Off {
            return;
        }
        self.address.set(d.str("address"));
        self.category.set(d.str("category"));
        self.description.set(d.str("description"));
        if let (Some(lat), Some(lng)) = (d.num("lat"), d.num("lng")) {
            self.choose(LatLng::new(lat, lng));
        }
        self.enter(step);
    }
}
