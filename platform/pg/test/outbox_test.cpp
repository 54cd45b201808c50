#include "platform/pg/outbox.hpp"

#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "pg_test_support.hpp"
#include "platform/metrics.hpp"
#include "platform/pg/migrate.hpp"

namespace platform::pg::test {
namespace {
namespace asio = boost::asio;

// Stands in for the broker: records what was published. The Kafka side of the seam has its own
// tests; here only the relay's contract matters.
class FakePublisher : public outbox::EventPublisher {
 public:
  enum class Mode { ok, fail, hang };

  asio::awaitable<Status> publish(CloudEvent event) override {
    Mode mode;
    {
      std::lock_guard lock(mutex_);
      ++attempts_;
      mode = failures_left_ > 0 ? Mode::fail : mode_;
      if (failures_left_ > 0) --failures_left_;
      if (mode != Mode::fail) events_.push_back(event);
    }
    if (mode == Mode::fail) co_return make_error(Errc::unavailable, "broker down");
    if (mode == Mode::hang) {
      // The broker has the event but the ack never arrives before the relay stops.
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::seconds(30));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return Status{};
  }

  void fail_next(int n) {
    std::lock_guard lock(mutex_);
    failures_left_ = n;
  }
  void set_mode(Mode mode) {
    std::lock_guard lock(mutex_);
    mode_ = mode;
  }
  std::vector<CloudEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  int attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;
  Mode mode_ = Mode::ok;
  int failures_left_ = 0;
  int attempts_ = 0;
  std::vector<CloudEvent> events_;
};

CloudEvent order_created(const std::string& id) {
  CloudEvent event;
  event.id = id;
  event.type = "OrderCreated";
  event.source = "/checkout/checkout";
  event.subject = "session-1";
  event.time = "2026-11-30T10:09:59.123Z";
  event.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  event.data = R"({"order_id":")" + id + R"(","total":{"amount":129900,"currency":"PLN"}})";
  event.topic = "checkout-events";
  event.key = "session-1";
  event.extra_headers = {{"x-retry", "0"}, {"quote", "a\"b"}};
  return event;
}

// What a service does: its own row and its event in one transaction.
asio::awaitable<Result<int>> place_order(Transaction& tx, std::string schema, std::string id,
                                         bool fail_after) {
  Params params{id};
  auto inserted =
      co_await tx.query("INSERT INTO " + schema + ".orders (id) VALUES ($1)", std::move(params));
  if (!inserted) co_return inserted.error();
  auto appended = co_await append_outbox(tx, schema, order_created(id));
  if (!appended) co_return appended.error();
  if (fail_after) co_return make_error(Errc::invalid, "stock ran out");
  co_return 1;
}

asio::awaitable<bool> published(Pool& pool, std::string schema, std::string id) {
  Params params{id};
  auto row = co_await pool.query(
      "SELECT published_at IS NOT NULL AS done FROM " + schema + ".outbox WHERE id = $1",
      std::move(params));
  co_return row && !row->empty() && row->value(0, "done") == "t";
}

asio::awaitable<bool> all_published(Pool& pool, std::string schema) {
  auto rows = co_await pool.query("SELECT 1 FROM " + schema + ".outbox WHERE published_at IS NULL");
  co_return rows && rows->empty();
}

asio::awaitable<bool> recorded(const FakePublisher& publisher, std::size_t n) {
  co_return publisher.events().size() >= n;
}

class OutboxTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    std::vector<Migration> migrations{{1, "orders", "CREATE TABLE orders (id text PRIMARY KEY);"},
                                      outbox_migration(2)};
    auto migrated = run(migrate(*pool_, schema_, std::move(migrations)));
    ASSERT_TRUE(migrated) << migrated.error().message;
  }

  RelayConfig relay_config() const {
    return RelayConfig{schema_, 10, std::chrono::milliseconds(20)};
  }

  Result<int> place(const std::string& id, bool fail_after = false) {
    return run(pool_->transaction<int>(
        std::bind(place_order, std::placeholders::_1, schema_, id, fail_after)));
  }
  bool wait_published(const std::string& id) {
    return run(eventually(std::bind(published, std::ref(*pool_), schema_, id)));
  }

  FakePublisher publisher_;
};

TEST_F(OutboxTest, SqlFileMatchesCompiledDdl) {
  std::ifstream in(PG_TEST_OUTBOX_SQL);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), outbox_ddl());
}

