//! A list with filters beside the detail of the chosen entry (the reports inbox and the
//! mailbox). Which entry is open follows the URL (`…/reports/M-2026-00042`): choosing a row
//! navigates, the back and forward buttons re-open, and [`Selection`] loads what the URL names.

use crate::app::use_ctx;
use crate::browser::focus_id;
use crate::fetch::ApiError;
use crate::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The open entry of a list: its reference (from the URL), the loaded detail and what went
/// wrong loading it; `flash` is the list's news after an action ("moved to another department").
pub struct Selection<D: Send + Sync + 'static> {
    pub selected: Memo<Option<String>>,
    pub detail: RwSignal<Option<D>>,
    pub error: RwSignal<Option<Msg>>,
    pub flash: RwSignal<Option<Msg>>,
}

impl<D: Send + Sync + 'static> Clone for Selection<D> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<D: Send + Sync + 'static> Copy for Selection<D> {}

impl<D: Clone + Send + Sync + 'static> Selection<D> {
    /// Loads the entry `selected` names whenever it changes (and drops the detail when it is
    /// none); `heading` gets the focus once the entry is shown.
    pub fn follow<F, Fut>(selected: Memo<Option<String>>, heading: &'static str, load: F) -> Self
    where
        F: Fn(String) -> Fut + Copy + 'static,
        Fut: Future<Output = Result<D, ApiError>> + 'static,
    {
        let ctx = use_ctx();
        let s = Selection {
            selected,
            detail: RwSignal::new(None),
            error: RwSignal::new(None),
            flash: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let Some(reference) = selected.get() else {
                s.detail.set(None);
                s.error.set(None);
                return;
            };
            s.error.set(None);
            s.flash.set(None);
            spawn_local(async move {
                let answer = load(reference.clone()).await;
                // A slow answer for an entry that is no longer chosen is dropped.
                if selected.try_get_untracked().flatten().as_deref() != Some(reference.as_str()) {
                    return;
                }
                match answer {
                    Ok(d) => {
                        s.detail.set(Some(d));
                        focus_id(heading);
                    }
                    Err(e) => {
                        s.detail.set(None);
                        s.error.set(Some(ctx.fail(&e)));
                    }
                }
            });
        });
        s
    }

    pub fn is_open(&self) -> bool {
        self.selected.with(Option::is_some)
    }
}

/// The filters above the list (a search form).
#[slot]
pub struct Filters {
    children: Children,
}

/// The rows of the list (`<li>`s).
#[slot]
pub struct Rows {
    children: Children,
}

/// What comes under the list (paging).
#[slot]
pub struct Below {
    children: Children,
}

/// The detail of the open entry.
#[slot]
pub struct DetailView {
    children: ChildrenFn,
}

/// The list pane (heading, filters, news, count, rows, paging) beside the detail pane of the
/// entry `selection` has open; `pick` is said there while none is.
#[component]
pub fn ListDetail<D: Clone + Send + Sync + 'static>(
    /// Another class beside `inbox` for the page's own styles.
    #[prop(optional)]
    class: &'static str,
    #[prop(into)] heading: TextProp,
    /// The id of the detail's heading (it names the detail pane).
    detail_heading: &'static str,
    selection: Selection<D>,
    #[prop(into)] pick: TextProp,
    list_class: &'static str,
    #[prop(into)] count: Signal<String>,
    #[prop(into)] empty: Signal<bool>,
    #[prop(into)] empty_text: TextProp,
    list_error: RwSignal<Option<Msg>>,
    filters: Filters,
    rows: Rows,
    #[prop(optional)] below: Option<Below>,
    detail_view: DetailView,
) -> impl IntoView {
    let ctx = use_ctx();
    let class = if class.is_empty() {
        "inbox".to_string()
    } else {
        format!("inbox {class}")
    };
    let detail_children = detail_view.children;
    let Selection {
        detail,
        error: detail_error,
        flash,
        ..
    } = selection;
    // Chosen (the narrow layout then shows the detail alone), and loaded (it can be shown).
    let has_detail = move || selection.is_open();
    let show_detail = move || detail.with(Option::is_some);
    view! {
        <div class=class class:has-detail=has_detail>
            <section class="list-pane" aria-labelledby="page-heading">
                <h1 id="page-heading" tabindex="-1">
                    {move || heading.get()}
                </h1>
                {(filters.children)()}
                <p class="flash" role="status">
                    {move || flash.get().map(|m| m(ctx.t()))}
                </p>
                <p class="count" role="status">
                    {move || count.get()}
                </p>
                <p class="form-error" role="alert">
                    {move || list_error.get().map(|m| m(ctx.t()))}
                </p>
                {move || {
                    let text = empty_text.clone();
                    empty.get().then(|| view! { <p class="empty">{move || text.get()}</p> })
                }}
                <ul class=list_class>{(rows.children)()}</ul>
                {below.map(|b| (b.children)())}
            </section>
            <section class="detail-pane" aria-labelledby=detail_heading>
                <p class="form-error" role="alert">
                    {move || detail_error.get().map(|m| m(ctx.t()))}
                </p>
                <Show
                    when=show_detail
                    fallback=move || {
                        let pick = pick.clone();
                        view! { <p class="pick">{move || pick.get()}</p> }
                    }
                >
                    {detail_children()}
                </Show>
            </section>
        </div>
    }
}
