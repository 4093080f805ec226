//! The pages' static files, compiled into the binary and served under
//! `/assets/NAME.HASH.EXT`: the hash of the content is in the address, so a
//! browser keeps a file for a year and a new build's file has a new address.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
    hash: String,
}

const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon.svg"),
    ),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, media_type, bytes)| Asset {
            name,
            media_type,
            bytes,
            hash: Sha256::digest(bytes)
                .iter()
                .take(6)
                .map(|b| format!("{b:02x}"))
                .collect(),
        })
        .collect()
});

/// The address of an asset, with its content hash: `/assets/app.1a2b3c4d5e6f.css`.
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => {
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            format!("/assets/{stem}.{}.{ext}", asset.hash)
        }
        None => format!("/assets/{name}"),
    }
}

/// Serves an asset: immutable when asked by its hashed address, revalidated
/// (by its ETag) when asked by its plain name.
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let parts: Vec<&str> = name.split('.').collect();
    let (plain, hashed) = match parts.as_slice() {
        [stem, hash, ext] => (format!("{stem}.{ext}"), Some(*hash)),
        _ => (name.clone(), None),
    };
    let Some(asset) = ASSETS.iter().find(|a| a.name == plain) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    if hashed.is_some_and(|h| h != asset.hash) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let etag = format!("\"{}\"", asset.hash);
    let cache = if hashed.is_some() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        asset.bytes.into_response()
    };
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.media_type),
    );
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    response
}
