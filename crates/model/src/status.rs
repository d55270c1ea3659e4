use crate::Lang;
use serde::{Deserialize, Serialize};

/// Where a defect report stands. The four public states are the traffic light of the German
/// Mängelmelder tradition plus grey for "closed without a fix"; `PendingReview` exists only
/// while a tenant pre-moderates and is never shown to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    PendingReview,
    Received,
    InProgress,
    Resolved,
    Closed,
}

/// The colour a state is drawn in. Colour is never the only cue: see [`Marker`] and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficLight {
    Red,
    Yellow,
    Green,
    Grey,
}

/// The marker shape of a state, so that the map stays readable without colour (WCAG 1.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// received: a triangle, "attention"
    Triangle,
    /// in progress: a diamond
    Diamond,
    /// resolved: a circle
    Circle,
    /// closed without a fix: a square
    Square,
}

/// Why a report was closed without being fixed. Required for [`Status::Closed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    Duplicate,
    NotResponsible,
    NotFixable,
    Other,
}

impl Status {
    pub const PUBLIC: [Status; 4] = [
        Status::Received,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::PendingReview => "pending_review",
            Status::Received => "received",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "pending_review" => Status::PendingReview,
            "received" => Status::Received,
            "in_progress" => Status::InProgress,
            "resolved" => Status::Resolved,
            "closed" => Status::Closed,
            _ => return None,
        })
    }

    pub fn is_public(self) -> bool {
        self != Status::PendingReview
    }

    /// Open reports are the ones a citizen could still "support" instead of filing a duplicate.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::PendingReview | Status::Received | Status::InProgress
        )
    }

    /// The Open311 GeoReport v2 `status`: only `open` and `closed` exist there.
    pub fn open311(self) -> &'static str {
        if self.is_open() {
            "open"
        } else {
            "closed"
        }
    }

    pub fn light(self) -> TrafficLight {
        match self {
            Status::PendingReview | Status::Received => TrafficLight::Red,
            Status::InProgress => TrafficLight::Yellow,
            Status::Resolved => TrafficLight::Green,
            Status::Closed => TrafficLight::Grey,
        }
    }

    pub fn marker(self) -> Marker {
        match self {
            Status::PendingReview | Status::Received => Marker::Triangle,
            Status::InProgress => Marker::Diamond,
            Status::Resolved => Marker::Circle,
            Status::Closed => Marker::Square,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::PendingReview => lang.pick("wird geprüft", "under review"),
            Status::Received => lang.pick("eingegangen", "received"),
            Status::InProgress => lang.pick("in Bearbeitung", "in progress"),
            Status::Resolved => lang.pick("erledigt", "resolved"),
            Status::Closed => lang.pick("abgeschlossen ohne Behebung", "closed without fix"),
        }
    }

    /// One sentence for the legend, explaining the colour in words.
    pub fn legend(self, lang: Lang) -> &'static str {
        match self {
            Status::PendingReview => lang.pick(
                "Meldung wird vor der Veröffentlichung geprüft",
                "Report is reviewed before publication",
            ),
            Status::Received => lang.pick(
                "Rot: eingegangen, noch nicht bearbeitet",
                "Red: received, not yet processed",
            ),
            Status::InProgress => lang.pick("Gelb: in Bearbeitung", "Yellow: in progress"),
            Status::Resolved => lang.pick("Grün: erledigt", "Green: resolved"),
            Status::Closed => lang.pick(
                "Grau: abgeschlossen ohne Behebung",
                "Grey: closed without fix",
            ),
        }
    }

    /// Which state changes an official may make. Every public state can be reached from
    /// every other (a fixed lamp can break again, a closed duplicate can turn out not to
    /// be one); nothing returns to pre-moderation, and a no-op change is refused.
    pub fn can_become(self, next: Status) -> bool {
        self != next && next != Status::PendingReview
    }
}

impl TrafficLight {
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficLight::Red => "red",
            TrafficLight::Yellow => "yellow",
            TrafficLight::Green => "green",
            TrafficLight::Grey => "grey",
        }
    }

    /// A hex colour with at least 3:1 contrast against white, for markers and the legend.
    pub fn hex(self) -> &'static str {
        match self {
            TrafficLight::Red => "#c62828",
            TrafficLight::Yellow => "#b26a00",
            TrafficLight::Green => "#2e7d32",
            TrafficLight::Grey => "#616161",
        }
    }
}

impl Marker {
    pub fn as_str(self) -> &'static str {
        match self {
            Marker::Triangle => "triangle",
            Marker::Diamond => "diamond",
            Marker::Circle => "circle",
            Marker::Square => "square",
        }
    }
}

impl CloseReason {
    pub const ALL: [CloseReason; 4] = [
        CloseReason::Duplicate,
        CloseReason::NotResponsible,
        CloseReason::NotFixable,
        CloseReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Duplicate => "duplicate",
            CloseReason::NotResponsible => "not_responsible",
            CloseReason::NotFixable => "not_fixable",
            CloseReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<CloseReason> {
        CloseReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CloseReason::Duplicate => lang.pick("doppelte Meldung", "duplicate"),
            CloseReason::NotResponsible => lang.pick("nicht zuständig", "not our responsibility"),
            CloseReason::NotFixable => lang.pick("nicht behebbar", "cannot be fixed"),
            CloseReason::Other => lang.pick("sonstiger Grund", "other reason"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traffic_light_follows_the_spec_table() {
        assert_eq!(Status::Received.light(), TrafficLight::Red);
        assert_eq!(Status::InProgress.light(), TrafficLight::Yellow);
        assert_eq!(Status::Resolved.light(), TrafficLight::Green);
        assert_eq!(Status::Closed.light(), TrafficLight::Grey);
        assert_eq!(Status::Received.open311(), "open");
        assert_eq!(Status::InProgress.open311(), "open");
        assert_eq!(Status::Resolved.open311(), "closed");
        assert_eq!(Status::Closed.open311(), "closed");
    }

    #[test]
    fn every_public_state_has_its_own_shape_colour_and_label() {
        for (i, a) in Status::PUBLIC.iter().enumerate() {
            for b in &Status::PUBLIC[i + 1..] {
                assert_ne!(a.marker(), b.marker());
                assert_ne!(a.light(), b.light());
                assert_ne!(a.label(Lang::De), b.label(Lang::De));
                assert_ne!(a.label(Lang::En), b.label(Lang::En));
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in Status::PUBLIC.into_iter().chain([Status::PendingReview]) {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for r in CloseReason::ALL {
            assert_eq!(CloseReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn transitions() {
        assert!(Status::PendingReview.can_become(Status::Received));
        assert!(Status::Received.can_become(Status::InProgress));
        assert!(Status::Resolved.can_become(Status::InProgress));
        assert!(!Status::Received.can_become(Status::Received));
        assert!(!Status::Received.can_become(Status::PendingReview));
    }
}
