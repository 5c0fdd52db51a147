-- When each webhook secret was first used, so doctor can tell its age (rotation is due yearly). A fingerprint is an
-- HMAC of the secret under the hash key: it identifies the secret without revealing or confirming it.
CREATE TABLE secret_fingerprints (
    name         text        NOT NULL,
    fingerprint  text        NOT NULL,
    first_seen   timestamptz NOT NULL,
    PRIMARY KEY (name, fingerprint)
);
