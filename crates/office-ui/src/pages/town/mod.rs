//! The town page ("Gemeinde", admins, `/office/town`; `/office/settings` of before shows it
//! too): everything a town sets up once and changes now and then. Each section is its own
//! form with its own outcome, so an error in one never loses what was typed in another:
//! the profile (name, allowed origins, tiles, privacy and imprint links), the area and map
//! (`area.rs`), reports (pre-moderation and response promise, the settings form of before),
//! message kinds (`kinds.rs`), departments and categories (`catalogue.rs`).

mod area;
mod catalogue;
mod kinds;

use crate::api::town::{self as api, Town};
use crate::app::{use_ctx, Ctx};
use crate::components::{ActionForm, FormOutcome, FormState, TextField};
use crate::pages::settings::ReportSettings;
use crate::texts::{town_texts, TownMsg};
use civickit_model::api::office::TownChange;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn TownPage() -> impl IntoView {
    let ctx = use_ctx();
    let town = RwSignal::new(None::<Town>);
    let load = FormState::new();
    spawn_local(async move {
        match api::town().await {
            Ok(t) => town.set(Some(t)),
            Err(e) => load.failed(ctx, e),
        }
    });
    let loaded = Memo::new(move |_| town.with(Option::is_some));
    view! {
        <section aria-labelledby="page-heading" class="settings town">
            <h1 id="page-heading" tabindex="-1">{tx(|t| t.heading)}</h1>
            <p class="hint">{tx(|t| t.intro)}</p>
            <FormOutcome form=load />
            // Shown once, when loaded: a save updates `town` without building the forms anew.
            {move || {
                loaded.get().then(|| {
                        view! {
                            <Profile town />
                            <area::AreaAndMap town />
                            <section aria-labelledby="reports-heading">
                                <h2 id="reports-heading">{tx(|t| t.reports)}</h2>
                                <ReportSettings />
                            </section>
                            <kinds::MessageKinds />
                            <catalogue::Catalogue />
                        }
                })
            }}
        </section>
    }
}

/// A text of the town page that follows the page language. One closure type for every text:
/// a closure per text would each bring its own copy of Leptos' rendering code into the wasm
/// (about 1 KB each; the office has a size budget).
pub(crate) fn tx(m: TownMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_ctx().lang;
    move || m(town_texts(lang.get()))
}

/// The button that retires an entry of a list, or brings a retired one back.
pub(crate) fn retire_label(retired: bool) -> TownMsg {
    if retired {
        |t| t.bring_back
    } else {
        |t| t.retire
    }
}

/// Applies a stored town to the page's frame (the name in the header).
fn took_effect(ctx: Ctx, town: RwSignal<Option<Town>>, stored: Town) {
    ctx.me.update(|m| {
        if let Some(m) = m {
            m.tenant.name = stored.name.clone();
            m.tenant.premoderation = stored.premoderation;
            m.tenant.response_days = stored.response_days;
        }
    });
    town.set(Some(stored));
}

/// Name, allowed origins, tiles, privacy and imprint links.
#[component]
fn Profile(town: RwSignal<Option<Town>>) -> impl IntoView {
    let ctx = use_ctx();
    let now = town.get_untracked().expect("shown once loaded");
    let name = RwSignal::new(now.name);
    let origins = RwSignal::new(now.allowed_origins);
    let new_origin = RwSignal::new(String::new());
    let tile_url = RwSignal::new(now.tile_url);
    let attribution = RwSignal::new(now.tile_attribution);
    let privacy = RwSignal::new(now.privacy_url);
    let imprint = RwSignal::new(now.imprint_url);
    let geocoder = RwSignal::new(now.geocoder_url);
    let form = FormState::new();
    // An origin typed but not yet added with its button is added by saving: nothing typed is
    // dropped unseen.
    let add_origin = move || {
        let o = new_origin
            .get_untracked()
            .trim()
            .trim_end_matches('/')
            .to_string();
        if !o.is_empty() && !origins.with_untracked(|l| l.contains(&o)) {
            origins.update(|l| l.push(o));
        }
        new_origin.set(String::new());
    };
    let submit = move |_| {
        add_origin();
        if !form.start() {
            return;
        }
        let change = TownChange {
            name: Some(name.get_untracked()),
            allowed_origins: Some(origins.get_untracked()),
            tile_url: Some(tile_url.get_untracked().trim().to_string()),
            tile_attribution: Some(attribution.get_untracked()),
            privacy_url: Some(privacy.get_untracked().trim().to_string()),
            imprint_url: Some(imprint.get_untracked().trim().to_string()),
            geocoder_url: Some(geocoder.get_untracked().trim().to_string()),
            ..Default::default()
        };
        spawn_local(async move {
            match api::save_town(&change).await {
                Ok(t) => {
                    origins.set(t.allowed_origins.clone());
                    took_effect(ctx, town, t);
                    form.succeeded(|t| t.admin_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tx(|t| t.profile)}</h2>
            <ActionForm form id="town-profile" button=tx(|t| t.save_profile) primary=true on_submit=Callback::new(submit)>
                <TextField id="tw-name" label=tx(|t| t.name) value=name form errors=&["name"] />
                <fieldset class="origins">
                    <legend>{tx(|t| t.origins)}</legend>
                    <p class="hint" id="tw-origins-hint">{tx(|t| t.origins_hint)}</p>
                    <ul class="origin-list" aria-label=tx(|t| t.origins)>
                        {move || {
                            origins
                                .get()
                                .into_iter()
                                .map(|o| {
                                    let gone = o.clone();
                                    view! {
                                        <li>
                                            <code>{o.clone()}</code>
                                            " "
                                            <button
                                                type="button"
                                                class="quiet"
                                                on:click=move |_| origins.update(|l| l.retain(|x| *x != gone))
                                            >
                                                {tx(|t| t.remove)}
                                                <span class="sr-only">": " {o.clone()}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <div class="inline add-origin">
                        <TextField
                            id="tw-origin"
                            kind="url"
                            label=tx(|t| t.new_origin)
                            hint=tx(|t| t.new_origin_hint)
                            value=new_origin
                            form
                            errors=&["allowed_origins"]
                            verbatim=true
                        />
                        <button type="button" on:click=move |_| add_origin()>
                            {tx(|t| t.add_origin)}
                        </button>
                    </div>
                </fieldset>
                <TextField id="tw-tiles" kind="url" label=tx(|t| t.tile_url) hint=tx(|t| t.tile_url_hint) value=tile_url form errors=&["tile_url"] verbatim=true />
                <TextField id="tw-attribution" label=tx(|t| t.attribution) value=attribution form errors=&["tile_attribution"] />
                <TextField id="tw-privacy" kind="url" label=tx(|t| t.privacy_url) hint=tx(|t| t.privacy_url_hint) value=privacy form errors=&["privacy_url"] verbatim=true />
                <TextField id="tw-imprint" kind="url" label=tx(|t| t.imprint_url) value=imprint form errors=&["imprint_url"] verbatim=true />
                <TextField id="tw-geocoder" kind="url" label=tx(|t| t.geocoder_url) hint=tx(|t| t.geocoder_url_hint) value=geocoder form errors=&["geocoder_url"] verbatim=true />
            </ActionForm>
        </section>
    }
}
