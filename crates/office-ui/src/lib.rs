//! civickit's office page: officials log in, work the defect reports of their town, and
//! administrators change settings and read the audit log. A full page served at `/office`
//! (`target/dist/office/index.html`), with its own wasm that citizens never download.
//!
//! German by default, English with `?lang=en` or the switch in the header. Everything also
//! compiles natively (workspace clippy and unit tests); browser calls are only made in wasm.

pub mod api;
pub mod texts;

use api::{ApiError, Changed, Detail, FieldMsg, Filter, Me, ReportList, Summary};
use civickit_model::validate::{DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS};
use civickit_model::{CloseReason, Lang, Status};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use texts::{texts, Texts};

/// A text from the current language's table, picked when shown (so switching the language
/// re-renders it).
pub type Msg = fn(&'static Texts) -> &'static str;

/// `tr!(ctx, field)`: a reactive text node / attribute for `Texts::field`.
macro_rules! tr {
    ($ctx:expr, $field:ident) => {
        move || $ctx.t().$field
    };
}

pub mod admin;
mod mailbox;
pub mod photos;
pub mod polls;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Reports,
    Embed,
    Settings,
    Audit,
    Mailbox,
    MailboxAdmin,
    Polls,
    Admin,
}

/// What every part of the page shares.
#[derive(Clone, Copy)]
struct Ctx {
    lang: RwSignal<Lang>,
    me: RwSignal<Option<Me>>,
    page: RwSignal<Page>,
    /// A message for the login form (logged out, session expired).
    notice: RwSignal<Option<Msg>>,
}

impl Ctx {
    fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }
    fn csrf(&self) -> String {
        self.me
            .with_untracked(|m| m.as_ref().map(|m| m.csrf_token.clone()))
            .unwrap_or_default()
    }
    /// The message for a failed call; a 401 also ends the session on the page.
    fn fail(&self, e: &ApiError) -> Msg {
        match e.status {
            0 => |t| t.err_network,
            401 => {
                self.notice.set(Some(|t| t.session_expired));
                self.me.set(None);
                |t| t.session_expired
            }
            403 => |t| t.err_forbidden,
            404 => |t| t.err_not_found,
            409 => |t| t.err_conflict,
            422 => |t| t.err_check_fields,
            429 => |t| t.err_rate_limited,
            _ => |t| t.err_generic,
        }
    }
}

fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The message for one field error: our own text by code, so it follows the page language.
pub fn field_text(t: &'static Texts, e: &FieldMsg) -> String {
    match (e.field.as_str(), e.code.as_str()) {
        ("duplicate_of", "invalid_value") => t.code_duplicate_unknown.into(),
        (_, "required") => t.code_required.into(),
        (_, "too_long") => t.code_too_long.into(),
        (_, "unknown_category") => t.code_unknown_category.into(),
        (_, "invalid_value") => t.code_invalid_value.into(),
        _ if !e.message.is_empty() => e.message.clone(),
        _ => t.code_invalid_value.into(),
    }
}

/// The errors, busy flag and outcome of one form.
#[derive(Clone, Copy)]
struct FormState {
    fields: RwSignal<Vec<FieldMsg>>,
    error: RwSignal<Option<Msg>>,
    done: RwSignal<Option<Msg>>,
    busy: RwSignal<bool>,
}

impl FormState {
    fn new() -> Self {
        FormState {
            fields: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }
    fn start(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.fields.set(Vec::new());
        self.error.set(None);
        self.done.set(None);
        true
    }
    fn clear(&self) {
        self.fields.set(Vec::new());
        self.error.set(None);
        self.done.set(None);
    }
    fn failed(&self, ctx: Ctx, e: ApiError) {
        self.busy.set(false);
        self.error.set(Some(ctx.fail(&e)));
        self.fields.set(e.fields);
    }
    /// Whether one of `names` has an error (the server reports too long notes as `note`).
    fn invalid(&self, names: &'static [&'static str]) -> Option<&'static str> {
        self.fields
            .with(|f| f.iter().any(|e| names.contains(&e.field.as_str())))
            .then_some("true")
    }
}

/// The error text under a field (always in the DOM, so `aria-describedby` can point at it).
#[component]
fn FieldErr(form: FormState, names: &'static [&'static str], id: &'static str) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <p class="field-error" id=id>
            {move || {
                form.fields
                    .with(|f| {
                        f.iter()
                            .find(|e| names.contains(&e.field.as_str()))
                            .map(|e| field_text(ctx.t(), e))
                    })
            }}
        </p>
    }
}

/// The form's overall error (an alert) and success message (a status), next to its button.
#[component]
fn FormOutcome(form: FormState) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <p class="form-error" role="alert">
            {move || form.error.get().map(|m| m(ctx.t()))}
        </p>
        <p class="form-done" role="status">
            {move || form.done.get().map(|m| m(ctx.t()))}
        </p>
    }
}

fn initial_lang() -> Lang {
    #[cfg(target_arch = "wasm32")]
    {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        if let Some(lang) = search
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
        {
            return Lang::from_tag(lang);
        }
    }
    Lang::De
}

/// Keeps `<html lang>`, the title and `?lang=` in step with the chosen language.
fn apply_lang(lang: Lang) {
    #[cfg(target_arch = "wasm32")]
    {
        let doc = document();
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
        doc.set_title(texts(lang).app_title);
        if let Some(w) = web_sys::window() {
            let query = if lang == Lang::En { "?lang=en" } else { "" };
            let path = w.location().pathname().unwrap_or_default();
            if let Ok(history) = w.history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&format!("{path}{query}")),
                );
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = lang;
}

