-- pgbench's side of bench/finalize.sh: one single-row INSERT per transaction of an order-sized
-- row (the document of an order the bench placed, copied into order_template: the same jsonb,
-- the same TOAST compression) into the scratch table (search_path: the bench's schema, set
-- through PGOPTIONS). A random 63-bit key: a collision would abort the run, at ~1e-10.
\set k random(1, 9000000000000000000)
INSERT INTO orders_scratch (order_id, document) SELECT 'o-' || :k, document FROM order_template;
