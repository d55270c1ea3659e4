//! Type tags of the examples in docs/widget-api.md and docs/statistics.md.
use civickit_model::api::*;

contract_types! {
    "ErrorBody" => ErrorBody,
    "widget::Config" => widget::Config,
    "widget::ReportList" => widget::ReportList,
    "widget::MapAnswer" => widget::MapAnswer,
    "widget::NearbyList" => widget::NearbyList,
    "widget::ReportDetail" => widget::ReportDetail,
    "widget::NewReportRequest" => widget::NewReportRequest,
    "widget::ReportCreated" => widget::ReportCreated,
    "widget::SupportRequest" => widget::SupportRequest,
    "widget::FlagRequest" => widget::FlagRequest,
    "widget::FlagReceived" => widget::FlagReceived,
    "widget::SupportAnswer" => widget::SupportAnswer,
    "widget::PhotoUploaded" => widget::PhotoUploaded,
    "widget::MailboxConfig" => widget::MailboxConfig,
    "widget::NewMessageRequest" => widget::NewMessageRequest,
    "widget::MessageSent" => widget::MessageSent,
    "widget::Poll" => widget::Poll,
    "widget::VoteRequest" => widget::VoteRequest,
    "widget::VoteAnswer" => widget::VoteAnswer,
    "widget::ReverseAnswer" => widget::ReverseAnswer,
    "widget::SearchAnswer" => widget::SearchAnswer,
    "widget::Challenge" => widget::Challenge,
    "widget::StatsAnswer" => widget::StatsAnswer,
    "widget::CountyAnswer" => widget::CountyAnswer,
}
