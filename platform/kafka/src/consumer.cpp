#include "platform/kafka/consumer.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "in_flight_offsets.hpp"
#include "platform/background_loop.hpp"
#include "platform/config.hpp"
#include "platform/ids.hpp"
#include "platform/kafka/envelope.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace platform::kafka {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using std::chrono::milliseconds;

namespace {
constexpr std::int64_t kMaxConcurrency = 1024;
}  // namespace

ConsumerConfig ConsumerConfig::from_env(std::string group_id, std::vector<std::string> topics) {
  ConsumerConfig c;
  c.group_id = std::move(group_id);
  c.topics = std::move(topics);
  c.brokers = config::get_string("KAFKA_BROKERS", c.brokers);
  c.session_timeout =
      milliseconds(config::get_int("KAFKA_SESSION_TIMEOUT_MS", 10000, 1000, 300000));
  c.heartbeat_interval =
      milliseconds(config::get_int("KAFKA_HEARTBEAT_INTERVAL_MS", 1000, 100, 60000));
  c.fetch_wait_max = milliseconds(config::get_int("KAFKA_FETCH_WAIT_MAX_MS", 100, 0, 60000));
  c.concurrency = static_cast<std::size_t>(
      config::get_int("KAFKA_HANDLER_CONCURRENCY", 16, 1, kMaxConcurrency));
  c.handler_retries = static_cast<int>(config::get_int("KAFKA_HANDLER_RETRIES", 3, 0, 100));
  c.retry_backoff = milliseconds(config::get_int("KAFKA_RETRY_BACKOFF_MS", 100, 0, 600000));
  c.prefetch_kbytes = static_cast<int>(config::get_int("KAFKA_PREFETCH_KBYTES", 4096, 64, 1048576));
  c.channel_capacity =
      static_cast<std::size_t>(config::get_int("KAFKA_CONSUMER_CHANNEL", 64, 1, 100000));
  c.lag_interval = milliseconds(config::get_int("KAFKA_LAG_INTERVAL_MS", 5000, 100, 600000));
  c.commit_interval = milliseconds(config::get_int("KAFKA_COMMIT_INTERVAL_MS", 200, 0, 60000));
  return c;
}

