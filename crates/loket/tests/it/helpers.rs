//! Test harness: a Loket per test on a fresh database (a new SQLite file, or
//! a new PostgreSQL database), a token for a superuser, and a local receiver
//! that plays a notification subscriber.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use clap::Parser;
use loket::app::{self, Server};
use loket::config::{ServeArgs, StorageArgs};
use loket_core::clock::SystemClock;
use loket_store::outbox::Outbox;
use loket_store::{Ctx, Db};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Generates `mod $name { sqlite, postgres }` tests calling `$name(engine)`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    return;
                }
                super::$name($crate::helpers::Engine::Postgres).await
            }
        }
    };
}

/// The admin URL of the test PostgreSQL server; `None` (with a notice) when
/// unset. With `LOKET_TEST_REQUIRE_POSTGRES=1` an unset URL fails the test.
pub fn postgres_url() -> Option<String> {
    match std::env::var("LOKET_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("LOKET_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("LOKET_TEST_POSTGRES_URL is not set but LOKET_TEST_REQUIRE_POSTGRES=1");
            }
            eprintln!("SKIPPED: PostgreSQL half (set LOKET_TEST_POSTGRES_URL to run it)");
            None
        }
    }
}

/// Fresh storage for one test.
pub struct Storage {
    pub args: StorageArgs,
    dir: PathBuf,
    pg_db: Option<(String, String)>,
}

impl Storage {
    pub async fn new(engine: Engine) -> Storage {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("loket-test-{id}"));
        let (database_url, pg_db) = match engine {
            Engine::Sqlite => (None, None),
            Engine::Postgres => {
                let admin = postgres_url().expect("postgres url");
                let name = format!("loket_t_{id}");
                let db = Db::postgres(&admin, &Default::default()).await.expect("connect to test postgres");
                db.execute(loket_store::q(format!("CREATE DATABASE {name}"))).await.expect("create test database");
                db.close().await;
                (Some(with_database(&admin, &name)), Some((admin, name)))
            }
        };
        let args = StorageArgs { data_dir: dir.clone(), database_url, db_pool_size: 4, db_timeout: 5 };
        Storage { args, dir, pg_db }
    }

    /// Removes the database (PostgreSQL) and the data directory.
    pub async fn cleanup(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin, name)) = self.pg_db {
            if let Ok(db) = Db::postgres(&admin, &Default::default()).await {
                let _ = db.execute(loket_store::q(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await;
                db.close().await;
            }
        }
    }
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    serve: ServeArgs,
}

/// Serve flags for tests: a free port, quick retries.
pub fn serve_args(storage: &StorageArgs, extra: &[&str]) -> ServeArgs {
    let mut argv = vec!["loket", "--listen", "127.0.0.1:0", "--notify-backoff-ms", "50", "--notify-max-attempts", "20"];
    // `--demo` in `extra` asks for the demo data (client and starter catalogue).
    if !extra.contains(&"--demo") {
        argv.push("--no-demo");
    }
    argv.extend(extra.iter().filter(|a| **a != "--demo"));
    let mut args = Wrapper::try_parse_from(argv).expect("test flags").serve;
    args.storage = storage.clone();
    args
}

pub const SUPERUSER: &str = "test-superuser";
pub const SUPERSECRET: &str = "test-superuser-secret";

/// A running Loket for one test.
pub struct TestApp {
    pub server: Server,
    pub storage: Storage,
    pub http: reqwest::Client,
    pub token: String,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        Self::spawn_with(engine, &[]).await
    }

    pub async fn spawn_with(engine: Engine, extra: &[&str]) -> TestApp {
        let storage = Storage::new(engine).await;
        let args = serve_args(&storage.args, extra);
        let server = app::start(&args, Arc::new(SystemClock)).await.expect("start loket");
        let ctx = ctx(&server.db);
        loket_autorisaties::clients::add(&ctx, SUPERUSER, SUPERSECRET, true).await.expect("add superuser");
        TestApp { token: token(SUPERUSER, SUPERSECRET), server, storage, http: reqwest::Client::new() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url, path)
    }

    pub fn ctx(&self) -> Ctx {
        ctx(&self.server.db)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(self.url(path)).bearer_auth(&self.token).send().await.expect("GET");
        read(r).await
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
        let r =
            self.http.request(method, self.url(path)).bearer_auth(&self.token).json(body).send().await.expect("send");
        read(r).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
        self.storage.cleanup().await;
    }
}

