//! The static files (widget bundle, demo page, office page) as one table in memory, each file
//! with its brotli, gzip and identity bytes, content type and strong ETags, built once at start.
//!
//! One code path for both sources: the bundle compiled into the binary (`build.rs`, filled by
//! `cargo xtask build`), or a folder given with `--dist` (development), read at start. Answers
//! are chosen in [`serve`]. Serving from memory is what makes static files fast: `ServeDir`
//! opened and read the file on a blocking thread for every request (2.6 k req/s for civic.js
//! where nginx does 35–42 k).

mod compress;
pub(crate) mod serve;

use axum::body::Bytes;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

pub use serve::CachePolicy;

mod bundle {
    include!(concat!(env!("OUT_DIR"), "/bundle.rs"));
}

/// A content coding we can answer with, in the order we prefer them (smallest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The token in `Accept-Encoding` / `Content-Encoding`, and the precompressed file suffix.
    fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
            Encoding::Identity => "identity",
        }
    }
}

/// One representation of a file: its bytes in one coding and their strong ETag.
pub struct Representation {
    pub encoding: Encoding,
    pub body: Bytes,
    /// `"<16 hex digits of SHA-256 of these bytes>"`: strong, so it changes with every byte.
    pub etag: HeaderValue,
}

pub struct Asset {
    pub content_type: HeaderValue,
    /// Best first: brotli, gzip (each only if smaller than identity), identity last.
    pub representations: Vec<Representation>,
    /// 16 hex digits of SHA-256 of the identity bytes: the `?v=` that `cargo xtask build`
    /// writes into civic.js for the widgets' wasm and glue, which makes those URLs immutable.
    pub version: String,
}

/// Where the table came from, for the start-up log.
#[derive(Clone, Debug)]
pub enum Source {
    Embedded,
    Folder(std::path::PathBuf),
}

pub struct Assets {
    files: HashMap<String, Asset>,
    pub source: Source,
}

/// A file of the bundle as found: its path below `dist/` and its bytes.
type Found = (String, Bytes);

impl Assets {
    /// The bundle compiled into this binary (empty if it was built without `cargo xtask build`).
    pub fn embedded() -> Assets {
        let files = bundle::FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), Bytes::from_static(bytes)))
            .collect();
        Assets::from_files(files, Source::Embedded)
    }

    /// Reads a bundle folder (`--dist`) into memory. A `.br`/`.gz` older than its file is
    /// ignored and the file compressed again, so a stale leftover is never served.
    pub fn from_dir(dir: &Path) -> Result<Assets, String> {
        if !dir.is_dir() {
            return Err(format!(
                "--dist {}: no such folder (leave --dist out to serve the bundle built into \
                 the binary)",
                dir.display()
            ));
        }
        let mut found = Vec::new();
        read_dir(dir, dir, &mut found)?;
        Ok(Assets::from_files(found, Source::Folder(dir.to_path_buf())))
    }

    fn from_files(found: Vec<Found>, source: Source) -> Assets {
        let mut originals = Vec::new();
        let mut precompressed: HashMap<(String, &'static str), Bytes> = HashMap::new();
        for (path, bytes) in found {
            match compress::precompressed_of(&path) {
                Some((original, token)) => {
                    precompressed.insert((original.to_string(), token), bytes);
                }
                None => originals.push((path, bytes)),
            }
        }
        let files = originals
            .into_iter()
            .map(|(path, identity)| {
                let mut take = |token| precompressed.remove(&(path.clone(), token));
                let (br, gz) = (take("br"), take("gzip"));
                let asset = Asset::new(&path, identity, br, gz);
                (path, asset)
            })
            .collect();
        Assets { files, source }
    }

    /// The file at `path` below `dist/` (e.g. `widgets/civic.js`).
    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }

    /// Whether there is a widget bundle to serve at all (a build without `cargo xtask build`
    /// has none; the APIs work regardless).
    pub fn has_bundle(&self) -> bool {
        self.files.contains_key("widgets/civic.js")
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl Asset {
    fn new(path: &str, identity: Bytes, br: Option<Bytes>, gz: Option<Bytes>) -> Asset {
        let mut representations = Vec::with_capacity(3);
        if compress::worth_compressing(path) {
            let br = br.unwrap_or_else(|| compress::brotli(&identity));
            let gz = gz.unwrap_or_else(|| compress::gzip(&identity));
            for (encoding, body) in [(Encoding::Brotli, br), (Encoding::Gzip, gz)] {
                if body.len() < identity.len() {
                    representations.push(Representation::new(encoding, body));
                }
            }
        }
        let identity = Representation::new(Encoding::Identity, identity);
        let version = hash_hex(&identity.body);
        representations.push(identity);
        Asset {
            content_type: content_type(path),
            representations,
            version,
        }
    }

    /// A JSON answer computed on a request (the map's), served like a file: negotiated coding,
    /// strong ETags, 304s. Compressed fast, as it lives only until the data changes.
    pub fn dynamic_json(identity: Vec<u8>) -> Asset {
        let identity = Bytes::from(identity);
        let br = compress::brotli_fast(&identity);
        let gz = compress::gzip_fast(&identity);
        Asset::new("answer.json", identity, Some(br), Some(gz))
    }

    /// Whether more than one coding exists, i.e. whether answers vary by `Accept-Encoding`.
    pub fn is_negotiated(&self) -> bool {
        self.representations.len() > 1
    }
}

impl Representation {
    fn new(encoding: Encoding, body: Bytes) -> Representation {
        let etag = HeaderValue::from_str(&format!("\"{}\"", hash_hex(&body)))
            .expect("hex digits are a valid header value");
        Representation {
            encoding,
            body,
            etag,
        }
    }
}

/// 16 hex digits (64 bits) of SHA-256: plenty to tell versions of one file apart.
fn hash_hex(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..8])
}

