//! Photos over real HTTP on SQLite and PostgreSQL: metadata is gone from the stored bytes,
//! bombs and broken files are refused, nothing is public before an official releases it,
//! redaction really blacks out, and Open311 carries released photos.

mod common;

use common::{good_report, png_bomb, TestServer};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{json, Value};
use sqlx::Row;
use std::io::Cursor;

backend_tests!(
    exif_and_gps_are_gone_and_orientation_is_applied,
    photos_are_public_only_after_release,
    bombs_broken_files_and_other_formats_are_refused,
    only_the_reporter_can_upload_and_at_most_three,
    office_redacts_rotates_and_adds_an_after_photo,
    open311_accepts_media_and_shows_released_photos,
);

/// A JPEG of `w`×`h` with an EXIF block holding GPS coordinates and an orientation tag.
pub fn jpeg_with_gps(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let plain = common::jpeg(w, h);
    // TIFF, little endian: IFD0 {Orientation, GPSInfo→}, GPS IFD {LatitudeRef N, Latitude 50°33'7.12"}.
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = Vec::new();
        e.extend(tag.to_le_bytes());
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x8825, 4, 1, 38));
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 38);
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 68);
    for (num, den) in [(50u32, 1u32), (33, 1), (712, 100)] {
        tiff.extend(num.to_le_bytes());
        tiff.extend(den.to_le_bytes());
    }
    let mut app1 = b"\xff\xe1".to_vec();
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0") || bytes.windows(2).any(|w| w == [0xFF, 0xE1])
}

async fn create_report(s: &TestServer) -> (String, String) {
    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201);
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

async fn upload(
    s: &TestServer,
    reference: &str,
    token: &str,
    bytes: Vec<u8>,
    content_type: &str,
) -> (u16, Value) {
    let r = s
        .http
        .post(s.at(&format!(
            "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
        )))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn stored(s: &TestServer) -> Vec<(i64, String, String, Vec<u8>)> {
    sqlx::query("SELECT id, public_id, status, jpeg FROM photos ORDER BY id")
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("id"),
                r.get("public_id"),
                r.get("status"),
                r.get("jpeg"),
            )
        })
        .collect()
}

async fn exif_and_gps_are_gone_and_orientation_is_applied(s: TestServer) {
    let (reference, token) = create_report(&s).await;
    let original = jpeg_with_gps(400, 300, 6);
    assert!(has_exif(&original));
    // The test file really carries the orientation: the decoder sees it.
    let (status, r) = upload(&s, &reference, &token, original, "image/jpeg").await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["status"], "pending");
    assert_eq!(
        (r["width"].as_i64(), r["height"].as_i64()),
        (Some(300), Some(400)),
        "turned upright"
    );
    let photos = stored(&s).await;
    assert_eq!(photos.len(), 1);
    let jpeg = &photos[0].3;
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    assert!(!has_exif(jpeg), "no EXIF in the stored bytes");
    assert!(
        !jpeg.windows(4).any(|w| w == b"N\0\0\0"),
        "no GPS reference either"
    );
    let thumb: Vec<u8> = sqlx::query("SELECT thumb FROM photos")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("thumb");
    assert!(!has_exif(&thumb));
    let decoded = image::load_from_memory(&thumb).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (240, 320));
}

