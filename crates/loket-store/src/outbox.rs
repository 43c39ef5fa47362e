//! The transactional outbox: a change writes its notification in its own
//! transaction; the notification worker (in `loket-notificaties`) fans it out to
//! the abonnementen and delivers it. A rolled-back change leaves nothing behind.

use crate::{q, Db, StoreError, Tx};
use loket_core::notification::Notification;
use std::sync::Arc;
use tokio::sync::Notify;

/// Handle that components publish through; wakes the worker after commits.
#[derive(Clone, Default)]
pub struct Outbox {
    signal: Arc<Notify>,
}

impl Outbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `n` inside `tx`. Call [`Outbox::wake`] after the commit.
    pub async fn publish(&self, tx: &mut Tx, n: &Notification, now_ms: i64) -> Result<i64, StoreError> {
        let message = serde_json::to_string(n).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let (id,): (i64,) = tx
            .fetch_one(
                q("INSERT INTO notificatie (kanaal, message, created_at, fanned_out) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(&n.kanaal)
                    .bind(message)
                    .bind(now_ms)
                    .bind(false),
            )
            .await?;
        Ok(id)
    }

    /// Tells the worker there is work (after a commit).
    pub fn wake(&self) {
        self.signal.notify_one();
    }

    /// Waits until woken.
    pub async fn woken(&self) {
        self.signal.notified().await;
    }
}

/// Work still to do: notifications not yet fanned out, deliveries pending.
pub async fn backlog(db: &Db) -> Result<(i64, i64), StoreError> {
    let (n,): (i64,) = db.fetch_one(q("SELECT COUNT(*) FROM notificatie WHERE NOT fanned_out")).await?;
    let (d,): (i64,) = db.fetch_one(q("SELECT COUNT(*) FROM delivery WHERE state = 'pending'")).await?;
    Ok((n, d))
}
