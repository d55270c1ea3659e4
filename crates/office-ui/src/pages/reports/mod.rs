//! The reports inbox: filters, the list or the map, and the open report
//! (`/office/reports/<ref>`, `/office/reports/map/<ref>`) with its facts, place, photos and
//! actions. The filters live in the URL's query, so the switch between list and map keeps them.

mod actions;
mod facts;
mod map;
pub mod photos;
mod place;

use crate::api::reports::{self as api, Detail, Filter, ReportList, Summary};
use crate::app::{tr, use_ctx, Ctx};
use crate::browser::{self, focus_id, seconds_since};
use crate::components::{
    Below, CheckField, Choice, DetailView, Filters, ListDetail, Rows, SearchField, SelectField,
    Selection, StatusBadge,
};
use crate::routes::{Page, Route};
use crate::texts::{self, map_texts, marker_count};
use crate::Msg;
use civickit_model::{Lang, Status};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ReportsPage(
    /// The inbox as a map (`/office/reports/map`) instead of a list.
    #[prop(optional)]
    map: bool,
) -> impl IntoView {
    let ctx = use_ctx();
    let me = ctx.me.get_untracked().expect("logged in");
    let is_admin = me.is_admin();
    let this_page = if map { Page::ReportMap } else { Page::Reports };
    // The filters, each as the form shows it, starting from the URL (a bookmark, or the other
    // view's filters); any change goes back to the first page.
    let start = Filter::from_query(&browser::query_string());
    let status = RwSignal::new(start.status);
    let category = RwSignal::new(start.category);
    let department = RwSignal::new(start.department);
    let sort = RwSignal::new(start.sort);
    let overdue = RwSignal::new(start.overdue);
    let search = RwSignal::new(start.q.clone());
    let q = RwSignal::new(start.q);
    let page = RwSignal::new(if map { 1 } else { start.page });
    let filter = Memo::new(move |_| Filter {
        status: status.get(),
        category: category.get(),
        department: department.get(),
        overdue: overdue.get(),
        q: q.get(),
        sort: sort.get(),
        page: page.get(),
    });
    let first_page = Callback::new(move |_: String| page.set(1));
    // The filters follow into the URL, also after a report was opened or closed.
    Effect::new(move |_| {
        let query = filter.with(Filter::query);
        if ctx.route.with(|r| r.page == this_page) {
            browser::replace_query(&query, ctx.lang.get_untracked());
        }
    });
    // The map's news: how many markers, and a bump after a change to a report.
    let shown = RwSignal::<map::Shown>::new(None);
    let refresh = RwSignal::new(0u32);

    let list = RwSignal::new(None::<ReportList>);
    let list_error = RwSignal::new(None::<Msg>);
    let loading = RwSignal::new(false);
    let seq = StoredValue::new(0u32);
    let reload_list = move || {
        let f = filter.get_untracked();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        loading.set(true);
        spawn_local(async move {
            let answer = api::reports(&f).await;
            // A newer list is on its way, or the page is gone.
            if seq.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match answer {
                Ok(l) => {
                    list.set(Some(l));
                    list_error.set(None);
                }
                Err(e) => list_error.set(Some(ctx.fail(&e))),
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        if !map {
            reload_list();
        }
    });
    // After a change to a report: the list, or the map, shows it anew.
    let reload = move || {
        if map {
            refresh.update(|n| *n += 1);
        } else {
            reload_list();
        }
    };

    let selected = Memo::new(move |_| {
        ctx.route
            .with(|r| (r.page == this_page).then(|| r.open.clone()).flatten())
    });
    let selection = Selection::follow(selected, "detail-heading", |r: String| async move {
        api::report(&r).await
    });
    let detail = selection.detail;

    let states = Signal::derive(move || {
        let lang = ctx.lang.get();
        std::iter::once(Status::PendingReview)
            .chain(Status::PUBLIC)
            .map(|s| Choice::new(s.as_str(), s.label(lang)))
            .collect::<Vec<_>>()
    });
    let categories: Vec<Choice> = me
        .categories
        .iter()
        .map(|c| Choice::new(c.code.clone(), c.name.clone()))
        .collect();
    let departments: Vec<Choice> = me
        .departments
        .iter()
        .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
        .collect();
    let sorts = Signal::derive(move || {
        let t = ctx.t();
        vec![
            Choice::new("newest", t.sort_newest),
            Choice::new("oldest", t.sort_oldest),
            Choice::new("updated", t.sort_updated),
        ]
    });
    let count = Signal::derive(move || {
        if map {
            return shown
                .get()
                .map(|(n, cut)| marker_count(ctx.lang.get(), n, cut))
                .unwrap_or_else(|| ctx.t().loading.to_string());
        }
        if loading.get() && list.with(Option::is_none) {
            ctx.t().loading.to_string()
        } else {
            list.with(|l| {
                l.as_ref()
                    .map(|l| texts::count(ctx.lang.get(), l.reports.len(), l.more))
                    .unwrap_or_default()
            })
        }
    });
    let empty = Signal::derive(move || {
        if map {
            shown.get().is_some_and(|(n, _)| n == 0)
        } else {
            list.with(|l| l.as_ref().is_some_and(|l| l.reports.is_empty()))
        }
    });
    let empty_text = move || {
        if map {
            map_texts(ctx.lang.get()).no_markers
        } else {
            ctx.t().no_reports
        }
    };
    // List or map, with the same filters and the same report open.
    let switch_to = move |to_map: bool| {
        if to_map == map {
            return;
        }
        let to = Route {
            page: if to_map {
                Page::ReportMap
            } else {
                Page::Reports
            },
            open: selected.get_untracked(),
        };
        ctx.go_with_query(to, &filter.get_untracked().query());
        focus_id(if to_map { "view-map" } else { "view-list" });
    };

    view! {
        <ListDetail
            class=if map { "map-view" } else { "" }
            heading=tr!(ctx, inbox_heading)
            detail_heading="detail-heading"
            selection
            pick=tr!(ctx, pick_report)
            list_class="reports"
            count
            empty
            empty_text=empty_text
            list_error
        >
            <Filters slot>
                <div class="view-switch" role="group" aria-label=move || map_texts(ctx.lang.get()).view_label>
                    <button
                        type="button"
                        id="view-list"
                        aria-pressed=(!map).to_string()
                        on:click=move |_| switch_to(false)
                    >
                        {move || map_texts(ctx.lang.get()).view_list}
                    </button>
                    <button
                        type="button"
                        id="view-map"
                        aria-pressed=map.to_string()
                        on:click=move |_| switch_to(true)
                    >
                        {move || map_texts(ctx.lang.get()).view_map}
                    </button>
                </div>
                // Every report this filter lists, one work order per page (at most 200).
                <a
                    class="print-selection"
                    href=move || {
                        let lang = if ctx.lang.get() == Lang::En { "&lang=en" } else { "" };
                        format!("/office/print/reports?{}{lang}", filter.get().query())
                    }
                    target="_blank"
                    rel="noopener"
                >
                    {move || map_texts(ctx.lang.get()).print_selection}
                    <span class="sr-only">" " {move || map_texts(ctx.lang.get()).print_window}</span>
                </a>
                <form
                    class="filters"
                    role="search"
                    aria-label=tr!(ctx, filters_label)
                    on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        q.set(search.get_untracked());
                        page.set(1);
                    }
                >
                    <SearchField
                        id="f-q"
                        label=tr!(ctx, search_label)
                        hint=tr!(ctx, search_hint)
                        button=tr!(ctx, search_button)
                        value=search
                    />
                    <SelectField
                        id="f-state"
                        label=tr!(ctx, filter_state)
                        value=status
                        empty=tr!(ctx, all)
                        options=states
                        on_change=first_page
                    />
                    <SelectField
                        id="f-category"
                        label=tr!(ctx, filter_category)
                        value=category
                        empty=tr!(ctx, all)
                        options=Signal::stored(categories)
                        on_change=first_page
                    />
                    {is_admin
                        .then(|| {
                            view! {
                                <SelectField
                                    id="f-department"
                                    label=tr!(ctx, filter_department)
                                    value=department
                                    empty=tr!(ctx, all)
                                    options=Signal::stored(departments)
                                    on_change=first_page
                                />
                            }
                        })}
                    // The map has no order.
                    {(!map)
                        .then(|| {
                            view! {
                                <SelectField
                                    id="f-sort"
                                    label=tr!(ctx, sort_label)
                                    value=sort
                                    options=sorts
                                    on_change=first_page
                                />
                            }
                        })}
                    <CheckField
                        id="f-overdue"
                        label=tr!(ctx, filter_overdue)
                        value=overdue
                        on_change=Callback::new(move |_: bool| page.set(1))
                    />
                </form>
            </Filters>
            <Rows slot>
                {move || {
                    list.get()
                        .map(|l| {
                            l.reports
                                .into_iter()
                                .map(|r| view! { <ReportRow r selected /> })
                                .collect_view()
                        })
                }}
            </Rows>
            <Below slot>
                {map.then(|| view! { <map::InboxMap filter refresh shown error=list_error /> })}
                <div class="pager" hidden=map>
                    <Show when=move || { page.get() > 1 }>
                        <button type="button" on:click=move |_| page.update(|p| *p = (*p - 1).max(1))>
                            {tr!(ctx, prev_page)}
                        </button>
                    </Show>
                    <Show when=move || list.with(|l| l.as_ref().is_some_and(|l| l.more))>
                        <button type="button" on:click=move |_| page.update(|p| *p += 1)>
                            {tr!(ctx, next_page)}
                        </button>
                    </Show>
                </div>
            </Below>
            <DetailView slot>
                <actions::DetailPane detail flash=selection.flash reload=Callback::new(move |_: ()| reload()) />
            </DetailView>
        </ListDetail>
    }
}

/// Back to the list or the map (the "←" button, and after a report left the editor's
/// department).
pub(crate) fn back_to_list(ctx: Ctx) {
    let page = ctx.route.with_untracked(|r| r.page);
    ctx.go(Route::page(if page == Page::ReportMap {
        Page::ReportMap
    } else {
        Page::Reports
    }));
    focus_id("page-heading");
}

/// Opens a report beside the list or the map, whichever is shown.
pub(crate) fn open_report(ctx: Ctx, reference: &str) {
    let on_map = ctx.route.with_untracked(|r| r.page == Page::ReportMap);
    ctx.go(if on_map {
        Route::map_report(reference)
    } else {
        Route::report(reference)
    });
}

#[component]
fn ReportRow(r: Summary, selected: Memo<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let reference = r.reference.clone();
    let is_selected = {
        let reference = reference.clone();
        move || selected.with(|s| s.as_deref() == Some(reference.as_str()))
    };
    let created = r.created.clone();
    let department = r.department.clone();
    view! {
        <li>
            <button
                type="button"
                class="report"
                aria-current=move || is_selected().then_some("true")
                on:click=move |_| ctx.go(Route::report(&reference))
            >
                <span class="line1">
                    <span class="ref">{r.reference.clone()}</span>
                    <StatusBadge status=r.status />
                    {r.overdue.then(|| view! { <span class="badge overdue">{tr!(ctx, overdue_badge)}</span> })}
                    {r.hidden.then(|| view! { <span class="badge hidden">{tr!(ctx, hidden_badge)}</span> })}
                </span>
                <span class="summary">{r.summary.clone()}</span>
                <span class="meta">
                    {r.category_name.clone()}
                    " · "
                    {move || department.clone().unwrap_or_else(|| ctx.t().no_department.into())}
                    " · "
                    {move || texts::age(ctx.lang.get(), seconds_since(&created))}
                </span>
            </button>
        </li>
    }
}

/// The report a detail shows (for the pane's forms).
pub(crate) fn reference_of(detail: RwSignal<Option<Detail>>) -> Memo<Option<String>> {
    Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.summary.reference.clone())))
}
