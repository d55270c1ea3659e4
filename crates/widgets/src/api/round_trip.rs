//! The hand-written readers against serde: each answer type serialised as the server does it
//! (serde_json) and read back by the widget's reader must come out equal, so a key the reader
//! spells differently than the model's serde attributes fails here.

use super::answers::{ERROR_KINDS, VALIDATION_CODES};
use super::json::FromJson;
use civickit_model::api::widget::*;
use civickit_model::api::{ErrorBody, ErrorKind, FieldMessage};
use civickit_model::poll::{PollMode, PollOption, PollState, Question, QuestionKind, Visibility};
use civickit_model::{Area, BBox, CloseReason, LatLng, Polygon, Status, ValidationCode};
use serde::Serialize;
use std::fmt::Debug;

fn reads_back<T: Serialize + FromJson + PartialEq + Debug>(value: T) {
    let json = serde_json::to_value(&value).unwrap();
    assert_eq!(T::from_json(&json).as_ref(), Some(&value), "{json}");
}

fn summary(position: Option<LatLng>) -> ReportSummary {
    ReportSummary {
        reference: "M-2026-00042".into(),
        status: Status::InProgress,
        category: "muell".into(),
        created: "2026-11-22T10:15:00Z".into(),
        summary: "Unrat am Spielplatz".into(),
        supporters: 3,
        position,
        address: Some("Marktplatz 1".into()),
    }
}

fn detail() -> ReportDetail {
    ReportDetail {
        reference: "M-2026-00042".into(),
        status: Status::Closed,
        category: "muell".into(),
        category_name: "Müll".into(),
        description: "Unrat\nam Spielplatz".into(),
        created: "2026-11-22T10:15:00Z".into(),
        updated: "2026-11-23T08:00:00Z".into(),
        supporters: 2,
        photos: vec![PublicPhoto {
            kind: PhotoKind::After,
            url: "https://x/p/1.jpg".into(),
            thumb_url: "https://x/p/1-t.jpg".into(),
            width: 1600,
            height: 1200,
        }],
        notes: vec![PublicNote {
            at: "2026-11-23T08:00:00Z".into(),
            status: Status::Closed,
            text: "Doppelt".into(),
        }],
        close_reason: Some(CloseReason::Duplicate),
        position: Some(LatLng::new(50.55, 9.67)),
        address: None,
    }
}

#[test]
fn config_reads_back() {
    reads_back(Config {
        slug: "musterstadt".into(),
        name: "Musterstadt".into(),
        map: MapConfig {
            center: LatLng::new(50.5, 9.6),
            zoom: 14,
            min_zoom: 12,
            max_zoom: 19,
            bounds: BBox {
                south: 50.4,
                west: 9.5,
                north: 50.6,
                east: 9.7,
            },
            // Two parts, the first with a hole: a town with an exclave.
            area: Area {
                polygons: vec![
                    Polygon {
                        outer: vec![
                            LatLng::new(50.4, 9.5),
                            LatLng::new(50.6, 9.7),
                            LatLng::new(50.6, 9.5),
                        ],
                        holes: vec![vec![
                            LatLng::new(50.5, 9.55),
                            LatLng::new(50.55, 9.6),
                            LatLng::new(50.55, 9.55),
                        ]],
                    },
                    Polygon {
                        outer: vec![
                            LatLng::new(50.4, 9.8),
                            LatLng::new(50.45, 9.85),
                            LatLng::new(50.45, 9.8),
                        ],
                        holes: vec![],
                    },
                ],
            },
        },
        tiles: Tiles {
            url: "https://x/tiles/{z}/{x}/{y}.png".into(),
            attribution: "© OSM".into(),
        },
        categories: vec![Category {
            code: "muell".into(),
            name: "Müll".into(),
            group: "Sauberkeit".into(),
            description: "wilder Müll".into(),
        }],
        states: Status::PUBLIC
            .iter()
            .map(|s| StateInfo {
                state: *s,
                label: "l".into(),
                legend: "g".into(),
                color: s.light(),
                hex: s.light().hex().into(),
                marker: s.marker(),
            })
            .collect(),
        close_reasons: CloseReason::ALL
            .iter()
            .map(|r| CloseReasonInfo {
                reason: *r,
                label: r.as_str().into(),
            })
            .collect(),
        privacy_url: "https://x/datenschutz".into(),
        duplicate_radius_m: 250.0,
        description_max_chars: 2000,
    });
}

