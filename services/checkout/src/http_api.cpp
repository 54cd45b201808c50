#include "http_api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>

#include "platform/metrics.hpp"

namespace checkout {
namespace {
namespace http = platform::http;
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using SteadyClock = std::chrono::steady_clock;

constexpr int kMaxStreams = 1000;
constexpr std::chrono::milliseconds kDefaultWait{2000};
constexpr std::array kComponents{Component::cart,    Component::warranty,  Component::shipping,
                                 Component::payment, Component::promotion, Component::checkout};

http::Response ok(std::string body) {
  http::Response response;
  response.body = std::move(body);
  return response;
}

platform::Result<std::optional<std::int64_t>> number_param(const http::Request& request,
                                                           const std::string& name,
                                                           std::int64_t max) {
  const auto text = request.query_param(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = -1;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end || value < 0 || value > max) {
    return make_error(
        Errc::malformed,
        "the query parameter " + name + " must be a whole number from 0 to " + std::to_string(max),
        "invalid_query");
  }
  return std::optional(value);
}

// What the client waits for: the lowest version of each component it has written.
struct Wanted {
  std::vector<std::pair<Component, std::int64_t>> versions;
  std::chrono::milliseconds wait{0};
};

platform::Result<Wanted> wanted_of(const http::Request& request,
                                   std::chrono::milliseconds max_wait) {
  Wanted wanted;
  for (auto component : kComponents) {
    PLATFORM_TRY(auto version, number_param(request, std::string(to_string(component)) + "_version",
                                            std::int64_t{1} << 53));
    if (version) wanted.versions.emplace_back(component, *version);
  }
  PLATFORM_TRY(auto wait_ms, number_param(request, "wait_ms", 60000));
  const auto asked = wait_ms
                         ? std::chrono::milliseconds(*wait_ms)
                         : (wanted.versions.empty() ? std::chrono::milliseconds(0) : kDefaultWait);
  wanted.wait = std::min(asked, max_wait);
  return wanted;
}

// The components whose version is still below what the client wants.
json::array behind(const Summary& summary, const Wanted& wanted) {
  json::array out;
  for (const auto& [component, version] : wanted.versions) {
    if (summary.version(component) >= version) continue;
    out.push_back(json::object{{"component", to_string(component)},
                               {"wanted", version},
                               {"have", summary.version(component)}});
  }
  return out;
}

platform::metrics::Counter& waits(std::string_view outcome) {
  return platform::metrics::registry().counter("checkout_summary_waits_total",
                                               "Summaries asked to include a client's own change",
                                               {{"outcome", std::string(outcome)}});
}

std::string sse_event(const std::string& document, std::uint64_t id) {
  return "event: summary\nid: " + std::to_string(id) + "\ndata: " + document + "\n\n";
}

}  // namespace

CheckoutHttpApi::CheckoutHttpApi(CheckoutService& service, const CheckoutConfig& config)
    : service_(service), config_(config) {}

void CheckoutHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/checkout/summary", [this](http::Request r) { return summary(std::move(r)); });
  router.add("GET", "/checkout/summary/stream",
             [this](http::Request r) { return stream(std::move(r)); });
  router.add("POST", "/checkout/customer-data",
             [this](http::Request r) { return customer_data(std::move(r)); });
  router.add("GET", "/checkout/consents",
             [this](http::Request r) { return consent_texts(std::move(r)); });
  router.add("POST", "/checkout/consents",
             [this](http::Request r) { return consents(std::move(r)); });
  router.add("POST", "/checkout/price-changes/acknowledge",
             [this](http::Request r) { return acknowledge(std::move(r)); });
}

