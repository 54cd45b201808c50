#include "notifier.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "platform/httpclient/client.hpp"

namespace p24_sim {
namespace {
constexpr std::chrono::milliseconds kDeliveryTimeout{2000};
constexpr std::size_t kMaxClients = 64;
}  // namespace

std::optional<SplitUrl> split_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme) || url.size() == kScheme.size()) return std::nullopt;
  const auto slash = url.find('/', kScheme.size());
  if (slash == std::string_view::npos) return SplitUrl{std::string(url), "/"};
  return SplitUrl{std::string(url.substr(0, slash)), std::string(url.substr(slash))};
}

Notifier::Notifier(boost::asio::io_context& io, gateway_sim::SimClock& clock, Ledger& ledger,
                   gateway_sim::FaultStore& faults, NotificationQueue& queue)
    : io_(io),
      clock_(clock),
      ledger_(ledger),
      faults_(faults),
      queue_(queue),
      loop_(io, "p24 notifications") {}

Notifier::~Notifier() = default;

void Notifier::start() {
  loop_.start([this](platform::StopSignal stop) { return run(std::move(stop)); });
}

boost::asio::awaitable<bool> Notifier::stop(std::chrono::steady_clock::time_point deadline) {
  return loop_.stop(deadline);
}

boost::asio::awaitable<void> Notifier::run(platform::StopSignal stop) {
  const auto settled = [this](const std::string& session_id) {
    return ledger_.settled(session_id);
  };
  for (;;) {
    auto due = queue_.take_due(clock_.now(), settled);
    for (auto& delivery : due) co_await deliver(std::move(delivery), false);
    const bool slept = co_await stop.sleep(kTick);
    if (!slept) co_return;
  }
}

boost::asio::awaitable<std::size_t> Notifier::flush() {
  auto held = queue_.take_held();
  for (auto& delivery : held) co_await deliver(delivery, true);
  co_return held.size();
}

boost::asio::awaitable<void> Notifier::deliver(Delivery delivery, bool flushing) {
  const auto faults = faults_.current();
  if (faults.drop_notifications) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("drop: notification {} #{} lost", delivery.session_id, delivery.attempt);
    co_return;
  }
  if (faults.reorder_notifications && !flushing) {
    spdlog::info("reorder: notification {} #{} held", delivery.session_id, delivery.attempt);
    queue_.hold(std::move(delivery));
    co_return;
  }
  for (int copy = 0; copy <= faults.duplicate_notifications; ++copy) {
    if (copy > 0) duplicated_.fetch_add(1, std::memory_order_relaxed);
    const bool answered = co_await post(delivery);
    if (answered && !delivery.refund) ledger_.note_notification_sent(delivery.session_id);
  }
}

boost::asio::awaitable<bool> Notifier::post(const Delivery& delivery) {
  const auto url = split_url(delivery.url);
  auto* client = url ? client_for(url->base) : nullptr;
  if (client == nullptr) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("notification {}: cannot send to '{}'", delivery.session_id, delivery.url);
    co_return false;
  }
  platform::httpclient::ClientRequest request;
  request.method = "POST";
  request.path_and_query = url->path_and_query;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = delivery.body;
  const auto answer = co_await client->send(std::move(request));
  if (!answer) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("notification {} #{} to {}: {}", delivery.session_id, delivery.attempt,
                 delivery.url, answer.error().message);
    co_return false;
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("notification {} #{}{} to {}: {}", delivery.session_id, delivery.attempt,
               delivery.refund ? " (refund)" : "", delivery.url, answer->status);
  co_return true;
}

platform::httpclient::HttpClient* Notifier::client_for(const std::string& base_url) {
  const std::lock_guard lock(clients_mutex_);
  if (const auto it = clients_.find(base_url); it != clients_.end()) return it->second.get();
  if (clients_.size() >= kMaxClients) return nullptr;
  platform::httpclient::ClientConfig config;
  config.name = "p24_sim_notify";
  config.base_url = base_url;
  config.request_timeout = kDeliveryTimeout;
  config.max_retries = 0;
  // A receiver that is down must not stop the deliveries to it being attempted (and counted).
  config.breaker.minimum_number_of_calls = 10000;
  config.breaker.sliding_window_size = 10000;
  try {
    auto client = std::make_unique<platform::httpclient::HttpClient>(io_, config);
    auto* raw = client.get();
    clients_.emplace(base_url, std::move(client));
    return raw;
  } catch (const std::invalid_argument& e) {
    spdlog::warn("notification url {}: {}", base_url, e.what());
    return nullptr;
  }
}

DeliveryCounters Notifier::counters() const {
  return DeliveryCounters{
      sent_.load(std::memory_order_relaxed), failed_.load(std::memory_order_relaxed),
      dropped_.load(std::memory_order_relaxed), duplicated_.load(std::memory_order_relaxed)};
}

void Notifier::reset_counters() {
  sent_.store(0, std::memory_order_relaxed);
  failed_.store(0, std::memory_order_relaxed);
  dropped_.store(0, std::memory_order_relaxed);
  duplicated_.store(0, std::memory_order_relaxed);
}

}  // namespace p24_sim