TEST_F(OutboxTest, RowAndEventCommitTogetherAndRelayPublishesThem) {
  ASSERT_TRUE(place("order-1"));
  auto rolled_back = place("order-2", /*fail_after=*/true);
  ASSERT_FALSE(rolled_back);
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".outbox"), "1");
  // Same event id twice is a conflict, not a second row.
  auto again = place("order-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  ASSERT_TRUE(place("order-3"));

  PgOutboxRelay relay(io_, *pool_, publisher_, relay_config());
  relay.start();
  EXPECT_TRUE(wait_published("order-1"));
  EXPECT_TRUE(wait_published("order-3"));
  run(relay.stop());

  const auto events = publisher_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "order-1");  // insertion order
  EXPECT_EQ(events[1].id, "order-3");
  const CloudEvent expected = order_created("order-1");
  EXPECT_EQ(events[0].type, expected.type);
  EXPECT_EQ(events[0].source, expected.source);
  EXPECT_EQ(events[0].subject, expected.subject);
  EXPECT_EQ(events[0].time, expected.time);
  EXPECT_EQ(events[0].traceparent, expected.traceparent);
  EXPECT_EQ(events[0].data, expected.data);
  EXPECT_EQ(events[0].topic, expected.topic);
  EXPECT_EQ(events[0].key, expected.key);
  EXPECT_EQ(events[0].extra_headers, expected.extra_headers);
  EXPECT_EQ(metrics::registry().gauge("outbox_backlog", "", {{"stream", "pg:" + schema_}}).value(),
            0);
}

TEST_F(OutboxTest, PublishFailureLeavesRowUnpublishedAndIsRetried) {
  ASSERT_TRUE(place("order-1"));
  publisher_.fail_next(3);
  PgOutboxRelay relay(io_, *pool_, publisher_, relay_config());
  relay.start();
  EXPECT_TRUE(wait_published("order-1"));
  run(relay.stop());
  EXPECT_GE(publisher_.attempts(), 4);
  ASSERT_EQ(publisher_.events().size(), 1u);
}

TEST_F(OutboxTest, RelayStoppedBetweenPublishAndMarkRepublishesOnRestart) {
  ASSERT_TRUE(place("order-1"));
  publisher_.set_mode(FakePublisher::Mode::hang);
  {
    PgOutboxRelay relay(io_, *pool_, publisher_, relay_config());
    relay.start();
    ASSERT_TRUE(run(eventually(std::bind(recorded, std::cref(publisher_), 1))));
    run(relay.stop());
  }
  EXPECT_EQ(scalar("SELECT published_at IS NULL FROM " + schema_ + ".outbox"), "t");

  publisher_.set_mode(FakePublisher::Mode::ok);
  PgOutboxRelay restarted(io_, *pool_, publisher_, relay_config());
  restarted.start();
  EXPECT_TRUE(wait_published("order-1"));
  run(restarted.stop());
  const auto events = publisher_.events();
  ASSERT_EQ(events.size(), 2u);  // at-least-once: the same event (same ce_id) twice
  EXPECT_EQ(events[0].id, events[1].id);
}

TEST_F(OutboxTest, TwoRelaysPublishEachRowOnce) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(place("order-" + std::to_string(i)));
  FakePublisher other;
  PgOutboxRelay first(io_, *pool_, publisher_, relay_config());
  PgOutboxRelay second(io_, *pool_, other, relay_config());
  first.start();
  second.start();
  EXPECT_TRUE(wait_published("order-29"));
  EXPECT_TRUE(run(eventually(std::bind(all_published, std::ref(*pool_), schema_))));
  run(first.stop());
  run(second.stop());
  EXPECT_EQ(publisher_.events().size() + other.events().size(), 30u);
}

TEST_F(OutboxTest, IdleRelayStopsWellUnderItsPollInterval) {
  ASSERT_TRUE(place("order-1"));
  auto config = relay_config();
  config.poll_interval = std::chrono::seconds(60);
  PgOutboxRelay relay(io_, *pool_, publisher_, config);
  relay.start();
  EXPECT_TRUE(wait_published("order-1"));  // then the outbox is empty: it waits a minute
  const auto started = std::chrono::steady_clock::now();
  run(relay.stop());
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  std::printf(
      "idle pg relay stopped in %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

TEST_F(OutboxTest, StopCancelsTheWaitForTheBrokersAckPromptly) {
  ASSERT_TRUE(place("order-1"));
  publisher_.set_mode(FakePublisher::Mode::hang);  // an ack that would take 30 s
  PgOutboxRelay relay(io_, *pool_, publisher_, relay_config());
  relay.start();
  ASSERT_TRUE(run(eventually(std::bind(recorded, std::cref(publisher_), 1))));
  const auto started = std::chrono::steady_clock::now();
  run(relay.stop());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2000));
  EXPECT_EQ(scalar("SELECT published_at IS NULL FROM " + schema_ + ".outbox"), "t");
}

}  // namespace
}  // namespace platform::pg::test
