-- The admin service's last doctor run, one row per check (0 pass, 1 warn, 2 fail): postgres_exporter exports it as
-- smsbridge_doctor_check_status, so the monitoring kit alerts on a failing check through the forwarded PostgreSQL port.
CREATE TABLE doctor_results (
    check_id  text        PRIMARY KEY,
    status    smallint    NOT NULL CHECK (status BETWEEN 0 AND 2),
    evidence  text        NOT NULL,
    ran_at    timestamptz NOT NULL
);
-- Rewritten by every doctor run: a backup keeps it, a restore check does not compare it.
COMMENT ON TABLE doctor_results IS 'volatile: the last doctor run';