namespace {

// A message as polled, with the generation of the assignment it was polled under.
struct Polled {
  Message message;
  std::uint64_t generation = 0;
};

using PolledChannel =
    asio::experimental::concurrent_channel<void(boost::system::error_code, Polled)>;
using DoneChannel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

// A few messages per lane keep the dispatcher going while a lane is busy; more would only delay
// back-pressure and add to what a stop or rebalance leaves unhandled.
constexpr std::size_t kLaneQueue = 4;

// Per-message counters, each series resolved once per topic (the subscribed ones up front).
struct ConsumerMetrics {
  explicit ConsumerMetrics(const std::vector<std::string>& topics) {
    for (const auto& topic : topics) {
      for (auto* family : {&ok, &retry, &dlq, &poison, &dead_lettered}) family->at(topic);
    }
  }
  static constexpr const char* kConsumed = "kafka_consumed_total";
  static constexpr const char* kConsumedHelp = "Consumed records, by outcome";
  metrics::CounterFamily ok{kConsumed, kConsumedHelp, "topic", {{"result", "ok"}}};
  metrics::CounterFamily retry{kConsumed, kConsumedHelp, "topic", {{"result", "retry"}}};
  metrics::CounterFamily dlq{kConsumed, kConsumedHelp, "topic", {{"result", "dlq"}}};
  metrics::CounterFamily poison{kConsumed, kConsumedHelp, "topic", {{"result", "poison"}}};
  metrics::CounterFamily dead_lettered{"kafka_dlq_total", "Records sent to a DLQ", "topic"};
};

// The loops' waits on the hand-over channels, each run through StopSignal::wait().
asio::awaitable<std::tuple<boost::system::error_code, Polled>> receive(PolledChannel* channel) {
  co_return co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<boost::system::error_code> send(PolledChannel* channel, Polled polled) {
  auto [ec] = co_await channel->async_send(boost::system::error_code{}, std::move(polled),
                                           asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

Message to_kit_message(RdKafka::Message& m) {
  Message out;
  out.topic = m.topic_name();
  out.partition = m.partition();
  out.offset = m.offset();
  if (m.key() != nullptr) out.key = *m.key();
  if (m.payload() != nullptr) out.value.assign(static_cast<const char*>(m.payload()), m.len());
  if (const auto* headers = m.headers()) {
    for (const auto& h : headers->get_all()) {
      out.headers.emplace_back(h.key(), h.value() != nullptr
                                            ? std::string(h.value_string(), h.value_size())
                                            : std::string());
    }
  }
  return out;
}

void delete_all(std::vector<RdKafka::TopicPartition*>& parts) {
  RdKafka::TopicPartition::destroy(parts);
  parts.clear();
}

}  // namespace

struct Consumer::Impl : RdKafka::RebalanceCb, RdKafka::EventCb {
  Impl(asio::io_context& io, ConsumerConfig c, Handler h, Producer& p)
      : io(io),
        config(std::move(c)),
        handler(std::move(h)),
        dlq(p),
        channel(io, config.channel_capacity),
        poll_done(io, 1),
        counters(config.topics) {}

  asio::io_context& io;
  ConsumerConfig config;
  Handler handler;
  Producer& dlq;

  PolledChannel channel;
  std::vector<std::unique_ptr<PolledChannel>> lanes;  // set by start()
  // The dispatcher (first) and one per lane, each on its own strand; set by start().
  std::vector<std::unique_ptr<BackgroundLoop>> loops;
  DoneChannel poll_done;  // sent by the poll thread as the last thing it does
  ConsumerMetrics counters;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer;  // used by the poll thread only
  std::thread poller;
  std::atomic<bool> stop_polling{false};
  std::atomic<std::size_t> handled{0};
  bool started = false;
  bool stopped = false;

  std::mutex commit_mutex;
  detail::InFlightOffsets offsets;  // guarded by commit_mutex
  std::uint64_t generation = 0;     // poll thread only: the assignment's, given to polled messages
  bool paused = false;              // poll thread only

  // ---- poll thread ----

  void rebalance_cb(RdKafka::KafkaConsumer* c, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& parts) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      c->assign(parts);
    } else {
      commit(true);
      c->unassign();
    }
    paused = false;
    // Progress on revoked partitions now belongs to their next owner: messages polled before
    // (queued or in a handler) change nothing any more. The eager protocol revokes every
    // partition, so one generation for all of them is enough.
    std::lock_guard lock(commit_mutex);
    generation = offsets.reset();
  }

  void event_cb(RdKafka::Event& event) override {
    if (event.type() == RdKafka::Event::EVENT_STATS) {
      update_lag(event.str());
    } else if (event.type() == RdKafka::Event::EVENT_ERROR) {
      spdlog::warn("kafka consumer {}: {}", config.group_id, event.str());
    }
  }

  // librdkafka's consumer_lag is high watermark minus the committed (or consumed) offset.
  void update_lag(const std::string& stats) {
    boost::system::error_code ec;
    auto root = boost::json::parse(stats, ec);
    if (ec || !root.is_object()) return;
    const auto* topics = root.as_object().if_contains("topics");
    if (topics == nullptr || !topics->is_object()) return;
    for (const auto& [topic, tv] : topics->as_object()) {
      const auto* parts = tv.is_object() ? tv.as_object().if_contains("partitions") : nullptr;
      if (parts == nullptr || !parts->is_object()) continue;
      for (const auto& [partition, pv] : parts->as_object()) {
        if (partition == "-1" || !pv.is_object()) continue;
        const auto* lag = pv.as_object().if_contains("consumer_lag");
        if (lag == nullptr || !lag->is_int64() || lag->as_int64() < 0) continue;
        metrics::registry()
            .gauge("kafka_consumer_lag", "Records not yet committed by this group",
                   {{"topic", std::string(topic)}, {"partition", std::string(partition)}})
            .set(static_cast<double>(lag->as_int64()));
      }
    }
  }

  void commit(bool sync) {
    std::vector<std::pair<detail::InFlightOffsets::Partition, std::int64_t>> batch;
    {
      std::lock_guard lock(commit_mutex);
      batch = offsets.take_commits();
    }
    if (batch.empty()) return;
    std::vector<RdKafka::TopicPartition*> parts;
    for (const auto& [key, offset] : batch) {
      parts.push_back(RdKafka::TopicPartition::create(key.first, key.second, offset));
    }
    auto err = sync ? consumer->commitSync(parts) : consumer->commitAsync(parts);
    if (err != RdKafka::ERR_NO_ERROR) {
      spdlog::warn("kafka commit for group {} failed: {}", config.group_id, RdKafka::err2str(err));
    }
    delete_all(parts);
  }

  void set_paused(bool pause) {
    if (pause == paused) return;
    std::vector<RdKafka::TopicPartition*> parts;
    consumer->assignment(parts);
    if (pause) {
      consumer->pause(parts);
    } else {
      consumer->resume(parts);
    }
    delete_all(parts);
    paused = pause;
  }

  // Hands `p` over without copying it. Asio's try_send leaves its arguments alone when it
  // returns false (no room), so a refused message is still whole in `p`.
  bool offer(Polled& p) { return channel.try_send(boost::system::error_code{}, std::move(p)); }

  void poll_loop() {
    // Messages taken from librdkafka that the hand-over channel had no room for. Once the
    // overflow holds a quarter of the prefetch budget, the loop stops taking messages and only
    // hands over what it holds: librdkafka then keeps its prefetch and stops fetching by itself
    // at queued.max.messages.kbytes. (Pausing the partitions instead would make it drop the
    // prefetch and fetch it again on resume: a backlog then drains at a few thousand events/s.)
    // consume() still runs every 100 ms to serve rebalances; should the handlers stall long
    // enough for the overflow to reach the whole prefetch budget, the partitions are paused
    // after all. Memory: at most about twice prefetch_kbytes of messages.
    std::deque<Polled> overflow;
    std::size_t overflow_bytes = 0;
    const std::size_t budget = static_cast<std::size_t>(config.prefetch_kbytes) * 1024;
    const auto bytes_of = [](const Polled& p) {
      std::size_t bytes = 256 + p.message.key.size() + p.message.value.size();
      for (const auto& [name, value] : p.message.headers) bytes += 64 + name.size() + value.size();
      return bytes;
    };
    auto next_commit = std::chrono::steady_clock::now();
    auto next_consume = next_commit;
    while (!stop_polling.load()) {
      // Progress is committed every commit_interval, not after every message: each commit is a
      // write on the broker, and at-least-once delivery only needs it eventually.
      const auto now = std::chrono::steady_clock::now();
      if (now >= next_commit) {
        commit(false);
        next_commit = now + config.commit_interval;
      }
      while (!overflow.empty()) {
        const auto bytes = bytes_of(overflow.front());
        if (!offer(overflow.front())) break;
        overflow_bytes -= bytes;
        overflow.pop_front();
      }
      if (overflow_bytes >= budget) {
        set_paused(true);
      } else if (overflow_bytes <= budget / 8) {
        set_paused(false);
      }
      if (overflow_bytes >= budget / 4 && now < next_consume) {
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        continue;
      }
      next_consume = now + std::chrono::milliseconds(100);
      // While events wait in the overflow, come back within a millisecond to hand more over.
      const int timeout_ms = overflow.empty() ? 100 : 1;
      std::unique_ptr<RdKafka::Message> m(consumer->consume(timeout_ms));
      switch (m->err()) {
        case RdKafka::ERR_NO_ERROR: {
          Polled polled{to_kit_message(*m), generation};
          if (!overflow.empty() || !offer(polled)) {
            overflow_bytes += bytes_of(polled);
            overflow.push_back(std::move(polled));
          }
          break;
        }
        case RdKafka::ERR__TIMED_OUT:
        case RdKafka::ERR__PARTITION_EOF:
          break;
        default:
          spdlog::warn("kafka consume for group {}: {}", config.group_id, m->errstr());
      }
    }
    commit(true);
    consumer->close();
    poll_done.try_send(boost::system::error_code{});
  }

  // ---- io_context ----

  // Records the message as in flight; false when it was polled before a rebalance.
  bool mark_in_flight(const Polled& p) {
    std::lock_guard lock(commit_mutex);
    return offsets.begin({p.message.topic, p.message.partition}, p.message.offset, p.generation);
  }

  bool is_current(const Polled& p) {
    std::lock_guard lock(commit_mutex);
    return p.generation == offsets.generation();
  }

  void mark_done(const Polled& p) {
    {
      std::lock_guard lock(commit_mutex);
      offsets.finish({p.message.topic, p.message.partition}, p.message.offset, p.generation);
    }
    handled.fetch_add(1);
  }

  // Retries until published; false when stop() came first.
  asio::awaitable<bool> dead_letter(const Message& m, const std::string& reason, StopSignal stop) {
    Message copy;
    copy.topic = dlq_topic(m.topic);
    copy.key = m.key;
    copy.value = m.value;
    copy.headers = m.headers;
    copy.headers.emplace_back("dlq_error", reason);
    copy.headers.emplace_back("dlq_original_topic", m.topic);
    copy.headers.emplace_back("dlq_original_partition", std::to_string(m.partition));
    copy.headers.emplace_back("dlq_original_offset", std::to_string(m.offset));
    for (int attempt = 0;; ++attempt) {
      auto sent = co_await dlq.send(copy);
      if (sent) {
        counters.dead_lettered.at(m.topic).inc();
        co_return true;
      }
      spdlog::error("kafka DLQ publish for {}[{}]@{} failed: {}", m.topic, m.partition, m.offset,
                    sent.error().message);
      const bool slept = co_await stop.sleep(config.retry_backoff * (1 << std::min(attempt, 6)));
      if (!slept) co_return false;
    }
  }

  asio::awaitable<Status> invoke(const CloudEvent& event) {
    try {
      co_return co_await handler(event);
    } catch (const std::exception& e) {
      co_return make_error(Errc::internal, std::string("handler threw: ") + e.what());
    }
  }

  // Returns false when the message was left unfinished because of stop(): the handler call in
  // progress is never interrupted, but no retry or backoff starts after the stop.
  asio::awaitable<bool> handle(const Polled& p, StopSignal stop) {
    const Message& m = p.message;
    auto parsed = from_message(m);
    if (!parsed) {
      spdlog::warn("kafka poison message {}[{}]@{}: {}", m.topic, m.partition, m.offset,
                   parsed.error().message);
      const bool sent = co_await dead_letter(m, parsed.error().message, stop);
      if (!sent) co_return false;
      counters.poison.at(m.topic).inc();
      mark_done(p);
      co_return true;
    }
    const auto trace_id = TraceContext::parse_or_generate(parsed->traceparent).trace_id;
    Status status;
    for (int attempt = 0;; ++attempt) {
      log::set_trace_id(trace_id);
      status = co_await invoke(*parsed);
      log::set_trace_id(trace_id);  // may have resumed on another thread
      if (status) break;
      spdlog::warn("kafka handler for {} {} failed (attempt {}): {}", parsed->type, parsed->id,
                   attempt + 1, status.error().message);
      if (stop.stop_requested()) {
        log::set_trace_id({});
        co_return false;
      }
      if (attempt >= config.handler_retries) break;
      counters.retry.at(m.topic).inc();
      const bool slept = co_await stop.sleep(config.retry_backoff * (1 << std::min(attempt, 16)));
      if (!slept) {
        log::set_trace_id({});
        co_return false;
      }
    }
    log::set_trace_id({});
    if (status) {
      counters.ok.at(m.topic).inc();
      mark_done(p);
      co_return true;
    }
    const bool sent = co_await dead_letter(m, status.error().message, stop);
    if (!sent) co_return false;
    counters.dlq.at(m.topic).inc();
    mark_done(p);
    co_return true;
  }

  // Routes each message to its lane, waiting while that lane's queue is full. Both waits end
  // on stop(); a message taken but not yet handed to its lane is left uncommitted.
  asio::awaitable<void> dispatch(StopSignal stop) {
    for (;;) {
      auto received = co_await stop.wait(receive(&channel));
      if (!received) co_return;
      auto [ec, polled] = std::move(*received);
      if (ec) co_return;
      if (!mark_in_flight(polled)) continue;  // its partition's next owner reads it again
      auto* lane =
          lanes[detail::lane_of(polled.message.key, polled.message.partition, lanes.size())].get();
      auto sent = co_await stop.wait(send(lane, std::move(polled)));
      if (!sent || *sent) co_return;
    }
  }

  // Handles its lane's messages in order. Waiting for the next one ends on stop(); a message
  // being handled is finished first.
  asio::awaitable<void> run_lane(std::size_t index, StopSignal stop) {
    auto* queue = lanes[index].get();
    for (;;) {
      auto received = co_await stop.wait(receive(queue));
      if (!received) co_return;
      auto [ec, polled] = std::move(*received);
      if (ec) co_return;
      if (!is_current(polled)) continue;  // polled before a rebalance
      const bool finished = co_await handle(polled, stop);
      if (!finished) co_return;
    }
  }

  void request_stop() {
    for (auto& loop : loops) loop->request_stop();
  }
};

Consumer::Consumer(asio::io_context& io, ConsumerConfig config, Handler handler, Producer& dlq)
    : impl_(std::make_shared<Impl>(io, std::move(config), std::move(handler), dlq)) {}

Consumer::~Consumer() {
  if (!impl_->started) return;
  impl_->request_stop();  // the loops keep the Impl alive until they return
  impl_->stop_polling = true;
  if (!impl_->poller.joinable()) return;
  if (impl_->io.get_executor().running_in_this_thread()) {
    // Never block an I/O thread: the poll thread holds the Impl and ends on its own once it has
    // committed and left the group.
    impl_->poller.detach();
  } else {
    impl_->poller.join();
  }
}

std::size_t Consumer::handled() const {
  return impl_->handled.load();
}

void Consumer::start() {
  if (impl_->started) return;
  const auto& c = impl_->config;
  if (c.concurrency < 1 || c.concurrency > static_cast<std::size_t>(kMaxConcurrency)) {
    throw std::runtime_error("kafka consumer concurrency must be 1.." +
                             std::to_string(kMaxConcurrency) + ", not " +
                             std::to_string(c.concurrency));
  }
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  auto set = [&](const std::string& name, const std::string& value) {
    if (conf->set(name, value, err) != RdKafka::Conf::CONF_OK) {
      throw std::runtime_error("kafka consumer config " + name + ": " + err);
    }
  };
  set("bootstrap.servers", c.brokers);
  set("group.id", c.group_id);
  set("enable.auto.commit", "false");
  set("enable.auto.offset.store", "false");
  set("auto.offset.reset", "earliest");
  set("session.timeout.ms", std::to_string(c.session_timeout.count()));
  set("heartbeat.interval.ms", std::to_string(c.heartbeat_interval.count()));
  set("fetch.wait.max.ms", std::to_string(c.fetch_wait_max.count()));
  // librdkafka prefetches up to 64 MB per consumer by default; a few MB keep a service small
  // and are still hundreds of events ahead of the handler.
  set("queued.max.messages.kbytes", std::to_string(c.prefetch_kbytes));
  set("statistics.interval.ms", std::to_string(c.lag_interval.count()));
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(impl_.get()), err) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", static_cast<RdKafka::EventCb*>(impl_.get()), err) !=
          RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka consumer callbacks: " + err);
  }
  impl_->consumer.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!impl_->consumer) throw std::runtime_error("kafka consumer: " + err);
  auto sub = impl_->consumer->subscribe(c.topics);
  if (sub != RdKafka::ERR_NO_ERROR) {
    throw std::runtime_error("kafka subscribe: " + RdKafka::err2str(sub));
  }
  for (std::size_t i = 0; i < c.concurrency; ++i) {
    impl_->lanes.push_back(std::make_unique<PolledChannel>(impl_->io, kLaneQueue));
  }
  impl_->started = true;
  impl_->poller = std::thread([impl = impl_] { impl->poll_loop(); });
  auto& loops = impl_->loops;
  loops.push_back(std::make_unique<BackgroundLoop>(impl_->io, "kafka dispatcher " + c.group_id));
  loops.back()->start([impl = impl_](StopSignal stop) { return impl->dispatch(std::move(stop)); });
  for (std::size_t i = 0; i < c.concurrency; ++i) {
    loops.push_back(std::make_unique<BackgroundLoop>(
        impl_->io, "kafka lane " + std::to_string(i) + " " + c.group_id));
    loops.back()->start(
        [impl = impl_, i](StopSignal stop) { return impl->run_lane(i, std::move(stop)); });
  }
}

