//! The two engines' schemas have the same tables and columns.

use crate::helpers::{postgres_url, Engine, Storage};
use loket_store::q;

async fn columns(engine: Engine) -> Vec<(String, String)> {
    let storage = Storage::new(engine).await;
    let db = storage.args.open().await.expect("open and migrate");
    let sql = match engine {
        Engine::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
                           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY t, c"
        }
        Engine::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
                             WHERE table_schema = 'public' ORDER BY t, c"
        }
    };
    let rows: Vec<(String, String)> = db.fetch_all(q(sql)).await.expect("columns");
    db.close().await;
    storage.cleanup().await;
    rows
}

#[tokio::test]
async fn engines_have_the_same_schema() {
    let sqlite = columns(Engine::Sqlite).await;
    assert!(sqlite.iter().any(|(t, c)| t == "delivery_attempt" && c == "status_code"));
    if postgres_url().is_none() {
        return;
    }
    assert_eq!(sqlite, columns(Engine::Postgres).await);
}
