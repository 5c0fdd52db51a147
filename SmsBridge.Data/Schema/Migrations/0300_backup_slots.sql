-- With several backup workers, each scheduled slot is taken by exactly one: the first to insert its row runs it.
CREATE TABLE backup_slots (
    slot        timestamptz PRIMARY KEY,
    claimed_by  text        NOT NULL,
    claimed_at  timestamptz NOT NULL
);
