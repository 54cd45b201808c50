-- The Checkout's orders (schema `checkout`; the migration runner sets search_path). The outbox
-- table is migration 2 (platform/pg).

-- Order numbers a person can read and say on the phone: ZK-<year>-<6 digits>.
CREATE SEQUENCE order_numbers;

-- One order per checkout session (a double click, a retry or a racing webhook finds this row).
-- `document` is the order as placed (lines with their warranties and services, delivery,
-- payment method, customer and invoice data, consents as accepted, totals with VAT): written once.
-- The columns beside it are what changes and what is searched.
CREATE TABLE orders (
  order_id         text PRIMARY KEY,
  order_number     text NOT NULL UNIQUE,
  session_id       text NOT NULL UNIQUE,
  user_id          text NOT NULL,
  status           text NOT NULL CHECK (status IN ('awaiting_payment', 'payment_failed', 'paid',
                                                   'confirmed', 'cancelled')),
  payment_method_id text NOT NULL,
  online           boolean NOT NULL,
  grand_total      bigint NOT NULL CHECK (grand_total >= 0),
  currency         text NOT NULL,
  hold_until       timestamptz,          -- an online order unpaid by then is cancelled
  stock_settled    boolean NOT NULL DEFAULT false,  -- its hold became a sale in the ledger
  transaction_id   text,                 -- the live payment attempt (PaymentInitialized)
  gateway          text,
  redirect_url     text,
  event_version    bigint NOT NULL,      -- the last per-session version its events carried
  stock_items      jsonb NOT NULL,       -- [{"sku", "quantity"}]: what it holds in the ledger
  promo_codes      jsonb NOT NULL,       -- the codes it used (given back if it is cancelled)
  document         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC);
-- What the sweeper looks at: unpaid online orders by deadline, and sales not yet settled.
CREATE INDEX orders_to_expire ON orders (hold_until)
  WHERE status IN ('awaiting_payment', 'payment_failed');
CREATE INDEX orders_to_settle ON orders (updated_at)
  WHERE status IN ('paid', 'confirmed') AND NOT stock_settled;

-- Every status change and every payment fact, with what caused it.
CREATE TABLE order_history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id     text NOT NULL REFERENCES orders (order_id),
  from_status  text,
  to_status    text NOT NULL,
  cause        text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_history_by_order ON order_history (order_id, id);

-- Each payment event applies once (its ce_id), in the transaction that applies it.
CREATE TABLE applied_events (
  event_id    text PRIMARY KEY,
  applied_at  timestamptz NOT NULL DEFAULT now()
);
