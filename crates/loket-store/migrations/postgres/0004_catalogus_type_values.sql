-- Catalogi (PostgreSQL): the values of list fields that lists filter on
-- (zaaktype.trefwoorden, besluittype.informatieobjecttypen), one row each.
-- Keep in step with ../sqlite/0004_catalogus_type_values.sql.

CREATE TABLE catalogus_type_value (
    type_id BIGINT NOT NULL REFERENCES catalogus_type (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX catalogus_type_value_lookup ON catalogus_type_value (field, value);
CREATE INDEX catalogus_type_value_type ON catalogus_type_value (type_id);
