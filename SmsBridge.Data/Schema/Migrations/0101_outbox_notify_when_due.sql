-- 0001's outbox_queued fired for every UPDATE statement of next_attempt_at, including the worker's own claim
-- (which moves next_attempt_at into the future, and runs even when it claims nothing). Each claim therefore
-- woke every worker to claim again: a busy loop of claims (seen as hundreds of claim spans a second in the
-- developer dashboard). Announce only what makes work due: a new hand-off, or a row made due now (recovery).
DROP TRIGGER outbox_queued ON webhook_outbox;
CREATE TRIGGER outbox_queued AFTER INSERT ON webhook_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('outbox_queued');
CREATE TRIGGER outbox_due AFTER UPDATE OF status, next_attempt_at ON webhook_outbox
    FOR EACH ROW WHEN (NEW.status = 'pending' AND NEW.next_attempt_at <= now())
    EXECUTE FUNCTION notify_change('outbox_queued');
