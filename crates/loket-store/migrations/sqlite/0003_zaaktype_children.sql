-- Catalogi (SQLite): the resources of one zaaktype version (statustypen,
-- roltypen, eigenschappen, resultaattypen, zaaktype-informatieobjecttypen,
-- zaakobjecttypen). `zaaktype_child_value` holds the fields their lists filter on.
-- Keep in step with ../postgres/0003_zaaktype_children.sql.

CREATE TABLE zaaktype_child (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    zaaktype_id BIGINT NOT NULL REFERENCES catalogus_type (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX zaaktype_child_list ON zaaktype_child (kind, zaaktype_id, id);
CREATE INDEX zaaktype_child_zaaktype ON zaaktype_child (zaaktype_id);

CREATE TABLE zaaktype_child_value (
    child_id BIGINT NOT NULL REFERENCES zaaktype_child (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX zaaktype_child_value_lookup ON zaaktype_child_value (field, value);
CREATE INDEX zaaktype_child_value_child ON zaaktype_child_value (child_id);
