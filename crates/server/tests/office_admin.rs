//! The office's admin pages over real HTTP on SQLite and PostgreSQL: text templates, users,
//! departments, categories — admin only, tenant-scoped, audited.

mod common;

use common::TestServer;
use serde_json::json;

backend_tests!(
    templates_are_read_by_all_and_managed_by_admins,
    admins_add_disable_and_reset_officials,
    admins_add_departments_and_categories,
);

async fn templates_are_read_by_all_and_managed_by_admins(s: TestServer) {
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    let (status, list) = editor.get("/office/api/templates").await;
    assert_eq!(status, 200);
    let templates = list["templates"].as_array().unwrap();
    assert_eq!(templates.len(), 4, "the demo's templates");
    assert!(templates.iter().any(|t| t["status"] == "resolved"));
    let body = json!({"title": "Winterdienst", "body": "Der Winterdienst ist unterwegs.", "status": "in_progress"});
    assert_eq!(editor.post("/office/api/templates", &body).await.0, 403);
    let (status, created) = admin.post("/office/api/templates", &body).await;
    assert_eq!(status, 201);
    let (status, err) = admin
        .post(
            "/office/api/templates",
            &json!({"title": "", "body": "x", "status": "bogus"}),
        )
        .await;
    assert_eq!(
        (status, err["fields"][0]["field"].as_str()),
        (422, Some("title"))
    );
    let (_, list) = editor.get("/office/api/templates").await;
    assert_eq!(list["templates"].as_array().unwrap().len(), 5);
    let id = created["id"].as_i64().unwrap();
    let r = s
        .http
        .delete(s.at(&format!("/office/api/templates/{id}")))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (_, list) = editor.get("/office/api/templates").await;
    assert_eq!(list["templates"].as_array().unwrap().len(), 4);
}

async fn admins_add_disable_and_reset_officials(s: TestServer) {
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    assert_eq!(editor.get("/office/api/users").await.0, 403);
    let (_, users) = admin.get("/office/api/users").await;
    assert_eq!(users["users"].as_array().unwrap().len(), 2);
    let ordnungsamt = admin.me["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Ordnungsamt")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // Editors need a department; addresses must be addresses.
    let (status, err) = admin
        .post(
            "/office/api/users",
            &json!({"email": "kein-at", "role": "editor"}),
        )
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "department_id"]);
    let (status, created) = admin
        .post(
            "/office/api/users",
            &json!({"email": "Ordnung@Musterstadt.example", "name": "Olga Ordnung", "role": "editor", "department_id": ordnungsamt}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let password = created["password"].as_str().unwrap().to_string();
    let id = created["id"].as_i64().unwrap();
    let olga = s
        .login("ordnung@musterstadt.example", &password)
        .await
        .unwrap();
    let (_, list) = olga.get("/office/api/reports").await;
    assert!(list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["department"] == "Ordnungsamt"));
    assert_eq!(
        admin
            .post(
                "/office/api/users",
                &json!({"email": "ordnung@musterstadt.example", "role": "admin"})
            )
            .await
            .0,
        409
    );
    // Disabling ends her sessions at once.
    let (status, _) = admin
        .post(
            &format!("/office/api/users/{id}/disabled"),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(olga.get("/office/api/me").await.0, 401);
    assert_eq!(
        s.login("ordnung@musterstadt.example", &password)
            .await
            .err()
            .unwrap()
            .0,
        401
    );
    admin
        .post(
            &format!("/office/api/users/{id}/disabled"),
            &json!({"disabled": false}),
        )
        .await;
    let (status, reset) = admin
        .post(
            &format!("/office/api/users/{id}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let new_password = reset["password"].as_str().unwrap();
    assert_ne!(new_password, password);
    assert!(s
        .login("ordnung@musterstadt.example", new_password)
        .await
        .is_ok());
    // An admin cannot lock themselves out.
    let me = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "admin")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        admin
            .post(
                &format!("/office/api/users/{me}/disabled"),
                &json!({"disabled": true})
            )
            .await
            .0,
        409
    );
    // Another town's users are out of reach.
    let other = s.add_other_tenant().await;
    let stranger =
        s.db.create_user(
            other.id,
            "x@nachbardorf.example",
            "X",
            "ein-langes-passwort",
            civickit_server::db::users::Role::Editor,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        admin
            .post(
                &format!("/office/api/users/{}/reset-password", stranger.id),
                &json!({})
            )
            .await
            .0,
        404
    );
    assert_eq!(
        admin
            .post(
                &format!("/office/api/users/{}/disabled", stranger.id),
                &json!({"disabled": true})
            )
            .await
            .0,
        404
    );
    let actions = common::audit_actions(&admin).await;
    for a in [
        "user.add",
        "user.disable",
        "user.enable",
        "user.reset_password",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

async fn admins_add_departments_and_categories(s: TestServer) {
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    assert_eq!(
        editor
            .post("/office/api/departments", &json!({"name": "Grünflächen"}))
            .await
            .0,
        403
    );
    let (status, dept) = admin
        .post(
            "/office/api/departments",
            &json!({"name": "Grünflächenamt", "email": "gruen@musterstadt.example"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        admin
            .post(
                "/office/api/departments",
                &json!({"name": "Grünflächenamt"})
            )
            .await
            .0,
        409
    );
    assert_eq!(
        admin
            .post(
                "/office/api/departments",
                &json!({"name": "X", "email": "nope"})
            )
            .await
            .0,
        422
    );
    let (status, _) = admin
        .post(
            "/office/api/categories",
            &json!({"code": "baeume", "name": "Bäume und Grünanlagen", "group": "Natur", "department_id": dept["id"]}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        admin
            .post(
                "/office/api/categories",
                &json!({"code": "Bäume!", "name": "x"})
            )
            .await
            .0,
        422
    );
    assert_eq!(
        admin
            .post(
                "/office/api/categories",
                &json!({"code": "baeume", "name": "x"})
            )
            .await
            .0,
        409
    );
    // The new category is offered to citizens and Open311 at once, routed to its department.
    let (_, config) = s.get_json("/api/v1/musterstadt/config").await;
    assert!(config["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "baeume"));
    let (_, _, services) = s.get_text("/open311/v2/services.json").await;
    assert!(services.contains("\"baeume\""));
    let mut report = common::good_report();
    report["category"] = json!("baeume");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    let (_, detail) = admin
        .get(&format!(
            "/office/api/reports/{}",
            created["ref"].as_str().unwrap()
        ))
        .await;
    assert_eq!(detail["department"], "Grünflächenamt");
}
