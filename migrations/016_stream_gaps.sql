-- 016_stream_gaps.sql — gaps seen in live WebSocket feeds, and how each was repaired.
--
-- Creates: stream_gaps.
-- Seeds:   003 (phase 2: "sequence allows gap detection in WebSocket streams"), 001 (streams
--          with REST fallback).
--
-- A stream (src/jobs/hs-stream.c, docs/streaming.md) checks every message: Coinbase Advanced
-- Trade's sequence_num counts each message of a connection, Coinbase and Kraken trade ids count
-- each trade of a product, and Kraken's book carries a CRC32 of its top ten levels. A break in
-- any of them is one row here, written in the same transaction as the data around it.
-- Timestamps INTEGER microseconds UTC; JSON as TEXT with CHECK (json_valid(...)).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- stream_gaps: one break in a feed.
--   kind 'sequence'  Coinbase sequence_num skipped: from_seq..to_seq are the missing numbers
--                    (from_seq > to_seq never; a number that went backwards is from = to = it).
--   kind 'trade_id'  a trade id skipped: from_seq..to_seq are the missing trade ids.
--   kind 'checksum'  Kraken's book checksum did not match the local book: from/to are NULL and
--                    detail holds {"expected": N, "computed": N}.
-- resync: what repaired it: 'rest' (a REST snapshot replaced the book, or REST trades filled
-- the missing ids), 'resubscribe' (the book channel was subscribed again for a fresh snapshot),
-- 'rest+resubscribe', or 'none' (nothing could: the gap stays open). resync_error says why a
-- REST repair failed.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE stream_gaps (
    id            INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    provider      TEXT    NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
    channel       TEXT    NOT NULL CHECK (channel IN ('book', 'trades', 'connection')),
    kind          TEXT    NOT NULL CHECK (kind IN ('sequence', 'trade_id', 'checksum')),
    detected_at   INTEGER NOT NULL,
    ts            INTEGER,
    from_seq      INTEGER,
    to_seq        INTEGER,
    resync        TEXT    NOT NULL DEFAULT 'none'
                          CHECK (resync IN ('none', 'rest', 'resubscribe', 'rest+resubscribe')),
    resync_error  TEXT,
    detail        TEXT    NOT NULL DEFAULT '{}'
                          CHECK (CASE WHEN json_valid(detail)
                                      THEN json_type(detail) = 'object' ELSE 0 END),
    CHECK ((from_seq IS NULL) = (to_seq IS NULL)),
    CHECK (from_seq IS NULL OR from_seq <= to_seq),
    CHECK (kind = 'checksum' OR from_seq IS NOT NULL),
    UNIQUE (instrument_id, provider, kind, detected_at)
);

CREATE INDEX idx_stream_gaps_instrument_ts ON stream_gaps (instrument_id, detected_at);
