-- The Payment's durable records (schema `payment`; the migration runner sets search_path).
-- Orders as the Checkout announced them (OrderCreated): what initialize may charge.
CREATE TABLE orders (
  order_id    text PRIMARY KEY,
  session_id  text NOT NULL,
  user_id     text NOT NULL,
  amount      bigint NOT NULL CHECK (amount >= 0),
  currency    text NOT NULL,
  method_id   text NOT NULL,
  email       text NOT NULL DEFAULT '',  -- from the session's CustomerDataProvided, for the gateway
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per payment attempt at a gateway. States move only forward (transaction.hpp).
CREATE TABLE transactions (
  transaction_id          text PRIMARY KEY,
  order_id                text NOT NULL REFERENCES orders (order_id),
  session_id              text NOT NULL,
  user_id                 text NOT NULL,
  gateway                 text NOT NULL,
  method_id               text NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  currency                text NOT NULL,
  state                   text NOT NULL,
  registration_reference  text,
  gateway_reference       text,
  redirect_url            text,
  refunded                bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
  review_reason           text,
  failure_reason          text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
-- Never two live attempts for one order: a new one replaces (cancels) the old one first.
CREATE UNIQUE INDEX transactions_one_live_per_order ON transactions (order_id)
  WHERE state IN ('registering', 'initialized', 'pending');
CREATE INDEX transactions_to_reconcile ON transactions (updated_at)
  WHERE state IN ('registering', 'initialized', 'pending');

-- Every state change of an attempt, with what caused it.
CREATE TABLE transaction_history (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  text NOT NULL REFERENCES transactions (transaction_id),
  from_state      text,
  to_state        text NOT NULL,
  cause           text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transaction_history_by_transaction ON transaction_history (transaction_id, id);

-- Each gateway event applies once: inserted in the transaction that applies it.
CREATE TABLE gateway_events (
  gateway         text NOT NULL,
  event_key       text NOT NULL,
  transaction_id  text NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway, event_key)
);

-- Refunds asked by the back office (or by the service itself for a payment it must give back).
CREATE TABLE refunds (
  refund_id          text PRIMARY KEY,
  transaction_id     text NOT NULL REFERENCES transactions (transaction_id),
  amount             bigint NOT NULL CHECK (amount > 0),
  state              text NOT NULL,
  gateway_refund_id  text,
  reason             text NOT NULL,
  requested_by       text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_by_transaction ON refunds (transaction_id);

-- Webhooks we refused although they reached us: forged or mismatched. For people to look at.
CREATE TABLE webhook_alerts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway         text NOT NULL,
  reason          text NOT NULL,
  transaction_id  text,
  detail          text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now()
);
