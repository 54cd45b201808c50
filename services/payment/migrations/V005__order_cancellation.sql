-- OrderCancelled (checkout-events): the order takes no payment any more. Its live attempt is
-- cancelled, what was paid for it is refunded, now or when it arrives (payments.hpp).
ALTER TABLE orders ADD COLUMN cancelled_at timestamptz;
ALTER TABLE orders ADD COLUMN cancel_reason_code text;  -- hold_expired, paid_after_hold
ALTER TABLE orders ADD COLUMN cancel_reason text;       -- the Checkout's words
-- An OrderCancelled for an order whose OrderCreated we never took leaves a tombstone: the row
-- with the event's session and user, amount 0 and no method, cancelled. A late OrderCreated (one
-- sent back from the dead-letter topic) fills in the order and starts no payment for it.
ALTER TABLE orders ADD COLUMN tombstone boolean NOT NULL DEFAULT false;
