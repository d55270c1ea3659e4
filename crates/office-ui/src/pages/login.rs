//! The login: e-mail and password, and the town when the address is known in several towns.
//! After it the page shows what the URL names (a deep link survives the login).

use crate::api;
use crate::app::{tr, use_ctx};
use crate::browser::{self, focus_id};
use crate::components::{ActionForm, FormState, TextField};
use crate::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Login() -> impl IntoView {
    let ctx = use_ctx();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let need_tenant = RwSignal::new(false);
    let form = FormState::new();
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let (t, e, p) = (
            tenant.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        );
        spawn_local(async move {
            match api::login(&t, &e, &p).await {
                Ok(me) => {
                    form.busy.set(false);
                    if let Some(next) = browser::print_page_to_return_to() {
                        browser::go_to(&next);
                        return;
                    }
                    ctx.logged_in(me);
                    focus_id("page-heading");
                }
                Err(err) => {
                    form.busy.set(false);
                    let msg: Msg = match err.status {
                        400 => {
                            need_tenant.set(true);
                            focus_id("login-tenant");
                            |t| t.login_need_tenant
                        }
                        404 => {
                            focus_id("login-tenant");
                            |t| t.login_unknown_tenant
                        }
                        401 => |t| t.login_wrong,
                        429 => |t| t.login_throttled,
                        0 => |t| t.err_network,
                        _ => |t| t.err_generic,
                    };
                    form.error.set(Some(msg));
                }
            }
        });
    };
    view! {
        <section class="login card" aria-labelledby="login-heading">
            <h1 id="login-heading" tabindex="-1">
                {tr!(ctx, login_heading)}
            </h1>
            <p class="notice" role="status">
                {move || ctx.notice.get().map(|m| m(ctx.t()))}
            </p>
            <p>{tr!(ctx, login_intro)}</p>
            <ActionForm form button=tr!(ctx, login_button) on_submit=Callback::new(submit) primary=true show_pending=true class="login-form">
                <Show when=move || need_tenant.get()>
                    <TextField
                        id="login-tenant"
                        name="tenant"
                        label=tr!(ctx, tenant)
                        hint=tr!(ctx, tenant_hint)
                        value=tenant
                        autocomplete="organization"
                        verbatim=true
                    />
                </Show>
                <TextField
                    id="login-email"
                    name="email"
                    kind="email"
                    label=tr!(ctx, email)
                    value=email
                    autocomplete="username"
                    verbatim=true
                />
                <TextField
                    id="login-password"
                    name="password"
                    kind="password"
                    label=tr!(ctx, password)
                    value=password
                    autocomplete="current-password"
                />
            </ActionForm>
        </section>
    }
}
