#include "builtin_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "platform/log.hpp"
#include "platform/metrics.hpp"
#include "server_state.hpp"

namespace platform::http {
namespace asio = boost::asio;
using asio::awaitable;

namespace {
// Why a check is not ready ("" when it is): for the log; the body only says ok or down.
awaitable<std::string> run_readiness_check(std::function<awaitable<bool>()> check,
                                           std::chrono::milliseconds timeout) {
  // The check runs as its own coroutine so a check that ignores cancellation cannot hold
  // /readyz past its deadline. Everything here runs on the connection's strand.
  auto executor = co_await asio::this_coro::executor;
  struct State {
    explicit State(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    std::optional<std::string> problem;
  };
  auto state = std::make_shared<State>(executor);
  state->timer.expires_after(timeout);
  asio::co_spawn(executor, check(), [state](std::exception_ptr error, bool ready) {
    state->problem = error ? "threw" : (ready ? "" : "failed");
    state->timer.cancel();
  });
  if (!state->problem) co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return state->problem.value_or("timed out");
}

awaitable<Response> readyz(ServerState* state) {
  boost::json::object checks;
  bool ready = !state->stopping.load();
  for (const auto& [name, check] : state->readiness) {
    const auto problem = co_await run_readiness_check(check, state->config.readiness_timeout);
    if (!problem.empty()) spdlog::warn("readiness check {} is down: {}", name, problem);
    ready = ready && problem.empty();
    checks[name] = problem.empty() ? "ok" : "down";
  }
  boost::json::object body;
  body["status"] = ready ? "ready" : "not_ready";
  body["checks"] = std::move(checks);
  Response response;
  response.status = ready ? 200 : 503;
  response.body = boost::json::serialize(body);
  if (!ready) response.headers.emplace_back("Retry-After", "1");
  co_return response;
}

awaitable<Response> healthz(Request) {
  Response response;
  response.body = R"({"status":"ok"})";
  co_return response;
}

awaitable<Response> metrics_page(Request) {
  Response response;
  response.content_type = "text/plain; version=0.0.4";
  response.body = metrics::registry().render();
  co_return response;
}
}  // namespace

void add_builtin_routes(ServerState& state) {
  const RouteOptions open{.authenticated = false};
  state.builtin.add("GET", "/healthz", healthz, open);
  state.builtin.add(
      "GET", "/readyz", [state = &state](Request) { return readyz(state); }, open);
  state.builtin.add("GET", "/metrics", metrics_page, open);
}

}  // namespace platform::http
