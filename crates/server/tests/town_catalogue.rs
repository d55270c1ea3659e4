//! The town page's lists over real HTTP on SQLite and PostgreSQL: message kinds, departments
//! and categories are added, renamed, reordered, moved and retired by admins; retired ones stay
//! on old items but citizens cannot pick them; other towns' ids are not found.

mod common;

use civickit_model::api::office::{Catalogue, MessageKindList};
use common::{audit_actions, Office, TestServer};
use serde_json::{json, Value};

backend_tests!(
    message_kinds_are_added_renamed_reordered_and_retired,
    categories_move_and_retire_and_departments_follow_the_rules,
    editors_are_refused_and_other_towns_ids_are_not_found,
);

async fn kinds(admin: &Office) -> MessageKindList {
    let (status, body) = admin.get("/office/api/message-kinds").await;
    assert_eq!(status, 200, "{body}");
    let typed: MessageKindList = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), body);
    typed
}

async fn catalogue(admin: &Office) -> Catalogue {
    let (status, body) = admin.get("/office/api/catalogue").await;
    assert_eq!(status, 200, "{body}");
    let typed: Catalogue = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), body);
    typed
}

fn kind_id(list: &MessageKindList, code: &str) -> i64 {
    list.kinds.iter().find(|k| k.code == code).unwrap().id
}

/// The codes a citizen's form offers, in order.
async fn offered(s: &TestServer, what: &str, key: &str) -> Vec<String> {
    let (_, cfg) = s.get_json(&format!("/api/v1/musterstadt/{what}")).await;
    cfg[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap().to_string())
        .collect()
}

async fn message(s: &TestServer, kind: &str) -> (u16, Value) {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    let token =
        civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10);
    let body = json!({"kind": kind, "subject": "Dank", "message": "Vielen Dank für die neue Bank.",
                      "form_token": token});
    s.post_json("/api/v1/musterstadt/messages", &body).await
}