#[test]
fn the_map_reads_back() {
    reads_back(MapAnswer {
        total: 1234,
        points: vec![MapPoint {
            reference: "M-2026-00042".into(),
            status: Status::Resolved,
            category: "strassenbeleuchtung".into(),
            lat: 50.55321,
            lng: 9.67492,
        }],
        clusters: vec![
            MapCluster {
                lat: 50.5531,
                lng: 9.6702,
                counts: [12, 3, 40, 2],
            },
            MapCluster {
                lat: -33.9,
                lng: -70.6,
                counts: [0, 0, 0, 1175],
            },
        ],
    });
    reads_back(MapAnswer {
        total: 0,
        points: Vec::new(),
        clusters: Vec::new(),
    });
}

#[test]
fn reports_read_back() {
    reads_back(ReportList {
        reports: vec![summary(Some(LatLng::new(50.5, 9.6))), summary(None)],
        truncated: true,
    });
    reads_back(NearbyList {
        reports: vec![NearbyReport {
            report: summary(Some(LatLng::new(50.5, 9.6))),
            distance_m: 120.0,
        }],
    });
    reads_back(detail());
    reads_back(ReportCreated {
        reference: "M-2026-00042".into(),
        status: Status::PendingReview,
        tracking_url: "https://x/track/abc".into(),
        tracking_token: "abc".into(),
        report: detail(),
    });
    reads_back(SupportAnswer {
        supporters: 4,
        counted: true,
    });
    reads_back(FlagReceived { received: true });
    reads_back(PhotoUploaded {
        status: PhotoStatus::Released,
        width: 1600,
        height: 1200,
        bytes: 123_456,
        url: Some("https://x/p/1.jpg".into()),
        thumb_url: None,
    });
}

#[test]
fn places_read_back() {
    let place = |n: Option<&str>| Place {
        label: civickit_model::places::label("Lindenstraße", n),
        street: "Lindenstraße".into(),
        housenumber: n.map(str::to_string),
        position: LatLng::new(50.5531, 9.6771),
    };
    reads_back(ReverseAnswer {
        place: Some(NearPlace {
            place: place(Some("14")),
            distance_m: 20.0,
        }),
    });
    reads_back(ReverseAnswer {
        place: Some(NearPlace {
            place: place(None),
            distance_m: 120.0,
        }),
    });
    reads_back(ReverseAnswer::default());
    reads_back(SearchAnswer {
        places: vec![place(Some("1")), place(Some("10a")), place(None)],
    });
    reads_back(SearchAnswer::default());
}

#[test]
fn mailbox_reads_back() {
    reads_back(MailboxConfig {
        slug: "musterstadt".into(),
        name: "Musterstadt".into(),
        kinds: vec![MessageKind {
            code: "lob".into(),
            name: "Lob".into(),
        }],
        anonymous_allowed: false,
        privacy_url: "https://x/datenschutz".into(),
        subject_max_chars: 150,
        message_max_chars: 4000,
        min_fill_seconds: 3,
        form_token: "t0k3n".into(),
    });
    reads_back(MessageSent {
        reference: "B-2026-00017".into(),
        can_be_answered: true,
        receipt_mailed: false,
    });
}

