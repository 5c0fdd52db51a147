-- The W3C traceparent of the PIN setup that queued a hand-off, so its delivery (in a background worker,
-- possibly in another instance or after a restart) continues the same distributed trace.
ALTER TABLE webhook_outbox ADD COLUMN trace_parent text;