/// The `Content-Type` by file extension; text types say UTF-8, which everything we build is.
fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let value = match (mime.type_(), mime.subtype()) {
        // mime_guess still says application/javascript; RFC 9239 made text/javascript standard.
        (_, sub) if sub == "javascript" => "text/javascript; charset=utf-8".to_string(),
        (t, _) if t == "text" => format!("{mime}; charset=utf-8"),
        _ => mime.to_string(),
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn read_dir(root: &Path, dir: &Path, found: &mut Vec<Found>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            read_dir(root, &path, found)?;
            continue;
        }
        if compress::is_stale_precompressed(&path) {
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        found.push((relative, Bytes::from(bytes)));
    }
    Ok(())
}

/// The routes of the widget bundle and the demo page; the office mounts its own
/// (`office::routes`) with [`file`].
pub fn routes() -> axum::Router<std::sync::Arc<super::AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/widgets/{*file}", get(widget_file))
        .route("/", get(demo_file))
        .route("/demo/", get(demo_file))
        .route("/demo/{*file}", get(demo_file))
        .route("/integrations/{file}", get(integration_file))
}

/// The answer for the file at `path` below `dist/`, or an empty 404.
pub(crate) fn file(
    assets: &Assets,
    path: &str,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
    policy: CachePolicy,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match assets.get(path) {
        Some(asset) => serve::answer(asset, headers, uri.query(), policy),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/widgets/…`: readable from every origin, since towns embed the widgets in their own
/// sites and `import()` of a module from another origin needs CORS. Only simple GETs reach
/// these files, so a literal `*` is all CORS needs here (no preflight, no credentials).
async fn widget_file(
    state: super::State,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let file_name = uri.path().strip_prefix("/widgets/").unwrap_or_default();
    let path = format!("widgets/{file_name}");
    let mut answer = file(&state.assets, &path, &uri, &headers, CachePolicy::Short);
    answer.headers_mut().insert(
        axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    answer
}

/// `/integrations/…`: the CMS plugins built with the bundle (`civickit-wordpress.zip`), which
/// the office's embed page links, so a town installs the plugin of the server it runs. Served
/// deliberately, as a download: the zip is already deflated, so it goes as it is.
async fn integration_file(
    state: super::State,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let path = uri.path().trim_start_matches('/');
    let mut answer = file(&state.assets, path, &uri, &headers, CachePolicy::Short);
    if answer.status().is_success() {
        answer.headers_mut().insert(
            axum::http::header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    answer
}

/// The demo town's pages: `/` is its front page, `/demo/…` the rest.
async fn demo_file(
    state: super::State,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let path = uri.path();
    let name = path
        .strip_prefix("/demo/")
        .or(path.strip_prefix('/'))
        .unwrap_or_default();
    let name = if name.is_empty() { "index.html" } else { name };
    let path = format!("demo/{name}");
    file(&state.assets, &path, &uri, &headers, CachePolicy::Short)
}
