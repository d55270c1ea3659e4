//! The frame of the office page: what every page shares ([`Ctx`]), the header with the language
//! switch, the user's tools and the navigation, and which page the URL names.

use crate::api::{self, Me};
use crate::browser::{self, apply_lang, focus_id, initial_lang};
use crate::fetch::{self, ApiError};
use crate::pages;
use crate::routes::{Page, Route};
use crate::texts::{texts, Texts};
use crate::Msg;
use civickit_model::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `tr!(ctx, field)`: a reactive text node / attribute for `Texts::field`.
macro_rules! tr {
    ($ctx:expr, $field:ident) => {
        move || $ctx.t().$field
    };
}
pub(crate) use tr;

/// What every part of the page shares.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub me: RwSignal<Option<Me>>,
    /// A message for the login form (logged out, session expired).
    pub notice: RwSignal<Option<Msg>>,
    /// Where the URL says the office is.
    pub route: Memo<Route>,
    /// Counts the visits through the navigation: choosing a page there shows it afresh (its
    /// data loaded again) even when it is already shown.
    visits: RwSignal<u32>,
    /// The path of the page's URL, kept in step with the browser's history.
    path: RwSignal<String>,
}

impl Ctx {
    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }

    /// Goes to a place of the office (a new history entry, so "back" returns).
    pub fn go(&self, to: Route) {
        self.go_with_query(to, "");
    }

    /// Goes to a place with a query (the inbox's filters, which the page there reads).
    pub fn go_with_query(&self, to: Route, query: &str) {
        let url = to.url_with(self.lang.get_untracked(), query);
        browser::push_url(&url);
        self.path.set(browser::current_path());
    }

    /// The message for a failed call (a 401 has already ended the session, see `fetch`).
    pub fn fail(&self, e: &ApiError) -> Msg {
        match e.status {
            0 => |t| t.err_network,
            401 => |t| t.session_expired,
            403 => |t| t.err_forbidden,
            404 => |t| t.err_not_found,
            409 => |t| t.err_conflict,
            422 => |t| t.err_check_fields,
            429 => |t| t.err_rate_limited,
            _ => |t| t.err_generic,
        }
    }

    /// Takes a session: the page shows what the URL names.
    pub fn logged_in(&self, me: Me) {
        fetch::set_csrf(&me.csrf_token);
        self.notice.set(None);
        self.me.set(Some(me));
    }

    /// Ends the session on the page with a note for the login form.
    pub fn logged_out(&self, notice: Msg) {
        fetch::set_csrf("");
        self.notice.set(Some(notice));
        self.me.set(None);
    }

    pub fn is_admin(&self) -> bool {
        self.me.with(|m| m.as_ref().is_some_and(Me::is_admin))
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

#[component]
pub fn App() -> impl IntoView {
    let path = RwSignal::new(browser::current_path());
    // Back and forward: the page follows the URL the browser went to.
    browser::on_history_move(move || path.set(browser::current_path()));
    let ctx = Ctx {
        lang: RwSignal::new(initial_lang()),
        me: RwSignal::new(None),
        notice: RwSignal::new(None),
        visits: RwSignal::new(0),
        route: Memo::new(move |_| path.with(|p| Route::parse(p))),
        path,
    };
    provide_context(ctx);
    // Any answer 401 while logged in: back to the login, which then shows the same URL.
    fetch::on_session_end(move || {
        if ctx.me.with_untracked(Option::is_some) {
            ctx.logged_out(|t| t.session_expired);
        }
    });
    let ready = RwSignal::new(false);
    Effect::new(move |_| apply_lang(ctx.lang.get()));
    spawn_local(async move {
        if let Ok(me) = api::me().await {
            ctx.logged_in(me);
        }
        ready.set(true);
    });
    let logged_in = Memo::new(move |_| ctx.me.with(Option::is_some));
    // The page shown, and how often it was chosen in the navigation: one change of either
    // (both come together from a click there) shows the page afresh, once.
    let page = Memo::new(move |_| (ctx.route.with(|r| r.page), ctx.visits.get()));
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
                    view! { <pages::login::Login /> }.into_any()
                } else {
                    pages::view(page.get().0)
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
        spawn_local(async move {
            // Even if the server cannot be reached, the page forgets the session.
            let _ = api::logout(everywhere).await;
            busy.set(false);
            ctx.logged_out(if everywhere {
                |t| t.logged_out_everywhere
            } else {
                |t| t.logged_out
            });
            ctx.go(Route::page(Page::Reports));
            focus_id("login-heading");
        });
    };
    view! {
        <p class="who">
            <span class="sr-only">{tr!(ctx, signed_in_as)} " "</span>
            {move || ctx.me.with(|m| m.as_ref().map(|m| m.user.email.clone()))}
            " ("
            {move || if ctx.is_admin() { ctx.t().role_admin } else { ctx.t().role_editor }}
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
    let is_admin = Memo::new(move |_| ctx.is_admin());
    let item = move |page: Page, label: Msg| {
        view! {
            <li>
                <button
                    type="button"
                    aria-current=move || {
                        ctx.route
                            .with(|r| r.page == page || (page == Page::Reports && r.is_inbox()))
                            .then_some("page")
                    }
                    on:click=move |_| {
                        ctx.go(Route::page(page));
                        ctx.visits.update(|v| *v += 1);
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
                {item(Page::Messages, |t| t.nav_mailbox)}
                {item(Page::Moderation, |t| t.nav_moderation)}
                {item(Page::Embed, |t| t.nav_embed)}
                <Show when=move || is_admin.get()>
                    {item(Page::MailboxSettings, |t| t.nav_mailbox_admin)}
                    {item(Page::Polls, |t| t.nav_polls)}
                    {item(Page::Admin, |t| t.nav_admin)}
                    {item(Page::Town, |t| t.nav_town)}
                    {item(Page::Audit, |t| t.nav_audit)}
                    {item(Page::Privacy, |t| t.nav_privacy)}
                    {item(Page::Stats, |t| t.nav_stats)}
                </Show>
            </ul>
        </nav>
    }
}
