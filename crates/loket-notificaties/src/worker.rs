//! The notification worker: fans queued notifications out to matching
//! abonnementen and delivers them, at least once, with exponential back-off
//! up to a limit and a log row per attempt. Woken by the outbox after each
//! commit and by a poll interval; stops cleanly when told to, after finishing
//! the deliveries it has in flight.

use crate::store::{self, Due, Outcome};
use loket_store::Ctx;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Retry rules for delivery.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: i64,
    /// Wait before the first retry; doubles each time.
    pub backoff: Duration,
    pub backoff_max: Duration,
    pub timeout: Duration,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            backoff: Duration::from_secs(2),
            backoff_max: Duration::from_secs(3600),
            timeout: Duration::from_secs(10),
        }
    }
}

impl DeliveryPolicy {
    /// Delay after attempt number `attempt` (1-based) failed.
    pub fn delay_after(&self, attempt: i64) -> Duration {
        let factor = 2u32.saturating_pow(attempt.clamp(1, 30) as u32 - 1);
        self.backoff.saturating_mul(factor).min(self.backoff_max)
    }
}

const BATCH: i64 = 64;
const POLL: Duration = Duration::from_millis(500);

pub struct Worker {
    ctx: Ctx,
    http: reqwest::Client,
    policy: DeliveryPolicy,
}

impl Worker {
    pub fn new(ctx: Ctx, http: reqwest::Client, policy: DeliveryPolicy) -> Self {
        Self { ctx, http, policy }
    }

    /// Runs until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        if let Err(e) = store::release_leases(&self.ctx.db).await {
            tracing::warn!(error = %e, "could not release old delivery leases");
        }
        loop {
            if *stop.borrow() {
                break;
            }
            match self.step().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "notification worker step failed"),
            }
            tokio::select! {
                _ = self.ctx.outbox.woken() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!("notification worker stopped");
    }

    /// One round of fan-out and delivery; true when there may be more work now.
    pub async fn step(&self) -> Result<bool, loket_store::StoreError> {
        let now = self.ctx.now_millis();
        let fanned = store::fan_out(&self.ctx.db, BATCH * 4, now).await?;
        let lease = now + (self.policy.timeout.as_millis() as i64) * 3;
        let due = store::claim_due(&self.ctx.db, BATCH, now, lease).await?;
        let delivered = due.len();
        let mut set = JoinSet::new();
        for d in due {
            let http = self.http.clone();
            let timeout = self.policy.timeout;
            set.spawn(async move {
                let o = attempt(&http, &d, timeout).await;
                (d, o)
            });
        }
        while let Some(res) = set.join_next().await {
            let Ok((d, (ok, status, error, ms))) = res else { continue };
            let attempt_no = d.attempts + 1;
            let now = self.ctx.now_millis();
            let retry_at = (!ok && attempt_no < self.policy.max_attempts)
                .then(|| now + self.policy.delay_after(attempt_no).as_millis() as i64);
            if !ok {
                tracing::warn!(
                    delivery = d.id,
                    attempt = attempt_no,
                    error = error.as_deref().unwrap_or(""),
                    "delivery failed"
                );
            }
            let outcome = Outcome { delivered: ok, status_code: status, error, duration_ms: ms, retry_at };
            store::record(&self.ctx.db, &d, &outcome, now).await?;
        }
        Ok(fanned as i64 == BATCH * 4 || delivered as i64 == BATCH)
    }
}

async fn attempt(http: &reqwest::Client, d: &Due, timeout: Duration) -> (bool, Option<i64>, Option<String>, i64) {
    let started = Instant::now();
    let res = http
        .post(&d.callback_url)
        .header(reqwest::header::AUTHORIZATION, &d.auth)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .timeout(timeout)
        .body(d.message.clone())
        .send()
        .await;
    let ms = started.elapsed().as_millis() as i64;
    match res {
        Ok(r) if r.status().is_success() => (true, Some(r.status().as_u16().into()), None, ms),
        Ok(r) => (false, Some(r.status().as_u16().into()), Some(format!("status {}", r.status().as_u16())), ms),
        Err(e) => (false, None, Some(e.to_string()), ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = DeliveryPolicy {
            backoff: Duration::from_secs(1),
            backoff_max: Duration::from_secs(5),
            ..Default::default()
        };
        assert_eq!(p.delay_after(1), Duration::from_secs(1));
        assert_eq!(p.delay_after(2), Duration::from_secs(2));
        assert_eq!(p.delay_after(3), Duration::from_secs(4));
        assert_eq!(p.delay_after(4), Duration::from_secs(5));
    }
}
