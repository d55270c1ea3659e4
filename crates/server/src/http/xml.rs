//! Open311's XML form, written from the very JSON value that the JSON form serialises, so that
//! the two formats of one resource cannot drift apart.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// The element name of one item of a list-valued field, per GeoReport v2 and its extensions.
fn item_name(list: &str) -> &str {
    match list {
        "service_requests" => "request",
        "services" => "service",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        "status_notes" => "status_note",
        "media_urls" => "media_url",
        _ => "item",
    }
}

/// `<?xml version="1.0" encoding="utf-8"?><root>…</root>`; arrays become repeated children named
/// by [`item_name`], nulls are left out (Open311 omits absent fields).
pub fn to_xml(root: &str, value: &Value) -> String {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .expect("writing to a Vec cannot fail");
    write_value(&mut w, root, value);
    String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8")
}

fn write_value(w: &mut Writer<Vec<u8>>, name: &str, value: &Value) {
    let start = |w: &mut Writer<Vec<u8>>| {
        w.write_event(Event::Start(BytesStart::new(name)))
            .expect("writing to a Vec cannot fail")
    };
    let end = |w: &mut Writer<Vec<u8>>| {
        w.write_event(Event::End(BytesEnd::new(name)))
            .expect("writing to a Vec cannot fail")
    };
    match value {
        Value::Null => {}
        Value::Array(items) => {
            start(w);
            for item in items {
                write_value(w, item_name(name), item);
            }
            end(w);
        }
        Value::Object(fields) => {
            start(w);
            for (k, v) in fields {
                write_value(w, k, v);
            }
            end(w);
        }
        Value::String(s) => text(w, name, s),
        Value::Bool(b) => text(w, name, if *b { "true" } else { "false" }),
        Value::Number(n) => text(w, name, &n.to_string()),
    }
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, s: &str) {
    w.write_event(Event::Start(BytesStart::new(name)))
        .expect("writing to a Vec cannot fail");
    w.write_event(Event::Text(BytesText::new(s)))
        .expect("writing to a Vec cannot fail");
    w.write_event(Event::End(BytesEnd::new(name)))
        .expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_objects_and_escaping() {
        let v = json!([{"service_request_id": "M-2026-00001", "description": "<script>&\"", "lat": 50.5, "x": null}]);
        let xml = to_xml("service_requests", &v);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>\
             <service_request_id>M-2026-00001</service_request_id>\
             <description>&lt;script&gt;&amp;&quot;</description><lat>50.5</lat>\
             </request></service_requests>"
        );
    }
}
