-- Admin service: a TOTP second factor per operator account and its single-use recovery codes.

-- The TOTP key is kept encrypted with the admin service's Data Protection keys; pending holds a key shown
-- but not yet confirmed with a code. last_step is the last accepted time step, so a code is good only once.
ALTER TABLE admin_users
    ADD COLUMN totp_key_protected         text,
    ADD COLUMN totp_pending_key_protected text,
    ADD COLUMN totp_enrolled_at           timestamptz,
    ADD COLUMN totp_last_step             bigint NOT NULL DEFAULT 0;

-- Recovery codes are 80 random bits each, so an unsalted SHA-256 is enough to keep them from being read back.
CREATE TABLE admin_recovery_codes (
    user_id   bigint      NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    code_hash bytea       NOT NULL,
    issued_at timestamptz NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- API tokens for scripts: 256 random bits, stored as SHA-256, scoped to a role no higher than the creator's.
CREATE TABLE admin_api_tokens (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint      NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    role           text        NOT NULL CHECK (role IN ('admin', 'viewer')),
    token_hash     bytea       NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text,
    last_used_at   timestamptz,
    last_used_from text
);
-- A name tells an operator's live tokens apart; a revoked token's name may be used again.
CREATE UNIQUE INDEX admin_api_tokens_live_name ON admin_api_tokens (user_id, name) WHERE revoked_at IS NULL;
