-- Schema 005: entries of grain states that keep a large keyed collection as separate rows
-- (IHasStoredEntries: a SKU-location's reservations). A write of such a state stores only the
-- entries that changed, in the same statement as its grain_state row and only if that row's
-- version check passed; clearing the state deletes its entries. payload: Orleans binary
-- serializer output of one entry.

CREATE TABLE IF NOT EXISTS grain_state_entry
(
    service_id text  NOT NULL,
    grain_type text  NOT NULL,
    grain_id   text  NOT NULL,
    entry_key  text  NOT NULL,
    payload    bytea NOT NULL,
    PRIMARY KEY (service_id, grain_type, grain_id, entry_key)
);