pub fn ctx(db: &Db) -> Ctx {
    Ctx {
        db: db.clone(),
        clock: Arc::new(SystemClock),
        outbox: Outbox::new(),
        public_url: "http://test".into(),
        fetch: Arc::new(loket_core::external::NoFetch),
    }
}

pub fn token(client_id: &str, secret: &str) -> String {
    use loket_core::clock::Clock;
    loket_core::jwt::encode(&loket_core::jwt::claims_for(client_id, SystemClock.now().timestamp()), secret)
}

pub async fn read(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A notification subscriber on a local port. Answers `status` (204 by
/// default) after failing the first `fail_first` calls with 503.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<ReceiverState>,
}

#[derive(Default)]
struct ReceiverState {
    received: Mutex<Vec<(String, Value)>>,
    calls: AtomicUsize,
    fail_first: AtomicUsize,
    status: AtomicU16,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let inner = Arc::new(ReceiverState { status: AtomicU16::new(204), ..Default::default() });
        let app = Router::new().route("/callback", post(receive)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
        let url = format!("http://{}/callback", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, inner }
    }

    pub fn fail_first(&self, n: usize) {
        self.inner.calls.store(0, Ordering::SeqCst);
        self.inner.fail_first.store(n, Ordering::SeqCst);
    }

    pub fn set_status(&self, status: u16) {
        self.inner.status.store(status, Ordering::SeqCst);
    }

    /// Notifications received (auth header, body), the callback test excluded.
    pub fn received(&self) -> Vec<(String, Value)> {
        self.inner
            .received
            .lock()
            .map(|r| r.iter().filter(|(_, v)| v["kanaal"] != "test").cloned().collect())
            .unwrap_or_default()
    }

    /// Waits until `pred` holds for the received notifications.
    pub async fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&[(String, Value)]) -> bool) {
        let until = tokio::time::Instant::now() + timeout;
        loop {
            if pred(&self.received()) {
                return;
            }
            if tokio::time::Instant::now() > until {
                panic!("timed out waiting for {what}; received: {:?}", self.received());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn receive(State(s): State<Arc<ReceiverState>>, headers: HeaderMap, Json(body): Json<Value>) -> StatusCode {
    let call = s.calls.fetch_add(1, Ordering::SeqCst);
    if body["kanaal"] != "test" && call < s.fail_first.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let status = StatusCode::from_u16(s.status.load(Ordering::SeqCst)).unwrap_or(StatusCode::NO_CONTENT);
    if status.is_success() {
        let auth = headers.get("authorization").and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
        if let Ok(mut r) = s.received.lock() {
            r.push((auth, body));
        }
    }
    status
}

/// Creates a kanaal and an abonnement on it to `receiver`.
pub async fn subscribe(app: &TestApp, kanaal: &str, filters: &[&str], receiver: &Receiver, abo_filters: Value) {
    let (st, _) =
        app.post("/notificaties/api/v1/kanaal", &serde_json::json!({"naam": kanaal, "filters": filters})).await;
    assert!(st == 201 || st == 400, "kanaal create gave {st}");
    let (st, body) = app
        .post(
            "/notificaties/api/v1/abonnement",
            &serde_json::json!({"callbackUrl": receiver.url, "auth": "Bearer abc", "kanalen": [{"naam": kanaal, "filters": abo_filters}]}),
        )
        .await;
    assert_eq!(st, 201, "abonnement: {body}");
}