/// Moves keyboard focus to an element once it is rendered.
fn focus_id(id: &'static str) {
    #[cfg(target_arch = "wasm32")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Seconds since an RFC 3339 time.
fn seconds_since(rfc3339: &str) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() - js_sys::Date::parse(rfc3339)) / 1000.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = rfc3339;
        0.0
    }
}

/// A time in the reader's local time zone, "23.11.2026, 10:15:00".
fn local_time(lang: Lang, rfc3339: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if d.get_time().is_nan() {
            return rfc3339.to_string();
        }
        let locale = if lang == Lang::En { "en-GB" } else { "de-DE" };
        d.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED)
            .into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = lang;
        rfc3339.to_string()
    }
}

fn origin() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        "https://civickit.example".into()
    }
}

/// The code a webmaster pastes into the town's CMS.
pub fn embed_snippet(origin: &str, element: &str, tenant: &str) -> String {
    let extra = if element == "civic-poll" {
        " data-poll=\"UMFRAGE-ID\""
    } else {
        ""
    };
    format!(
        "<script src=\"{origin}/widgets/civic.js\" defer></script>\n<{element} data-tenant=\"{tenant}\"{extra}></{element}>"
    )
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx {
        lang: RwSignal::new(initial_lang()),
        me: RwSignal::new(None),
        page: RwSignal::new(Page::Reports),
        notice: RwSignal::new(None),
    };
    provide_context(ctx);
    let ready = RwSignal::new(false);
    Effect::new(move |_| apply_lang(ctx.lang.get()));
    spawn_local(async move {
        if let Ok(me) = api::me().await {
            ctx.me.set(Some(me));
        }
        ready.set(true);
    });
    let logged_in = Memo::new(move |_| ctx.me.with(Option::is_some));
    let switch_lang = move |_| {
        ctx.lang.update(|l| {
            *l = match l {
                Lang::De => Lang::En,
                Lang::En => Lang::De,
            }
        })
    };
    view! {
        <a class="skip" href="#main">
            {tr!(ctx, skip_link)}
        </a>
        <header class="top">
            <div class="bar">
                <p class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    {tr!(ctx, app_title)}
                    {move || {
                        ctx.me
                            .with(|m| m.as_ref().map(|m| format!(" · {}", m.tenant.name)))
                    }}
                </p>
                <div class="tools">
                    <button
                        type="button"
                        class="quiet"
                        id="lang-switch"
                        lang=move || if ctx.lang.get() == Lang::De { "en" } else { "de" }
                        aria-label=tr!(ctx, other_lang_label)
                        on:click=switch_lang
                    >
                        {tr!(ctx, other_lang)}
                    </button>
                    <Show when=move || logged_in.get()>
                        <UserTools />
                    </Show>
                </div>
            </div>
            <Show when=move || logged_in.get()>
                <Nav />
            </Show>
        </header>
        <main id="main" tabindex="-1">
            {move || {
                if !ready.get() {
                    view! { <p class="loading">{tr!(ctx, loading)}</p> }.into_any()
                } else if !logged_in.get() {
                    view! { <Login /> }.into_any()
                } else {
                    match ctx.page.get() {
                        Page::Reports => view! { <Inbox /> }.into_any(),
                        Page::Embed => view! { <Embed /> }.into_any(),
                        Page::Settings => view! { <SettingsPage /> }.into_any(),
                        Page::Audit => view! { <AuditPage /> }.into_any(),
                        Page::Mailbox => view! { <mailbox::MailboxPage /> }.into_any(),
                        Page::MailboxAdmin => view! { <mailbox::MailboxAdminPage /> }.into_any(),
                        Page::Polls => view! { <polls::PollsPage /> }.into_any(),
                        Page::Admin => view! { <admin::AdminPage /> }.into_any(),
                    }
                }
            }}
        </main>
    }
}

#[component]
fn UserTools() -> impl IntoView {
    let ctx = use_ctx();
    let busy = RwSignal::new(false);
    let logout = move |everywhere: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let csrf = ctx.csrf();
        spawn_local(async move {
            // Even if the server cannot be reached, the page forgets the session.
            let _ = api::logout(&csrf, everywhere).await;
            busy.set(false);
            ctx.notice.set(Some(if everywhere {
                |t| t.logged_out_everywhere
            } else {
                |t| t.logged_out
            }));
            ctx.me.set(None);
            ctx.page.set(Page::Reports);
            focus_id("login-heading");
        });
    };
    view! {
        <p class="who">
            <span class="sr-only">{tr!(ctx, signed_in_as)} " "</span>
            {move || ctx.me.with(|m| m.as_ref().map(|m| m.user.email.clone()))}
            " ("
            {move || {
                if ctx.me.with(|m| m.as_ref().is_some_and(Me::is_admin)) {
                    ctx.t().role_admin
                } else {
                    ctx.t().role_editor
                }
            }}
            ")"
        </p>
        <button type="button" class="quiet" on:click=move |_| logout(false) disabled=move || busy.get()>
            {tr!(ctx, logout)}
        </button>
        <button type="button" class="quiet" on:click=move |_| logout(true) disabled=move || busy.get()>
            {tr!(ctx, logout_everywhere)}
        </button>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let ctx = use_ctx();
    let is_admin = Memo::new(move |_| ctx.me.with(|m| m.as_ref().is_some_and(Me::is_admin)));
    let item = move |page: Page, label: Msg| {
        view! {
            <li>
                <button
                    type="button"
                    aria-current=move || (ctx.page.get() == page).then_some("page")
                    on:click=move |_| {
                        ctx.page.set(page);
                        focus_id("page-heading");
                    }
                >
                    {move || label(ctx.t())}
                </button>
            </li>
        }
    };
    view! {
        <nav aria-label=tr!(ctx, nav_label)>
            <ul>
                {item(Page::Reports, |t| t.nav_reports)}
                {item(Page::Mailbox, |t| t.nav_mailbox)}
                {item(Page::Embed, |t| t.nav_embed)}
                <Show when=move || is_admin.get()>
                    {item(Page::MailboxAdmin, |t| t.nav_mailbox_admin)}
                    {item(Page::Polls, |t| t.nav_polls)}
                    {item(Page::Admin, |t| t.nav_admin)}
                    {item(Page::Settings, |t| t.nav_settings)}
                    {item(Page::Audit, |t| t.nav_audit)}
                </Show>
            </ul>
        </nav>
    }
}

