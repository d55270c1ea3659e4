//! The office's URLs. Every page has its own, so that a mail to an official can link straight
//! to a report or message, and the browser's back and forward buttons work:
//!
//! | URL | page |
//! | --- | --- |
//! | `/office` | reports inbox |
//! | `/office/reports/M-2026-00042` | the inbox with that report open |
//! | `/office/reports/map`, `/office/reports/map/M-2026-00042` | the inbox as a map, with that report open |
//! | `/office/messages`, `/office/messages/B-2026-00017` | mailbox, with that message open |
//! | `/office/polls`, `/office/polls/<slug>` | polls, with that poll's results open |
//! | `/office/town` | the town page (`/office/settings`, its former place, shows it too) |
//! | `/office/audit`, `/office/admin`, `/office/embed`, `/office/mailbox-settings`, `/office/moderation`, `/office/privacy`, `/office/stats` | those pages |
//!
//! `?lang=en` is kept on every navigation; the inbox keeps its filters in the query too
//! (`?status=received&category=muell`), so a filtered list or map can be bookmarked and the
//! switch between list and map keeps them. Anything else under `/office` shows the inbox.

use crate::fetch::encode;
use civickit_model::Lang;

pub const BASE: &str = "/office";

/// A page of the office, without what it has open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Reports,
    /// The inbox as a map.
    ReportMap,
    Messages,
    Polls,
    Town,
    Audit,
    Admin,
    Embed,
    MailboxSettings,
    /// Citizens' flags on public reports and photos.
    Moderation,
    /// Data protection (admins): retention, inventory, access and erasure, statements.
    Privacy,
    /// The processing statistics, exact and per department (admins).
    Stats,
}

/// Where the office is: the page and the entry it has open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub page: Page,
    pub open: Option<String>,
}

impl Route {
    pub fn page(page: Page) -> Route {
        Route { page, open: None }
    }

    pub fn report(reference: &str) -> Route {
        Route {
            page: Page::Reports,
            open: Some(reference.to_string()),
        }
    }

    /// A report opened from the map (the map stays beside it).
    pub fn map_report(reference: &str) -> Route {
        Route {
            page: Page::ReportMap,
            open: Some(reference.to_string()),
        }
    }

    /// Whether this is the inbox, as a list or as a map.
    pub fn is_inbox(&self) -> bool {
        matches!(self.page, Page::Reports | Page::ReportMap)
    }

    pub fn message(reference: &str) -> Route {
        Route {
            page: Page::Messages,
            open: Some(reference.to_string()),
        }
    }

    pub fn poll(slug: &str) -> Route {
        Route {
            page: Page::Polls,
            open: Some(slug.to_string()),
        }
    }

    /// Reads a location's path (`/office/reports/M-2026-00042`).
    pub fn parse(path: &str) -> Route {
        let rest = path.strip_prefix(BASE).unwrap_or("");
        let mut parts = rest.split('/').filter(|p| !p.is_empty());
        let first = parts.next().unwrap_or("");
        let mut second = parts.next();
        let page = match first {
            // No reference is called `map` (they look like `M-2026-00042`).
            "reports" if second == Some("map") => {
                second = parts.next();
                Page::ReportMap
            }
            "reports" => Page::Reports,
            "messages" => Page::Messages,
            "polls" => Page::Polls,
            // The settings page became a section of the town page; old links still work.
            "town" | "settings" => Page::Town,
            "audit" => Page::Audit,
            "admin" => Page::Admin,
            "embed" => Page::Embed,
            "mailbox-settings" => Page::MailboxSettings,
            "moderation" => Page::Moderation,
            "privacy" => Page::Privacy,
            "stats" => Page::Stats,
            _ => return Route::page(Page::Reports),
        };
        let open = second.map(decode).filter(|s| !s.is_empty());
        let open = match page {
            Page::Reports | Page::ReportMap | Page::Messages | Page::Polls => open,
            _ => None,
        };
        Route { page, open }
    }

    /// The URL of this place, with `?lang=en` when the page is in English.
    pub fn url(&self, lang: Lang) -> String {
        self.url_with(lang, "")
    }

    /// The URL of this place with a query (the inbox's filters, without `?`) before `lang`.
    pub fn url_with(&self, lang: Lang, query: &str) -> String {
        let section = match self.page {
            Page::Reports => "reports",
            Page::ReportMap => "reports/map",
            Page::Messages => "messages",
            Page::Polls => "polls",
            Page::Town => "town",
            Page::Audit => "audit",
            Page::Admin => "admin",
            Page::Embed => "embed",
            Page::MailboxSettings => "mailbox-settings",
            Page::Moderation => "moderation",
            Page::Privacy => "privacy",
            Page::Stats => "stats",
        };
        let path = match (&self.page, &self.open) {
            (Page::Reports, None) => BASE.to_string(),
            (_, None) => format!("{BASE}/{section}"),
            (_, Some(open)) => format!("{BASE}/{section}/{}", encode(open)),
        };
        let mut query = query.to_string();
        if lang == Lang::En {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("lang=en");
        }
        crate::fetch::with_query(&path, &query)
    }
}

/// Undoes the percent-encoding of a path segment or query value (references and slugs are
/// plain ASCII, but a hand-typed link may encode them anyway).
pub fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_a_url_that_reads_back_as_itself() {
        let places = [
            Route::page(Page::Reports),
            Route::report("M-2026-00042"),
            Route::page(Page::ReportMap),
            Route::map_report("M-2026-00042"),
            Route::page(Page::Messages),
            Route::message("B-2026-00017"),
            Route::page(Page::Polls),
            Route::poll("spielplatz"),
            Route::page(Page::Town),
            Route::page(Page::Audit),
            Route::page(Page::Admin),
            Route::page(Page::Embed),
            Route::page(Page::MailboxSettings),
            Route::page(Page::Moderation),
            Route::page(Page::Privacy),
            Route::page(Page::Stats),
        ];
        for place in places {
            let url = place.url(Lang::De);
            assert_eq!(Route::parse(&url), place, "{url}");
        }
        assert_eq!(
            Route::report("M-2026-00042").url(Lang::De),
            "/office/reports/M-2026-00042"
        );
        assert_eq!(Route::page(Page::Reports).url(Lang::En), "/office?lang=en");
        assert_eq!(
            Route::map_report("M-2026-00042").url(Lang::De),
            "/office/reports/map/M-2026-00042"
        );
        assert_eq!(
            Route::page(Page::ReportMap).url_with(Lang::En, "status=received"),
            "/office/reports/map?status=received&lang=en"
        );
        assert_eq!(
            Route::page(Page::ReportMap).url_with(Lang::De, ""),
            "/office/reports/map"
        );
        assert_eq!(
            Route::page(Page::MailboxSettings).url(Lang::De),
            "/office/mailbox-settings"
        );
    }

    #[test]
    fn unknown_and_half_urls_show_the_inbox() {
        assert_eq!(Route::parse("/office"), Route::page(Page::Reports));
        assert_eq!(Route::parse("/office/"), Route::page(Page::Reports));
        assert_eq!(
            Route::parse("/office/nothing-here"),
            Route::page(Page::Reports)
        );
        assert_eq!(Route::parse("/office/reports/"), Route::page(Page::Reports));
        assert_eq!(Route::parse("/office/settings/x"), Route::page(Page::Town));
        assert_eq!(Route::parse("/office/settings"), Route::page(Page::Town));
        assert_eq!(Route::page(Page::Town).url(Lang::De), "/office/town");
        assert_eq!(
            Route::parse("/office/messages/B%2D1"),
            Route::message("B-1")
        );
    }
}
