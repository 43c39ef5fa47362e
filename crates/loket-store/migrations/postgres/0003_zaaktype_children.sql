-- Catalogi (PostgreSQL): the resources of one zaaktype version (statustypen,
-- roltypen, eigenschappen, resultaattypen, zaaktype-informatieobjecttypen,
-- zaakobjecttypen). `attr1`/`attr2` hold the fields their lists filter on.
-- Keep in step with ../sqlite/0003_zaaktype_children.sql.

CREATE TABLE zaaktype_child (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    zaaktype_id BIGINT NOT NULL REFERENCES catalogus_type (id) ON DELETE CASCADE,
    attr1 TEXT,
    attr2 TEXT,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX zaaktype_child_list ON zaaktype_child (kind, zaaktype_id, id);
CREATE INDEX zaaktype_child_zaaktype ON zaaktype_child (zaaktype_id);