// ---------- login ----------

#[component]
fn Login() -> impl IntoView {
    let ctx = use_ctx();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let need_tenant = RwSignal::new(false);
    let form = FormState::new();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
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
                    ctx.notice.set(None);
                    ctx.page.set(Page::Reports);
                    ctx.me.set(Some(me));
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
            <form on:submit=submit novalidate>
                <Show when=move || need_tenant.get()>
                    <div class="field">
                        <label for="login-tenant">{tr!(ctx, tenant)}</label>
                        <p class="hint" id="login-tenant-hint">
                            {tr!(ctx, tenant_hint)}
                        </p>
                        <input
                            id="login-tenant"
                            name="tenant"
                            type="text"
                            autocomplete="organization"
                            autocapitalize="none"
                            spellcheck="false"
                            aria-describedby="login-tenant-hint"
                            prop:value=move || tenant.get()
                            on:input=move |ev| tenant.set(event_target_value(&ev))
                        />
                    </div>
                </Show>
                <div class="field">
                    <label for="login-email">{tr!(ctx, email)}</label>
                    <input
                        id="login-email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="login-password">{tr!(ctx, password)}</label>
                    <input
                        id="login-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <FormOutcome form />
                <button type="submit" class="primary" aria-disabled=move || form.busy.get().then_some("true")>
                    {move || if form.busy.get() { ctx.t().busy } else { ctx.t().login_button }}
                </button>
            </form>
        </section>
    }
}

// ---------- inbox ----------

#[component]
fn StatusBadge(status: Status) -> impl IntoView {
    let ctx = use_ctx();
    let light = status.light();
    view! {
        <span
            class=format!("badge state {} {}", light.as_str(), status.marker().as_str())
            style=format!("--c:{}", light.hex())
        >
            <span class="shape" aria-hidden="true"></span>
            {move || status.label(ctx.lang.get())}
        </span>
    }
}

