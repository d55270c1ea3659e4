//! Every request body the widgets send, written from the `civickit_model::api` type that the
//! server parses. Destructured on purpose: a field added to or renamed in the model does not
//! compile here until the writer sends it. `None` is left out, as serde does on the server.

use super::Body;
use civickit_model::api::widget::{
    BallotAnswer, NewMessageRequest, NewReportRequest, SupportRequest, VoteRequest,
};
use wasm_bindgen::JsValue;

pub trait ToBody {
    fn to_body(&self) -> Body;
}

impl ToBody for NewReportRequest {
    fn to_body(&self) -> Body {
        let NewReportRequest {
            category,
            position,
            address,
            description,
            email,
            website,
            altcha,
            lang,
        } = self;
        Body::default()
            .str("category", category)
            .position("position", *position)
            .opt_str("address", address.as_deref())
            .str("description", description)
            .opt_str("email", email.as_deref())
            .opt_str("website", website.as_deref())
            .opt_str("altcha", altcha.as_deref())
            .opt_str("lang", lang.as_deref())
    }
}

impl ToBody for SupportRequest {
    fn to_body(&self) -> Body {
        let SupportRequest { supporter, altcha } = self;
        Body::default()
            .str("supporter", supporter)
            .opt_str("altcha", altcha.as_deref())
    }
}

impl ToBody for NewMessageRequest {
    fn to_body(&self) -> Body {
        let NewMessageRequest {
            kind,
            subject,
            message,
            name,
            email,
            phone,
            website,
            form_token,
            altcha,
            lang,
        } = self;
        Body::default()
            .str("kind", kind)
            .str("subject", subject)
            .str("message", message)
            .opt_str("name", name.as_deref())
            .opt_str("email", email.as_deref())
            .opt_str("phone", phone.as_deref())
            .opt_str("website", website.as_deref())
            .opt_str("form_token", form_token.as_deref())
            .opt_str("altcha", altcha.as_deref())
            .opt_str("lang", lang.as_deref())
    }
}

impl ToBody for VoteRequest {
    fn to_body(&self) -> Body {
        let VoteRequest {
            answers,
            code,
            voter_token,
            altcha,
            lang,
        } = self;
        let list = js_sys::Array::new();
        for BallotAnswer { question, options } in answers {
            let ids: js_sys::Array = options
                .iter()
                .map(|o| JsValue::from_f64(*o as f64))
                .collect();
            let answer = Body::default()
                .value("question", &JsValue::from_f64(*question as f64))
                .value("options", &ids);
            list.push(&answer.0);
        }
        Body::default()
            .value("answers", &list)
            .opt_str("code", code.as_deref())
            .opt_str("voter_token", voter_token.as_deref())
            .opt_str("altcha", altcha.as_deref())
            .opt_str("lang", lang.as_deref())
    }
}
