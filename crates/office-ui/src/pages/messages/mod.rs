//! The mailbox (Bürgerbriefkasten): filters and search, the list, and the open message
//! (`/office/messages/<ref>`) with its contact data, history and actions.

mod detail;

use crate::api::messages::{self as api, list_query, MsgList, MsgSummary};
use crate::app::{tr, use_ctx, Ctx};
use crate::browser::{focus_id, local_time};
use crate::components::{
    Choice, DetailView, Filters, ListDetail, MsgBadge, Rows, SearchField, SelectField, Selection,
};
use crate::routes::{Page, Route};
use crate::texts::{kind_label, mail_texts, message_count};
use crate::Msg;
use civickit_model::mailbox::DEFAULT_KINDS;
use civickit_model::MessageStatus;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The longest reply the server takes.
pub const REPLY_MAX_CHARS: usize = 10_000;

/// `mt!(ctx, field)`: a reactive text from the mailbox table.
macro_rules! mt {
    ($ctx:expr, $field:ident) => {
        move || mail_texts($ctx.lang.get()).$field
    };
}
pub(crate) use mt;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let ctx = use_ctx();
    let state = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let list = RwSignal::new(None::<MsgList>);
    let list_error = RwSignal::new(None::<Msg>);
    let seq = StoredValue::new(0u32);

    let reload = move || {
        let q = list_query(
            &state.get_untracked(),
            &kind.get_untracked(),
            &query.get_untracked(),
        );
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        spawn_local(async move {
            let answer = api::messages(&q).await;
            // A newer list is on its way, or the page is gone.
            if seq.try_get_value() != Some(mine) {
                return;
            }
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
        state.track();
        kind.track();
        query.track();
        reload();
    });
    let selected = Memo::new(move |_| {
        ctx.route
            .with(|r| (r.page == Page::Messages).then(|| r.open.clone()).flatten())
    });
    let selection = Selection::follow(selected, "msg-heading", |r: String| async move {
        api::message(&r).await
    });
    let detail = selection.detail;

    let states = Signal::derive(move || {
        let lang = ctx.lang.get();
        MessageStatus::ALL
            .into_iter()
            .map(|s| Choice::new(s.as_str(), s.label(lang)))
            .collect::<Vec<_>>()
    });
    let kinds = Signal::derive(move || {
        let lang = ctx.lang.get();
        DEFAULT_KINDS
            .iter()
            .map(|(code, _, _)| Choice::new(*code, kind_label(lang, code)))
            .collect::<Vec<_>>()
    });
    let count = Signal::derive(move || {
        list.with(|l| {
            l.as_ref()
                .map(|l| message_count(ctx.lang.get(), l.messages.len(), l.more))
                .unwrap_or_default()
        })
    });
    let empty =
        Signal::derive(move || list.with(|l| l.as_ref().is_some_and(|l| l.messages.is_empty())));

    view! {
        <ListDetail
            class="mailbox"
            heading=mt!(ctx, heading)
            detail_heading="msg-heading"
            selection
            pick=mt!(ctx, pick)
            list_class="reports messages"
            count
            empty
            empty_text=mt!(ctx, empty)
            list_error
        >
            <Filters slot>
                <form
                    class="filters"
                    role="search"
                    aria-label=tr!(ctx, filters_label)
                    on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        query.set(search.get_untracked());
                    }
                >
                    <SearchField
                        id="m-q"
                        label=tr!(ctx, search_label)
                        hint=mt!(ctx, search_hint)
                        button=tr!(ctx, search_button)
                        value=search
                    />
                    <SelectField id="m-state" label=tr!(ctx, filter_state) value=state empty=tr!(ctx, all) options=states />
                    <SelectField id="m-kind" label=mt!(ctx, filter_kind) value=kind empty=tr!(ctx, all) options=kinds />
                </form>
            </Filters>
            <Rows slot>
                {move || {
                    list.get()
                        .map(|l| {
                            l.messages
                                .into_iter()
                                .map(|m| view! { <MsgRow m selected /> })
                                .collect_view()
                        })
                }}
            </Rows>
            <DetailView slot>
                <detail::MsgDetailPane detail flash=selection.flash reload=Callback::new(move |_: ()| reload()) />
            </DetailView>
        </ListDetail>
    }
}

/// Back to the list (the "←" button, and after a message left the editor's department).
fn back_to_list(ctx: Ctx) {
    ctx.go(Route::page(Page::Messages));
    focus_id("page-heading");
}

#[component]
fn MsgRow(m: MsgSummary, selected: Memo<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let reference = m.reference.clone();
    let r2 = reference.clone();
    let created = m.created.clone();
    let kind = m.kind.clone();
    view! {
        <li>
            <button
                type="button"
                class="report message"
                aria-current=move || selected.with(|s| s.as_deref() == Some(r2.as_str())).then_some("true")
                on:click=move |_| ctx.go(Route::message(&reference))
            >
                <span class="line1">
                    <span class="ref">{m.reference.clone()}</span>
                    <MsgBadge status=m.status />
                    <span class="badge kind">{move || kind_label(ctx.lang.get(), &kind)}</span>
                </span>
                <span class="summary">{m.subject.clone()}</span>
                <span class="meta">
                    {move || local_time(ctx.lang.get(), &created)}
                    {m.department.clone().map(|d| format!(" · {d}"))}
                </span>
            </button>
        </li>
    }
}