async fn photos_are_public_only_after_release(s: TestServer) {
    let (reference, token) = create_report(&s).await;
    let (status, _) = upload(
        &s,
        &reference,
        &token,
        jpeg_with_gps(800, 600, 1),
        "image/jpeg",
    )
    .await;
    assert_eq!(status, 201);
    let (_, public_id, _, _) = stored(&s).await.remove(0);
    let url = format!("/media/{public_id}.jpg");
    assert_eq!(
        s.http.get(s.at(&url)).send().await.unwrap().status(),
        404,
        "pending: not reachable"
    );
    assert_eq!(
        s.http
            .get(s.at(&format!("/media/{public_id}_thumb.jpg")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (_, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(detail["photos"], json!([]));
    // The office sees it, releases it; then the public does.
    let admin = s.login_admin().await;
    let (_, office) = admin.get(&format!("/office/api/reports/{reference}")).await;
    let photo = &office["photos"][0];
    assert_eq!(photo["status"], "pending");
    let r = s
        .http
        .get(s.at(photo["thumb_url"].as_str().unwrap()))
        .header("cookie", admin.cookie_pair())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "officials see pending photos");
    assert_eq!(
        s.http
            .get(s.at(photo["url"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "others do not"
    );
    let id = photo["id"].as_i64().unwrap();
    let (status, _) = admin
        .post(
            &format!("/office/api/photos/{id}/status"),
            &json!({"status": "released"}),
        )
        .await;
    assert_eq!(status, 200);
    let r = s.http.get(s.at(&url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let (_, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(detail["photos"][0]["url"], format!("{}{url}", s.url));
    // Hidden again, gone again; and a hidden report hides its photos.
    admin
        .post(
            &format!("/office/api/photos/{id}/status"),
            &json!({"status": "hidden"}),
        )
        .await;
    assert_eq!(s.http.get(s.at(&url)).send().await.unwrap().status(), 404);
    admin
        .post(
            &format!("/office/api/photos/{id}/status"),
            &json!({"status": "released"}),
        )
        .await;
    admin
        .post(
            &format!("/office/api/reports/{reference}/hidden"),
            &json!({"hidden": true}),
        )
        .await;
    assert_eq!(s.http.get(s.at(&url)).send().await.unwrap().status(), 404);
    // With automatic release, new photos are public at once.
    let (status, _) = admin
        .post(
            "/office/api/settings",
            &json!({"photos_auto_release": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (reference, token) = create_report(&s).await;
    let (_, r) = upload(
        &s,
        &reference,
        &token,
        jpeg_with_gps(300, 200, 1),
        "image/jpeg",
    )
    .await;
    assert_eq!(r["status"], "released");
    assert_eq!(
        s.http
            .get(r["thumb_url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn bombs_broken_files_and_other_formats_are_refused(s: TestServer) {
    let (reference, token) = create_report(&s).await;
    let (status, err) = upload(&s, &reference, &token, png_bomb(), "image/png").await;
    assert_eq!(status, 422, "{err}");
    assert!(err["message"].as_str().unwrap().contains("zu groß"));
    let jpeg = jpeg_with_gps(600, 400, 1);
    let (status, err) = upload(
        &s,
        &reference,
        &token,
        jpeg[..jpeg.len() / 2].to_vec(),
        "image/jpeg",
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["message"].as_str().unwrap().contains("beschädigt"));
    let (status, err) = upload(
        &s,
        &reference,
        &token,
        b"GIF89a\x01\x00\x01\x00".to_vec(),
        "image/gif",
    )
    .await;
    assert_eq!(status, 415);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("JPEG, PNG oder WebP"));
    let (status, _) = upload(&s, &reference, &token, vec![], "image/jpeg").await;
    assert_eq!(status, 400);
    // Larger than the upload limit. A client of its own: the server may close the connection
    // before the body is through, and the shared client must not reuse that connection.
    let r = reqwest::Client::new()
        .post(s.at(&format!(
            "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
        )))
        .body(vec![0u8; 11 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(stored(&s).await.is_empty(), "nothing stored");
    // The report itself is unharmed and takes a good photo afterwards.
    let (status, _) = upload(&s, &reference, &token, jpeg, "image/jpeg").await;
    assert_eq!(status, 201);
}

async fn only_the_reporter_can_upload_and_at_most_three(s: TestServer) {
    let (reference, token) = create_report(&s).await;
    let (other_ref, other_token) = create_report(&s).await;
    let photo = jpeg_with_gps(200, 150, 1);
    assert_eq!(
        upload(&s, &reference, "guessed-token", photo.clone(), "image/jpeg")
            .await
            .0,
        404
    );
    assert_eq!(
        upload(&s, &reference, &other_token, photo.clone(), "image/jpeg")
            .await
            .0,
        404,
        "another report's token"
    );
    for _ in 0..3 {
        assert_eq!(
            upload(&s, &reference, &token, photo.clone(), "image/jpeg")
                .await
                .0,
            201
        );
    }
    let (status, err) = upload(&s, &reference, &token, photo.clone(), "image/jpeg").await;
    assert_eq!(status, 409);
    assert!(err["message"].as_str().unwrap().contains("Höchstens 3"));
    assert_eq!(stored(&s).await.len(), 3);
    assert_eq!(
        upload(&s, &other_ref, &other_token, photo, "image/jpeg")
            .await
            .0,
        201
    );
}

async fn office_redacts_rotates_and_adds_an_after_photo(s: TestServer) {
    let (reference, token) = create_report(&s).await;
    // A bright picture, so black is easy to tell.
    let img = RgbImage::from_pixel(400, 200, Rgb([230, 230, 230]));
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    upload(&s, &reference, &token, bytes, "image/png").await;
    let admin = s.login_admin().await;
    let (_, office) = admin.get(&format!("/office/api/reports/{reference}")).await;
    let id = office["photos"][0]["id"].as_i64().unwrap();
    let (status, r) = admin
        .post(
            &format!("/office/api/photos/{id}/edit"),
            &json!({"redact": [{"x": 0.0, "y": 0.0, "w": 0.25, "h": 0.5}]}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let jpeg = stored(&s).await.remove(0).3;
    let img = image::load_from_memory(&jpeg).unwrap().to_rgb8();
    let dark = |x, y| {
        img.get_pixel(x, y)
            .0
            .iter()
            .map(|&c| u32::from(c))
            .sum::<u32>()
            < 60
    };
    assert!(dark(20, 20) && dark(90, 90), "inside the rectangle");
    assert!(!dark(300, 150) && !dark(120, 20), "outside it");
    let (status, r) = admin
        .post(
            &format!("/office/api/photos/{id}/edit"),
            &json!({"rotate": 1}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            r["photos"][0]["width"].as_i64(),
            r["photos"][0]["height"].as_i64()
        ),
        (Some(200), Some(400))
    );
    // An "after" photo when resolved: public at once, marked as such.
    let r = s
        .http
        .post(s.at(&format!("/office/api/reports/{reference}/photos")))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "image/jpeg")
        .body(jpeg_with_gps(300, 200, 1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (_, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    let photos = detail["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1, "the citizen's photo is still unreleased");
    assert_eq!(photos[0]["kind"], "after");
    let actions = common::audit_actions(&admin).await;
    assert!(actions.iter().any(|x| x == "photo.edit") && actions.iter().any(|x| x == "photo.add"));
    // Another town's official cannot touch the photo.
    let (_, neighbour) = s.neighbour_admin().await;
    assert_eq!(
        neighbour.get(&format!("/office/api/photos/{id}")).await.0,
        404
    );
    assert_eq!(
        neighbour
            .post(
                &format!("/office/api/photos/{id}/status"),
                &json!({"status": "released"})
            )
            .await
            .0,
        404
    );
}

async fn open311_accepts_media_and_shows_released_photos(s: TestServer) {
    let form = reqwest::multipart::Form::new()
        .text("api_key", s.api_key.clone())
        .text("service_code", "muell")
        .text("lat", "50.553")
        .text("long", "9.679")
        .text("description", "Sperrmüll am Straßenrand, siehe Foto")
        .part(
            "media",
            reqwest::multipart::Part::bytes(jpeg_with_gps(640, 480, 1))
                .file_name("foto.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
    let r = s
        .http
        .post(s.at("/open311/v2/requests.json"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let created: Value = r.json().await.unwrap();
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, body) = s
        .get_text(&format!("/open311/v2/requests/{id}.json?extensions=true"))
        .await;
    let before: Value = serde_json::from_str(&body).unwrap();
    assert!(before[0].get("media_url").is_none(), "not released yet");
    assert_eq!(before[0]["extended_attributes"]["media_urls"], json!([]));
    let admin = s.login_admin().await;
    let (_, office) = admin.get(&format!("/office/api/reports/{id}")).await;
    let photo = office["photos"][0]["id"].as_i64().unwrap();
    admin
        .post(
            &format!("/office/api/photos/{photo}/status"),
            &json!({"status": "released"}),
        )
        .await;
    let (_, _, body) = s
        .get_text(&format!("/open311/v2/requests/{id}.json?extensions=true"))
        .await;
    let after: Value = serde_json::from_str(&body).unwrap();
    let media_url = after[0]["media_url"].as_str().unwrap();
    assert!(media_url.starts_with(&format!("{}/media/", s.url)));
    assert_eq!(after[0]["extended_attributes"]["media_urls"][0], media_url);
    let fetched = s
        .http
        .get(media_url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!has_exif(&fetched));
    // A broken file fails the whole request and stores no report.
    let before_count = s.report_count().await;
    let form = reqwest::multipart::Form::new()
        .text("api_key", s.api_key.clone())
        .text("service_code", "muell")
        .text("lat", "50.553")
        .text("long", "9.679")
        .text("description", "Kaputtes Foto")
        .part(
            "media",
            reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("x.jpg"),
        );
    let r = s
        .http
        .post(s.at("/open311/v2/requests.json"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let err: Value = r.json().await.unwrap();
    assert!(err[0]["description"]
        .as_str()
        .unwrap()
        .starts_with("media:"));
    assert_eq!(s.report_count().await, before_count);
}