CheckoutHttpApi::Answer CheckoutHttpApi::summary(http::Request request) {
  PLATFORM_CO_TRY(const auto wanted, wanted_of(request, config_.max_wait));
  const auto started = SteadyClock::now();
  const auto deadline = started + wanted.wait;
  auto& board = service_.board();
  std::optional<std::string> session;
  for (;;) {
    const auto seen = session ? board.seen(*session) : 0;
    PLATFORM_CO_TRY(auto current, co_await service_.summary(request.user_id));
    session = current.session_id;
    auto missing = behind(current, wanted);
    const auto now = SteadyClock::now();
    if (missing.empty() || now >= deadline) {
      if (!wanted.versions.empty()) waits(missing.empty() ? "included" : "timed_out").inc();
      const auto waited =
          std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count();
      json::object freshness{{"complete", missing.empty()},
                             {"waiting_for", std::move(missing)},
                             {"waited_ms", waited}};
      auto body = std::move(current.document);
      body.pop_back();  // the closing brace: freshness goes last
      body += ",\"freshness\":" + json::serialize(freshness) + "}";
      co_return ok(std::move(body));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    const http::LongWait waiting(request);  // the consumer must not give way to waiters
    if (session) {
      co_await board.wait(*session, seen, std::min(left, config_.poll));
    } else {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                      std::min(left, std::chrono::milliseconds(20)));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
  }
}

CheckoutHttpApi::Answer CheckoutHttpApi::stream(http::Request request) {
  if (streams_.load() >= kMaxStreams) {
    co_return make_error(Errc::unavailable, "too many summary streams open; try again",
                         "too_many_streams");
  }
  PLATFORM_CO_TRY(auto first, co_await service_.summary(request.user_id));
  // The producer's state lives as long as the server keeps asking for pieces.
  struct State {
    CheckoutHttpApi* api;
    std::string user_id;
    std::optional<std::string> session;
    std::string last;
    std::uint64_t sent = 1;
    SteadyClock::time_point quiet_since = SteadyClock::now();
    ~State() { api->streams_.fetch_sub(1); }
  };
  streams_.fetch_add(1);
  auto state = std::make_shared<State>(
      State{this, request.user_id, first.session_id, first.document, 1, SteadyClock::now()});
  http::Response response;
  response.content_type = "text/event-stream";
  response.body = "retry: 1000\n\n" + sse_event(first.document, 1);
  response.stream = [state]() -> boost::asio::awaitable<std::optional<std::string>> {
    auto& api = *state->api;
    auto& board = api.service_.board();
    for (;;) {
      const auto seen = state->session ? board.seen(*state->session) : 0;
      if (state->session) {
        co_await board.wait(*state->session, seen, api.config_.poll);
      } else {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                        api.config_.poll);
        co_await timer.async_wait(boost::asio::use_awaitable);
      }
      auto current = co_await api.service_.summary(state->user_id);
      if (!current) co_return std::nullopt;  // Redis is gone: the client reconnects (retry)
      state->session = current->session_id;
      if (current->document != state->last) {
        state->last = std::move(current->document);
        state->quiet_since = SteadyClock::now();
        co_return sse_event(state->last, ++state->sent);
      }
      if (SteadyClock::now() - state->quiet_since >= api.config_.heartbeat) {
        state->quiet_since = SteadyClock::now();
        co_return std::string(": keep-alive\n\n");
      }
    }
  };
  co_return response;
}

CheckoutHttpApi::Answer CheckoutHttpApi::customer_data(http::Request request) {
  PLATFORM_CO_TRY(auto body, co_await service_.save_customer_data(
                                 request.user_id, std::move(request.body), request.trace));
  co_return ok(std::move(body));
}

CheckoutHttpApi::Answer CheckoutHttpApi::consent_texts(http::Request request) {
  (void)request;
  json::array texts;
  const auto rules = service_.rules();
  for (const auto& text : rules->rules.consents) {
    texts.push_back(json::object{{"consent_id", text.id},
                                 {"required", text.required},
                                 {"text_version", text.version},
                                 {"title", text.title},
                                 {"text", text.text}});
  }
  co_return ok(json::serialize(json::object{{"consents", std::move(texts)}}));
}

CheckoutHttpApi::Answer CheckoutHttpApi::consents(http::Request request) {
  PLATFORM_CO_TRY(auto body, co_await service_.save_consents(
                                 request.user_id, std::move(request.body), request.trace));
  co_return ok(std::move(body));
}

CheckoutHttpApi::Answer CheckoutHttpApi::acknowledge(http::Request request) {
  PLATFORM_CO_TRY(auto body,
                  co_await service_.acknowledge_prices(request.user_id, std::move(request.body)));
  co_return ok(std::move(body));
}

}  // namespace checkout
