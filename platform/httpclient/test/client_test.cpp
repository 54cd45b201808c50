// The client against a tiny Beast server on loopback that answers as each test scripts it.
#include "platform/httpclient/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <memory>

#include "platform/metrics.hpp"
#include "platform/testing/run.hpp"

namespace platform::httpclient {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// ok_then_close answers 200 with keep-alive and then drops the connection anyway, as a server
// whose idle timeout fires does.
enum class Reply { ok, ok_then_close, unavailable, bad_gateway, too_many, hang, close };

struct ServerState {
  std::deque<Reply> script;  // consumed one per request; `fallback` once empty
  Reply fallback = Reply::ok;
  std::string retry_after;  // sent with 503 and 429 when non-empty
  int requests = 0;
  int connections = 0;
  int closed_connections = 0;
  std::vector<std::string> traceparents;
  std::vector<std::string> methods;
};

// Single-threaded with the client (one io_context), so the state needs no lock. Coroutines hold
// the state by shared_ptr, so destroying the io_context with pending handlers is safe.
asio::awaitable<void> serve_connection(std::shared_ptr<ServerState> state, tcp::socket socket) {
  ++state->connections;
  struct CountClose {
    ServerState& state;
    ~CountClose() { ++state.closed_connections; }
  } count_close{*state};
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [ec, n] = co_await http::async_read(socket, buffer, request, kTuple);
    if (ec) co_return;
    ++state->requests;
    state->methods.emplace_back(request.method_string());
    state->traceparents.emplace_back(request["traceparent"]);
    Reply reply = state->fallback;
    if (!state->script.empty()) {
      reply = state->script.front();
      state->script.pop_front();
    }
    if (reply == Reply::close) co_return;
    if (reply == Reply::hang) {
      // Never answer; wait for the client to give up and close.
      char byte;
      co_await socket.async_read_some(asio::buffer(&byte, 1), kTuple);
      co_return;
    }
    http::response<http::string_body> response;
    response.version(11);
    response.keep_alive(request.keep_alive());
    switch (reply) {
      case Reply::unavailable:
        response.result(http::status::service_unavailable);
        break;
      case Reply::bad_gateway:
        response.result(http::status::bad_gateway);
        break;
      case Reply::too_many:
        response.result(http::status::too_many_requests);
        break;
      default:
        response.result(http::status::ok);
        response.body() = "{\"ok\":true}";
    }
    if (reply != Reply::ok && !state->retry_after.empty()) {
      response.set(http::field::retry_after, state->retry_after);
    }
    response.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(socket, response, kTuple);
    if (write_ec || !response.keep_alive() || reply == Reply::ok_then_close) co_return;
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> state, tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), serve_connection(state, std::move(socket)),
                   asio::detached);
  }
}

class TestServer {
 public:
  explicit TestServer(asio::io_context& io)
      : state_(std::make_shared<ServerState>()),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io, accept_loop(state_, acceptor_), asio::detached);
  }
  ~TestServer() { acceptor_.close(); }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  ServerState& state() { return *state_; }

 private:
  std::shared_ptr<ServerState> state_;
  tcp::acceptor acceptor_;
};

std::atomic<int> client_counter{0};

ClientConfig config_for(const std::string& url) {
  ClientConfig c;
  c.name = "test" + std::to_string(client_counter++);
  c.base_url = url;
  c.connect_timeout = 500ms;
  c.request_timeout = 300ms;
  c.max_retries = 2;
  c.backoff_initial = 5ms;
  c.backoff_max = 50ms;
  // A breaker that stays out of the way unless a test configures it.
  c.breaker.minimum_number_of_calls = 100;
  c.breaker.sliding_window_size = 100;
  return c;
}

ClientOptions seeded() {
  return ClientOptions{nullptr, 1234};
}

ClientRequest get(std::string path = "/calendar") {
  ClientRequest r;
  r.method = "GET";
  r.path_and_query = std::move(path);
  return r;
}

ClientRequest post() {
  ClientRequest r;
  r.method = "POST";
  r.path_and_query = "/payments";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"amount\":1000}";
  return r;
}

Result<ClientResponse> send(asio::io_context& io, HttpClient& client, ClientRequest request) {
  return platform::testing::run(io, client.send(std::move(request)), 10s);
}

TEST(HttpClient, ReturnsResponseAndPropagatesTraceparent) {
  asio::io_context io;
  TestServer server(io);
  HttpClient client(io, config_for(server.url()), seeded());
  auto request = get();
  const std::string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  request.headers.emplace_back("traceparent", traceparent);
  auto result = send(io, client, request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "{\"ok\":true}");
  EXPECT_EQ(result->header("content-length"), "11");
  ASSERT_EQ(server.state().traceparents.size(), 1u);
  EXPECT_EQ(server.state().traceparents[0], traceparent);
}

TEST(HttpClient, ReusesKeepAliveConnection) {
  asio::io_context io;
  TestServer server(io);
  HttpClient client(io, config_for(server.url()), seeded());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(send(io, client, get()).has_value());
  EXPECT_EQ(server.state().requests, 3);
  EXPECT_EQ(server.state().connections, 1);
}

TEST(HttpClient, DropsPooledConnectionTheServerClosed) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::ok_then_close};
  HttpClient client(io, config_for(server.url()), seeded());
  ASSERT_TRUE(send(io, client, get()).has_value());
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (server.state().closed_connections < 1) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    io.run_one_for(10ms);
  }
  // A POST is not retried, so it succeeds only if the dead pooled connection is not used.
  auto result = send(io, client, post());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().connections, 2);
}

