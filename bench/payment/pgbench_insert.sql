-- pgbench's side of bench/payment.sh: one single-row INSERT per transaction into the scratch
-- table (search_path: the bench's schema, set through PGOPTIONS), a row the size of a
-- gateway_events row. A random 63-bit key: a collision would abort the run, at ~1e-10.
\set k random(1, 9000000000000000000)
INSERT INTO pgbench_scratch (gateway, event_key, transaction_id) VALUES ('stripe', 'evt_' || :k, 'txn_' || :k);
