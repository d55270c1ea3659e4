//! `civickit tenant show`: every setting of a town, readable, with its departments,
//! categories, message kinds and how much it holds.

use crate::db::tenants::Tenant;
use crate::db::Db;

pub async fn show(db: &Db, t: &Tenant) -> Result<(), String> {
    let err = |e: crate::db::DbError| e.to_string();
    let or_none = |s: &str| {
        if s.is_empty() {
            "(not set)".to_string()
        } else {
            s.to_string()
        }
    };
    let b = t.area.bbox();
    let corners: usize = t
        .area
        .polygons
        .iter()
        .map(|p| p.outer.len() + p.holes.iter().map(Vec::len).sum::<usize>())
        .sum();
    let holes: usize = t.area.polygons.iter().map(|p| p.holes.len()).sum();
    println!("slug:             {}", t.slug);
    println!("name:             {}", t.name);
    println!(
        "centre:           {},{}  (zoom {})",
        t.center.lat, t.center.lng, t.zoom
    );
    println!(
        "area:             {} part(s), {holes} hole(s), {corners} corners; bounds {:.5},{:.5} – {:.5},{:.5}",
        t.area.polygons.len(),
        b.south,
        b.west,
        b.north,
        b.east
    );
    println!("allowed origins:  {}", or_none(&t.origins().join(", ")));
    println!("tiles:            {}", t.tile_url);
    println!("attribution:      {}", t.tile_attribution);
    println!("privacy notice:   {}", or_none(&t.privacy_url));
    println!("imprint:          {}", or_none(&t.imprint_url));
    println!("geocoder:         {}", or_none(&t.geocoder_url));
    println!("response promise: {} days", t.response_days);
    println!(
        "flag threshold:   {} flags hide a report or photo",
        db.flag_threshold(t.id).await.map_err(|e| e.to_string())?
    );
    let step = db.poll_result_step(t.id).await.map_err(|e| e.to_string())?;
    println!(
        "poll results:     {}",
        if step == 1 {
            "live, vote by vote".to_string()
        } else {
            format!("every {step} votes while a poll is open")
        }
    );
    let county = db
        .tenant_number(t.id, crate::db::tenants::TenantNumber::CountyStats)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "county view:      {}",
        if county == 1 {
            "listed in the county statistics"
        } else {
            "not listed (only its own statistics)"
        }
    );
    println!(
        "pre-moderation:   {}",
        if t.premoderation { "on" } else { "off" }
    );
    println!(
        "proof of work:    up to {} hashes per write (x4 / x16 while writes spike)",
        t.pow_max_number
    );
    let r = db.retention(t.id).await.map_err(err)?;
    println!(
        "retention:        contact {} days after finishing{}; sent mails {} days; tracking links {} days; photos {}",
        r.contact_days,
        if r.erase_text { " (message texts too)" } else { "" },
        r.outbox_days,
        r.tracking_days,
        if r.photo_days == 0 {
            "kept".to_string()
        } else {
            format!("{} days", r.photo_days)
        }
    );
    let retired = |r: bool| if r { "  (retired)" } else { "" };
    let catalogue = db.catalogue(t.id).await.map_err(err)?;
    println!("departments:");
    for d in &catalogue.departments {
        let email = d.email.as_deref().unwrap_or("no address");
        println!("  {:<30} {email}{}", d.name, retired(d.retired));
    }
    println!("categories (in the widget's order):");
    for c in &catalogue.categories {
        let department = catalogue
            .departments
            .iter()
            .find(|d| Some(d.id) == c.department_id)
            .map_or("(no department)", |d| d.name.as_str());
        println!(
            "  {:<22} {:<40} → {department}{}",
            c.code,
            c.name,
            retired(c.retired)
        );
    }
    println!("message kinds:");
    for k in db.message_kind_rows(t.id).await.map_err(err)? {
        println!("  {:<22} {}{}", k.code, k.name, retired(k.retired));
    }
    let counts = db.town_counts(t.id).await.map_err(err)?;
    let counts: Vec<String> = counts
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    println!("counts:           {}", counts.join(", "));
    Ok(())
}
