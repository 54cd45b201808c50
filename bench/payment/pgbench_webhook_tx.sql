-- pgbench's side of bench/payment.sh: the database's ceiling for a webhook. One transaction with
-- the statements the Payment sends for a notification that moves an attempt to succeeded, in its
-- order (services/payment/src/payments.cpp apply_payment, payment_store.cpp): the attempt read
-- before the transaction, then the dedupe row, the attempt locked, "paid by another attempt?",
-- "order cancelled?", the update, its history row and the outbox row. Without the service: no
-- HTTP, signature, JSON or Redis, so what it reaches is the most any implementation of this
-- transaction gets from this PostgreSQL. Each transaction takes the next of the attempts seeded
-- for it (gateway 'ceiling', ids <prefix>ceiling-<n>); the outbox row is written already
-- published, so the service's relay leaves it alone. The variable prefix comes from pgbench -D.
-- pgbench takes every colon followed by a name as a variable, in comments and string literals
-- too: the timestamps' format spells its colons chr(58).
SELECT nextval('ceiling_pick') - 1 AS n \gset
SELECT transaction_id, order_id, session_id, user_id, gateway, method_id, amount, currency, state, registration_reference, gateway_reference, redirect_url, refunded, review_reason, failure_reason, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS.MS"Z"') AS created_at, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS.MS"Z"') AS updated_at FROM transactions WHERE transaction_id = :prefix::text || 'ceiling-' || :n;
BEGIN;
INSERT INTO gateway_events (gateway, event_key, transaction_id) VALUES ('ceiling', 'evt_' || :n, :prefix::text || 'ceiling-' || :n) ON CONFLICT DO NOTHING;
SELECT transaction_id, order_id, session_id, user_id, gateway, method_id, amount, currency, state, registration_reference, gateway_reference, redirect_url, refunded, review_reason, failure_reason, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS.MS"Z"') AS created_at, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS.MS"Z"') AS updated_at FROM transactions WHERE transaction_id = :prefix::text || 'ceiling-' || :n FOR UPDATE;
SELECT 1 FROM transactions WHERE order_id = :prefix::text || 'ceiling-' || :n AND transaction_id <> :prefix::text || 'ceiling-' || :n AND state IN ('succeeded', 'partially_refunded', 'refunded') LIMIT 1;
SELECT 1 FROM orders WHERE order_id = :prefix::text || 'ceiling-' || :n AND cancelled_at IS NOT NULL;
UPDATE transactions SET state = 'succeeded', registration_reference = NULL, gateway_reference = 'pi_' || :n, redirect_url = NULL, refunded = 0, review_reason = NULL, failure_reason = NULL, updated_at = now() WHERE transaction_id = :prefix::text || 'ceiling-' || :n;
INSERT INTO transaction_history (transaction_id, from_state, to_state, cause) VALUES (:prefix::text || 'ceiling-' || :n, 'initialized', 'succeeded', 'webhook: succeeded');
INSERT INTO outbox (id, topic, key, type, source, subject, time, traceparent, data, headers, published_at) VALUES ('ceiling-' || :prefix::text || :n, 'payment-events', :prefix::text || 'ceiling-' || :n, 'PaymentSucceeded', '/checkout/payment', :prefix::text || 'ceiling-' || :n, '2026-12-03T16:00:00.000Z', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '{"transaction_id":"bpay-00000-stripe-12345","order_id":"bpay-00000-stripe-12345","session_id":"bpay-00000-stripe-12345","user_id":"bench-user","gateway":"stripe","method_id":"card","amount":{"amount":12999,"currency":"PLN"},"gateway_reference":"pi_3QxYzAbCdEfGhIjK1a2b3c4d","state":"succeeded","version":3,"occurred_at":"2026-12-03T16:00:00.000Z"}', '[]'::jsonb, now());
COMMIT;
