-- Schema 004: the warehouse event journal (PostgresEventJournal).
--
-- Every accepted event is one row, written before the sender gets its 202. journal_key is the
-- event id (or "<event id>#retry<n>" for an operator's re-drive): unique per service, which is
-- how a duplicate post is recognised for as long as rows are kept (at least the 7-day window).
-- sequence comes from one sequence under a transaction-scoped advisory lock, so rows become
-- visible in sequence order and a reader polling "sequence > last seen" of a queue never skips
-- one. queue is the stream queue the event's warehouse maps to; each queue's pulling agent reads
-- it and records how far its events were processed in event_journal_checkpoint.

CREATE SEQUENCE IF NOT EXISTS event_journal_sequence;

CREATE TABLE IF NOT EXISTS event_journal
(
    service_id     text        NOT NULL,
    journal_key    text        NOT NULL,
    sequence       bigint      NOT NULL,
    queue          integer     NOT NULL,
    warehouse_id   text        NOT NULL,
    payload        text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    accepted_at    timestamptz NOT NULL,
    correlation_id text        NULL,
    redrive_of     text        NULL,
    PRIMARY KEY (service_id, journal_key)
);

CREATE INDEX IF NOT EXISTS ix_event_journal_queue ON event_journal (service_id, queue, sequence);
-- Replay (by acceptance time) and purge (by event time) are rare; rows arrive in roughly that
-- order, so block-range indexes serve them at almost no cost per insert.
CREATE INDEX IF NOT EXISTS ix_event_journal_accepted ON event_journal USING brin (accepted_at);
CREATE INDEX IF NOT EXISTS ix_event_journal_occurred ON event_journal USING brin (occurred_at);

CREATE TABLE IF NOT EXISTS event_journal_checkpoint
(
    service_id text    NOT NULL,
    queue      integer NOT NULL,
    sequence   bigint  NOT NULL,
    PRIMARY KEY (service_id, queue)
);
