//! Every answer the widgets read, filled field by field into the `civickit_model::api` types
//! that the server serialises. Struct literals on purpose: a field added to or renamed in the
//! model does not compile here until the reader knows it. The keys are checked against
//! serde's serialisation by the tests in `tests.rs`.
//!
//! Lenient like the old widget-local types: a missing text reads as empty, a missing number
//! as 0; only what a widget cannot work without (a reference, a state, the map's centre) makes
//! the whole answer unreadable.

use super::json::{variant, FromJson, Value};
use civickit_model::api::widget::{
    Category, CloseReasonInfo, Config, FlagReceived, MailboxConfig, MapAnswer, MapCluster,
    MapConfig, MapPoint, MessageKind, MessageSent, NearPlace, NearbyList, NearbyReport,
    OptionResult, PhotoKind, PhotoStatus, PhotoUploaded, Place, Poll, PollDefinition, PollResults,
    PublicNote, PublicPhoto, QuestionResult, ReportCreated, ReportDetail, ReportList,
    ReportSummary, ReverseAnswer, SearchAnswer, StateInfo, SupportAnswer, Tiles, VoteAnswer,
};
use civickit_model::api::{ErrorBody, ErrorKind, FieldMessage};
use civickit_model::poll::{PollMode, PollOption, PollState, Question, QuestionKind, Visibility};
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{
    Area, BBox, CloseReason, LatLng, Marker, Polygon, Status, TrafficLight, ValidationCode,
};

/// `{"lat", "lng"}` (a position object, or the flattened position of a report).
fn latlng<V: Value>(j: &V) -> Option<LatLng> {
    Some(LatLng::new(j.num("lat")?, j.num("lng")?))
}

fn ring<V: Value>(j: &[V]) -> Vec<LatLng> {
    j.iter().filter_map(latlng).collect()
}

fn polygon<V: Value>(j: &V) -> Polygon {
    Polygon {
        outer: ring(&j.list("outer")),
        holes: j.list("holes").iter().map(|h| ring(&h.items())).collect(),
    }
}

fn status<V: Value>(j: &V, key: &str) -> Option<Status> {
    Status::parse(&j.str(key))
}

impl FromJson for Config {
    fn from_json<V: Value>(j: &V) -> Option<Config> {
        let map = j.get("map");
        let tiles = j.get("tiles");
        let bounds = map.get("bounds");
        Some(Config {
            slug: j.str("slug"),
            name: j.str("name"),
            map: MapConfig {
                center: latlng(&map.get("center"))?,
                zoom: map.num("zoom")? as i64,
                min_zoom: map.num("min_zoom")? as i64,
                max_zoom: map.num("max_zoom")? as i64,
                bounds: BBox {
                    south: bounds.num("south").unwrap_or(0.0),
                    west: bounds.num("west").unwrap_or(0.0),
                    north: bounds.num("north").unwrap_or(0.0),
                    east: bounds.num("east").unwrap_or(0.0),
                },
                area: Area {
                    polygons: map
                        .get("area")
                        .list("polygons")
                        .iter()
                        .map(polygon)
                        .collect(),
                },
            },
            tiles: Tiles {
                url: tiles.opt_str("url")?,
                attribution: tiles.str("attribution"),
            },
            categories: j
                .list("categories")
                .iter()
                .map(|c| Category {
                    code: c.str("code"),
                    name: c.str("name"),
                    group: c.str("group"),
                    description: c.str("description"),
                })
                .collect(),
            states: j
                .list("states")
                .iter()
                .filter_map(|s| {
                    Some(StateInfo {
                        state: status(s, "state")?,
                        label: s.str("label"),
                        legend: s.str("legend"),
                        color: variant(
                            &[
                                TrafficLight::Red,
                                TrafficLight::Yellow,
                                TrafficLight::Green,
                                TrafficLight::Grey,
                            ],
                            TrafficLight::as_str,
                            &s.str("color"),
                        )?,
                        hex: s.str("hex"),
                        marker: variant(
                            &[
                                Marker::Triangle,
                                Marker::Diamond,
                                Marker::Circle,
                                Marker::Square,
                            ],
                            Marker::as_str,
                            &s.str("marker"),
                        )?,
                    })
                })
                .collect(),
            close_reasons: j
                .list("close_reasons")
                .iter()
                .filter_map(|r| {
                    Some(CloseReasonInfo {
                        reason: CloseReason::parse(&r.str("reason"))?,
                        label: r.str("label"),
                    })
                })
                .collect(),
            privacy_url: j.str("privacy_url"),
            duplicate_radius_m: j.num("duplicate_radius_m").unwrap_or(250.0),
            description_max_chars: j
                .num("description_max_chars")
                .map_or(DESCRIPTION_MAX_CHARS, |n| n as usize),
        })
    }
}

