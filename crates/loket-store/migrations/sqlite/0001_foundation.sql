-- Foundation schema (SQLite): API clients, Autorisaties, Notificaties, outbox.
-- Keep in step with ../postgres/0001_foundation.sql (a test compares them).

CREATE TABLE applicatie (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    heeft_alle_autorisaties BOOLEAN NOT NULL,
    autorisaties TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE applicatie_client (
    client_id TEXT PRIMARY KEY,
    applicatie_id BIGINT NOT NULL REFERENCES applicatie (id) ON DELETE CASCADE,
    position BIGINT NOT NULL
);
CREATE INDEX applicatie_client_applicatie ON applicatie_client (applicatie_id);

CREATE TABLE client_secret (
    client_id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE kanaal (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    naam TEXT NOT NULL UNIQUE,
    documentatie_link TEXT NOT NULL,
    filters TEXT NOT NULL
);

CREATE TABLE abonnement (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    callback_url TEXT NOT NULL,
    auth TEXT NOT NULL,
    kanalen TEXT NOT NULL,
    client_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE notificatie (
    id INTEGER PRIMARY KEY,
    kanaal TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    fanned_out BOOLEAN NOT NULL
);
CREATE INDEX notificatie_pending ON notificatie (id) WHERE NOT fanned_out;

CREATE TABLE delivery (
    id INTEGER PRIMARY KEY,
    notificatie_id BIGINT NOT NULL REFERENCES notificatie (id) ON DELETE CASCADE,
    abonnement_id BIGINT NOT NULL REFERENCES abonnement (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX delivery_notificatie ON delivery (notificatie_id);
CREATE INDEX delivery_abonnement ON delivery (abonnement_id);

CREATE TABLE delivery_attempt (
    id INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX delivery_attempt_delivery ON delivery_attempt (delivery_id);
