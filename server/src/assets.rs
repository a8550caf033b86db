//! The site's CSS, JS and WASM, served from memory. `ServeDir` opened and read each file on a
//! blocking thread for every request: a sixth of the login page's rate. The files are few and
//! small (about 300 KB with their brotli and gzip copies), so they are read once at start and
//! answered like the kept login page. A build of `cargo leptos watch` (debug) looks at the
//! file's time on each request and reads it again when it changed.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::header::{
    HeaderValue, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, VARY,
};
use http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// One file as it can be sent: plain, and brotli or gzip when the build wrote those beside it.
struct Asset {
    content_type: &'static str,
    /// The first 128 bits of the plain file's SHA-256: the name `stem.HASH.ext` stands for
    /// exactly this content, so that name may be cached for good.
    hash: String,
    /// The representations present, as (encoding, bytes, ETag); plain is `identity`.
    representations: Vec<(&'static str, Bytes, HeaderValue)>,
    modified: Option<SystemTime>,
}

#[derive(Clone)]
pub struct Assets {
    dir: PathBuf,
    files: Arc<RwLock<HashMap<String, Arc<Asset>>>>,
}

/// Only plain file names of the build can be assets: no path, no dot first.
fn is_asset_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("ts") => "text/plain; charset=utf-8",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn read(dir: &FsPath, name: &str) -> Option<Asset> {
    let path = dir.join(name);
    let metadata = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    let plain = std::fs::read(&path).ok()?;
    let hash = content_tag(&plain);
    let tagged = |encoding: &'static str, bytes: Vec<u8>, tag: &str| {
        let etag =
            HeaderValue::from_str(&format!("\"{tag}.{encoding}\"")).expect("hex is a valid header");
        (encoding, Bytes::from(bytes), etag)
    };
    let mut representations = Vec::new();
    for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] {
        if let Ok(bytes) = std::fs::read(dir.join(format!("{name}{suffix}"))) {
            let tag = content_tag(&bytes);
            representations.push(tagged(encoding, bytes, &tag));
        }
    }
    representations.push(tagged("identity", plain, &hash));
    Some(Asset {
        content_type: content_type(name),
        hash,
        representations,
        modified: metadata.modified().ok(),
    })
}

/// The first 128 bits of the file's SHA-256, in hex: its ETag.
pub(crate) fn content_tag(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

impl Assets {
    /// Reads every file of `dir` (the site's `pkg` folder); a missing folder serves nothing.
    pub fn load(dir: PathBuf) -> Self {
        let mut files = HashMap::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let is_copy = name.ends_with(".br") || name.ends_with(".gz");
                if is_copy || !is_asset_name(&name) {
                    continue;
                }
                if let Some(asset) = read(&dir, &name) {
                    files.insert(name, Arc::new(asset));
                }
            }
        }
        Self {
            dir,
            files: Arc::new(RwLock::new(files)),
        }
    }

    fn get(&self, name: &str) -> Option<Arc<Asset>> {
        let kept = self.files.read().unwrap_or_else(|p| p.into_inner()).get(name).cloned();
        if !cfg!(debug_assertions) {
            return kept;
        }
        // Development: a rebuilt file is read again.
        let on_disk = std::fs::metadata(self.dir.join(name)).ok().and_then(|m| m.modified().ok());
        if on_disk.is_some() && kept.as_ref().and_then(|a| a.modified) == on_disk {
            return kept;
        }
        let fresh = Arc::new(read(&self.dir, name)?);
        self.files
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), fresh.clone());
        Some(fresh)
    }
}

/// `stem.HASH.ext` → (`stem.ext`, `HASH`), the name under which Leptos links a hashed file.
fn unhashed(name: &str) -> Option<(String, &str)> {
    let mut parts = name.rsplitn(3, '.');
    let (ext, hash, stem) = (parts.next()?, parts.next()?, parts.next()?);
    let is_hash = hash.len() == 32 && hash.chars().all(|c| c.is_ascii_hexdigit());
    is_hash.then(|| (format!("{stem}.{ext}"), hash))
}

impl Assets {
    /// The hash file Leptos reads to link the hashed names (`js:`, `wasm:`, `css:` lines), when
    /// the build holds the output's JS, WASM and CSS.
    pub fn leptos_hash_file(&self, output_name: &str) -> Option<String> {
        let mut lines = String::new();
        for ext in ["js", "wasm", "css"] {
            let asset = self.get(&format!("{output_name}.{ext}"))?;
            lines.push_str(&format!("{ext}: {}\n", asset.hash));
        }
        Some(lines)
    }
}

/// The encodings the client accepts, in the order we prefer them (brotli, gzip, none).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    if encoding == "identity" {
        return true;
    }
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(encoding) && !refused
        })
}

pub async fn serve(
    State(assets): State<Assets>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !is_asset_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // A hashed name whose hash is the content's own may be kept for good. (Under
    // `cargo leptos watch` a file may change while the page still names the old hash: it is
    // then sent as it is now, to be asked for again.)
    let (asset, immutable) = match assets.get(&name) {
        Some(asset) => (asset, false),
        None => {
            let Some((base, hash)) = unhashed(&name) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let Some(asset) = assets.get(&base) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let current = asset.hash == hash;
            (asset, current)
        }
    };
    let Some((encoding, bytes, etag)) = asset
        .representations
        .iter()
        .find(|(encoding, _, _)| accepts(&headers, encoding))
        .cloned()
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let unchanged = headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag.to_str().unwrap_or_default() || tag.trim() == "*");
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(bytes))
    };
    let out = response.headers_mut();
    out.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    if encoding != "identity" {
        out.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    out.insert(VARY, HeaderValue::from_static("accept-encoding"));
    out.insert(ETAG, etag);
    // Under a plain name a browser may keep a copy but asks whether it is still current (a
    // 304 costs no body); under its content's hash it never needs to ask.
    out.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_assets() {
        assert!(is_asset_name("shomei.css"));
        assert!(is_asset_name("shomei_bg.wasm"));
        for name in [
            "",
            "..",
            ".env",
            "../Cargo.toml",
            "a/b.css",
            "a\\b.css",
            "%2e%2e",
        ] {
            assert!(!is_asset_name(name), "{name}");
        }
    }

    #[test]
    fn a_hashed_name_stands_for_its_plain_name() {
        let hash = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            unhashed(&format!("shomei.{hash}.css")),
            Some(("shomei.css".to_owned(), hash))
        );
        assert_eq!(unhashed("shomei.css"), None);
        assert_eq!(unhashed("shomei.short.css"), None);
    }

    #[test]
    fn an_encoding_refused_with_q_zero_is_not_chosen() {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0"));
        assert!(accepts(&headers, "gzip"));
        assert!(!accepts(&headers, "br"));
        assert!(accepts(&headers, "identity"));
    }
}
