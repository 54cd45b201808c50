#include "outbox.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "gateway_sim/sim_clock.hpp"
#include "stripe_protocol.hpp"

namespace stripe_sim {
namespace {
namespace json = boost::json;

constexpr std::size_t kKeptItems = 5000;
constexpr std::int64_t kFirstRetry = 60;
constexpr std::int64_t kLongestRetry = 3600;

void shift_amounts(json::object& object, std::int64_t delta) {
  for (const char* field : {"amount", "amount_total", "amount_subtotal", "amount_received"}) {
    auto* value = object.if_contains(field);
    if (value != nullptr && value->is_int64() && value->as_int64() > 0) {
      *value = value->as_int64() + delta;
    }
  }
}

std::string event_id(std::uint64_t n) {
  auto number = std::to_string(n);
  if (number.size() < 8) number.insert(0, 8 - number.size(), '0');
  return "evt_sim" + number;
}
}  // namespace

std::string_view Outbox::stage_name(Stage stage) {
  switch (stage) {
    case Stage::held:
      return "held";
    case Stage::queued:
      return "queued";
    case Stage::in_flight:
      return "in_flight";
    case Stage::delivered:
      return "delivered";
    case Stage::dropped:
      return "dropped";
    case Stage::given_up:
      return "given_up";
  }
  return "queued";
}

Outbox::Outbox(std::string webhook_url) : url_(std::move(webhook_url)) {}

void Outbox::set_url(std::string url) {
  const std::lock_guard lock(mutex_);
  url_ = std::move(url);
}

std::string Outbox::url() const {
  const std::lock_guard lock(mutex_);
  return url_;
}

std::vector<std::string> Outbox::publish(const Events& events, const FaultConfig& faults,
                                         platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& event : events) {
    auto object = event.object;
    if (faults.amount_delta != 0) shift_amounts(object, faults.amount_delta);
    const auto id = event_id(++next_event_);
    json::object envelope{
        {"id", id},
        {"object", "event"},
        {"api_version", payment::stripe::kApiVersion},
        {"created", gateway_sim::unix_seconds(now)},
        {"livemode", false},
        {"pending_webhooks", 1},
        {"request", json::object{{"id", nullptr}, {"idempotency_key", nullptr}}},
        {"type", event.type},
        {"data", json::object{{"object", std::move(object)}}},
    };
    ++events_created_;
    ids.push_back(id);
    const auto body = json::serialize(envelope);
    const Stage stage = faults.drop_notifications      ? Stage::dropped
                        : faults.reorder_notifications ? Stage::held
                                                       : Stage::queued;
    const int copies = stage == Stage::dropped ? 1 : 1 + faults.duplicate_notifications;
    for (int copy = 0; copy < copies; ++copy) {
      items_.push_back(Item{Delivery{++next_seq_, id, event.type, body, 0}, stage, now, {}});
    }
  }
  trim();
  return ids;
}

std::optional<Delivery> Outbox::next_due(platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  for (auto& item : items_) {
    if (item.stage == Stage::queued && item.due <= now) {
      item.stage = Stage::in_flight;
      return item.delivery;
    }
  }
  return std::nullopt;
}

Outbox::Item* Outbox::find(std::uint64_t seq) {
  const auto it = std::find_if(items_.begin(), items_.end(),
                               [seq](const Item& item) { return item.delivery.seq == seq; });
  return it == items_.end() ? nullptr : &*it;
}

void Outbox::delivered(std::uint64_t seq, int status) {
  const std::lock_guard lock(mutex_);
  if (auto* item = find(seq)) {
    ++item->delivery.attempts;
    item->stage = Stage::delivered;
    item->last_result = std::to_string(status);
  }
}

void Outbox::failed(std::uint64_t seq, std::string result, platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  auto* item = find(seq);
  if (item == nullptr) return;
  const int attempts = ++item->delivery.attempts;
  item->last_result = std::move(result);
  if (attempts >= kMaxAttempts) {
    item->stage = Stage::given_up;
    return;
  }
  const auto wait = std::min(kLongestRetry, kFirstRetry << std::min(attempts - 1, 10));
  item->stage = Stage::queued;
  item->due = now + std::chrono::seconds(wait);
}

void Outbox::flush(platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  std::vector<Item> held;
  for (auto it = items_.begin(); it != items_.end();) {
    if (it->stage == Stage::held) {
      held.push_back(std::move(*it));
      it = items_.erase(it);
    } else {
      if (it->stage == Stage::queued) it->due = std::min(it->due, now);
      ++it;
    }
  }
  std::reverse(held.begin(), held.end());
  for (auto& item : held) {
    item.stage = Stage::queued;
    item.due = now;
    items_.push_back(std::move(item));
  }
}

json::object Outbox::state() const {
  const std::lock_guard lock(mutex_);
  json::object counts{{"held", 0},      {"queued", 0},  {"in_flight", 0},
                      {"delivered", 0}, {"dropped", 0}, {"given_up", 0}};
  json::array deliveries;
  for (const auto& item : items_) {
    const auto stage = stage_name(item.stage);
    counts[stage] = counts[stage].as_int64() + 1;
    deliveries.push_back(json::object{{"event_id", item.delivery.event_id},
                                      {"type", item.delivery.type},
                                      {"stage", stage},
                                      {"attempts", item.delivery.attempts},
                                      {"last_result", item.last_result}});
  }
  return json::object{{"webhook_url", url_},
                      {"events_created", events_created_},
                      {"counts", std::move(counts)},
                      {"deliveries", std::move(deliveries)}};
}

void Outbox::clear() {
  const std::lock_guard lock(mutex_);
  items_.clear();
  events_created_ = 0;
}

// Finished deliveries beyond kKeptItems are forgotten, oldest first.
void Outbox::trim() {
  while (items_.size() > kKeptItems) {
    const auto it = std::find_if(items_.begin(), items_.end(), [](const Item& item) {
      return item.stage == Stage::delivered || item.stage == Stage::dropped ||
             item.stage == Stage::given_up;
    });
    if (it == items_.end()) return;
    items_.erase(it);
  }
}

}  // namespace stripe_sim
