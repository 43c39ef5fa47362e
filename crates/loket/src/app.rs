//! Wiring: opens the store, registers Loket's kanalen, merges the component
//! routers under the shared middleware, and runs the HTTP server and the
//! notification worker until told to stop.

use crate::config::ServeArgs;
use crate::pages;
use anyhow::Context;
use axum::Router;
use loket_core::clock::Clock;
use loket_core::jwt::TimeRules;
use loket_http::metrics::Metrics;
use loket_http::middleware::{wrap, Limits};
use loket_http::{AppState, Settings};
use loket_store::outbox::Outbox;
use loket_store::{Ctx, Db};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running Loket.
pub struct Server {
    pub url: String,
    pub addr: SocketAddr,
    pub db: Db,
    stop: watch::Sender<bool>,
    http: JoinHandle<()>,
    worker: JoinHandle<()>,
}

/// The kanalen Loket's own components publish on, with their kenmerken.
pub fn kanalen() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    [(loket_autorisaties::KANAAL, &[] as &[&str])].into_iter().chain(loket_catalogi::KANALEN.iter().copied())
}

pub async fn start(args: &ServeArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Server> {
    args.validate().map_err(anyhow::Error::msg)?;
    let db = args.storage.open().await.context("opening the database")?;
    let listener =
        tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let url = args.public_url.clone().unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_owned();
    let http_client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .build()?;
    let fetch = loket_catalogi::external::HttpFetcher::new(
        http_client.clone(),
        &url,
        args.referentielijsten_url.clone(),
        args.external_services.clone(),
    );
    let ctx =
        Ctx { db: db.clone(), clock, outbox: Outbox::new(), public_url: url.clone().into(), fetch: Arc::new(fetch) };
    for (naam, filters) in kanalen() {
        let doc = ctx.url("/");
        loket_notificaties::service::ensure_kanaal(&ctx, naam, &doc, filters).await?;
    }
    if !args.no_demo {
        // The starter catalogue on an empty database, loaded in the background
        // so that start-up does not wait for it.
        let seed_ctx = ctx.clone();
        tokio::spawn(async move {
            match loket_catalogi::seed::seed_if_empty(&seed_ctx).await {
                Ok(true) => tracing::info!("starter catalogue loaded"),
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "loading the starter catalogue failed"),
            }
        });
    }
    let state = AppState {
        ctx: ctx.clone(),
        auth: Arc::new(loket_autorisaties::CredentialStore::new(db.clone())),
        settings: Arc::new(Settings {
            jwt: TimeRules { leeway_secs: args.jwt_leeway, max_age_secs: args.jwt_max_age },
        }),
        metrics: Arc::new(Metrics::default()),
    };
    let router: Router = Router::new()
        .merge(loket_autorisaties::router())
        .merge(loket_catalogi::router())
        .merge(loket_catalogi::referentielijsten::router())
        .merge(loket_notificaties::router(http_client.clone()))
        .merge(pages::router())
        .with_state(state.clone());
    let limits = Limits { body_bytes: args.body_limit, request_timeout: Duration::from_secs(args.request_timeout) };
    let app = wrap(router, state.metrics.clone(), limits);

    let (stop, stop_rx) = watch::channel(false);
    let mut http_stop = stop_rx.clone();
    let http = tokio::spawn(async move {
        let shutdown = async move {
            let _ = http_stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::error!(error = %e, "HTTP server failed");
        }
    });
    let worker = loket_notificaties::Worker::new(ctx, http_client, args.delivery());
    let worker = tokio::spawn(worker.run(stop_rx));
    Ok(Server { url, addr, db, stop, http, worker })
}

impl Server {
    /// Stops accepting requests, lets in-flight requests and deliveries finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.http.await;
        let _ = self.worker.await;
        self.db.close().await;
    }
}
