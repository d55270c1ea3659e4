//! Bodies of the office API (`/office/api/…`, `docs/office-api.md`).
