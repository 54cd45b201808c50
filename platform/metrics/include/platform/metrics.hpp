#pragma once
// A small Prometheus registry. Look a series up once (it takes the registry's lock, which render()
// holds while it formats every series) and keep the reference: updating a Counter, Gauge or
// Histogram is lock-free and thread-safe. Series live as long as the registry. render() produces
// the text exposition format (version 0.0.4). Per-event counters whose labels vary at run time
// (e.g. by topic) go through a CounterFamily, which asks the registry once per label value.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platform::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  // Cumulative counts per bucket (the last is +Inf), the count and the sum.
  std::vector<std::uint64_t> cumulative_counts() const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, from 0.1 ms to 10 s.
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       std::vector<double> upper_bounds = latency_buckets());
  // A gauge computed when scraped (e.g. an outbox backlog read from a cached value).
  void gauge_callback(const std::string& name, const std::string& help, const Labels& labels,
                      std::function<double()> read);

  std::string render() const;

 private:
  struct Family;
  Family& family(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>> families_;
};

// The process's registry, served on /metrics.
Registry& registry();

// The counters of one family that differ in one label's value, e.g. kafka_consumed_total by
// topic with result="ok" fixed: series `name{<label>="<value>", fixed...}`. Each series is looked
// up in the registry the first time its value is seen and kept here; later lookups take this
// family's shared lock only (no registry lock, no allocation). Thread-safe; the registry must
// outlive the family.
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::string label, Labels fixed = {},
                Registry& registry = metrics::registry());
  CounterFamily(const CounterFamily&) = delete;
  CounterFamily& operator=(const CounterFamily&) = delete;

  Counter& at(std::string_view value);

 private:
  Registry& registry_;
  std::string name_;
  std::string help_;
  std::string label_;
  Labels fixed_;
  std::shared_mutex mutex_;
  std::map<std::string, Counter*, std::less<>> series_;
};

}  // namespace platform::metrics
