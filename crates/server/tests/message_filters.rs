//! The office's mailbox list filters (state, kind, words, department) through the shared
//! `Where` builder, with every value bound: on SQLite and on PostgreSQL, where a wrongly
//! numbered placeholder would be a syntax error.

mod common;

use civickit_model::{Lang, MessageStatus, NewMessage};
use civickit_server::db::audit::Actor;
use civickit_server::db::messages::MessageFilter;
use civickit_server::db::reports::MailDraft;
use common::TestServer;

backend_tests!(the_mailbox_list_filters_by_state_kind_words_and_department);

fn new_message(kind: &str, subject: &str, text: &str) -> NewMessage {
    NewMessage {
        kind: kind.into(),
        subject: subject.into(),
        message: text.into(),
        name: None,
        email: None,
        phone: None,
    }
}

/// The references the filter finds, newest first.
async fn found(s: &TestServer, filter: MessageFilter) -> Vec<String> {
    let filter = MessageFilter {
        limit: 50,
        ..filter
    };
    let (list, more) = s.db.messages(s.tenant.id, &filter).await.unwrap();
    assert!(!more);
    list.into_iter().map(|m| m.reference).collect()
}

async fn the_mailbox_list_filters_by_state_kind_words_and_department(s: TestServer) {
    let no_receipt = |_: &str| MailDraft {
        subject: String::new(),
        body: String::new(),
    };
    let mut refs = Vec::new();
    for (kind, subject, text) in [
        ("frage", "Sitzbank am Dorfplatz", "Wann kommt die Bank?"),
        (
            "hinweis",
            "Laterne",
            "Rabatt von 50% auf Laternen_reparatur",
        ),
        ("lob", "Danke", "Die SITZBANK ist schön."),
    ] {
        let m =
            s.db.create_message(
                s.tenant.id,
                &new_message(kind, subject, text),
                Lang::De,
                &no_receipt,
            )
            .await
            .unwrap();
        refs.push(m.reference);
    }
    let (bench, lamp, praise) = (refs[0].as_str(), refs[1].as_str(), refs[2].as_str());
    let all = found(&s, MessageFilter::default()).await;
    assert_eq!(all, [praise, lamp, bench]);

    let kinds = |k: &[&str]| MessageFilter {
        kinds: k.iter().map(|k| k.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(found(&s, kinds(&["frage", "lob"])).await, [praise, bench]);

    let words = |q: &str| MessageFilter {
        search: Some(q.into()),
        ..Default::default()
    };
    // Words in subject or text, in any case; the exact reference in any case.
    assert_eq!(found(&s, words("sitzbank")).await, [praise, bench]);
    assert_eq!(found(&s, words(&lamp.to_lowercase())).await, [lamp]);
    // `%` and `_` typed by an official are letters, not wildcards.
    assert_eq!(found(&s, words("%")).await, [lamp]);
    assert_eq!(found(&s, words("t_r")).await, Vec::<String>::new());
    assert_eq!(found(&s, words("laternen_rep")).await, [lamp]);

    let bauhof =
        s.db.department_by_name(s.tenant.id, "Bauhof")
            .await
            .unwrap()
            .unwrap();
    let message = s.db.message(s.tenant.id, bench).await.unwrap().unwrap();
    s.db.forward_message(s.tenant.id, &message, bauhof, None, &Actor::system())
        .await
        .unwrap();
    let department = MessageFilter {
        department_id: Some(bauhof),
        ..Default::default()
    };
    assert_eq!(found(&s, department).await, [bench]);
    // Every filter at once: the placeholders stay in step with their values.
    let combined = MessageFilter {
        statuses: vec![MessageStatus::Forwarded],
        kinds: vec!["frage".into()],
        department_id: Some(bauhof),
        search: Some("BANK".into()),
        ..Default::default()
    };
    assert_eq!(found(&s, combined).await, [bench]);
    let received = MessageFilter {
        statuses: vec![MessageStatus::Received],
        search: Some("bank".into()),
        ..Default::default()
    };
    assert_eq!(found(&s, received).await, [praise]);
}