TEST(HttpClient, RetriesIdempotentRequestOn503ThenSucceeds) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::unavailable, Reply::bad_gateway, Reply::ok};
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().requests, 3);
  auto requests = [&](const char* status) {
    return metrics::registry()
        .counter("http_client_requests_total", "",
                 {{"client", client.config().name}, {"status", status}})
        .value();
  };
  EXPECT_EQ(requests("503"), 1u);
  EXPECT_EQ(requests("502"), 1u);
  EXPECT_EQ(requests("200"), 1u);
  EXPECT_EQ(
      metrics::registry()
          .histogram("http_client_request_duration_seconds", "", {{"client", client.config().name}})
          .count(),
      3u);
}

TEST(HttpClient, GivesBackLast503WhenRetriesRunOut) {
  asio::io_context io;
  TestServer server(io);
  server.state().fallback = Reply::unavailable;
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(server.state().requests, 3);  // 1 + max_retries
}

TEST(HttpClient, DoesNotRetryNonIdempotentPost) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::unavailable};
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, post());
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(server.state().requests, 1);
}

TEST(HttpClient, DoesNotRetryPostWhoseConnectionDropped) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::close};
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, post());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::unavailable);
  EXPECT_EQ(server.state().requests, 1);
}

TEST(HttpClient, RetriesPostFlaggedIdempotent) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::unavailable, Reply::ok};
  HttpClient client(io, config_for(server.url()), seeded());
  auto request = post();
  request.headers.emplace_back("Idempotency-Key", "k-1");
  request.idempotent = true;
  auto result = send(io, client, request);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().requests, 2);
  EXPECT_EQ(server.state().methods, (std::vector<std::string>{"POST", "POST"}));
}

TEST(HttpClient, RetriesAfterConnectionClosedWithoutAnswer) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::close, Reply::ok};
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().requests, 2);
}

TEST(HttpClient, HangingServerTimesOut) {
  asio::io_context io;
  TestServer server(io);
  server.state().fallback = Reply::hang;
  auto config = config_for(server.url());
  config.max_retries = 0;
  HttpClient client(io, config, seeded());
  const auto started = std::chrono::steady_clock::now();
  auto result = send(io, client, get());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::timeout);
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(HttpClient, TimeoutsAreRetriedForIdempotentRequests) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::hang, Reply::ok};
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().requests, 2);
}

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  asio::io_context io;
  std::string url;
  {
    // A port that was free a moment ago and has no listener now.
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port());
  }
  HttpClient client(io, config_for(url), seeded());
  auto result = send(io, client, get());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::unavailable);
}

TEST(HttpClient, HonoursShortRetryAfterOn429) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::too_many, Reply::ok};
  server.state().retry_after = "0";
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(server.state().requests, 2);
}

TEST(HttpClient, GivesUpWhenRetryAfterExceedsBackoffMax) {
  asio::io_context io;
  TestServer server(io);
  server.state().script = {Reply::too_many, Reply::ok};
  server.state().retry_after = "30";
  HttpClient client(io, config_for(server.url()), seeded());
  auto result = send(io, client, get());
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, 429);
  EXPECT_EQ(result->header("retry-after"), "30");
  EXPECT_EQ(server.state().requests, 1);
}

TEST(HttpClient, BreakerOpensFailsFastAndClosesAfterSuccessfulProbe) {
  asio::io_context io;
  TestServer server(io);
  server.state().fallback = Reply::unavailable;
  auto config = config_for(server.url());
  config.max_retries = 0;
  config.breaker.sliding_window_size = 4;
  config.breaker.minimum_number_of_calls = 4;
  config.breaker.failure_rate_threshold = 50;
  config.breaker.wait_duration_in_open_state = 200ms;
  config.breaker.permitted_calls_in_half_open_state = 1;
  HttpClient client(io, config, seeded());

  for (int i = 0; i < 4; ++i) {
    auto result = send(io, client, get());
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, 503);
  }
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::open);
  EXPECT_EQ(server.state().requests, 4);

  // Open: fails fast without touching the network.
  for (int i = 0; i < 3; ++i) {
    auto result = send(io, client, get());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::unavailable);
    EXPECT_EQ(result.error().reason, "circuit_open");
  }
  EXPECT_EQ(server.state().requests, 4);

  // Poll, with a deadline, until the wait elapses and the breaker lets a probe through.
  server.state().fallback = Reply::ok;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (client.breaker().state() != CircuitBreaker::State::half_open) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "breaker never became half-open";
    io.run_one_for(10ms);
  }
  auto probe = send(io, client, get());
  ASSERT_TRUE(probe.has_value()) << probe.error().message;
  EXPECT_EQ(probe->status, 200);
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::closed);
  EXPECT_EQ(server.state().requests, 5);

  auto after = send(io, client, get());
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(server.state().requests, 6);
}

TEST(HttpClient, TimeoutsCountAsBreakerFailures) {
  asio::io_context io;
  TestServer server(io);
  server.state().fallback = Reply::hang;
  auto config = config_for(server.url());
  config.request_timeout = 100ms;
  config.max_retries = 0;
  config.breaker.sliding_window_size = 2;
  config.breaker.minimum_number_of_calls = 2;
  HttpClient client(io, config, seeded());
  for (int i = 0; i < 2; ++i) {
    auto result = send(io, client, get());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::timeout);
  }
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::open);
}

TEST(HttpClientConfig, RejectsNonHttpBaseUrl) {
  asio::io_context io;
  auto config = config_for("https://127.0.0.1:1");
  EXPECT_THROW(HttpClient(io, config), std::invalid_argument);
}

}  // namespace
}  // namespace platform::httpclient