impl FromJson for ReportSummary {
    fn from_json<V: Value>(j: &V) -> Option<ReportSummary> {
        Some(ReportSummary {
            reference: j.opt_str("ref")?,
            status: status(j, "status")?,
            category: j.str("category"),
            created: j.str("created"),
            summary: j.str("summary"),
            supporters: j.int("supporters"),
            position: latlng(j),
            address: j.opt_str("address"),
        })
    }
}

impl FromJson for ReportList {
    fn from_json<V: Value>(j: &V) -> Option<ReportList> {
        Some(ReportList {
            reports: j
                .list("reports")
                .iter()
                .filter_map(ReportSummary::from_json)
                .collect(),
            truncated: j.bool("truncated"),
        })
    }
}

/// `{"total", "points": [[ref, status, category, lat, lng]], "clusters": [[lat, lng, [counts]]]}`:
/// rows are arrays, read by index (`"0"` is a key of a JS array as of any object).
impl FromJson for MapAnswer {
    fn from_json<V: Value>(j: &V) -> Option<MapAnswer> {
        Some(MapAnswer {
            total: j.num("total")? as u64,
            points: j
                .list("points")
                .iter()
                .filter_map(|p| {
                    Some(MapPoint {
                        reference: p.opt_str("0")?,
                        status: status(p, "1")?,
                        category: p.str("2"),
                        lat: p.num("3")?,
                        lng: p.num("4")?,
                    })
                })
                .collect(),
            clusters: j
                .list("clusters")
                .iter()
                .filter_map(|c| {
                    let n = c.get("2");
                    let count = |i: &str| n.num(i).unwrap_or(0.0) as u32;
                    Some(MapCluster {
                        lat: c.num("0")?,
                        lng: c.num("1")?,
                        counts: [count("0"), count("1"), count("2"), count("3")],
                    })
                })
                .collect(),
        })
    }
}

impl FromJson for NearbyList {
    fn from_json<V: Value>(j: &V) -> Option<NearbyList> {
        Some(NearbyList {
            reports: j
                .list("reports")
                .iter()
                .filter_map(|r| {
                    Some(NearbyReport {
                        report: ReportSummary::from_json(r)?,
                        distance_m: r.num("distance_m").unwrap_or(0.0),
                    })
                })
                .collect(),
        })
    }
}

impl FromJson for Place {
    fn from_json<V: Value>(j: &V) -> Option<Place> {
        Some(Place {
            label: j.opt_str("label")?,
            street: j.str("street"),
            housenumber: j.opt_str("housenumber"),
            position: latlng(j)?,
        })
    }
}

impl FromJson for ReverseAnswer {
    fn from_json<V: Value>(j: &V) -> Option<ReverseAnswer> {
        let p = j.get("place");
        Some(ReverseAnswer {
            place: Place::from_json(&p).map(|place| NearPlace {
                place,
                distance_m: p.num("distance_m").unwrap_or(0.0),
            }),
        })
    }
}

impl FromJson for SearchAnswer {
    fn from_json<V: Value>(j: &V) -> Option<SearchAnswer> {
        Some(SearchAnswer {
            places: j
                .list("places")
                .iter()
                .filter_map(Place::from_json)
                .collect(),
        })
    }
}

