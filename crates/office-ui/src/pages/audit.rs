//! The audit log (admins): who changed what, when, as before → after.

use crate::api::reports::{self as api, AuditEntry};
use crate::app::{tr, use_ctx};
use crate::browser::local_time;
use crate::texts;
use crate::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// `status: received → in_progress` for an audit entry's before and after.
pub fn audit_change(before: &serde_json::Value, after: &serde_json::Value) -> String {
    fn show(v: Option<&serde_json::Value>) -> String {
        match v {
            None | Some(serde_json::Value::Null) => "–".into(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    }
    let mut keys: Vec<&String> = Vec::new();
    for v in [before, after] {
        if let Some(o) = v.as_object() {
            for k in o.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    if keys.is_empty() {
        return String::new();
    }
    keys.iter()
        .filter(|k| before.get(k.as_str()) != after.get(k.as_str()))
        .map(|k| {
            let b = show(before.get(k.as_str()));
            let a = show(after.get(k.as_str()));
            if before.get(k.as_str()).is_none() {
                format!("{k}: {a}")
            } else {
                format!("{k}: {b} → {a}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let ctx = use_ctx();
    let entries = RwSignal::new(None::<Vec<AuditEntry>>);
    let error = RwSignal::new(None::<Msg>);
    spawn_local(async move {
        match api::audit().await {
            Ok(e) => entries.set(Some(e)),
            Err(e) => error.set(Some(ctx.fail(&e))),
        }
    });
    view! {
        <section aria-labelledby="page-heading" class="audit">
            <h1 id="page-heading" tabindex="-1">
                {tr!(ctx, audit_heading)}
            </h1>
            <p class="form-error" role="alert">
                {move || error.get().map(|m| m(ctx.t()))}
            </p>
            {move || {
                entries
                    .get()
                    .map(|list| {
                        if list.is_empty() {
                            return view! { <p>{tr!(ctx, audit_empty)}</p> }.into_any();
                        }
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-heading">
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr!(ctx, audit_time)}</th>
                                            <th scope="col">{tr!(ctx, audit_user)}</th>
                                            <th scope="col">{tr!(ctx, audit_action)}</th>
                                            <th scope="col">{tr!(ctx, audit_subject)}</th>
                                            <th scope="col">{tr!(ctx, audit_change)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|e| {
                                                let at = e.at.clone();
                                                let action = e.action.clone();
                                                let user = e.user.clone();
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <time datetime=e.at.clone()>
                                                                {move || local_time(ctx.lang.get(), &at)}
                                                            </time>
                                                        </td>
                                                        <td>
                                                            {move || if user.is_empty() { ctx.t().audit_system.to_string() } else { user.clone() }}
                                                        </td>
                                                        <td>
                                                            {move || texts::audit_action(ctx.lang.get(), &action)}
                                                        </td>
                                                        <td class="subject">{e.subject.clone()}</td>
                                                        <td class="change">{audit_change(e.before.as_ref().unwrap_or(&Value::Null), e.after.as_ref().unwrap_or(&Value::Null))}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn audit_changes_read_as_before_and_after() {
        assert_eq!(
            audit_change(
                &json!({"status": "received", "reason": null}),
                &json!({"status": "in_progress", "reason": null, "note": "Wir kommen"})
            ),
            "status: received → in_progress; note: Wir kommen",
            "unchanged fields are left out"
        );
        assert_eq!(audit_change(&json!(null), &json!(null)), "");
    }
}
