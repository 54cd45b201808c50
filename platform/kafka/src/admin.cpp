#include "platform/kafka/admin.hpp"

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <set>
#include <thread>

#include "platform/config.hpp"
#include "platform/kafka/envelope.hpp"

namespace platform::kafka {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
  void operator()(const rd_kafka_metadata_t* m) const { rd_kafka_metadata_destroy(m); }
};
template <class T>
using Owned = std::unique_ptr<T, KafkaDeleter>;

struct NewTopics {
  std::vector<rd_kafka_NewTopic_t*> items;
  ~NewTopics() { rd_kafka_NewTopic_destroy_array(items.data(), items.size()); }
};

int to_ms(std::chrono::steady_clock::duration d) {
  return static_cast<int>(
      std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
}

// True when every topic is in the metadata with a leader for each partition.
bool all_ready(rd_kafka_t* rk, const std::map<std::string, int>& wanted, int timeout_ms) {
  const rd_kafka_metadata_t* raw = nullptr;
  if (rd_kafka_metadata(rk, 1, nullptr, &raw, timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return false;
  }
  Owned<const rd_kafka_metadata_t> md(raw);
  std::size_t ready = 0;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (wanted.count(t.topic) == 0 || t.err != RD_KAFKA_RESP_ERR_NO_ERROR || t.partition_cnt == 0) {
      continue;
    }
    bool leaders = true;
    for (int p = 0; p < t.partition_cnt; ++p) leaders = leaders && t.partitions[p].leader >= 0;
    if (leaders) ++ready;
  }
  return ready == wanted.size();
}

}  // namespace

Status ensure_topics(const std::string& brokers, const std::vector<std::string>& topics,
                     int partitions, std::chrono::milliseconds timeout, int dlq_partitions,
                     int replication) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char errstr[512];
  auto* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr, sizeof errstr) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return make_error(Errc::invalid, std::string("kafka admin config: ") + errstr);
  }
  Owned<rd_kafka_t> rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    return make_error(Errc::unavailable, std::string("kafka admin: ") + errstr);
  }

  std::map<std::string, int> wanted;  // name -> partitions
  for (const auto& t : topics) {
    wanted.emplace(t, partitions);
    wanted.emplace(dlq_topic(t), dlq_partitions);
  }
  NewTopics new_topics;
  for (const auto& [name, count] : wanted) {
    auto* nt = rd_kafka_NewTopic_new(name.c_str(), count, replication, errstr, sizeof errstr);
    if (nt == nullptr) return make_error(Errc::invalid, "topic " + name + ": " + errstr);
    new_topics.items.push_back(nt);
  }

  const int budget = to_ms(deadline - std::chrono::steady_clock::now());
  Owned<rd_kafka_AdminOptions_t> options(
      rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), budget, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), budget, errstr, sizeof errstr);
  Owned<rd_kafka_queue_t> queue(rd_kafka_queue_new(rk.get()));
  rd_kafka_CreateTopics(rk.get(), new_topics.items.data(), new_topics.items.size(), options.get(),
                        queue.get());
  Owned<rd_kafka_event_t> event(rd_kafka_queue_poll(queue.get(), budget + 1000));
  if (!event) return make_error(Errc::timeout, "kafka CreateTopics timed out", "kafka_timeout");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    auto code = rd_kafka_event_error(event.get()) == RD_KAFKA_RESP_ERR__TIMED_OUT
                    ? Errc::timeout
                    : Errc::unavailable;
    return make_error(
        code, std::string("kafka CreateTopics: ") + rd_kafka_event_error_string(event.get()));
  }
  const auto* result = rd_kafka_event_CreateTopics_result(event.get());
  std::size_t count = 0;
  const auto** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    auto err = rd_kafka_topic_result_error(results[i]);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return make_error(Errc::unavailable, std::string("create topic ") +
                                               rd_kafka_topic_result_name(results[i]) + ": " +
                                               rd_kafka_topic_result_error_string(results[i]));
    }
  }

  // Creation is acknowledged by the controller before every broker knows the leaders.
  while (!all_ready(rk.get(), wanted, 1000)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return make_error(Errc::timeout, "kafka topics not visible in metadata in time",
                        "kafka_timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

}  // namespace platform::kafka
