//! Bodies of the widget API (`/api/v1/{tenant}/…`, `docs/widget-api.md`): config, reports,
//! mailbox, polls, photo uploads.
