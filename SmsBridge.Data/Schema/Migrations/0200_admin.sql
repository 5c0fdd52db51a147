-- Admin service: operator accounts, login failures (lockout), restore confirmations and monitoring port openings.

CREATE TABLE admin_users (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{1,64}$'),
    role          text        NOT NULL CHECK (role IN ('admin', 'viewer')),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per failed login; lockout counts the rows of the last window. Kept short by pruning on success.
CREATE TABLE admin_login_failures (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text        NOT NULL,
    failed_at      timestamptz NOT NULL,
    source_address text
);
CREATE INDEX admin_login_failures_user_time ON admin_login_failures (username, failed_at);

-- First step of a restore: a single-use token tied to one backup and one operator, valid for minutes.
CREATE TABLE restore_confirmations (
    token_hash  bytea       PRIMARY KEY,
    backup_id   text        NOT NULL,
    issued_to   text        NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Every opening of a monitoring port: who, when, from where, for how long, and how it ended.
CREATE TABLE monitoring_port_openings (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service              text        NOT NULL CHECK (service IN ('metrics', 'postgres', 'pgbouncer', 'redis')),
    external_port        integer     NOT NULL CHECK (external_port BETWEEN 1024 AND 65535),
    bind_address         text        NOT NULL,
    allowed_source       text,
    opened_by            text        NOT NULL,
    source_address       text,
    opened_at            timestamptz NOT NULL,
    duration_minutes     integer     NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
    expires_at           timestamptz NOT NULL,
    closed_at            timestamptz,
    close_reason         text        CHECK (close_reason IN ('user', 'expiry', 'shutdown', 'reconcile')),
    closed_by            text,
    connections          integer     NOT NULL DEFAULT 0,
    refused_connections  integer     NOT NULL DEFAULT 0
);
-- At most one open forwarder per service.
CREATE UNIQUE INDEX monitoring_port_openings_one_open ON monitoring_port_openings (service) WHERE closed_at IS NULL;
CREATE INDEX monitoring_port_openings_time ON monitoring_port_openings (opened_at);
