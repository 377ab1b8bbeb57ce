-- Schema 002: grain state written by BatchedGrainStorage (group commit).
--
-- service_id: the Orleans ServiceId, so several services can share one database.
-- grain_type: "<grain type>/<state name>", grain_id: GrainId.ToString().
-- version: optimistic-concurrency counter, starts at 1; the etag is its decimal string.
-- payload: Orleans binary serializer output. wake_at: optional wake-up time piggy-backed on the
-- state write (crash recovery without a reminder write).

CREATE TABLE IF NOT EXISTS grain_state
(
    service_id text        NOT NULL,
    grain_type text        NOT NULL,
    grain_id   text        NOT NULL,
    version    integer     NOT NULL,
    payload    bytea       NOT NULL,
    wake_at    timestamptz NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id)
);

CREATE INDEX IF NOT EXISTS ix_grain_state_wake_at ON grain_state (service_id, wake_at) WHERE wake_at IS NOT NULL;
