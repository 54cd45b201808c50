-- Reconciliation asks about the live attempts untouched longest; one it asked about without news
-- goes to the back of the line (checked_at), so a crowd of unpaid attempts within their gateway's
-- time limit never starves a newer one.
ALTER TABLE transactions ADD COLUMN checked_at timestamptz;
DROP INDEX transactions_to_reconcile;
CREATE INDEX transactions_to_reconcile ON transactions ((COALESCE(checked_at, updated_at)))
  WHERE state IN ('registering', 'initialized', 'pending');
