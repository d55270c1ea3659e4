//! Placeholder, filled by the work on issue 16.

use leptos::prelude::*;

#[component]
pub fn RetentionSection() -> impl IntoView {}