#[test]
fn polls_read_back() {
    let results = PollResults {
        participations: 7,
        questions: vec![QuestionResult {
            id: 1,
            text: "Wo?".into(),
            options: vec![OptionResult {
                id: 2,
                text: "Park".into(),
                votes: 4,
                percent: 57.1,
            }],
        }],
        interim_step: None,
    };
    reads_back(Poll {
        definition: PollDefinition {
            slug: "sitzbaenke".into(),
            title: "Sitzbänke".into(),
            description: "Wohin?".into(),
            mode: PollMode::Codes,
            binding: true,
            visibility: Visibility::Live,
            state: PollState::Open,
            state_label: "läuft".into(),
            opens_at: "2026-11-01T00:00:00Z".into(),
            closes_at: "2026-12-24T18:00:00Z".into(),
            questions: vec![Question {
                id: 1,
                text: "Wo?".into(),
                kind: QuestionKind::Multiple,
                min_choices: 1,
                max_choices: 2,
                options: vec![PollOption {
                    id: 2,
                    text: "Park".into(),
                }],
            }],
        },
        voter_token: Some("v".into()),
        has_voted: true,
        results: Some(results.clone()),
    });
    reads_back(VoteAnswer {
        counted: true,
        results: Some(PollResults {
            interim_step: Some(10),
            ..results
        }),
    });
}

#[test]
fn error_bodies_read_back_with_every_kind_and_code() {
    for (kind, name) in ERROR_KINDS {
        assert_eq!(serde_json::to_value(kind).unwrap(), name);
        reads_back(ErrorBody {
            error: kind,
            message: "Bitte prüfen Sie die markierten Felder.".into(),
            fields: VALIDATION_CODES
                .iter()
                .map(|code| FieldMessage {
                    field: "description".into(),
                    code: *code,
                    message: "zu lang".into(),
                })
                .collect(),
        });
    }
    // Exhaustive on purpose: a new kind fails to compile here, and a kind missing from the
    // reader's table fails the assertion.
    let index = |k: ErrorKind| match k {
        ErrorKind::Validation => 0,
        ErrorKind::BadRequest => 1,
        ErrorKind::Unauthorized => 2,
        ErrorKind::Forbidden => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Conflict => 5,
        ErrorKind::UnsupportedMediaType => 6,
        ErrorKind::InvalidFile => 7,
        ErrorKind::RateLimited => 8,
        ErrorKind::Internal => 9,
        ErrorKind::ChallengeRequired => 10,
        ErrorKind::ChallengeInvalid => 11,
        ErrorKind::ChallengeExpired => 12,
        ErrorKind::ChallengeUsed => 13,
        ErrorKind::TooFast => 14,
    };
    let mut seen = [false; 15];
    for (k, _) in ERROR_KINDS {
        seen[index(k)] = true;
    }
    assert!(seen.iter().all(|s| *s), "every ErrorKind is in ERROR_KINDS");
    let index = |c: ValidationCode| match c {
        ValidationCode::Required => 0,
        ValidationCode::TooShort => 1,
        ValidationCode::TooLong => 2,
        ValidationCode::InvalidEmail => 3,
        ValidationCode::InvalidPosition => 4,
        ValidationCode::OutsideArea => 5,
        ValidationCode::LocationRequired => 6,
        ValidationCode::UnknownCategory => 7,
        ValidationCode::InvalidValue => 8,
        ValidationCode::ContactRequired => 9,
        ValidationCode::TooFewChoices => 10,
        ValidationCode::TooManyChoices => 11,
    };
    let mut seen = [false; 12];
    for c in VALIDATION_CODES {
        seen[index(c)] = true;
    }
    assert!(
        seen.iter().all(|s| *s),
        "every ValidationCode is in VALIDATION_CODES"
    );
}

fn figures(received: Count, rest: bool) -> Figures {
    let days = |median, p90| Some(Days { median, p90 });
    Figures {
        received,
        within_promise: rest.then_some(83.3),
        first_reaction: if rest { days(1.5, 4.0) } else { None },
        resolution: if rest { days(9.0, 31.5) } else { None },
    }
}

