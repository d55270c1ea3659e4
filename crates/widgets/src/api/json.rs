//! The size-lean JSON reader: the browser's own `JSON.parse` and a few getters.
//!
//! Why not serde_json in the wasm: serde's generated visitors and serde_json's parser were a
//! third of the wasm. The answers are still the `civickit_model::api` types the server
//! serialises (see `answers.rs`): only the reading is done by hand.
//!
//! The readers are written against [`Value`], not against the browser's value directly, so
//! that the native tests can feed them serde_json's serialisation of the very same types and
//! check every key (in the wasm only [`Json`] exists, so this costs nothing there).

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A parsed JSON value with lenient getters: absent or mistyped fields read as empty.
pub trait Value: Sized {
    /// The member `key` (an empty value if there is none).
    fn get(&self, key: &str) -> Self;
    fn opt_str(&self, key: &str) -> Option<String>;
    fn num(&self, key: &str) -> Option<f64>;
    fn opt_bool(&self, key: &str) -> Option<bool>;
    /// The items of this value if it is an array (none if it is not).
    fn items(&self) -> Vec<Self>;

    /// The items of the array `key` (none if it is not an array).
    fn list(&self, key: &str) -> Vec<Self> {
        self.get(key).items()
    }

    fn str(&self, key: &str) -> String {
        self.opt_str(key).unwrap_or_default()
    }
    fn int(&self, key: &str) -> i64 {
        self.num(key).unwrap_or(0.0) as i64
    }
    fn bool(&self, key: &str) -> bool {
        self.opt_bool(key).unwrap_or(false)
    }
}

/// A value parsed by the browser's `JSON.parse`.
#[derive(Debug, Clone)]
pub struct Json(pub JsValue);

impl Json {
    pub fn parse(text: &str) -> Option<Json> {
        js_sys::JSON::parse(text).ok().map(Json)
    }
}

impl Value for Json {
    fn get(&self, key: &str) -> Json {
        Json(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }
    fn opt_str(&self, key: &str) -> Option<String> {
        self.get(key).0.as_string()
    }
    fn num(&self, key: &str) -> Option<f64> {
        self.get(key).0.as_f64()
    }
    fn opt_bool(&self, key: &str) -> Option<bool> {
        self.get(key).0.as_bool()
    }
    fn items(&self) -> Vec<Json> {
        let v = &self.0;
        if Array::is_array(v) {
            v.clone()
                .unchecked_into::<Array>()
                .iter()
                .map(Json)
                .collect()
        } else {
            Vec::new()
        }
    }
}

/// Types read from an answer; `None` when a field the widget cannot do without is missing.
pub trait FromJson: Sized {
    fn from_json<V: Value>(j: &V) -> Option<Self>;
}

/// The variant of `all` whose wire name (`name`, the model's `as_str`) is `s`.
pub fn variant<T: Copy>(all: &[T], name: fn(T) -> &'static str, s: &str) -> Option<T> {
    all.iter().copied().find(|v| name(*v) == s)
}

#[cfg(test)]
impl Value for serde_json::Value {
    /// Members of objects, and items of arrays by their index as text (as `Reflect::get` does).
    fn get(&self, key: &str) -> serde_json::Value {
        match self {
            serde_json::Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => self.as_object().and_then(|o| o.get(key)),
        }
        .cloned()
        .unwrap_or(serde_json::Value::Null)
    }
    fn opt_str(&self, key: &str) -> Option<String> {
        Value::get(self, key).as_str().map(str::to_string)
    }
    fn num(&self, key: &str) -> Option<f64> {
        Value::get(self, key).as_f64()
    }
    fn opt_bool(&self, key: &str) -> Option<bool> {
        Value::get(self, key).as_bool()
    }
    fn items(&self) -> Vec<serde_json::Value> {
        self.as_array().cloned().unwrap_or_default()
    }
}
