//! The town's area and map: a boundary file (GeoJSON) read in the browser and drawn on the map
//! before anything is saved, with a text summary ("MultiPolygon, 2 Teile, 154 Punkte") for
//! those who do not see the map; the centre and zoom the widgets open with, as number fields
//! or taken from the map ("Kartenmitte übernehmen"). Saved together, so the server can check
//! that the centre lies inside the new area.

use super::tx;
use crate::api::town::{self as api, Town};
use crate::app::use_ctx;
use crate::components::{ActionForm, FileField, FormState, MapHandle, MapView, TextField};
use crate::fetch::ApiError;
use crate::geojson::{read_area, summarise, AreaProblem, AreaSummary};
use crate::map::{tile_template, MapSetup};
use crate::texts::{area_summary, town_texts};
use civickit_model::api::office::TownChange;
use civickit_model::{LatLng, ValidationCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// What the page knows about the boundary shown.
#[derive(Debug, Clone, PartialEq)]
enum Boundary {
    Saved(Option<AreaSummary>),
    /// Chosen from a file, not yet saved.
    Chosen(AreaSummary),
    Refused(AreaProblem),
}

#[component]
pub fn AreaAndMap(town: RwSignal<Option<Town>>) -> impl IntoView {
    let ctx = use_ctx();
    let now = town.get_untracked().expect("shown once loaded");
    let saved_area = RwSignal::new(Some(now.area.clone()));
    let chosen = RwSignal::new(None::<Value>);
    let boundary = RwSignal::new(Boundary::Saved(summarise(&now.area)));
    let lat = RwSignal::new(now.center.lat.to_string());
    let lng = RwSignal::new(now.center.lng.to_string());
    let zoom = RwSignal::new(now.zoom.to_string());
    let form = FormState::new();
    let map = MapHandle::new();
    let setup = MapSetup {
        tiles: tile_template(&now.slug, &now.tile_url),
        attribution: now.tile_attribution.clone(),
        center: now.center,
        zoom: now.zoom as f64,
        label: town_texts(ctx.lang.get_untracked()).map_label.to_string(),
    };
    let shown_area = Signal::derive(move || chosen.get().or_else(|| saved_area.get()));
    let centre = Signal::derive(move || {
        let (a, b) = (lat.get(), lng.get());
        match (a.trim().parse(), b.trim().parse()) {
            (Ok(lat), Ok(lng)) => Some(LatLng::new(lat, lng)),
            _ => None,
        }
    });

    let on_file = move |file: web_sys::File| {
        form.clear();
        spawn_local(async move {
            let text = crate::browser::read_text(&file).await.unwrap_or_default();
            match read_area(&text) {
                Ok((geometry, summary)) => {
                    chosen.set(Some(geometry));
                    boundary.set(Boundary::Chosen(summary));
                }
                Err(problem) => {
                    chosen.set(None);
                    boundary.set(Boundary::Refused(problem));
                    form.failed(ctx, ApiError::field("area", ValidationCode::InvalidValue));
                }
            }
        });
    };
    let take_centre = move |_| {
        if let Some((c, z)) = map.with(|m| m.view()) {
            lat.set(format!("{:.6}", c.lat));
            lng.set(format!("{:.6}", c.lng));
            zoom.set(z.to_string());
        }
    };
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let Some(center) = centre.get_untracked() else {
            form.failed(ctx, ApiError::field("center", ValidationCode::InvalidValue));
            return;
        };
        // Not a number goes as 0: the server's range check then names the field.
        let zoom_value = zoom.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let change = TownChange {
            area: chosen.get_untracked(),
            center: Some(center),
            zoom: Some(zoom_value),
            ..Default::default()
        };
        spawn_local(async move {
            match api::save_town(&change).await {
                Ok(t) => {
                    boundary.set(Boundary::Saved(summarise(&t.area)));
                    saved_area.set(Some(t.area.clone()));
                    chosen.set(None);
                    super::took_effect(ctx, town, t);
                    form.succeeded(|t| t.admin_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    let summary_text = move || {
        let t = town_texts(ctx.lang.get());
        match boundary.get() {
            Boundary::Saved(Some(s)) => {
                format!("{} {}", t.area_saved, area_summary(ctx.lang.get(), &s))
            }
            Boundary::Saved(None) => t.area_none.to_string(),
            Boundary::Chosen(s) => {
                format!("{} {}", t.area_chosen, area_summary(ctx.lang.get(), &s))
            }
            Boundary::Refused(AreaProblem::NotJson) => t.area_not_json.to_string(),
            Boundary::Refused(AreaProblem::NoPolygon) => t.area_no_polygon.to_string(),
        }
    };
    view! {
        <section aria-labelledby="area-heading">
            <h2 id="area-heading">{tx(|t| t.area_and_map)}</h2>
            <ActionForm form id="town-area" button=tx(|t| t.save_area) primary=true on_submit=Callback::new(submit)>
                <FileField
                    id="tw-area"
                    accept=".geojson,.json,application/geo+json,application/json"
                    label=tx(|t| t.area_file)
                    hint=tx(|t| t.area_file_hint)
                    on_file=Callback::new(on_file)
                    form
                    errors=&["area"]
                />
                <p class="area-summary" id="tw-area-summary" aria-live="polite">{summary_text}</p>
                <MapView
                    setup
                    handle=map
                    area=shown_area
                    point=centre
                    unavailable=tx(|t| t.map_unavailable)
                />
                <p class="hint">{tx(|t| t.map_hint)}</p>
                <button type="button" id="tw-take-centre" on:click=take_centre>
                    {tx(|t| t.take_centre)}
                </button>
                <div class="coords">
                    <TextField id="tw-lat" inputmode="decimal" label=tx(|t| t.centre_lat) value=lat form errors=&["center"] verbatim=true />
                    <TextField id="tw-lng" inputmode="decimal" label=tx(|t| t.centre_lng) value=lng verbatim=true />
                    <TextField id="tw-zoom" kind="number" inputmode="numeric" min="1" max="19" label=tx(|t| t.zoom) hint=tx(|t| t.zoom_hint) value=zoom form errors=&["zoom"] />
                </div>
            </ActionForm>
        </section>
    }
}