#[test]
fn statistics_read_back_with_small_cells_and_figures_left_out() {
    let (many, few) = (Count::Exact(42), Count::FewerThanFive);
    let answer = StatsAnswer {
        tenant: "musterstadt".into(),
        name: "Musterstadt".into(),
        promise_days: 3,
        period: 6,
        category: Some("licht".into()),
        updated: "2026-12-06T16:40:00Z".into(),
        total: figures(many, true),
        by_category: vec![
            CategoryFigures {
                code: "licht".into(),
                name: "Straßenbeleuchtung".into(),
                figures: figures(many, true),
            },
            CategoryFigures {
                code: "spielplatz".into(),
                name: "Spielplätze".into(),
                figures: figures(few, false),
            },
        ],
        by_month: vec![
            MonthFigures {
                month: "2026-11".into(),
                figures: figures(Count::Exact(0), false),
            },
            MonthFigures {
                month: "2026-12".into(),
                figures: Figures {
                    resolution: None,
                    ..figures(Count::Exact(12), true)
                },
            },
        ],
        open: vec![
            StateCount {
                state: Status::Received,
                count: Count::Exact(6),
            },
            StateCount {
                state: Status::InProgress,
                count: few,
            },
        ],
        closed_without_fix: CloseReason::ALL
            .iter()
            .map(|r| ReasonCount {
                reason: *r,
                count: if *r == CloseReason::Duplicate {
                    Count::Exact(5)
                } else {
                    few
                },
                share: (*r == CloseReason::Duplicate).then_some(11.9),
            })
            .collect(),
        mailbox: MailboxFigures {
            received: Count::Exact(9),
            by_kind: vec![KindCount {
                kind: "lob".into(),
                name: "Lob".into(),
                count: few,
            }],
            answer: Some(Days {
                median: 2.0,
                p90: 6.0,
            }),
        },
        by_department: vec![
            DepartmentFigures {
                id: Some(4),
                name: "Bauhof".into(),
                figures: figures(Count::Exact(3), true),
            },
            DepartmentFigures {
                id: None,
                name: "ohne Fachbereich".into(),
                figures: figures(Count::Exact(1), false),
            },
        ],
    };
    reads_back(answer.clone());
    // The public answer: no category, no departments, no mailbox answer times.
    reads_back(StatsAnswer {
        category: None,
        by_department: vec![],
        mailbox: MailboxFigures {
            answer: None,
            ..answer.mailbox.clone()
        },
        ..answer
    });
    reads_back(CountyAnswer {
        period: 12,
        updated: "2026-12-06T16:40:00Z".into(),
        towns: vec![
            TownFigures {
                tenant: "beispielheim".into(),
                name: "Beispielheim".into(),
                promise_days: 5,
                figures: figures(few, false),
                open: few,
            },
            TownFigures {
                tenant: "musterstadt".into(),
                name: "Musterstadt".into(),
                promise_days: 3,
                figures: figures(many, true),
                open: Count::Exact(9),
            },
        ],
    });
}

/// The examples of docs/statistics.md, as serde reads them, read back the same.
#[test]
fn the_documented_statistics_read_back() {
    let doc = include_str!("../../../../docs/statistics.md");
    let example = |ty: &str| {
        let start = doc.find(&format!("```json widget::{ty}\n")).expect(ty);
        let body = &doc[start..];
        let body = &body[body.find('\n').unwrap() + 1..];
        serde_json::from_str::<serde_json::Value>(&body[..body.find("```").unwrap()]).unwrap()
    };
    let stats: StatsAnswer = serde_json::from_value(example("StatsAnswer")).unwrap();
    assert_eq!(stats.by_category[1].figures.received, Count::FewerThanFive);
    reads_back(stats);
    reads_back(serde_json::from_value::<CountyAnswer>(example("CountyAnswer")).unwrap());
}
