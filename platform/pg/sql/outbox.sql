-- The transactional outbox (platform/pg/outbox.hpp). Unqualified: the migration runner sets
-- search_path to the service's schema. seq gives the relay its publishing order.
CREATE TABLE outbox (
  id           text PRIMARY KEY,
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  topic        text NOT NULL,
  key          text NOT NULL,
  type         text NOT NULL,
  source       text NOT NULL,
  subject      text NOT NULL,
  time         text NOT NULL,
  traceparent  text NOT NULL,
  data         text NOT NULL,
  headers      jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