fn refused_field(answer: &(u16, Value)) -> (u16, String) {
    (
        answer.0,
        answer.1["fields"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

async fn message_kinds_are_added_renamed_reordered_and_retired(s: TestServer) {
    let admin = s.login_admin().await;
    let list = kinds(&admin).await;
    let codes: Vec<&str> = list.kinds.iter().map(|k| k.code.as_str()).collect();
    assert_eq!(
        codes,
        ["anregung", "frage", "hinweis", "beschwerde", "idee", "lob"]
    );

    let (status, created) = admin
        .post(
            "/office/api/message-kinds",
            &json!({"name": "Bürgeranliegen"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let list = kinds(&admin).await;
    assert_eq!(list.kinds.last().unwrap().code, "buergeranliegen");
    assert_eq!(
        list.kinds.last().unwrap().id,
        created["id"].as_i64().unwrap()
    );
    let duplicate = admin
        .post("/office/api/message-kinds", &json!({"name": "lob"}))
        .await;
    assert_eq!(refused_field(&duplicate), (422, "name".into()));
    let empty = admin
        .post("/office/api/message-kinds", &json!({"name": " "}))
        .await;
    assert_eq!(refused_field(&empty), (422, "name".into()));

    // Rename: the code stays, the form shows the new name.
    let lob = kind_id(&list, "lob");
    let (status, answer) = admin
        .post(
            &format!("/office/api/message-kinds/{lob}"),
            &json!({"name": "Dank und Lob"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, form) = s.get_json("/api/v1/musterstadt/mailbox").await;
    assert!(
        form["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["code"] == "lob" && k["name"] == "Dank und Lob"),
        "{form}"
    );
    assert_eq!(message(&s, "lob").await.0, 201);

    // Retire: not offered, refused with a field error; bring back: offered again.
    let idee = kind_id(&list, "idee");
    admin
        .post(
            &format!("/office/api/message-kinds/{idee}"),
            &json!({"retired": true}),
        )
        .await;
    assert!(!offered(&s, "mailbox", "kinds")
        .await
        .contains(&"idee".to_string()));
    assert_eq!(
        refused_field(&message(&s, "idee").await),
        (422, "kind".into())
    );
    assert!(kinds(&admin)
        .await
        .kinds
        .iter()
        .any(|k| k.code == "idee" && k.retired));
    admin
        .post(
            &format!("/office/api/message-kinds/{idee}"),
            &json!({"retired": false}),
        )
        .await;
    assert_eq!(message(&s, "idee").await.0, 201);

    // Reorder: every id once, or nothing changes.
    let mut ids: Vec<i64> = kinds(&admin).await.kinds.iter().map(|k| k.id).collect();
    ids.reverse();
    let (status, answer) = admin
        .post("/office/api/message-kinds/order", &json!({"ids": ids}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(offered(&s, "mailbox", "kinds").await[0], "buergeranliegen");
    let partial = admin
        .post(
            "/office/api/message-kinds/order",
            &json!({"ids": &ids[1..]}),
        )
        .await;
    assert_eq!(refused_field(&partial), (422, "ids".into()));
    assert_eq!(offered(&s, "mailbox", "kinds").await[0], "buergeranliegen");

    let actions = audit_actions(&admin).await;
    for action in [
        "message_kind.add",
        "message_kind.change",
        "message_kind.order",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn categories_move_and_retire_and_departments_follow_the_rules(s: TestServer) {
    let admin = s.login_admin().await;
    let cat = catalogue(&admin).await;
    assert_eq!(cat.categories.len(), 6);
    let category = |code: &str| {
        cat.categories
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .clone()
    };
    let department = |name: &str| {
        cat.departments
            .iter()
            .find(|d| d.name == name)
            .unwrap()
            .clone()
    };
    let muell = category("muell");
    let bauhof = department("Bauhof");
    let ordnungsamt = department("Ordnungsamt");
    assert_eq!(muell.department_id, Some(bauhof.id));

    // Rename and move: the code stays, new reports go to the new department.
    let (status, answer) = admin
        .post(
            &format!("/office/api/categories/{}", muell.id),
            &json!({"name": "Müll und Schmutz", "group": "Sauberkeit", "department_id": ordnungsamt.id}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let moved = catalogue(&admin).await;
    let muell_now = moved.categories.iter().find(|c| c.id == muell.id).unwrap();
    assert_eq!(
        (
            muell_now.code.as_str(),
            muell_now.name.as_str(),
            muell_now.department_id
        ),
        ("muell", "Müll und Schmutz", Some(ordnungsamt.id))
    );

    // Retire a category: gone from the widget, refused on submit, kept in the catalogue.
    let (status, _) = admin
        .post(
            &format!("/office/api/categories/{}", muell.id),
            &json!({"retired": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!offered(&s, "config", "categories")
        .await
        .contains(&"muell".to_string()));
    let report = json!({"category": "muell", "position": {"lat": 50.553, "lng": 9.679},
                        "description": "Wilder Müll am Parkplatz."});
    let refused = s.post_json("/api/v1/musterstadt/reports", &report).await;
    assert_eq!(refused_field(&refused), (422, "category".into()));
    assert!(catalogue(&admin)
        .await
        .categories
        .iter()
        .any(|c| c.id == muell.id && c.retired));

    // A department still routed to cannot be retired; once its categories moved, it can.
    let spielplaetze = category("spielplaetze");
    let busy = admin
        .post(
            &format!("/office/api/departments/{}", bauhof.id),
            &json!({"retired": true}),
        )
        .await;
    assert_eq!(refused_field(&busy), (422, "retired".into()));
    admin
        .post(
            &format!("/office/api/categories/{}", spielplaetze.id),
            &json!({"department_id": ordnungsamt.id}),
        )
        .await;
    let (status, answer) = admin
        .post(
            &format!("/office/api/departments/{}", bauhof.id),
            &json!({"retired": true, "name": "Bauhof (alt)", "email": ""}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let after: Catalogue = serde_json::from_value(answer).unwrap();
    let old = after
        .departments
        .iter()
        .find(|d| d.id == bauhof.id)
        .unwrap();
    assert_eq!(
        (old.name.as_str(), old.retired, old.email.clone()),
        ("Bauhof (alt)", true, None)
    );
    // Nothing may be routed to a retired department.
    let to_retired = admin
        .post(
            &format!("/office/api/categories/{}", spielplaetze.id),
            &json!({"department_id": bauhof.id}),
        )
        .await;
    assert_eq!(refused_field(&to_retired), (422, "department_id".into()));
    let new_category = json!({"code": "baeume", "name": "Bäume", "department_id": bauhof.id});
    let into_retired = admin.post("/office/api/categories", &new_category).await;
    assert_eq!(refused_field(&into_retired), (422, "department_id".into()));
    // A retired category's code stays taken: old reports and Open311 clients quote it.
    let (status, _) = admin
        .post(
            "/office/api/categories",
            &json!({"code": "muell", "name": "Müll neu"}),
        )
        .await;
    assert_eq!(status, 409);
    let bad_mail = admin
        .post(
            &format!("/office/api/departments/{}", ordnungsamt.id),
            &json!({"email": "kein-at"}),
        )
        .await;
    assert_eq!(refused_field(&bad_mail), (422, "email".into()));

    // Reorder categories.
    let mut ids: Vec<i64> = catalogue(&admin)
        .await
        .categories
        .iter()
        .map(|c| c.id)
        .collect();
    ids.rotate_left(1);
    let (status, _) = admin
        .post("/office/api/categories/order", &json!({"ids": ids}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(catalogue(&admin).await.categories[0].id, ids[0]);
    let actions = audit_actions(&admin).await;
    for action in ["category.change", "department.change", "category.order"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn editors_are_refused_and_other_towns_ids_are_not_found(s: TestServer) {
    let editor = s.login_editor().await;
    for path in ["/office/api/message-kinds", "/office/api/catalogue"] {
        assert_eq!(editor.get(path).await.0, 403, "{path}");
    }
    let admin = s.login_admin().await;
    let kind = kinds(&admin).await.kinds[0].clone();
    let cat = catalogue(&admin).await;
    let (category, department) = (cat.categories[0].clone(), cat.departments[0].clone());
    assert_eq!(
        editor
            .post(
                &format!("/office/api/message-kinds/{}", kind.id),
                &json!({"name": "X"})
            )
            .await
            .0,
        403
    );
    let (_, neighbour) = s.neighbour_admin().await;
    for path in [
        format!("/office/api/message-kinds/{}", kind.id),
        format!("/office/api/categories/{}", category.id),
        format!("/office/api/departments/{}", department.id),
    ] {
        let (status, _) = neighbour.post(&path, &json!({"name": "Übernommen"})).await;
        assert_eq!(status, 404, "{path}");
    }
    let foreign_order = neighbour
        .post(
            "/office/api/message-kinds/order",
            &json!({"ids": [kind.id]}),
        )
        .await;
    assert_eq!(refused_field(&foreign_order), (422, "ids".into()));
    assert_eq!(kinds(&admin).await.kinds[0], kind, "unchanged");
    assert_eq!(catalogue(&admin).await, cat, "unchanged");
}
