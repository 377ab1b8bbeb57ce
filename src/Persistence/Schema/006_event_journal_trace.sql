-- Schema 006: the W3C trace context of the call that accepted each journaled event.
--
-- The stream consumer continues that trace when it applies the event, so one trace runs from
-- POST /v1/events through the grains it sets off to the webhooks they publish. NULL when nothing
-- was traced (tracing off, or rows written before this script). Kept out of the payload: a
-- re-post under another trace is still a duplicate.

ALTER TABLE event_journal ADD COLUMN IF NOT EXISTS trace_parent text NULL;
