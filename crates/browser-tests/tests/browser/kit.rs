//! The test kit: the real server on a free port, one headless Chromium, and
//! tabs that each live in their own browser context (their own cookies) and
//! record every console error, failed request and request to another host.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail, ensure};
use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventRequestWillBeSent, EventResponseReceived, SetUserAgentOverrideParams,
};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures_util::StreamExt as _;
use serde_json::Value;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "pendamping-demo";

/// How long a page may take to show what a step waits for.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The folder the screenshots go to: `target/browser-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    target_dir().join("browser-screenshots")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// Debian's Chromium, or the one `PENDAMPING_CHROMIUM` names. Never downloaded.
pub fn chromium() -> anyhow::Result<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("PENDAMPING_CHROMIUM") {
        Some(path) => vec![PathBuf::from(path)],
        None => vec![
            PathBuf::from("/usr/bin/chromium"),
            PathBuf::from("/usr/bin/chromium-browser"),
        ],
    };
    candidates.iter().find(|path| path.is_file()).cloned().ok_or_else(|| {
        anyhow!(
            "Chromium is not installed: none of {candidates:?} exists. Install the distribution's \
             package (`apt-get install -y chromium`, as `.ci/run` does) or set PENDAMPING_CHROMIUM \
             to a Chromium binary. The browser tests never download a browser."
        )
    })
}

/// The server binary: `PENDAMPING_BIN`, else `target/debug/pendamping`.
fn server_binary() -> anyhow::Result<PathBuf> {
    let path = match std::env::var_os("PENDAMPING_BIN") {
        Some(path) => PathBuf::from(path),
        None => target_dir().join("debug").join("pendamping"),
    };
    ensure!(
        path.is_file(),
        "the server binary {} does not exist: run `cargo build -p pendamping` first \
         (or set PENDAMPING_BIN)",
        path.display()
    );
    Ok(path)
}

/// A fresh database: on the PostgreSQL server `PENDAMPING_TEST_DATABASE_URL`
/// names (as the other tests do), else an SQLite file in `folder`.
fn database_url(folder: &Path) -> anyhow::Result<String> {
    match std::env::var("PENDAMPING_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("pdp_browser_{}", std::process::id());
            let status = Command::new("psql")
                .arg(&admin)
                .arg("-qc")
                .arg(format!("CREATE DATABASE {name}"))
                .status()
                .context("running psql")?;
            ensure!(status.success(), "creating the database {name}");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            Ok(format!("{base}/{name}"))
        }
        _ => Ok(format!(
            "sqlite://{}?mode=rwc",
            folder.join("browser.db").display()
        )),
    }
}

/// `pendamping serve --demo` on a free port, over a fresh database (SQLite in
/// a temporary folder that also holds its evidence files); killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
    pub host: String,
    folder: PathBuf,
}

