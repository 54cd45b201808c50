#include "platform/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <variant>

namespace platform::metrics {
namespace {
template <class Atomic>
void atomic_add(Atomic& target, double by) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string label_text(const Labels& labels, const std::string& extra_name = {},
                       const std::string& extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ",";
    first = false;
    out += name + "=\"" + escape_label(value) + "\"";
  }
  if (!extra_name.empty()) {
    if (!first) out += ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}
}  // namespace

void Gauge::add(double by) {
  atomic_add(value_, by);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      buckets_(new std::atomic<std::uint64_t>[upper_bounds_.size() + 1]) {
  if (!std::is_sorted(upper_bounds_.begin(), upper_bounds_.end())) {
    throw std::invalid_argument("histogram buckets must be sorted");
  }
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) {
  const auto index = static_cast<std::size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, value);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(upper_bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

struct Registry::Family {
  std::string help;
  std::string type;
  std::map<Labels, std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>,
                                std::unique_ptr<Histogram>, std::function<double()>>>
      series;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family(const std::string& name, const std::string& help,
                                   const char* type) {
  auto& slot = families_[name];
  if (!slot) {
    slot = std::make_unique<Family>();
    slot->help = help;
    slot->type = type;
  } else if (slot->type != type) {
    throw std::logic_error("metric " + name + " registered as " + slot->type + " and " + type);
  }
  return *slot;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& entry = family(name, help, "counter").series[labels];
  // A fresh entry holds a null Counter pointer (the variant's first alternative).
  if (!std::holds_alternative<std::unique_ptr<Counter>>(entry) ||
      !std::get<std::unique_ptr<Counter>>(entry)) {
    entry = std::make_unique<Counter>();
  }
  return *std::get<std::unique_ptr<Counter>>(entry);
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& entry = family(name, help, "gauge").series[labels];
  if (!std::holds_alternative<std::unique_ptr<Gauge>>(entry)) entry = std::make_unique<Gauge>();
  return *std::get<std::unique_ptr<Gauge>>(entry);
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> upper_bounds) {
  std::lock_guard lock(mutex_);
  auto& entry = family(name, help, "histogram").series[labels];
  if (!std::holds_alternative<std::unique_ptr<Histogram>>(entry)) {
    entry = std::make_unique<Histogram>(std::move(upper_bounds));
  }
  return *std::get<std::unique_ptr<Histogram>>(entry);
}

void Registry::gauge_callback(const std::string& name, const std::string& help,
                              const Labels& labels, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, "gauge").series[labels] = std::move(read);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += "# HELP " + name + " " + fam->help + "\n# TYPE " + name + " " + fam->type + "\n";
    for (const auto& [labels, series] : fam->series) {
      if (const auto* c = std::get_if<std::unique_ptr<Counter>>(&series)) {
        out += name + label_text(labels) + " " + std::to_string((*c)->value()) + "\n";
      } else if (const auto* g = std::get_if<std::unique_ptr<Gauge>>(&series)) {
        out += name + label_text(labels) + " " + number((*g)->value()) + "\n";
      } else if (const auto* read = std::get_if<std::function<double()>>(&series)) {
        out += name + label_text(labels) + " " + number((*read)()) + "\n";
      } else if (const auto* h = std::get_if<std::unique_ptr<Histogram>>(&series)) {
        const auto counts = (*h)->cumulative_counts();
        const auto& bounds = (*h)->upper_bounds();
        for (std::size_t i = 0; i < counts.size(); ++i) {
          const double le = i < bounds.size() ? bounds[i] : INFINITY;
          out += name + "_bucket" + label_text(labels, "le", number(le)) + " " +
                 std::to_string(counts[i]) + "\n";
        }
        out += name + "_sum" + label_text(labels) + " " + number((*h)->sum()) + "\n";
        out += name + "_count" + label_text(labels) + " " + std::to_string((*h)->count()) + "\n";
      }
    }
  }
  return out;
}

Registry& registry() {
  // Never destroyed: series are referenced from objects that may be torn down during static
  // destruction (e.g. a client whose last handler dies with its io_context).
  static auto* instance = new Registry();
  return *instance;
}

CounterFamily::CounterFamily(std::string name, std::string help, std::string label, Labels fixed,
                             Registry& registry)
    : registry_(registry),
      name_(std::move(name)),
      help_(std::move(help)),
      label_(std::move(label)),
      fixed_(std::move(fixed)) {}

Counter& CounterFamily::at(std::string_view value) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(value); it != series_.end()) return *it->second;
  }
  Labels labels{{label_, std::string(value)}};
  labels.insert(labels.end(), fixed_.begin(), fixed_.end());
  auto& counter = registry_.counter(name_, help_, labels);
  std::unique_lock lock(mutex_);
  series_.emplace(std::string(value), &counter);
  return counter;
}

}  // namespace platform::metrics
