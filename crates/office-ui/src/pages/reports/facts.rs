//! What the office knows about a report: state, facts, description (and the citizen's
//! original), history.

use crate::api::reports::Detail;
use crate::app::{tr, use_ctx};
use crate::browser::{local_time, seconds_since};
use crate::components::{Fact, StatusBadge};
use crate::texts;
use leptos::prelude::*;

#[component]
pub fn DetailFacts(d: Detail) -> impl IntoView {
    let ctx = use_ctx();
    let s = d.summary.clone();
    let created = s.created.clone();
    let created2 = s.created.clone();
    let updated = s.updated.clone();
    let location = match (&s.address, s.lat, s.lng) {
        (Some(a), _, _) if !a.is_empty() => a.clone(),
        (_, Some(lat), Some(lng)) => format!("{lat:.5}, {lng:.5}"),
        _ => "–".into(),
    };
    let department = s.department.clone();
    let email_state = d.email_state.clone();
    let close_reason = d.close_reason;
    let duplicate_of = d.duplicate_of.clone();
    let original = d
        .original_description
        .clone()
        .filter(|o| *o != d.description);
    let notes = d.notes.clone();
    view! {
        <h2 id="detail-heading" tabindex="-1">
            {s.reference.clone()}
            <span class="sub">{s.category_name.clone()}</span>
        </h2>
        <p class="badges">
            <StatusBadge status=s.status />
            {s.overdue.then(|| view! { <span class="badge overdue">{tr!(ctx, overdue_badge)}</span> })}
            {s.hidden.then(|| view! { <span class="badge hidden">{tr!(ctx, hidden_badge)}</span> })}
        </p>
        <dl class="facts">
            <Fact label=tr!(ctx, department)>
                {move || department.clone().unwrap_or_else(|| ctx.t().no_department.into())}
            </Fact>
            <Fact label=tr!(ctx, created)>
                {move || local_time(ctx.lang.get(), &created)}
                " ("
                {move || texts::age(ctx.lang.get(), seconds_since(&created2))}
                ")"
            </Fact>
            <Fact label=tr!(ctx, updated)>{move || local_time(ctx.lang.get(), &updated)}</Fact>
            <Fact label=tr!(ctx, location)>{location}</Fact>
            <Fact label=tr!(ctx, supporters)>{s.supporters}</Fact>
            <Fact label=tr!(ctx, reporter_mail)>
                {move || {
                    let t = ctx.t();
                    match email_state.as_deref() {
                        Some("confirmed") => t.mail_confirmed,
                        Some("unconfirmed") => t.mail_unconfirmed,
                        Some("unsubscribed") => t.mail_unsubscribed,
                        _ => t.mail_none,
                    }
                }}
            </Fact>
            {close_reason
                .map(|r| {
                    view! { <Fact label=tr!(ctx, close_reason)>{move || r.label(ctx.lang.get())}</Fact> }
                })}
            {duplicate_of.map(|o| view! { <Fact label=tr!(ctx, duplicate_of_label)>{o}</Fact> })}
        </dl>
        <h3>{tr!(ctx, description_heading)}</h3>
        <p class="description">{d.description.clone()}</p>
        {original
            .map(|o| {
                view! {
                    <details class="original">
                        <summary>{tr!(ctx, original_heading)}</summary>
                        <p class="hint">{tr!(ctx, original_hint)}</p>
                        <p class="description">{o}</p>
                    </details>
                }
            })}
        <h3>{tr!(ctx, history_heading)}</h3>
        {notes.is_empty().then(|| view! { <p>{tr!(ctx, no_notes)}</p> })}
        <ol class="history">
            {notes
                .into_iter()
                .rev()
                .map(|n| {
                    let public = n.public;
                    let at = n.at.clone();
                    view! {
                        <li class=if public { "note public" } else { "note internal" }>
                            <p class="note-head">
                                <span class="badge kind">
                                    {move || if public { ctx.t().note_public } else { ctx.t().note_internal }}
                                </span>
                                <StatusBadge status=n.status />
                                <time datetime=n.at.clone()>{move || local_time(ctx.lang.get(), &at)}</time>
                            </p>
                            <p class="note-text">{n.text.clone()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
