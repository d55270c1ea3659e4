//! One module per page of the office, each composed from `crate::components`.

pub mod admin;
pub mod audit;
pub mod embed;
pub mod login;
pub mod mailbox_settings;
pub mod messages;
pub mod moderation;
pub mod polls;
pub mod privacy;
pub mod reports;
pub mod settings;
pub mod stats;
pub mod town;

use crate::app::use_ctx;
use crate::routes::Page;
use leptos::prelude::*;

/// The page the URL names. The administrators' pages show the inbox to an editor who follows
/// a link to one (the server would refuse every call on them anyway).
pub fn view(page: Page) -> AnyView {
    let admin_only = matches!(
        page,
        Page::MailboxSettings
            | Page::Polls
            | Page::Admin
            | Page::Town
            | Page::Audit
            | Page::Privacy
            | Page::Stats
    );
    let is_admin = use_ctx()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.is_admin()));
    let page = if admin_only && !is_admin {
        Page::Reports
    } else {
        page
    };
    match page {
        Page::Reports => view! { <reports::ReportsPage /> }.into_any(),
        Page::ReportMap => view! { <reports::ReportsPage map=true /> }.into_any(),
        Page::Messages => view! { <messages::MessagesPage /> }.into_any(),
        Page::Embed => view! { <embed::EmbedPage /> }.into_any(),
        Page::Town => view! { <town::TownPage /> }.into_any(),
        Page::Audit => view! { <audit::AuditPage /> }.into_any(),
        Page::MailboxSettings => view! { <mailbox_settings::MailboxSettingsPage /> }.into_any(),
        Page::Polls => view! { <polls::PollsPage /> }.into_any(),
        Page::Admin => view! { <admin::AdminPage /> }.into_any(),
        Page::Moderation => view! { <moderation::ModerationPage /> }.into_any(),
        Page::Privacy => view! { <privacy::PrivacyPage /> }.into_any(),
        Page::Stats => stats::view(use_ctx()),
    }
}