impl FromJson for ReportDetail {
    fn from_json<V: Value>(j: &V) -> Option<ReportDetail> {
        Some(ReportDetail {
            reference: j.opt_str("ref")?,
            status: status(j, "status")?,
            category: j.str("category"),
            category_name: j.str("category_name"),
            description: j.str("description"),
            created: j.str("created"),
            updated: j.str("updated"),
            supporters: j.int("supporters"),
            photos: j
                .list("photos")
                .iter()
                .filter_map(|p| {
                    Some(PublicPhoto {
                        kind: PhotoKind::parse(&p.str("kind"))?,
                        url: p.opt_str("url")?,
                        thumb_url: p.str("thumb_url"),
                        width: p.int("width"),
                        height: p.int("height"),
                    })
                })
                .collect(),
            notes: j
                .list("notes")
                .iter()
                .filter_map(|n| {
                    Some(PublicNote {
                        at: n.str("at"),
                        status: status(n, "status")?,
                        text: n.str("text"),
                    })
                })
                .collect(),
            close_reason: CloseReason::parse(&j.str("close_reason")),
            position: latlng(j),
            address: j.opt_str("address"),
        })
    }
}

impl FromJson for ReportCreated {
    fn from_json<V: Value>(j: &V) -> Option<ReportCreated> {
        Some(ReportCreated {
            reference: j.opt_str("ref")?,
            status: status(j, "status")?,
            tracking_url: j.str("tracking_url"),
            tracking_token: j.str("tracking_token"),
            report: ReportDetail::from_json(&j.get("report"))?,
        })
    }
}

impl FromJson for SupportAnswer {
    fn from_json<V: Value>(j: &V) -> Option<SupportAnswer> {
        Some(SupportAnswer {
            supporters: j.int("supporters"),
            counted: j.bool("counted"),
        })
    }
}

impl FromJson for FlagReceived {
    fn from_json<V: Value>(j: &V) -> Option<FlagReceived> {
        Some(FlagReceived {
            received: j.bool("received"),
        })
    }
}

impl FromJson for PhotoUploaded {
    fn from_json<V: Value>(j: &V) -> Option<PhotoUploaded> {
        Some(PhotoUploaded {
            status: PhotoStatus::parse(&j.str("status"))?,
            width: j.int("width"),
            height: j.int("height"),
            bytes: j.int("bytes") as usize,
            url: j.opt_str("url"),
            thumb_url: j.opt_str("thumb_url"),
        })
    }
}

impl FromJson for MailboxConfig {
    fn from_json<V: Value>(j: &V) -> Option<MailboxConfig> {
        use civickit_model::mailbox::{MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS};
        let max = |key: &str, default: usize| {
            j.num(key)
                .filter(|n| *n >= 1.0)
                .map(|n| n as usize)
                .unwrap_or(default)
        };
        Some(MailboxConfig {
            slug: j.str("slug"),
            name: j.str("name"),
            kinds: j
                .list("kinds")
                .iter()
                .map(|k| MessageKind {
                    code: k.str("code"),
                    name: k.str("name"),
                })
                .filter(|k| !k.code.is_empty())
                .collect(),
            anonymous_allowed: j.opt_bool("anonymous_allowed").unwrap_or(true),
            privacy_url: j.str("privacy_url"),
            subject_max_chars: max("subject_max_chars", SUBJECT_MAX_CHARS),
            message_max_chars: max("message_max_chars", MESSAGE_MAX_CHARS),
            min_fill_seconds: j.int("min_fill_seconds"),
            form_token: j.opt_str("form_token")?,
        })
    }
}

impl FromJson for MessageSent {
    fn from_json<V: Value>(j: &V) -> Option<MessageSent> {
        Some(MessageSent {
            reference: j.opt_str("ref")?,
            can_be_answered: j.bool("can_be_answered"),
            receipt_mailed: j.bool("receipt_mailed"),
        })
    }
}

impl FromJson for PollResults {
    fn from_json<V: Value>(j: &V) -> Option<PollResults> {
        Some(PollResults {
            participations: j.num("participations")? as i64,
            questions: j
                .list("questions")
                .iter()
                .map(|q| QuestionResult {
                    id: q.int("id"),
                    text: q.str("text"),
                    options: q
                        .list("options")
                        .iter()
                        .map(|o| OptionResult {
                            id: o.int("id"),
                            text: o.str("text"),
                            votes: o.int("votes"),
                            percent: o.num("percent").unwrap_or(0.0),
                        })
                        .collect(),
                })
                .collect(),
            interim_step: j.num("interim_step").map(|n| n as i64),
        })
    }
}