#[component]
fn Inbox() -> impl IntoView {
    let ctx = use_ctx();
    let me = ctx.me.get_untracked().expect("logged in");
    let is_admin = me.is_admin();
    let filter = RwSignal::new(Filter::default());
    let search = RwSignal::new(String::new());
    let list = RwSignal::new(None::<ReportList>);
    let list_error = RwSignal::new(None::<Msg>);
    let loading = RwSignal::new(false);
    let selected = RwSignal::new(None::<String>);
    let detail = RwSignal::new(None::<Detail>);
    let detail_error = RwSignal::new(None::<Msg>);
    let flash = RwSignal::new(None::<Msg>);
    let seq = StoredValue::new(0u32);

    let reload = move || {
        let f = filter.get_untracked();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        loading.set(true);
        spawn_local(async move {
            let answer = api::reports(&f).await;
            if seq.get_value() != mine {
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
        reload();
    });
    let open = move |reference: String| {
        selected.set(Some(reference.clone()));
        detail_error.set(None);
        flash.set(None);
        spawn_local(async move {
            match api::report(&reference).await {
                Ok(d) => {
                    detail.set(Some(d));
                    focus_id("detail-heading");
                }
                Err(e) => {
                    detail.set(None);
                    detail_error.set(Some(ctx.fail(&e)));
                }
            }
        });
    };
    let set_filter = move |f: fn(&mut Filter, String), value: String| {
        filter.update(|flt| {
            f(flt, value);
            flt.page = 1;
        })
    };

    let states: Vec<Status> = std::iter::once(Status::PendingReview)
        .chain(Status::PUBLIC)
        .collect();
    let categories = me.categories.clone();
    let departments = me.departments.clone();

    view! {
        <div class="inbox" class:has-detail=move || selected.with(Option::is_some)>
            <section class="list-pane" aria-labelledby="page-heading">
                <h1 id="page-heading" tabindex="-1">
                    {tr!(ctx, inbox_heading)}
                </h1>
                <form
                    class="filters"
                    role="search"
                    aria-label=tr!(ctx, filters_label)
                    on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        set_filter(|f, v| f.q = v, search.get_untracked());
                    }
                >
                    <div class="field search">
                        <label for="f-q">{tr!(ctx, search_label)}</label>
                        <div class="inline">
                            <input
                                id="f-q"
                                type="search"
                                aria-describedby="f-q-hint"
                                prop:value=move || search.get()
                                on:input=move |ev| search.set(event_target_value(&ev))
                            />
                            <button type="submit">{tr!(ctx, search_button)}</button>
                        </div>
                        <p class="hint" id="f-q-hint">
                            {tr!(ctx, search_hint)}
                        </p>
                    </div>
                    <div class="field">
                        <label for="f-state">{tr!(ctx, filter_state)}</label>
                        <select
                            id="f-state"
                            on:change=move |ev| set_filter(|f, v| f.status = v, event_target_value(&ev))
                        >
                            <option value="" prop:selected=move || filter.with(|f| f.status.is_empty())>
                                {tr!(ctx, all)}
                            </option>
                            {states
                                .iter()
                                .map(|s| {
                                    let s = *s;
                                    view! {
                                        <option
                                            value=s.as_str()
                                            prop:selected=move || filter.with(|f| f.status == s.as_str())
                                        >
                                            {move || s.label(ctx.lang.get())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-category">{tr!(ctx, filter_category)}</label>
                        <select
                            id="f-category"
                            on:change=move |ev| set_filter(|f, v| f.category = v, event_target_value(&ev))
                        >
                            <option value="" prop:selected=move || filter.with(|f| f.category.is_empty())>
                                {tr!(ctx, all)}
                            </option>
                            {categories
                                .iter()
                                .map(|c| {
                                    let code = c.code.clone();
                                    let code2 = c.code.clone();
                                    view! {
                                        <option
                                            value=code
                                            prop:selected=move || filter.with(|f| f.category == code2)
                                        >
                                            {c.name.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    {is_admin
                        .then(|| {
                            view! {
                                <div class="field">
                                    <label for="f-department">{tr!(ctx, filter_department)}</label>
                                    <select
                                        id="f-department"
                                        on:change=move |ev| set_filter(|f, v| f.department = v, event_target_value(&ev))
                                    >
                                        <option value="" prop:selected=move || filter.with(|f| f.department.is_empty())>
                                            {tr!(ctx, all)}
                                        </option>
                                        {departments
                                            .iter()
                                            .map(|d| {
                                                let id = d.id.to_string();
                                                let id2 = id.clone();
                                                view! {
                                                    <option
                                                        value=id
                                                        prop:selected=move || filter.with(|f| f.department == id2)
                                                    >
                                                        {d.name.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                            }
                        })}
                    <div class="field">
                        <label for="f-sort">{tr!(ctx, sort_label)}</label>
                        <select
                            id="f-sort"
                            on:change=move |ev| set_filter(|f, v| f.sort = v, event_target_value(&ev))
                        >
                            <option value="newest">{tr!(ctx, sort_newest)}</option>
                            <option value="oldest">{tr!(ctx, sort_oldest)}</option>
                            <option value="updated">{tr!(ctx, sort_updated)}</option>
                        </select>
                    </div>
                    <div class="field check">
                        <input
                            id="f-overdue"
                            type="checkbox"
                            prop:checked=move || filter.with(|f| f.overdue)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                filter
                                    .update(|f| {
                                        f.overdue = on;
                                        f.page = 1;
                                    })
                            }
                        />
                        <label for="f-overdue">{tr!(ctx, filter_overdue)}</label>
                    </div>
                </form>
                <p class="flash" role="status">
                    {move || flash.get().map(|m| m(ctx.t()))}
                </p>
                <p class="count" role="status">
                    {move || {
                        if loading.get() && list.with(Option::is_none) {
                            ctx.t().loading.to_string()
                        } else {
                            list.with(|l| {
                                l.as_ref()
                                    .map(|l| texts::count(ctx.lang.get(), l.reports.len(), l.more))
                                    .unwrap_or_default()
                            })
                        }
                    }}
                </p>
                <p class="form-error" role="alert">
                    {move || list_error.get().map(|m| m(ctx.t()))}
                </p>
                {move || {
                    list.with(|l| {
                        l.as_ref()
                            .filter(|l| l.reports.is_empty())
                            .map(|_| view! { <p class="empty">{tr!(ctx, no_reports)}</p> })
                    })
                }}
                <ul class="reports">
                    {move || {
                        list.get()
                            .map(|l| {
                                l.reports
                                    .into_iter()
                                    .map(|r| view! { <ReportRow r selected open /> })
                                    .collect_view()
                            })
                    }}
                </ul>
                <div class="pager">
                    <Show when=move || filter.with(|f| f.page > 1)>
                        <button
                            type="button"
                            on:click=move |_| filter.update(|f| f.page = (f.page - 1).max(1))
                        >
                            {tr!(ctx, prev_page)}
                        </button>
                    </Show>
                    <Show when=move || list.with(|l| l.as_ref().is_some_and(|l| l.more))>
                        <button type="button" on:click=move |_| filter.update(|f| f.page += 1)>
                            {tr!(ctx, next_page)}
                        </button>
                    </Show>
                </div>
            </section>
            <section class="detail-pane" aria-labelledby="detail-heading">
                <p class="form-error" role="alert">
                    {move || detail_error.get().map(|m| m(ctx.t()))}
                </p>
                <Show
                    when=move || detail.with(Option::is_some)
                    fallback=move || view! { <p class="pick">{tr!(ctx, pick_report)}</p> }
                >
                    <DetailPane detail selected flash reload=Callback::new(move |_: ()| reload()) />
                </Show>
            </section>
        </div>
    }
}

#[component]
fn ReportRow(
    r: Summary,
    selected: RwSignal<Option<String>>,
    open: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
                on:click={
                    let reference = reference.clone();
                    move |_| open(reference.clone())
                }
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

#[component]
fn Fact(label: Msg, children: Children) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <div>
            <dt>{move || label(ctx.t())}</dt>
            <dd>{children()}</dd>
        </div>
    }
}

#[component]
fn DetailPane(
    detail: RwSignal<Option<Detail>>,
    selected: RwSignal<Option<String>>,
    flash: RwSignal<Option<Msg>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    let me = ctx.me.get_untracked().expect("logged in");
    let reference =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.summary.reference.clone())));
    // The town's text templates (office admin page), offered besides the built-in phrases.
    let town_templates = RwSignal::new(Vec::<admin::Template>::new());
    spawn_local(async move {
        if let Ok(t) = admin::templates().await {
            town_templates.set(t);
        }
    });
    // The photos follow every answer about the report; photo actions answer the photos alone.
    let report_photos = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if let Some(p) = detail.with(|d| d.as_ref().map(|d| d.photos.clone())) {
            report_photos.set(p);
        }
    });
    let current = move || detail.with(|d| d.as_ref().map(|d| d.summary.status));

    // The forms' fields live as long as the pane, so nothing typed is lost on an error.
    let new_state = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let public_note = RwSignal::new(String::new());
    let internal_note = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let status_form = FormState::new();
    let category_form = FormState::new();
    let department_form = FormState::new();
    let description_form = FormState::new();
    let hidden_form = FormState::new();
    let note_form = FormState::new();

    // A different report: start its forms afresh. The fields start from the report shown when
    // the pane is created; the effect only acts on a change of report (its first run may come
    // after the official has begun typing).
    let shown = StoredValue::new(reference.get_untracked());
    if let Some(d) = detail.get_untracked() {
        category.set(d.summary.category.clone());
        department.set(
            d.summary
                .department_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        description.set(d.description.clone());
    }
    Effect::new(move |_| {
        let now = reference.get();
        if now == shown.get_value() {
            return;
        }
        shown.set_value(now);
        let d = detail.get_untracked();
        new_state.set(String::new());
        reason.set(String::new());
        duplicate_of.set(String::new());
        public_note.set(String::new());
        internal_note.set(String::new());
        note.set(String::new());
        if let Some(d) = d {
            category.set(d.summary.category.clone());
            department.set(
                d.summary
                    .department_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            );
            description.set(d.description.clone());
        }
        for f in [
            status_form,
            category_form,
            department_form,
            description_form,
            hidden_form,
            note_form,
        ] {
            f.clear();
        }
    });

    let me_is_admin = me.is_admin();
    let my_department = me.user.department_id;
    let categories_for_routing = StoredValue::new(me.categories.clone());
    let act = move |action: &'static str,
                    body: serde_json::Value,
                    form: FormState,
                    ok: Msg,
                    after: fn(RwSignal<String>, RwSignal<String>, RwSignal<String>)| {
        let Some(reference) = reference.get_untracked() else {
            return;
        };
        if !form.start() {
            return;
        }
        let csrf = ctx.csrf();
        // A new category also routes the report to the category's department; for an editor
        // of another department the server then answers 404 although the change was made.
        let leaves_department = action == "category"
            && !me_is_admin
            && categories_for_routing.with_value(|cats| {
                cats.iter()
                    .find(|c| body["category"] == c.code.as_str())
                    .is_some_and(|c| c.department_id != my_department)
            });
        spawn_local(async move {
            let answer = match api::act(&csrf, &reference, action, &body).await {
                Err(e) if e.status == 404 && leaves_department => Ok(Changed::RoutedAway),
                other => other,
            };
            match answer {
                Ok(Changed::Report(d)) => {
                    form.busy.set(false);
                    description.set(d.description.clone());
                    detail.set(Some(*d));
                    form.done.set(Some(ok));
                    after(public_note, internal_note, note);
                    reload.run(());
                }
                Ok(Changed::RoutedAway) => {
                    form.busy.set(false);
                    detail.set(None);
                    selected.set(None);
                    flash.set(Some(|t| t.routed_away));
                    reload.run(());
                    focus_id("page-heading");
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };

    let submit_status = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = api::status_body(
            &new_state.get_untracked(),
            &reason.get_untracked(),
            &duplicate_of.get_untracked(),
            &public_note.get_untracked(),
            &internal_note.get_untracked(),
        );
        act(
            "status",
            body,
            status_form,
            |t| t.status_saved,
            |p, i, _| {
                p.set(String::new());
                i.set(String::new());
            },
        );
        // The select goes back to "please choose" only on success (see the effect below).
    };
    // After a successful state change the chosen state is the current one: reset the choice.
    Effect::new(move |_| {
        if current().map(|s| s.as_str().to_string()) == Some(new_state.get_untracked()) {
            new_state.set(String::new());
            reason.set(String::new());
            duplicate_of.set(String::new());
        }
    });
    let chosen = move || Status::parse(&new_state.get());
    let categories = me.categories.clone();
    let departments = me.departments.clone();

    view! {
        <div class="detail">
            <button
                type="button"
                class="quiet back"
                on:click=move |_| {
                    selected.set(None);
                    detail.set(None);
                    focus_id("page-heading");
                }
            >
                "← "
                {tr!(ctx, back_to_list)}
            </button>
            {move || detail.get().map(|d| view! { <DetailFacts d /> })}
            <photos::Photos reference photos=report_photos />

            <h3 class="actions-heading">{tr!(ctx, status_heading)}</h3>
            <form class="action" on:submit=submit_status novalidate>
                <div class="field">
                    <label for="st-state">{tr!(ctx, new_state)}</label>
                    <select
                        id="st-state"
                        aria-invalid=move || status_form.invalid(&["status"])
                        aria-describedby="st-state-err"
                        on:change=move |ev| {
                            new_state.set(event_target_value(&ev));
                        }
                    >
                        <option value="" prop:selected=move || new_state.with(String::is_empty)>
                            {tr!(ctx, choose)}
                        </option>
                        {move || {
                            let now = current();
                            Status::PUBLIC
                                .into_iter()
                                .filter(|s| Some(*s) != now)
                                .map(|s| {
                                    view! {
                                        <option
                                            value=s.as_str()
                                            prop:selected=move || new_state.with(|n| n == s.as_str())
                                        >
                                            {move || s.label(ctx.lang.get())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <FieldErr form=status_form names=&["status"] id="st-state-err" />
                </div>
                <Show when=move || chosen() == Some(Status::Closed)>
                    <div class="field">
                        <label for="st-reason">{tr!(ctx, reason)}</label>
                        <select
                            id="st-reason"
                            aria-invalid=move || status_form.invalid(&["reason"])
                            aria-describedby="st-reason-err"
                            on:change=move |ev| reason.set(event_target_value(&ev))
                        >
                            <option value="" prop:selected=move || reason.with(String::is_empty)>
                                {tr!(ctx, choose)}
                            </option>
                            {CloseReason::ALL
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <option
                                            value=r.as_str()
                                            prop:selected=move || reason.with(|x| x == r.as_str())
                                        >
                                            {move || r.label(ctx.lang.get())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldErr form=status_form names=&["reason"] id="st-reason-err" />
                    </div>
                    <Show when=move || reason.with(|r| r == CloseReason::Duplicate.as_str())>
                        <div class="field">
                            <label for="st-duplicate">{tr!(ctx, duplicate_of)}</label>
                            <p class="hint" id="st-duplicate-hint">
                                {tr!(ctx, duplicate_hint)}
                            </p>
                            <input
                                id="st-duplicate"
                                type="text"
                                autocomplete="off"
                                aria-invalid=move || status_form.invalid(&["duplicate_of"])
                                aria-describedby="st-duplicate-hint st-duplicate-err"
                                prop:value=move || duplicate_of.get()
                                on:input=move |ev| duplicate_of.set(event_target_value(&ev))
                            />
                            <FieldErr form=status_form names=&["duplicate_of"] id="st-duplicate-err" />
                        </div>
                    </Show>
                </Show>
                <Show when=move || chosen().is_some()>
                    <div class="field">
                        <label for="st-template">{tr!(ctx, template_label)}</label>
                        <p class="hint" id="st-template-hint">
                            {tr!(ctx, template_hint)}
                        </p>
                        <select
                            id="st-template"
                            aria-describedby="st-template-hint"
                            on:change=move |ev| {
                                let text = event_target_value(&ev);
                                if !text.is_empty() {
                                    public_note.set(text);
                                }
                            }
                        >
                            <option value="" selected>
                                {tr!(ctx, choose)}
                            </option>
                            {move || {
                                chosen()
                                    .map(|s| {
                                        // The built-in phrases, then the town's own templates for this state (or any).
                                        let own = town_templates
                                            .get()
                                            .into_iter()
                                            .filter(|t| t.status.as_deref().is_none_or(|st| st == s.as_str()))
                                            .map(|t| view! { <option value=t.body.clone()>{t.title.clone()}</option> })
                                            .collect_view();
                                        let builtin = texts::templates(ctx.lang.get(), s)
                                            .iter()
                                            .map(|text| view! { <option value=*text>{*text}</option> })
                                            .collect_view();
                                        (builtin, own)
                                    })
                            }}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="st-public">{tr!(ctx, public_note)}</label>
                    <p class="hint" id="st-public-hint">
                        {tr!(ctx, public_note_hint)}
                    </p>
                    <textarea
                        id="st-public"
                        rows="3"
                        maxlength=NOTE_MAX_CHARS
                        aria-invalid=move || status_form.invalid(&["public_note", "note"])
                        aria-describedby="st-public-hint st-public-err"
                        prop:value=move || public_note.get()
                        on:input=move |ev| public_note.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=status_form names=&["public_note", "note"] id="st-public-err" />
                </div>
                <div class="field">
                    <label for="st-internal">{tr!(ctx, internal_note_optional)}</label>
                    <p class="hint" id="st-internal-hint">
                        {tr!(ctx, internal_note_hint)}
                    </p>
                    <textarea
                        id="st-internal"
                        rows="2"
                        maxlength=NOTE_MAX_CHARS
                        aria-invalid=move || status_form.invalid(&["internal_note"])
                        aria-describedby="st-internal-hint st-internal-err"
                        prop:value=move || internal_note.get()
                        on:input=move |ev| internal_note.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=status_form names=&["internal_note"] id="st-internal-err" />
                </div>
                <FormOutcome form=status_form />
                <button type="submit" class="primary">
                    {tr!(ctx, save_status)}
                </button>
            </form>

            <h3 class="actions-heading">{tr!(ctx, internal_note_heading)}</h3>
            <form
                class="action"
                novalidate
                on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    act(
                        "notes",
                        json!({ "text": note.get_untracked() }),
                        note_form,
                        |t| t.note_saved,
                        |_, _, n| n.set(String::new()),
                    );
                }
            >
                <div class="field">
                    <label for="note-text">{tr!(ctx, internal_note)}</label>
                    <textarea
                        id="note-text"
                        rows="2"
                        maxlength=NOTE_MAX_CHARS
                        aria-invalid=move || note_form.invalid(&["text", "note"])
                        aria-describedby="note-text-err"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=note_form names=&["text", "note"] id="note-text-err" />
                </div>
                <FormOutcome form=note_form />
                <button type="submit">{tr!(ctx, add_note)}</button>
            </form>

            <h3 class="actions-heading">{tr!(ctx, category_heading)}</h3>
            <form
                class="action"
                novalidate
                on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    act(
                        "category",
                        json!({ "category": category.get_untracked() }),
                        category_form,
                        |t| t.category_saved,
                        |_, _, _| {},
                    );
                }
            >
                <div class="field">
                    <label for="cat-select">{tr!(ctx, category)}</label>
                    <p class="hint" id="cat-select-hint">
                        {tr!(ctx, category_hint)}
                    </p>
                    <select
                        id="cat-select"
                        aria-invalid=move || category_form.invalid(&["category"])
                        aria-describedby="cat-select-hint cat-select-err"
                        on:change=move |ev| category.set(event_target_value(&ev))
                    >
                        {categories
                            .iter()
                            .map(|c| {
                                let code = c.code.clone();
                                let code2 = c.code.clone();
                                view! {
                                    <option value=code prop:selected=move || category.with(|x| *x == code2)>
                                        {c.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErr form=category_form names=&["category"] id="cat-select-err" />
                </div>
                <FormOutcome form=category_form />
                <button type="submit">{tr!(ctx, save_category)}</button>
            </form>

            <h3 class="actions-heading">{tr!(ctx, department_heading)}</h3>
            <form
                class="action"
                novalidate
                on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    let id = department.get_untracked().parse::<i64>().unwrap_or(-1);
                    act(
                        "department",
                        json!({ "department_id": id }),
                        department_form,
                        |t| t.department_saved,
                        |_, _, _| {},
                    );
                }
            >
                <div class="field">
                    <label for="dep-select">{tr!(ctx, department)}</label>
                    <select
                        id="dep-select"
                        aria-invalid=move || department_form.invalid(&["department_id"])
                        aria-describedby="dep-select-err"
                        on:change=move |ev| department.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || department.with(String::is_empty)>
                            {tr!(ctx, choose)}
                        </option>
                        {departments
                            .iter()
                            .map(|d| {
                                let id = d.id.to_string();
                                let id2 = id.clone();
                                view! {
                                    <option value=id prop:selected=move || department.with(|x| *x == id2)>
                                        {d.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErr form=department_form names=&["department_id"] id="dep-select-err" />
                </div>
                <FormOutcome form=department_form />
                <button type="submit">{tr!(ctx, save_department)}</button>
            </form>

            <h3 class="actions-heading">{tr!(ctx, description_edit_heading)}</h3>
            <form
                class="action"
                novalidate
                on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    act(
                        "description",
                        json!({ "description": description.get_untracked() }),
                        description_form,
                        |t| t.description_saved,
                        |_, _, _| {},
                    );
                }
            >
                <div class="field">
                    <label for="desc-text">{tr!(ctx, description_heading)}</label>
                    <p class="hint" id="desc-text-hint">
                        {tr!(ctx, description_edit_hint)}
                    </p>
                    <textarea
                        id="desc-text"
                        rows="4"
                        maxlength=DESCRIPTION_MAX_CHARS
                        aria-invalid=move || description_form.invalid(&["description"])
                        aria-describedby="desc-text-hint desc-text-err"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=description_form names=&["description"] id="desc-text-err" />
                </div>
                <FormOutcome form=description_form />
                <button type="submit">{tr!(ctx, save_description)}</button>
            </form>

            <h3 class="actions-heading">{tr!(ctx, visibility_heading)}</h3>
            <div class="action">
                <p>
                    {move || {
                        if detail.with(|d| d.as_ref().is_some_and(|d| d.summary.hidden)) {
                            ctx.t().hidden_now
                        } else {
                            ctx.t().visible_now
                        }
                    }}
                </p>
                <FormOutcome form=hidden_form />
                <button
                    type="button"
                    on:click=move |_| {
                        let hide = !detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.summary.hidden));
                        let ok: Msg = if hide { |t| t.hidden_saved } else { |t| t.unhidden_saved };
                        act("hidden", json!({ "hidden": hide }), hidden_form, ok, |_, _, _| {});
                    }
                >
                    {move || {
                        if detail.with(|d| d.as_ref().is_some_and(|d| d.summary.hidden)) {
                            ctx.t().unhide
                        } else {
                            ctx.t().hide
                        }
                    }}
                </button>
            </div>
        </div>
    }
}

#[component]
fn DetailFacts(d: Detail) -> impl IntoView {
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
            <Fact label=|t| t.department>
                {move || department.clone().unwrap_or_else(|| ctx.t().no_department.into())}
            </Fact>
            <Fact label=|t| t.created>
                {move || local_time(ctx.lang.get(), &created)}
                " ("
                {move || texts::age(ctx.lang.get(), seconds_since(&created2))}
                ")"
            </Fact>
            <Fact label=|t| t.updated>{move || local_time(ctx.lang.get(), &updated)}</Fact>
            <Fact label=|t| t.location>{location}</Fact>
            <Fact label=|t| t.supporters>{s.supporters}</Fact>
            <Fact label=|t| t.reporter_mail>
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
                    view! { <Fact label=|t| t.close_reason>{move || r.label(ctx.lang.get())}</Fact> }
                })}
            {duplicate_of.map(|o| view! { <Fact label=|t| t.duplicate_of_label>{o}</Fact> })}
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

// ---------- embed ----------

#[component]
fn Embed() -> impl IntoView {
    let ctx = use_ctx();
    let slug = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    let origin = origin();
    let copied = RwSignal::new(None::<Msg>);
    let widgets: [(&'static str, Msg, &'static str); 3] = [
        ("civic-reports", |t| t.embed_reports, "embed-reports"),
        ("civic-mailbox", |t| t.embed_mailbox, "embed-mailbox"),
        ("civic-poll", |t| t.embed_poll, "embed-poll"),
    ];
    let preview = format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"margin:0;font-family:sans-serif\">{}</body></html>",
        embed_snippet(&origin, "civic-reports", &slug)
    );
    view! {
        <section aria-labelledby="page-heading" class="embed">
            <h1 id="page-heading" tabindex="-1">
                {tr!(ctx, embed_heading)}
            </h1>
            <p>{tr!(ctx, embed_intro)}</p>
            <p class="form-done" role="status">
                {move || copied.get().map(|m| m(ctx.t()))}
            </p>
            {widgets
                .into_iter()
                .map(|(element, label, id)| {
                    let code = embed_snippet(&origin, element, &slug);
                    let code2 = code.clone();
                    view! {
                        <div class="field snippet">
                            <h2>
                                <label for=id>{move || label(ctx.t())}</label>
                            </h2>
                            {(element == "civic-poll")
                                .then(|| view! { <p class="hint">{tr!(ctx, embed_poll_hint)}</p> })}
                            <textarea id=id readonly rows="3" spellcheck="false">
                                {code}
                            </textarea>
                            <button
                                type="button"
                                on:click=move |_| {
                                    let code = code2.clone();
                                    copy_text(id, code, copied);
                                }
                            >
                                {tr!(ctx, copy)}
                                <span class="sr-only">": " {move || label(ctx.t())}</span>
                            </button>
                        </div>
                    }
                })
                .collect_view()}
            <h2>{tr!(ctx, preview_heading)}</h2>
            <p class="hint">{tr!(ctx, preview_hint)}</p>
            <iframe class="preview" title=tr!(ctx, preview_title) srcdoc=preview></iframe>
        </section>
    }
}

/// Copies to the clipboard; where that is not allowed, selects the text for Ctrl+C.
fn copy_text(id: &'static str, text: String, outcome: RwSignal<Option<Msg>>) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let select = move || {
            if let Some(area) = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                let _ = area.focus();
                area.select();
            }
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => outcome.set(Some(|t| t.copied)),
                Err(_) => {
                    select();
                    outcome.set(Some(|t| t.copy_failed));
                }
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (id, text);
        outcome.set(Some(|t| t.copied));
    }
}

// ---------- admin ----------

#[component]
fn SettingsPage() -> impl IntoView {
    let ctx = use_ctx();
    let premoderation = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    spawn_local(async move {
        match api::settings().await {
            Ok(s) => {
                premoderation.set(s.premoderation);
                days.set(s.response_days.to_string());
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !form.start() {
            return;
        }
        let csrf = ctx.csrf();
        let (p, d) = (premoderation.get_untracked(), days.get_untracked());
        spawn_local(async move {
            match api::save_settings(&csrf, p, &d).await {
                Ok(s) => {
                    form.busy.set(false);
                    premoderation.set(s.premoderation);
                    days.set(s.response_days.to_string());
                    ctx.me.update(|m| {
                        if let Some(m) = m {
                            m.tenant.premoderation = s.premoderation;
                            m.tenant.response_days = s.response_days;
                        }
                    });
                    form.done.set(Some(|t| t.settings_saved));
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section aria-labelledby="page-heading" class="settings">
            <h1 id="page-heading" tabindex="-1">
                {tr!(ctx, settings_heading)}
            </h1>
            <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <form class="action" novalidate on:submit=submit>
                    <div class="field check">
                        <input
                            id="set-premoderation"
                            type="checkbox"
                            aria-describedby="set-premoderation-hint"
                            prop:checked=move || premoderation.get()
                            on:change=move |ev| premoderation.set(event_target_checked(&ev))
                        />
                        <label for="set-premoderation">{tr!(ctx, premoderation)}</label>
                        <p class="hint" id="set-premoderation-hint">
                            {tr!(ctx, premoderation_hint)}
                        </p>
                    </div>
                    <div class="field">
                        <label for="set-days">{tr!(ctx, response_days)}</label>
                        <p class="hint" id="set-days-hint">
                            {tr!(ctx, response_days_hint)}
                        </p>
                        <input
                            id="set-days"
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max="60"
                            aria-invalid=move || form.invalid(&["response_days"])
                            aria-describedby="set-days-hint set-days-err"
                            prop:value=move || days.get()
                            on:input=move |ev| days.set(event_target_value(&ev))
                        />
                        <FieldErr form names=&["response_days"] id="set-days-err" />
                    </div>
                    <FormOutcome form />
                    <button type="submit" class="primary">
                        {tr!(ctx, save_settings)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

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
fn AuditPage() -> impl IntoView {
    let ctx = use_ctx();
    let entries = RwSignal::new(None::<Vec<api::AuditEntry>>);
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
                                                            {move || user.clone().unwrap_or_else(|| ctx.t().audit_system.into())}
                                                        </td>
                                                        <td>
                                                            {move || texts::audit_action(ctx.lang.get(), &action)}
                                                        </td>
                                                        <td class="subject">{e.subject.clone().unwrap_or_default()}</td>
                                                        <td class="change">{audit_change(&e.before, &e.after)}</td>
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

    #[test]
    fn snippets_name_the_loader_and_the_tenant() {
        assert_eq!(
            embed_snippet("https://buerger.example", "civic-reports", "musterstadt"),
            "<script src=\"https://buerger.example/widgets/civic.js\" defer></script>\n<civic-reports data-tenant=\"musterstadt\"></civic-reports>"
        );
        assert!(embed_snippet("https://x", "civic-poll", "t").contains("data-poll=\"UMFRAGE-ID\""));
    }

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

    #[test]
    fn field_errors_follow_the_page_language() {
        let e = FieldMsg {
            field: "public_note".into(),
            code: "required".into(),
            message: "Bitte ausfüllen".into(),
        };
        assert_eq!(field_text(&texts::EN, &e), "Please fill in.");
        let dup = FieldMsg {
            field: "duplicate_of".into(),
            code: "invalid_value".into(),
            message: String::new(),
        };
        assert_eq!(
            field_text(&texts::DE, &dup),
            "Eine Meldung mit diesem Aktenzeichen gibt es nicht."
        );
    }
}
