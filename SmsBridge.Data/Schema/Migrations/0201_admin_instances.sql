-- Several admin instances may run. A monitoring port's forwarder lives in the instance that opened it, so each opening
-- records its instance, and each instance records that it is alive. Start-up reconciliation (and every live instance,
-- periodically) closes only the openings of instances that stopped beating: never a live instance's.
CREATE TABLE admin_instances (
    id          uuid        PRIMARY KEY,
    host        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    seen_at     timestamptz NOT NULL
);
ALTER TABLE monitoring_port_openings ADD COLUMN instance_id uuid;
-- Heartbeats are live state, rewritten every few seconds: a backup keeps them, a restore check does not compare them.
COMMENT ON TABLE admin_instances IS 'volatile: admin instances'' heartbeats';
