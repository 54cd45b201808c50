#include "notifier.hpp"

#include <spdlog/spdlog.h>

#include "platform/httpclient/client.hpp"

namespace payu_sim {
namespace httpclient = platform::httpclient;

std::optional<SplitUrl> split_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme) || url.size() == kScheme.size()) return std::nullopt;
  const auto slash = url.find_first_of("/?", kScheme.size());
  if (slash == std::string_view::npos) return SplitUrl{std::string(url), "/"};
  std::string path(url.substr(slash));
  if (path.front() == '?') path.insert(0, "/");
  return SplitUrl{std::string(url.substr(0, slash)), std::move(path)};
}

Notifier::Notifier(boost::asio::io_context& io, Simulator& simulator)
    : io_(io), simulator_(simulator), loop_(io, "payu notifications") {}

Notifier::~Notifier() = default;

void Notifier::start() {
  loop_.start([this](platform::StopSignal stop) { return run(std::move(stop)); });
}

boost::asio::awaitable<bool> Notifier::stop(std::chrono::steady_clock::time_point deadline) {
  return loop_.stop(deadline);
}

boost::asio::awaitable<void> Notifier::run(platform::StopSignal stop) {
  while (true) {
    for (const auto& delivery : simulator_.take_due()) {
      const int status = co_await deliver(delivery);
      simulator_.report(delivery.id, status);
    }
    const bool slept = co_await stop.sleep(kTick);
    if (!slept) break;
  }
}

boost::asio::awaitable<int> Notifier::deliver(const Delivery& delivery) {
  const auto url = split_url(delivery.notice.url);
  if (!url) {
    spdlog::warn("notification {}: notifyUrl {} is not http://", delivery.notice.what,
                 delivery.notice.url);
    co_return 0;
  }
  httpclient::ClientRequest request;
  request.method = "POST";
  request.path_and_query = url->path_and_query;
  request.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  request.headers.emplace_back("OpenPayu-Signature", delivery.notice.signature);
  request.headers.emplace_back("X-OpenPayU-Signature", delivery.notice.signature);
  request.body = delivery.notice.body;
  const auto answer = co_await client_for(url->base).send(std::move(request));
  const int status = answer ? answer->status : 0;
  spdlog::info("notification {} (delivery {}, attempt {}) → {}", delivery.notice.what, delivery.id,
               delivery.attempts + 1, answer ? std::to_string(status) : answer.error().message);
  co_return status;
}

httpclient::HttpClient& Notifier::client_for(const std::string& base_url) {
  auto& client = clients_[base_url];
  if (!client) {
    httpclient::ClientConfig config;
    config.name = "payu_sim_notify";
    config.base_url = base_url;
    config.request_timeout = kTimeout;
    config.max_retries = 0;
    // The resend schedule handles a failing merchant; the breaker must not hold notifications.
    config.breaker.failure_rate_threshold = 100;
    config.breaker.slow_call_rate_threshold = 100;
    config.breaker.slow_call_duration = kTimeout * 2;
    config.breaker.minimum_number_of_calls = 1000;
    config.breaker.sliding_window_size = 1000;
    client = std::make_unique<httpclient::HttpClient>(io_, config);
  }
  return *client;
}

}  // namespace payu_sim
