-- Schema 003: storage settings of grain_state, from the durable allocation benchmark.
--
-- payload is Orleans' binary serialization, which compresses poorly: EXTERNAL stores large values
-- out of line without pglz compression, whose CPU cost on every update of a big state (a hot
-- SKU-location holds thousands of reservations) bought little.
-- fillfactor 80 leaves room in each page so an update can stay on its page (a HOT update) and
-- skip index maintenance; it applies to pages written from now on.

ALTER TABLE grain_state ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE grain_state SET (fillfactor = 80);
