//! Bodies of the widget API (`/api/v1/{tenant}/…`, `docs/widget-api.md`): config, reports,
//! mailbox, polls, photo uploads, challenges, flags and statistics.
//!
//! Field order is the order the server has always written (answers are compared byte for byte
//! by caches and by people reading them); optional fields are left out, never `null`, because
//! that is what the widgets and third-party integrations have been reading.

mod abuse;
mod config;
mod mailbox;
mod map;
mod photos;
mod places;
mod polls;
mod reports;
mod stats;

pub use abuse::{Challenge, FlagReason, FlagReceived, FlagRequest, Purpose, FLAG_TEXT_MAX_CHARS};
pub use config::{Category, CloseReasonInfo, Config, MapConfig, StateInfo, Tiles};
pub use mailbox::{MailboxConfig, MessageKind, MessageSent, NewMessageRequest};
pub use map::{
    MapAnswer, MapCluster, MapPoint, CELLS_PER_TILE_AXIS, MAX_ZOOM, POINTS_MAX, TILES_MAX_PER_AXIS,
};
pub use photos::{PhotoKind, PhotoStatus, PhotoUploaded, PublicPhoto};
pub use places::{NearPlace, Place, ReverseAnswer, SearchAnswer};
pub use polls::{
    BallotAnswer, OptionResult, Poll, PollDefinition, PollResults, QuestionResult, VoteAnswer,
    VoteRequest,
};
pub use reports::{
    NearbyList, NearbyReport, NewReportRequest, PublicNote, ReportCreated, ReportDetail,
    ReportList, ReportSummary, SupportAnswer, SupportRequest,
};
pub use stats::{
    CategoryFigures, Count, CountyAnswer, Days, DepartmentFigures, Figures, KindCount,
    MailboxFigures, MonthFigures, ReasonCount, StateCount, StatsAnswer, TownFigures, PERIODS,
    SMALL_CELL,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LatLng, Status};

    fn summary(position: Option<LatLng>) -> ReportSummary {
        ReportSummary {
            reference: "M-2026-00042".into(),
            status: Status::Received,
            category: "muell".into(),
            created: "2026-11-22T10:15:00Z".into(),
            summary: "Unrat".into(),
            supporters: 0,
            position,
            address: None,
        }
    }

    #[test]
    fn a_report_without_position_has_no_lat_lng_and_reads_back() {
        let json = serde_json::to_string(&summary(None)).unwrap();
        assert_eq!(
            json,
            r#"{"ref":"M-2026-00042","status":"received","category":"muell","created":"2026-11-22T10:15:00Z","summary":"Unrat","supporters":0}"#
        );
        let back: ReportSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, summary(None));
    }

    #[test]
    fn a_nearby_report_is_the_summary_plus_its_distance() {
        let near = NearbyReport {
            report: summary(Some(LatLng::new(50.5, 9.6))),
            distance_m: 120.0,
        };
        let json = serde_json::to_string(&near).unwrap();
        assert!(
            json.ends_with(r#""supporters":0,"lat":50.5,"lng":9.6,"distance_m":120.0}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<NearbyReport>(&json).unwrap(), near);
    }

    #[test]
    fn request_bodies_refuse_unknown_fields_and_read_left_out_texts_as_empty() {
        let typo = r#"{"category":"muell","descripton":"x","description":"x"}"#;
        assert!(serde_json::from_str::<NewReportRequest>(typo).is_err());
        let missing = r#"{"category":"muell"}"#;
        let missing: NewReportRequest = serde_json::from_str(missing).unwrap();
        assert_eq!(
            missing.description, "",
            "validation then answers `required`"
        );
        let vote = r#"{"answers":[{"question":1}]}"#;
        let vote: VoteRequest = serde_json::from_str(vote).unwrap();
        assert_eq!(vote.ballot(), vec![(1, vec![])]);
    }
}
