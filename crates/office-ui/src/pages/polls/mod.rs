//! Polls in the office (admins, `crates/server/src/http/office_polls.rs`): list with state,
//! turnout and codes; create and edit (until the first vote); open, close, publish, delete;
//! invitation codes as CSV or printable slips (shown once); results with bars and CSV export;
//! the step of interim results.

mod form;
mod results;
mod step;

use crate::api::polls::{self as api, Poll};
use crate::app::use_ctx;
use crate::browser::{confirm, focus_id, local_time};
use crate::routes::{Page, Route};
use crate::texts::poll_texts;
use crate::Msg;
use form::PollForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use results::PollResults;
use step::ResultStep;

#[component]
pub fn PollsPage() -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let polls = RwSignal::new(None::<Vec<Poll>>);
    let error = RwSignal::new(None::<Msg>);
    let flash = RwSignal::new(None::<Msg>);
    // None: the list; Some(None): a new poll; Some(Some(slug)): edit that poll.
    let editing = RwSignal::new(None::<Option<Poll>>);
    // The poll whose results are open follows the URL (`/office/polls/<slug>`).
    let open_slug = Memo::new(move |_| {
        ctx.route
            .with(|r| (r.page == Page::Polls).then(|| r.open.clone()).flatten())
    });
    let results_of = Memo::new(move |_| {
        let slug = open_slug.get()?;
        polls.with(|l| l.as_ref()?.iter().find(|p| p.slug == slug).cloned())
    });
    let reload = move || {
        spawn_local(async move {
            match api::polls().await {
                Ok(l) => {
                    polls.set(Some(l));
                    error.set(None);
                }
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
        });
    };
    reload();
    let action = move |slug: String, what: &'static str, ok: Msg| {
        flash.set(None);
        spawn_local(async move {
            match api::act(&slug, what).await {
                Ok(_) => {
                    flash.set(Some(ok));
                    if open_slug.get_untracked().is_some() {
                        ctx.go(Route::page(Page::Polls));
                    }
                    reload();
                }
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
        });
    };
    view! {
        <section aria-labelledby="page-heading" class="polls settings">
            <h1 id="page-heading" tabindex="-1">
                {move || poll_texts(lang()).polls}
            </h1>
            <p class="form-error" role="alert">
                {move || error.get().map(|m| m(ctx.t()))}
            </p>
            <p class="form-done" role="status">
                {move || flash.get().map(|m| m(ctx.t()))}
            </p>
            <Show
                when=move || editing.with(Option::is_none)
                fallback=move || {
                    let poll = editing.get().flatten();
                    view! { <PollForm poll editing flash reload=Callback::new(move |_: ()| reload()) /> }
                }
            >
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| {
                        editing.set(Some(None));
                        focus_id("poll-form-heading");
                    }
                >
                    {move || poll_texts(lang()).new_poll}
                </button>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-heading">
                    <table class="polls-list">
                        <thead>
                            <tr>
                                <th scope="col">{move || poll_texts(lang()).title}</th>
                                <th scope="col">{move || poll_texts(lang()).state}</th>
                                <th scope="col">{move || poll_texts(lang()).turnout}</th>
                                <th scope="col">{move || poll_texts(lang()).codes_issued_used}</th>
                                <th scope="col">{move || poll_texts(lang()).actions}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                polls
                                    .get()
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|p| {
                                        let state = p.state;
                                        let slug = p.slug.clone();
                                        let (s1, s2, s3, s4) = (slug.clone(), slug.clone(), slug.clone(), slug.clone());
                                        let p_edit = p.clone();
                                        let p_res = p.clone();
                                        // Exact: an interim result may still say 0.
                                        let turnout = p.participations;
                                        let votes_cast = turnout > 0;
                                        let opens = p.opens_at.clone();
                                        let closes = p.closes_at.clone();
                                        let title = p.title.clone();
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    {p.title.clone()}
                                                    <br />
                                                    <small>
                                                        {move || local_time(lang(), &opens)}
                                                        " – "
                                                        {move || local_time(lang(), &closes)}
                                                    </small>
                                                </th>
                                                <td>
                                                    {move || state.label(lang())}
                                                    {p.published.then(|| view! { <span>{move || poll_texts(lang()).published}</span> })}
                                                </td>
                                                <td>{turnout}</td>
                                                <td>
                                                    {match (p.codes_issued, p.codes_used) {
                                                        (Some(i), Some(u)) => format!("{i} / {u}"),
                                                        _ => "–".into(),
                                                    }}
                                                </td>
                                                <td class="actions">
                                                    <div class="inline" style="flex-wrap:wrap;gap:.25rem" role="group" aria-label=title.clone()>
                                                        <button type="button" on:click=move |_| ctx.go(Route::poll(&p_res.slug))>
                                                            {move || poll_texts(lang()).results}
                                                        </button>
                                                        {(!votes_cast).then(|| view! {
                                                            <button type="button" on:click=move |_| { editing.set(Some(Some(p_edit.clone()))); focus_id("poll-form-heading"); }>
                                                                {move || poll_texts(lang()).edit}
                                                            </button>
                                                        })}
                                                        <button type="button" on:click=move |_| action(s1.clone(), "open", |t| t.poll_changed)>
                                                            {move || poll_texts(lang()).open}
                                                        </button>
                                                        <button type="button" on:click=move |_| action(s2.clone(), "close", |t| t.poll_changed)>
                                                            {move || poll_texts(lang()).close}
                                                        </button>
                                                        <button type="button" on:click=move |_| action(s3.clone(), "publish", |t| t.poll_changed)>
                                                            {move || poll_texts(lang()).publish_results}
                                                        </button>
                                                        <button type="button" class="danger" on:click=move |_| {
                                                            if confirm(poll_texts(lang()).really_delete_the_poll) {
                                                                action(s4.clone(), "delete", |t| t.poll_deleted)
                                                            }
                                                        }>
                                                            {move || poll_texts(lang()).delete}
                                                        </button>
                                                    </div>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                {move || results_of.get().map(|p| view! { <PollResults poll=p /> })}
                <ResultStep />
            </Show>
        </section>
    }
}
