//! The command line: `serve`, `migrate`, `client add|list|remove`, `token`.
//! A wrong flag gives a one-line error and exit code 2.

use crate::app;
use crate::config::{LogFormat, ServeArgs, StorageArgs};
use clap::{Parser, Subcommand};
use loket_core::clock::{Clock, SystemClock};
use loket_store::outbox::Outbox;
use loket_store::Ctx;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "loket", version, about = "Loket: zaakgericht werken voor gemeenten, met de standaard ZGW-API's.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run all components on one port.
    Serve(ServeArgs),
    /// Apply the database migrations.
    Migrate(StorageArgs),
    /// Manage API clients (JWT-ZGW credentials and their applicatie).
    #[command(subcommand)]
    Client(ClientCommand),
    /// The catalogue of zaaktypen.
    #[command(subcommand)]
    Catalogus(CatalogusCommand),
    /// Print a bearer token for a client, for use with curl.
    Token {
        #[arg(long)]
        client_id: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand)]
enum CatalogusCommand {
    /// Load the starter catalogue of municipal products (a new catalogus).
    Seed {
        /// Base URL of the Loket that will serve it (resource URLs point there).
        #[arg(long, env = "LOKET_PUBLIC_URL", default_value = "http://127.0.0.1:8000")]
        public_url: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Write a catalogus with all its types to a JSON file.
    Export {
        /// UUID of the catalogus.
        id: uuid::Uuid,
        file: std::path::PathBuf,
        /// Base URL of the Loket that serves this database.
        #[arg(long, env = "LOKET_PUBLIC_URL", default_value = "http://127.0.0.1:8000")]
        public_url: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Read a catalogus exported with `export` into this database.
    Import {
        file: std::path::PathBuf,
        /// Give every object a new UUID (default: keep them).
        #[arg(long)]
        new_uuids: bool,
        /// Base URL of the Loket that serves this database.
        #[arg(long, env = "LOKET_PUBLIC_URL", default_value = "http://127.0.0.1:8000")]
        public_url: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Add a client, or set the secret of a client id an applicatie already has.
    Add {
        #[arg(long)]
        id: String,
        /// The shared secret (generated and printed once when left out).
        #[arg(long)]
        secret: Option<String>,
        /// Give the client all rights (heeftAlleAutorisaties).
        #[arg(long)]
        superuser: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List clients.
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Remove a client's secret and its id from its applicatie.
    Remove {
        #[arg(long)]
        id: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("error").trim_start_matches("error: ");
            eprintln!("loket: {first} (see 'loket --help')");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loket: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loket: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn ctx_for(db: loket_store::Db) -> Ctx {
    Ctx {
        db,
        clock: Arc::new(SystemClock),
        outbox: Outbox::new(),
        public_url: "http://localhost".into(),
        fetch: Arc::new(loket_core::external::NoFetch),
    }
}

/// A context as `loket serve` at `public_url` (with the built-in Selectielijst) has it.
fn ctx_serving(db: loket_store::Db, public_url: &str) -> anyhow::Result<Ctx> {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let public_url = public_url.trim_end_matches('/').to_owned();
    let fetch = loket_catalogi::external::HttpFetcher::new(http, &public_url, None, vec![]);
    Ok(Ctx { fetch: Arc::new(fetch), public_url: public_url.into(), ..ctx_for(db) })
}

fn storage_flags(s: &StorageArgs) -> String {
    match &s.database_url {
        Some(_) => " --database-url <url>".into(),
        None if s.data_dir.as_os_str() == "./loket-data" => String::new(),
        None => format!(" --data-dir {}", s.data_dir.display()),
    }
}

fn new_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

async fn run(cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(storage) => {
            let db = storage.open().await?;
            println!("migrations applied ({} known)", loket_store::MIGRATIONS.len());
            db.close().await;
            Ok(())
        }
        Command::Client(ClientCommand::Add { id, secret, superuser, storage }) => {
            let ctx = ctx_for(storage.open().await?);
            let generated = secret.is_none();
            let secret = secret.unwrap_or_else(new_secret);
            let added = loket_autorisaties::clients::add(&ctx, &id, &secret, superuser).await?;
            match added {
                loket_autorisaties::clients::Added::NewApplicatie => println!("client '{id}' added"),
                loket_autorisaties::clients::Added::SecretSet => println!("secret of client '{id}' set"),
            }
            if generated {
                println!("secret (shown once): {secret}");
            }
            ctx.db.close().await;
            Ok(())
        }
        Command::Client(ClientCommand::List { storage }) => {
            let ctx = ctx_for(storage.open().await?);
            for (id, label, superuser, has_secret) in loket_autorisaties::clients::list(&ctx).await? {
                println!(
                    "{id}\t{label}\t{}\t{}",
                    if superuser { "superuser" } else { "autorisaties" },
                    if has_secret { "secret" } else { "no secret" }
                );
            }
            ctx.db.close().await;
            Ok(())
        }
        Command::Client(ClientCommand::Remove { id, storage }) => {
            let ctx = ctx_for(storage.open().await?);
            let removed = loket_autorisaties::clients::remove(&ctx, &id).await?;
            ctx.db.close().await;
            if removed {
                println!("client '{id}' removed");
                Ok(())
            } else {
                anyhow::bail!("client '{id}' does not exist")
            }
        }
        Command::Catalogus(CatalogusCommand::Seed { public_url, storage }) => {
            let ctx = ctx_serving(storage.open().await?, &public_url)?;
            let url = loket_catalogi::seed::seed(&ctx).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("starter catalogue loaded: {url}");
            ctx.db.close().await;
            Ok(())
        }
        Command::Catalogus(CatalogusCommand::Export { id, file, public_url, storage }) => {
            let ctx = ctx_serving(storage.open().await?, &public_url)?;
            let doc = loket_catalogi::transfer::export(&ctx, id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&file, serde_json::to_vec_pretty(&doc)?)?;
            println!(
                "exported catalogus {id}: {} types, {} type resources, to {}",
                doc.types.len(),
                doc.children.len(),
                file.display()
            );
            ctx.db.close().await;
            Ok(())
        }
        Command::Catalogus(CatalogusCommand::Import { file, new_uuids, public_url, storage }) => {
            let doc: loket_catalogi::transfer::Export = serde_json::from_slice(&std::fs::read(&file)?)?;
            let ctx = ctx_serving(storage.open().await?, &public_url)?;
            let uuid =
                loket_catalogi::transfer::import(&ctx, &doc, new_uuids).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("imported catalogus {uuid}");
            ctx.db.close().await;
            Ok(())
        }
        Command::Token { client_id, storage } => {
            let ctx = ctx_for(storage.open().await?);
            let secret = loket_autorisaties::clients::secret(&ctx, &client_id).await?;
            ctx.db.close().await;
            let Some(secret) = secret else {
                anyhow::bail!("client '{client_id}' has no secret; add one with 'loket client add --id {client_id}'")
            };
            let claims = loket_core::jwt::claims_for(&client_id, SystemClock.now().timestamp());
            println!("{}", loket_core::jwt::encode(&claims, &secret));
            Ok(())
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOKET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).init(),
        LogFormat::Text => builder.init(),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_logging(args.log_format);
    let server = app::start(&args, Arc::new(SystemClock)).await?;
    let demo = if args.no_demo { None } else { demo_client(&server.db).await? };
    let url = &server.url;
    let flags = storage_flags(&args.storage);
    println!("Loket is running at {url}/");
    println!("  Autorisaties API   {url}/autorisaties/api/v1/");
    println!("  Catalogi API       {url}/catalogi/api/v1/");
    println!("  Notificaties API   {url}/notificaties/api/v1/");
    if args.referentielijsten_url.is_none() {
        println!("  Selectielijst 2020 {url}/referentielijsten/api/v1/");
    }
    println!("  API documentation  {url}/   (OpenAPI: <api>/schema/openapi.yaml)");
    println!("  Health             {url}/healthz  {url}/readyz  {url}/metrics");
    if let Some(id) = demo {
        println!("Demo client '{id}' created (all rights).");
    }
    let has_demo = loket_autorisaties::clients::list(&ctx_for(server.db.clone()))
        .await?
        .iter()
        .any(|(id, _, _, has_secret)| id == "loket-demo" && *has_secret);
    let who = if has_demo { "loket-demo" } else { "<client-id>" };
    println!("Get an API token:    loket token --client-id {who}{flags}");
    println!("Add your own client: loket client add --id my-app{flags}");
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

/// On a database without any client, creates the demo superuser client.
async fn demo_client(db: &loket_store::Db) -> anyhow::Result<Option<&'static str>> {
    let ctx = ctx_for(db.clone());
    if !loket_autorisaties::clients::list(&ctx).await?.is_empty() {
        return Ok(None);
    }
    loket_autorisaties::clients::add(&ctx, "loket-demo", &new_secret(), true).await?;
    Ok(Some("loket-demo"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
