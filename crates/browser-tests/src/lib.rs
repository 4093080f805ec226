//! End-to-end tests of Pendamping in a real browser: they live in
//! `tests/browser/` and are built only with the `chromium` feature
//! (`cargo test -p pendamping-browser-tests --features chromium`), so that
//! `cargo test --workspace` builds no browser driver.
//!
//! They need Debian's `chromium` package (`/usr/bin/chromium`, or the path in
//! `PENDAMPING_CHROMIUM`) and the server binary (`target/debug/pendamping`, or
//! the path in `PENDAMPING_BIN`); without either they fail, saying so. No
//! browser is ever downloaded.
