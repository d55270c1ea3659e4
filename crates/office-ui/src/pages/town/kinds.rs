//! The mailbox's message kinds: the list in the citizens' order, moved with up/down buttons
//! (keyboard-operable, focus stays on the moved kind), retired and brought back; a form to
//! rename one and a form to add one. A rename keeps the kind's code, so old messages keep it.

use super::{retire_label, tx};
use crate::api::town::{self as api, MessageKindRow};
use crate::app::use_ctx;
use crate::browser::focus_id;
use crate::components::{ActionForm, Choice, FormOutcome, FormState, SelectField, TextField};
use civickit_model::api::office::MessageKindChange;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn MessageKinds() -> impl IntoView {
    let ctx = use_ctx();
    let kinds = RwSignal::new(Vec::<MessageKindRow>::new());
    let list_form = FormState::new();
    spawn_local(async move {
        match api::kinds().await {
            Ok(k) => kinds.set(k.kinds),
            Err(e) => list_form.failed(ctx, e),
        }
    });

    // Up or down by one; the focus follows the kind to its new place.
    let shift = move |id: i64, up: bool| {
        let mut ids: Vec<i64> = kinds.with_untracked(|k| k.iter().map(|k| k.id).collect());
        let Some(i) = ids.iter().position(|x| *x == id) else {
            return;
        };
        let j = if up {
            i.checked_sub(1)
        } else {
            Some(i + 1).filter(|j| *j < ids.len())
        };
        let Some(j) = j else {
            return;
        };
        ids.swap(i, j);
        list_form.clear();
        spawn_local(async move {
            match api::order_kinds(ids).await {
                Ok(k) => {
                    kinds.set(k.kinds);
                    list_form.succeeded(|t| t.admin_saved);
                    let at_edge = kinds.with_untracked(|k| {
                        let p = k.iter().position(|x| x.id == id).unwrap_or(0);
                        if up {
                            p == 0
                        } else {
                            p + 1 == k.len()
                        }
                    });
                    // At the end of the list that button is disabled: focus the other one.
                    let dir = if up != at_edge { "up" } else { "down" };
                    focus_id(format!("kind-{dir}-{id}"));
                }
                Err(e) => list_form.failed(ctx, e),
            }
        });
    };
    let set_retired = move |id: i64, retired: bool| {
        list_form.clear();
        let change = MessageKindChange {
            retired: Some(retired),
            ..Default::default()
        };
        spawn_local(async move {
            match api::change_kind(id, &change).await {
                Ok(k) => {
                    kinds.set(k.kinds);
                    list_form.succeeded(|t| t.admin_saved);
                    focus_id(format!("kind-retire-{id}"));
                }
                Err(e) => list_form.failed(ctx, e),
            }
        });
    };

    // Rename.
    let pick = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let rename_form = FormState::new();
    let choose = move |id: String| {
        let name = kinds.with_untracked(|k| {
            k.iter()
                .find(|k| k.id.to_string() == id)
                .map(|k| k.name.clone())
        });
        new_name.set(name.unwrap_or_default());
    };
    let rename = move |_| {
        if !rename_form.start() {
            return;
        }
        let Ok(id) = pick.get_untracked().parse::<i64>() else {
            rename_form.failed(
                ctx,
                crate::fetch::ApiError::field("kind", civickit_model::ValidationCode::Required),
            );
            return;
        };
        let change = MessageKindChange {
            name: Some(new_name.get_untracked().trim().to_string()),
            ..Default::default()
        };
        spawn_local(async move {
            match api::change_kind(id, &change).await {
                Ok(k) => {
                    kinds.set(k.kinds);
                    rename_form.succeeded(|t| t.admin_saved);
                }
                Err(e) => rename_form.failed(ctx, e),
            }
        });
    };

    // Add.
    let added = RwSignal::new(String::new());
    let add_form = FormState::new();
    let add = move |_| {
        if !add_form.start() {
            return;
        }
        let name = added.get_untracked();
        spawn_local(async move {
            match api::add_kind(&name).await {
                Ok(_) => {
                    added.set(String::new());
                    if let Ok(k) = api::kinds().await {
                        kinds.set(k.kinds);
                    }
                    add_form.succeeded(|t| t.admin_saved);
                }
                Err(e) => add_form.failed(ctx, e),
            }
        });
    };

    let choices = Signal::derive(move || {
        kinds
            .get()
            .into_iter()
            .map(|k| Choice::new(k.id.to_string(), k.name))
            .collect::<Vec<_>>()
    });
    view! {
        <section aria-labelledby="kinds-heading">
            <h2 id="kinds-heading">{tx(|t| t.kinds)}</h2>
            <p class="hint">{tx(|t| t.kinds_hint)}</p>
            <FormOutcome form=list_form />
            <ol class="town-list kinds">
                {move || {
                    let count = kinds.with(Vec::len);
                    kinds
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, k)| {
                            let (id, retired) = (k.id, k.retired);
                            let name = k.name.clone();
                            let (n1, n2, n3, n4) = (name.clone(), name.clone(), name.clone(), name.clone());
                            view! {
                                <li class:retired=retired>
                                    <span class="name">{name}</span>
                                    {retired.then(|| view! { <span class="badge hidden">{tx(|t| t.retired)}</span> })}
                                    <span class="inline" role="group" aria-label=n1>
                                        <button type="button" class="quiet" id=format!("kind-up-{id}") disabled=i == 0 on:click=move |_| shift(id, true)>
                                            {tx(|t| t.up)}<span class="sr-only">": " {n2.clone()}</span>
                                        </button>
                                        <button type="button" class="quiet" id=format!("kind-down-{id}") disabled=i + 1 == count on:click=move |_| shift(id, false)>
                                            {tx(|t| t.down)}<span class="sr-only">": " {n3.clone()}</span>
                                        </button>
                                        <button type="button" class="quiet" id=format!("kind-retire-{id}") on:click=move |_| set_retired(id, !retired)>
                                            {tx(retire_label(retired))}
                                            <span class="sr-only">": " {n4.clone()}</span>
                                        </button>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <ActionForm form=rename_form id="rename-kind" button=tx(|t| t.rename) on_submit=Callback::new(rename)>
                <h3>{tx(|t| t.rename_kind)}</h3>
                <SelectField id="kr-pick" label=tx(|t| t.kind) value=pick empty="–" options=choices form=rename_form errors=&["kind"] on_change=Callback::new(choose) />
                <TextField id="kr-name" label=tx(|t| t.new_name) value=new_name form=rename_form errors=&["name"] />
            </ActionForm>
            <ActionForm form=add_form id="add-kind" button=tx(|t| t.add_kind) on_submit=Callback::new(add)>
                <h3>{tx(|t| t.add_a_kind)}</h3>
                <TextField id="ka-name" label=tx(|t| t.kind_name) value=added form=add_form errors=&["name"] />
            </ActionForm>
        </section>
    }
}
