-- SMS Bridge schema, version 1. Applied by the owner role; the app role gets DML through default privileges.
-- Numbering: 0001-0199 receiver/delivery, 0200-0299 admin, 0300-0399 backup.

-- Settings: every version kept, exactly one active.
CREATE TABLE settings_versions (
    version      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    settings     jsonb       NOT NULL,
    is_active    boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    change_note  text        NOT NULL,
    activated_at timestamptz
);
CREATE UNIQUE INDEX settings_versions_one_active ON settings_versions (is_active) WHERE is_active;

-- The SMS inbox: every accepted SMS, verbatim, with its normalised fields and one final outcome.
CREATE TABLE sms_inbox (
    id                 uuid        PRIMARY KEY,
    dedupe_key         text        NOT NULL UNIQUE,
    gateway_message_id text        UNIQUE,
    source             text        NOT NULL CHECK (source IN ('api', 'android-sms-gateway')),
    source_address     text,
    mobile_number      text        NOT NULL,
    mobile_raw         text        NOT NULL,
    message            text        NOT NULL,
    raw_payload        text        NOT NULL,
    sender             text,
    received_at        timestamptz NOT NULL,
    received_at_raw    text        NOT NULL,
    accepted_at        timestamptz NOT NULL DEFAULT now(),
    outcome            text        NOT NULL DEFAULT 'pending'
                       CHECK (outcome = 'pending' OR outcome = 'verified' OR outcome LIKE 'rejected:%'),
    check_results      jsonb,
    processed_at       timestamptz
);
CREATE INDEX sms_inbox_pending ON sms_inbox (accepted_at) WHERE outcome = 'pending';
CREATE INDEX sms_inbox_mobile_received ON sms_inbox (mobile_number, received_at);

CREATE TABLE blacklist (
    mobile_number text        PRIMARY KEY,
    reason        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL
);

CREATE TABLE onboarded_mobiles (
    mobile_number text        PRIMARY KEY,
    hash          text        NOT NULL,
    onboarded_at  timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox of hand-offs to the backend; id is the webhook's event id (webhook-id).
CREATE TABLE webhook_outbox (
    id              uuid        PRIMARY KEY,
    sequence        bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    mobile_number   text        NOT NULL,
    hash            text        NOT NULL,
    pin_ciphertext  bytea,
    pin_hash        bytea       NOT NULL,
    pin_salt        bytea       NOT NULL,
    verified_at     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    retry_until     timestamptz NOT NULL,
    last_error      text,
    delivered_at    timestamptz,
    dead_at         timestamptz
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_outbox_mobile ON webhook_outbox (mobile_number, sequence) WHERE status <> 'delivered';

CREATE TABLE webhook_attempts (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id    uuid        NOT NULL REFERENCES webhook_outbox (id),
    attempted_at timestamptz NOT NULL DEFAULT now(),
    status_code  integer,
    latency_ms   integer     NOT NULL,
    error_class  text
);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts (outbox_id);

-- Requests from the admin service that another service carries out (durable, so none is lost).
CREATE TABLE recovery_requests (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requested_by text        NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    requeued     integer,
    finished_at  timestamptz,
    error        text
);

CREATE TABLE audit_events (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    event_type     text        NOT NULL,
    actor          text        NOT NULL,
    source_address text,
    subject        text,
    details        jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_type_time ON audit_events (event_type, occurred_at);

-- Changes to settings and the blacklist are announced to every listening service (LISTEN/NOTIFY),
-- whoever made them, so caches follow within moments without a restart.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END
$$;
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings_versions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('settings_changed');
CREATE TRIGGER blacklist_changed AFTER INSERT OR UPDATE OR DELETE ON blacklist
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('blacklist_changed');
CREATE TRIGGER outbox_queued AFTER INSERT OR UPDATE OF status, next_attempt_at ON webhook_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('outbox_queued');
CREATE TRIGGER recovery_requested AFTER INSERT ON recovery_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('recovery_requested');

-- Defaults (the product's seeds): ONBOARD: prefix, 8 Base32 characters, 900 s TTL, 300 s to finish,
-- 5 SMS per mobile per hour, +91 and +44, every check on and rejecting.
INSERT INTO settings_versions (settings, is_active, created_by, change_note, activated_at)
VALUES ('{}'::jsonb, true, 'system', 'Defaults seeded by the first migration', now());

-- Backup catalogue (written by the backup worker, read by the admin service) and the durable requests
-- the admin service files for the worker ("run now", verify, restore).
CREATE TABLE backups (
    id            text        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('scheduled', 'manual', 'safety')),
    status        text        NOT NULL CHECK (status IN ('running', 'completed', 'verified', 'failed')),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    verified_at   timestamptz,
    size_bytes    bigint,
    location      text,
    offsite       text,
    manifest      jsonb,
    error         text
);
CREATE INDEX backups_started ON backups (started_at);

CREATE TABLE backup_requests (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('backup', 'verify', 'restore')),
    backup_id    text,
    requested_by text        NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    started_at   timestamptz,
    finished_at  timestamptz,
    result       jsonb,
    error        text
);
CREATE TRIGGER backup_requested AFTER INSERT ON backup_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('backup_requested');