asio::awaitable<void> Consumer::stop() {
  auto impl = impl_;
  if (!impl->started || impl->stopped) co_return;
  impl->stopped = true;
  // Ends the dispatcher's and the idle lanes' waits at once; handler calls in progress finish
  // (queued messages are left uncommitted).
  impl->request_stop();
  const auto handlers_deadline = std::chrono::steady_clock::now() + impl->config.stop_timeout;
  bool ended = true;
  for (auto& loop : impl->loops) {
    const bool loop_ended = co_await loop->stop(handlers_deadline);
    ended = ended && loop_ended;
  }
  if (!ended)
    spdlog::warn("kafka consumer {}: handler still running at stop", impl->config.group_id);
  // The poll thread commits what was handled, leaves the group and, as its last act, reports on
  // poll_done; only then is it joined, so the join does not block this I/O thread.
  impl->stop_polling = true;
  asio::steady_timer timer(impl->io, impl->config.stop_timeout);
  auto closed = co_await (impl->poll_done.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                          timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (closed.index() == 0) {
    impl->poller.join();
  } else {
    // Left to the destructor, which joins it off the I/O threads (or lets it finish detached).
    spdlog::warn("kafka consumer {}: close timed out", impl->config.group_id);
  }
}

}  // namespace platform::kafka