impl Server {
    pub fn start() -> anyhow::Result<Server> {
        let binary = server_binary()?;
        let folder =
            std::env::temp_dir().join(format!("pendamping-browser-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder)?;
        let log = std::fs::File::create(folder.join("server.log"))?;
        let database = database_url(&folder)?;
        let mut child = Command::new(&binary)
            .current_dir(&folder)
            .env_remove("RUST_LOG")
            .env("PENDAMPING_SWEEP_INTERVAL_SECS", "0")
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--database-url"])
            .arg(&database)
            .arg("--evidence-dir")
            .arg(folder.join("evidence"))
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("the server's output")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_default();
        let Some(base) = line.trim().strip_prefix("listening on ").map(str::to_owned) else {
            let _ = child.kill();
            let log = std::fs::read_to_string(folder.join("server.log")).unwrap_or_default();
            bail!("the server did not start (first line {line:?}); its log:\n{log}");
        };
        let host = base.trim_start_matches("http://").to_owned();
        Ok(Server {
            child,
            base,
            host,
            folder,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's log so far (shown when a scenario fails).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.folder.join("server.log")).unwrap_or_default()
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// One Chromium for all scenarios, with a fresh profile.
pub struct Chromium {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    profile: PathBuf,
}

impl Chromium {
    pub async fn launch() -> anyhow::Result<Chromium> {
        let executable = chromium()?;
        let profile =
            std::env::temp_dir().join(format!("pendamping-chromium-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile)?;
        let config = BrowserConfig::builder()
            .chrome_executable(&executable)
            // Exactly these switches (chromiumoxide adds the `--`), and
            // `--headless`, `--no-sandbox` from the builder's own settings.
            .disable_default_args()
            .no_sandbox()
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                "disable-dev-shm-usage",
                "disable-extensions",
                "window-size=1280,900",
            ])
            .user_data_dir(&profile)
            .viewport(None)
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .map_err(|err| anyhow!("configuring Chromium: {err}"))?;
        let (browser, mut handler) = Browser::launch(config)
            .await
            .with_context(|| format!("launching {}", executable.display()))?;
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Ok(Chromium {
            browser,
            handler,
            profile,
        })
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    /// A new tab in a browser context of its own (no cookies shared with any
    /// other tab), asking for pages in `accept_language`.
    pub async fn tab(&self, server: &Server, accept_language: &str) -> anyhow::Result<Tab> {
        let context = self
            .browser
            .create_browser_context(CreateBrowserContextParams::default())
            .await?;
        let page = self
            .browser
            .new_page(
                CreateTargetParams::builder()
                    .url("about:blank")
                    .browser_context_id(context)
                    .build()
                    .map_err(|err| anyhow!(err))?,
            )
            .await?;
        let tab = Tab {
            page,
            base: server.base.clone(),
            host: server.host.clone(),
            seen: Arc::new(Mutex::new(Seen::default())),
        };
        tab.observe().await?;
        let agent: String = tab.eval("navigator.userAgent").await?;
        tab.page
            .execute(
                SetUserAgentOverrideParams::builder()
                    .user_agent(agent.replace("HeadlessChrome", "Chrome"))
                    .accept_language(accept_language)
                    .build()
                    .map_err(|err| anyhow!(err))?,
            )
            .await?;
        tab.size(1280, 900, false).await?;
        Ok(tab)
    }
}

/// What a tab saw that a clean page never shows.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    pub console_errors: Vec<String>,
    pub failed_requests: Vec<String>,
    pub other_hosts: Vec<String>,
    pub requests: usize,
}

pub struct Tab {
    pub page: Page,
    base: String,
    host: String,
    seen: Arc<Mutex<Seen>>,
}

impl Tab {
    /// Starts recording console errors, uncaught exceptions, browser log
    /// errors (CSP violations among them), failed requests and other hosts.
    async fn observe(&self) -> anyhow::Result<()> {
        let page = &self.page;
        let mut console = page.event_listener::<EventConsoleApiCalled>().await?;
        let mut exceptions = page.event_listener::<EventExceptionThrown>().await?;
        let mut log = page.event_listener::<EventEntryAdded>().await?;
        let mut requests = page.event_listener::<EventRequestWillBeSent>().await?;
        let mut responses = page.event_listener::<EventResponseReceived>().await?;
        let mut failures = page.event_listener::<EventLoadingFailed>().await?;
        let seen = self.seen.clone();
        let host = self.host.clone();
        tokio::spawn(async move {
            loop {
                let seen_now = |f: &mut dyn FnMut(&mut Seen)| {
                    if let Ok(mut seen) = seen.lock() {
                        f(&mut seen);
                    }
                };
                tokio::select! {
                    Some(event) = console.next() => {
                        if event.r#type == ConsoleApiCalledType::Error
                            || event.r#type == ConsoleApiCalledType::Assert
                        {
                            let text = event
                                .args
                                .iter()
                                .map(|arg| {
                                    arg.value
                                        .as_ref()
                                        .map(Value::to_string)
                                        .or_else(|| arg.description.clone())
                                        .unwrap_or_default()
                                })
                                .collect::<Vec<_>>()
                                .join(" ");
                            seen_now(&mut |s| s.console_errors.push(format!("console.error: {text}")));
                        }
                    }
                    Some(event) = exceptions.next() => {
                        let details = &event.exception_details;
                        let text = details
                            .exception
                            .as_ref()
                            .and_then(|e| e.description.clone())
                            .unwrap_or_else(|| details.text.clone());
                        seen_now(&mut |s| s.console_errors.push(format!("uncaught: {text}")));
                    }
                    Some(event) = log.next() => {
                        if event.entry.level == LogEntryLevel::Error {
                            let text = format!(
                                "log: {} {}",
                                event.entry.text,
                                event.entry.url.clone().unwrap_or_default()
                            );
                            seen_now(&mut |s| s.console_errors.push(text.clone()));
                        }
                    }
                    Some(event) = requests.next() => {
                        let url = event.request.url.clone();
                        let foreign = !(url.starts_with("data:")
                            || url.starts_with("blob:")
                            || url.starts_with("about:")
                            || url.starts_with(&format!("http://{host}/"))
                            || url.starts_with(&format!("ws://{host}/")));
                        seen_now(&mut |s| {
                            s.requests += 1;
                            if foreign {
                                s.other_hosts.push(url.clone());
                            }
                        });
                    }
                    Some(event) = responses.next() => {
                        if event.response.status >= 400 {
                            let text = format!("{} {}", event.response.status, event.response.url);
                            seen_now(&mut |s| s.failed_requests.push(text.clone()));
                        }
                    }
                    Some(event) = failures.next() => {
                        // A request cut short by leaving the page (an event
                        // stream, say) is not a failure of the page.
                        if event.canceled != Some(true) {
                            let text = format!("failed: {} ({:?})", event.error_text, event.r#type);
                            seen_now(&mut |s| s.failed_requests.push(text.clone()));
                        }
                    }
                    else => break,
                }
            }
        });
        Ok(())
    }

    /// Everything recorded so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Fails when the tab saw a console error, a failed request or a request
    /// to another host.
    pub fn assert_clean(&self, what: &str) -> anyhow::Result<()> {
        let seen = self.seen();
        ensure!(
            seen.console_errors.is_empty()
                && seen.failed_requests.is_empty()
                && seen.other_hosts.is_empty(),
            "{what}: console errors {:?}, failed requests {:?}, requests to other hosts {:?}",
            seen.console_errors,
            seen.failed_requests,
            seen.other_hosts
        );
        ensure!(seen.requests > 0, "{what}: no request was observed at all");
        Ok(())
    }

    /// Sets the viewport: 1280×900 for a PC, 360 wide for a phone.
    pub async fn size(&self, width: i64, height: i64, mobile: bool) -> anyhow::Result<()> {
        self.page
            .execute(SetDeviceMetricsOverrideParams::new(
                width, height, 1.0, mobile,
            ))
            .await?;
        Ok(())
    }

    /// Opens a path of the server and waits for the page to load.
    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        self.page
            .goto(format!("{}{path}", self.base))
            .await
            .with_context(|| format!("opening {path}"))?;
        self.wait_js("document.readyState === 'complete'", "the page to load")
            .await
    }

    /// Evaluates a JavaScript expression (promises awaited) into `T`.
    pub async fn eval<T: serde::de::DeserializeOwned>(&self, js: &str) -> anyhow::Result<T> {
        let result = self
            .page
            .evaluate_expression(js)
            .await
            .with_context(|| format!("evaluating {js}"))?;
        let value = result.value().cloned().unwrap_or(Value::Null);
        serde_json::from_value(value.clone())
            .with_context(|| format!("reading the value of {js}: {value}"))
    }

    /// Waits until a JavaScript expression is true.
    pub async fn wait_js(&self, js: &str, what: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        let mut last;
        loop {
            match self
                .eval::<Value>(&format!(
                    "(() => {{ try {{ return !!({js}); }} catch (e) {{ return String(e); }} }})()"
                ))
                .await
            {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(other) => last = other.to_string(),
                Err(err) => last = format!("{err:#}"),
            }
            if Instant::now() > deadline {
                let url: String = self.eval("location.href").await.unwrap_or_default();
                bail!("waited {PATIENCE:?} for {what} on {url} ({js} → {last})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element matching `selector`.
    pub async fn wait_for(&self, selector: &str) -> anyhow::Result<()> {
        self.wait_js(
            &format!("document.querySelector({})", js_string(selector)),
            selector,
        )
        .await
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) -> anyhow::Result<()> {
        self.wait_for(selector).await?;
        self.eval::<Value>(&format!(
            "(() => {{ document.querySelector({}).click(); return null; }})()",
            js_string(selector)
        ))
        .await?;
        Ok(())
    }

    /// Types `value` into the field matching `selector`, as a person would
    /// (the field's input and change events fire).
    pub async fn fill(&self, selector: &str, value: &str) -> anyhow::Result<()> {
        self.wait_for(selector).await?;
        self.eval::<Value>(&format!(
            "(() => {{ const e = document.querySelector({}); e.focus(); e.value = {}; \
             e.dispatchEvent(new Event('input', {{bubbles: true}})); \
             e.dispatchEvent(new Event('change', {{bubbles: true}})); return null; }})()",
            js_string(selector),
            js_string(value)
        ))
        .await?;
        Ok(())
    }

    /// Puts a file into the file input matching `selector`.
    pub async fn upload(&self, selector: &str, file: &Path) -> anyhow::Result<()> {
        self.wait_for(selector).await?;
        let input = self.page.find_element(selector).await?;
        self.page
            .execute(
                SetFileInputFilesParams::builder()
                    .file(file.display().to_string())
                    .backend_node_id(input.backend_node_id)
                    .build()
                    .map_err(|err| anyhow!(err))?,
            )
            .await?;
        Ok(())
    }

    /// The text of the element matching `selector`.
    pub async fn text(&self, selector: &str) -> anyhow::Result<String> {
        self.wait_for(selector).await?;
        self.eval(&format!(
            "document.querySelector({}).innerText",
            js_string(selector)
        ))
        .await
    }

    /// The path of the current page.
    pub async fn path(&self) -> anyhow::Result<String> {
        self.eval("location.pathname + location.search").await
    }

    /// Logs in through the login form and waits to leave it.
    pub async fn log_in(&self, email: &str) -> anyhow::Result<()> {
        self.goto("/").await?;
        self.fill("form[action='/login'] input[name=email]", email)
            .await?;
        self.fill("form[action='/login'] input[name=password]", DEMO_PASSWORD)
            .await?;
        self.click("form[action='/login'] button[type=submit]")
            .await?;
        self.wait_js(
            "document.readyState === 'complete' && !document.querySelector(\"form[action='/login']\")",
            &format!("{email} to be logged in"),
        )
        .await
    }

    /// Saves a PNG screenshot of the whole page as `name` in the screenshot folder.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        // Let fonts and late layout settle.
        self.wait_js(
            "document.fonts ? document.fonts.status === 'loaded' : true",
            "fonts",
        )
        .await?;
        let png = self
            .page
            .screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(true)
                    .build(),
            )
            .await?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(name);
        std::fs::write(&path, png)?;
        let path = path.canonicalize().unwrap_or(path);
        println!("    screenshot: {}", path.display());
        Ok(path)
    }

    pub async fn close(self) {
        let _ = self.page.close().await;
    }
}

/// A JavaScript string literal.
pub fn js_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// A small PNG photo (a `size`×`size` RGB gradient), made here without any library.
pub fn png(size: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..size {
        raw.push(0u8); // no filter
        for x in 0..size {
            raw.extend_from_slice(&[(x * 255 / size) as u8, (y * 255 / size) as u8, 160]);
        }
    }
    // zlib around "stored" deflate blocks.
    let mut zlib = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut header = Vec::new();
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    for (kind, data) in [(*b"IHDR", header), (*b"IDAT", zlib), (*b"IEND", Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(&data);
        png.extend_from_slice(&crc_input);
        png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