impl FromJson for Poll {
    fn from_json<V: Value>(j: &V) -> Option<Poll> {
        Some(Poll {
            definition: PollDefinition {
                slug: j.opt_str("slug")?,
                title: j.str("title"),
                description: j.str("description"),
                mode: PollMode::parse(&j.str("mode"))?,
                binding: j.bool("binding"),
                visibility: Visibility::parse(&j.str("visibility"))
                    .unwrap_or(Visibility::AfterClosing),
                state: PollState::parse(&j.str("state"))?,
                state_label: j.str("state_label"),
                opens_at: j.str("opens_at"),
                closes_at: j.str("closes_at"),
                questions: j.list("questions").iter().map(question).collect(),
            },
            voter_token: j.opt_str("voter_token"),
            has_voted: j.bool("has_voted"),
            results: PollResults::from_json(&j.get("results")),
        })
    }
}

fn question<V: Value>(q: &V) -> Question {
    let count = |key: &str| q.num(key).map(|n| n.max(1.0) as usize).unwrap_or(1);
    Question {
        id: q.int("id"),
        text: q.str("text"),
        kind: QuestionKind::parse(&q.str("kind")).unwrap_or(QuestionKind::Single),
        min_choices: count("min_choices"),
        max_choices: count("max_choices"),
        options: q
            .list("options")
            .iter()
            .map(|o| PollOption {
                id: o.int("id"),
                text: o.str("text"),
            })
            .collect(),
    }
}

impl FromJson for VoteAnswer {
    fn from_json<V: Value>(j: &V) -> Option<VoteAnswer> {
        Some(VoteAnswer {
            counted: j.opt_bool("counted")?,
            results: PollResults::from_json(&j.get("results")),
        })
    }
}

/// The wire names of [`ErrorKind`] (serde's `snake_case`; the tests compare them).
pub(super) const ERROR_KINDS: [(ErrorKind, &str); 15] = [
    (ErrorKind::Validation, "validation"),
    (ErrorKind::BadRequest, "bad_request"),
    (ErrorKind::Unauthorized, "unauthorized"),
    (ErrorKind::Forbidden, "forbidden"),
    (ErrorKind::NotFound, "not_found"),
    (ErrorKind::Conflict, "conflict"),
    (ErrorKind::UnsupportedMediaType, "unsupported_media_type"),
    (ErrorKind::InvalidFile, "invalid_file"),
    (ErrorKind::RateLimited, "rate_limited"),
    (ErrorKind::ChallengeRequired, "challenge_required"),
    (ErrorKind::ChallengeInvalid, "challenge_invalid"),
    (ErrorKind::ChallengeExpired, "challenge_expired"),
    (ErrorKind::ChallengeUsed, "challenge_used"),
    (ErrorKind::TooFast, "too_fast"),
    (ErrorKind::Internal, "internal"),
];

pub(super) const VALIDATION_CODES: [ValidationCode; 12] = [
    ValidationCode::Required,
    ValidationCode::TooShort,
    ValidationCode::TooLong,
    ValidationCode::InvalidEmail,
    ValidationCode::InvalidPosition,
    ValidationCode::OutsideArea,
    ValidationCode::LocationRequired,
    ValidationCode::UnknownCategory,
    ValidationCode::InvalidValue,
    ValidationCode::ContactRequired,
    ValidationCode::TooFewChoices,
    ValidationCode::TooManyChoices,
];

/// An error answer without a readable body (a proxy's HTML page, a cut connection): the
/// widgets then go by the HTTP status alone.
pub fn unreadable_error() -> ErrorBody {
    ErrorBody {
        error: ErrorKind::Internal,
        message: String::new(),
        fields: Vec::new(),
    }
}

impl FromJson for ErrorBody {
    fn from_json<V: Value>(j: &V) -> Option<ErrorBody> {
        let kind = j.str("error");
        Some(ErrorBody {
            error: ERROR_KINDS
                .iter()
                .find(|(_, name)| *name == kind)
                .map_or(ErrorKind::Internal, |(k, _)| *k),
            message: j.str("message"),
            fields: j
                .list("fields")
                .iter()
                .map(|f| FieldMessage {
                    field: f.str("field"),
                    code: variant(&VALIDATION_CODES, ValidationCode::as_str, &f.str("code"))
                        .unwrap_or(ValidationCode::InvalidValue),
                    message: f.str("message"),
                })
                .collect(),
        })
    }
}
