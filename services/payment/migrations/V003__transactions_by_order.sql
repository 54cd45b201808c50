-- Every notification asks whether another attempt of its order was paid (and initialize lists an
-- order's attempts): by order, not by a scan of every attempt.
CREATE INDEX transactions_by_order ON transactions (order_id);
