-- Catalogi (PostgreSQL): catalogussen and the versioned type resources.
-- Keep in step with ../sqlite/0002_catalogi.sql (a test compares them).

CREATE TABLE catalogus (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    domein TEXT NOT NULL,
    rsin TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX catalogus_domein ON catalogus (domein);

-- zaaktypen, informatieobjecttypen and besluittypen; `sleutel` is the field
-- that identifies the versions of one type (identificatie or omschrijving).
CREATE TABLE catalogus_type (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    catalogus_id BIGINT NOT NULL REFERENCES catalogus (id),
    sleutel TEXT NOT NULL,
    concept BOOLEAN NOT NULL,
    begin_geldigheid TEXT NOT NULL,
    einde_geldigheid TEXT,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX catalogus_type_list ON catalogus_type (kind, catalogus_id, id);
CREATE INDEX catalogus_type_versions ON catalogus_type (kind, catalogus_id, sleutel);
