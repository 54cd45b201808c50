// The server over real loopback sockets, driven by a tiny Beast client. No external infra.
#include "platform/http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "platform/http/problem.hpp"
#include "platform/process.hpp"
#include "platform/testing/run.hpp"

namespace platform::http {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

using ClientResponse = bhttp::response<bhttp::string_body>;

// Raw HTTP/1.1 over one connection, so tests can pipeline and send malformed bytes.
class Client {
 public:
  explicit Client(asio::any_io_executor executor) : socket_(std::move(executor)) {}

  awaitable<void> connect(std::uint16_t port) {
    co_await socket_.async_connect({asio::ip::make_address("127.0.0.1"), port}, use_awaitable);
  }
  awaitable<void> send(std::string raw) {
    co_await asio::async_write(socket_, asio::buffer(raw), use_awaitable);
  }
  awaitable<ClientResponse> read() {
    ClientResponse response;
    co_await bhttp::async_read(socket_, buffer_, response, use_awaitable);
    co_return response;
  }
  // True when the server closed the connection (EOF or reset) before sending anything more.
  awaitable<bool> closed_by_peer() {
    char byte = 0;
    auto [ec, n] =
        co_await socket_.async_read_some(asio::buffer(&byte, 1), asio::as_tuple(use_awaitable));
    co_return ec&& n == 0;
  }

 private:
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string request(std::string_view method, std::string_view target, std::string_view body = {},
                    std::string_view extra_headers = {}) {
  std::string raw;
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  raw.append(extra_headers);
  if (!body.empty() || method == "POST") {
    raw.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  }
  raw.append("\r\n").append(body);
  return raw;
}

awaitable<void> wait_for(const std::atomic<bool>& flag) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!flag.load()) {  // bounded by the test's run() deadline
    timer.expires_after(2ms);
    co_await timer.async_wait(use_awaitable);
  }
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() { jwt_.secret = "server-test-secret"; }

  void start(ServerConfig config = {}) {
    config.port = 0;
    server_ = std::make_unique<HttpServer>(io_, config, router_, &verifier_);
    for (auto& [name, check] : checks_) server_->add_readiness_check(name, check);
    server_->start();
    // Keeps the I/O threads alive after a test's own shutdown, for TearDown's.
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { process::run_io(io_, 2); });
  }

  void TearDown() override {
    if (server_) {
      auto done = asio::co_spawn(io_, server_->shutdown(), asio::use_future);
      EXPECT_EQ(done.wait_for(10s), std::future_status::ready);
    }
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Runs a client coroutine against the server with a deadline.
  template <class T>
  T client(std::function<awaitable<T>(Client&)> body, std::chrono::seconds timeout = 10s) {
    asio::io_context client_io;
    Client c(client_io.get_executor());
    const auto port = server_->port();
    return platform::testing::run(
        client_io,
        [](Client& c, std::uint16_t port,
           std::function<awaitable<T>(Client&)> body) -> awaitable<T> {
          co_await c.connect(port);
          co_return co_await body(c);
        }(c, port, std::move(body)),
        timeout);
  }

  ClientResponse call(std::string raw) {
    return client<ClientResponse>([raw](Client& c) -> awaitable<ClientResponse> {
      co_await c.send(raw);
      co_return co_await c.read();
    });
  }

  std::string token(std::string_view user) { return issue_token(jwt_, user, 60s); }

  asio::io_context io_;
  Router router_;
  JwtConfig jwt_;
  JwtVerifier verifier_{[] {
    JwtConfig c;
    c.secret = "server-test-secret";
    return c;
  }()};
  std::vector<std::pair<std::string, std::function<awaitable<bool>()>>> checks_;
  std::unique_ptr<HttpServer> server_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

Handler item_handler() {
  return [](Request request) -> awaitable<Response> {
    Response response;
    response.body = std::string(request.path_param("id").value_or("?")) + "|" + request.route +
                    "|" + request.user_id;
    co_return response;
  };
}

TEST_F(ServerTest, RoutesWithPathParameterAndEchoesTraceparent) {
  router_.add("GET", "/items/{id}", item_handler(), {.authenticated = false});
  start();
  const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto response =
      call(request("GET", "/items/a%20b?x=1", {}, "traceparent: " + traceparent + "\r\n"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "a b|/items/{id}|");
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(response["traceparent"], traceparent);
  // Without one, a fresh trace is generated and returned.
  EXPECT_EQ(call(request("GET", "/items/1"))["traceparent"].size(), 55U);
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  router_.add("GET", "/items/{id}", item_handler(), {.authenticated = false});
  router_.add("DELETE", "/items/{id}", item_handler(), {.authenticated = false});
  start();
  const auto missing = call(request("GET", "/nothing"));
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(boost::json::parse(missing.body()).at("status").as_int64(), 404);

  const auto wrong = call(request("POST", "/items/1", "{}"));
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "DELETE, GET");
}

TEST_F(ServerTest, OversizedBodyIs413AndHandlerNotCalled) {
  std::atomic<bool> called{false};
  router_.add("POST", "/upload",
              [&called](Request) -> awaitable<Response> {
                called = true;
                co_return Response{};
              },
              {.authenticated = false});
  start();
  const auto response = call(request("POST", "/upload", std::string(70 * 1024, 'x')));
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
  EXPECT_FALSE(called.load());
  // A body under the limit goes through.
  EXPECT_EQ(call(request("POST", "/upload", std::string(60 * 1024, 'x'))).result_int(), 200);
  EXPECT_TRUE(called.load());
}

TEST_F(ServerTest, AuthenticatedRouteNeedsAValidBearerToken) {
  router_.add("GET", "/me/{id}", item_handler());  // authenticated by default
  start();
  const auto none = call(request("GET", "/me/1"));
  EXPECT_EQ(none.result_int(), 401);
  EXPECT_NE(none.body().find("missing bearer token"), std::string::npos);

  const auto bad = call(request("GET", "/me/1", {}, "Authorization: Bearer abc.def.ghi\r\n"));
  EXPECT_EQ(bad.result_int(), 401);

  const auto good =
      call(request("GET", "/me/1", {}, "Authorization: Bearer " + token("user-7") + "\r\n"));
  EXPECT_EQ(good.result_int(), 200);
  EXPECT_EQ(good.body(), "1|/me/{id}|user-7");
}

TEST_F(ServerTest, TwoAuthorizationHeadersAre400AndTheHandlerDoesNotRun) {
  std::atomic<int> calls{0};
  const auto counting = [&calls](Request request) -> awaitable<Response> {
    ++calls;
    Response response;
    response.body = request.user_id;
    co_return response;
  };
  router_.add("GET", "/me", counting);
  router_.add("GET", "/open", counting, {.authenticated = false});
  start();
  const std::string mine = "Authorization: Bearer " + token("user-7") + "\r\n";
  const std::string theirs = "Authorization: Bearer " + token("user-8") + "\r\n";
  for (const auto& headers : {mine + theirs, mine + "Authorization: Bearer abc.def.ghi\r\n",
                              "authorization: Bearer abc.def.ghi\r\n" + mine, mine + mine}) {
    for (const char* path : {"/me", "/open"}) {
      const auto response = call(request("GET", path, {}, headers));
      EXPECT_EQ(response.result_int(), 400) << path << "\n" << headers;
      EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
      EXPECT_EQ(boost::json::parse(response.body()).at("type").as_string(),
                "https://checkout.local/problems/duplicate_header");
    }
  }
  EXPECT_EQ(calls.load(), 0);
  // One header is fine.
  const auto once = call(request("GET", "/me", {}, mine));
  EXPECT_EQ(once.result_int(), 200);
  EXPECT_EQ(once.body(), "user-7");
  EXPECT_EQ(calls.load(), 1);
}

// A request with a body whose Content-Type header is `content_type` ("" sends none).
std::string with_body(std::string_view method, std::string_view target, std::string_view body,
                      std::string_view content_type, std::string_view extra_headers = {}) {
  std::string raw;
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  raw.append(extra_headers);
  if (!content_type.empty()) raw.append("Content-Type: ").append(content_type).append("\r\n");
  raw.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  raw.append(body);
  return raw;
}

TEST_F(ServerTest, ABodyThatIsNotDeclaredJsonIs415AndTheHandlerDoesNotRun) {
  std::atomic<int> calls{0};
  const auto counting = [&calls](Request) -> awaitable<Response> {
    ++calls;
    co_return Response{};
  };
  router_.add("POST", "/things", counting, {.authenticated = false});
  router_.add("DELETE", "/things/{id}", counting, {.authenticated = false});
  router_.add("POST", "/mine", counting);
  start();
  for (const char* content_type :
       {"text/plain", "application/xml", "application/x-www-form-urlencoded",
        "application/problem+json", "application/jsonx", ""}) {
    const auto response = call(with_body("POST", "/things", R"({"a":1})", content_type));
    EXPECT_EQ(response.result_int(), 415) << content_type;
    EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
    const auto body = boost::json::parse(response.body()).as_object();
    EXPECT_EQ(body.at("status").as_int64(), 415);
    EXPECT_EQ(body.at("type").as_string(),
              "https://checkout.local/problems/unsupported_media_type");
  }
  EXPECT_EQ(calls.load(), 0);
  // application/json with parameters, in any case, is accepted.
  for (const char* content_type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"}) {
    EXPECT_EQ(call(with_body("POST", "/things", R"({"a":1})", content_type)).result_int(), 200)
        << content_type;
  }
  // Empty bodies need no Content-Type.
  EXPECT_EQ(call(request("DELETE", "/things/1")).result_int(), 200);
  EXPECT_EQ(call(with_body("POST", "/things", "", "")).result_int(), 200);
  EXPECT_EQ(calls.load(), 5);
  // Authentication is checked first: no token is 401 whatever the body.
  EXPECT_EQ(call(with_body("POST", "/mine", "x", "text/plain")).result_int(), 401);
}

TEST_F(ServerTest, KeepAliveServesSequentialAndPipelinedRequestsOnOneConnection) {
  router_.add("GET", "/items/{id}", item_handler(), {.authenticated = false});
  start();
  const auto bodies = client<std::string>([](Client& c) -> awaitable<std::string> {
    std::string seen;
    for (int i = 0; i < 3; ++i) {
      co_await c.send(request("GET", "/items/" + std::to_string(i)));
      auto response = co_await c.read();
      if (!response.keep_alive()) throw std::runtime_error("connection not kept alive");
      seen += response.body().substr(0, 1);
    }
    // Pipelined: three requests in one write, three responses in order.
    co_await c.send(request("GET", "/items/a") + request("GET", "/items/b") +
                    request("GET", "/items/c"));
    for (int i = 0; i < 3; ++i) seen += (co_await c.read()).body().substr(0, 1);
    co_return seen;
  });
  EXPECT_EQ(bodies, "012abc");
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  start();
  const auto closed = client<bool>([](Client& c) -> awaitable<bool> {
    co_await c.send("THIS IS NOT HTTP\r\n\r\n");
    auto response = co_await c.read();
    if (response.result_int() != 400) throw std::runtime_error("expected 400");
    co_return co_await c.closed_by_peer();
  });
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, HeaderTimeoutClosesASilentConnection) {
  ServerConfig config;
  config.header_timeout = 200ms;
  start(config);
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(client<bool>([](Client& c) { return c.closed_by_peer(); }, 5s));
  EXPECT_GE(std::chrono::steady_clock::now() - began, 150ms);
  // A half-sent header is cut off too.
  EXPECT_TRUE(client<bool>(
      [](Client& c) -> awaitable<bool> {
        co_await c.send("GET /items/1 HTTP/1.1\r\nHost: x\r\n");
        co_return co_await c.closed_by_peer();
      },
      5s));
}

TEST_F(ServerTest, GracefulStopLetsAnInFlightRequestFinish) {
  std::atomic<bool> started{false};
  router_.add("GET", "/slow",
              [&started](Request) -> awaitable<Response> {
                started = true;
                asio::steady_timer work(co_await asio::this_coro::executor,
                                        300ms);  // simulated work
                co_await work.async_wait(use_awaitable);
                Response response;
                response.body = "done";
                co_return response;
              },
              {.authenticated = false});
  start();
  const auto port = server_->port();
  std::future<void> stopped;
  const auto response = client<ClientResponse>([&](Client& c) -> awaitable<ClientResponse> {
    co_await c.send(request("GET", "/slow"));
    co_await wait_for(started);
    stopped = asio::co_spawn(io_, server_->shutdown(), asio::use_future);
    co_return co_await c.read();
  });
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "done");
  EXPECT_FALSE(response.keep_alive());
  ASSERT_EQ(stopped.wait_for(5s), std::future_status::ready);
  // No longer accepting.
  asio::io_context probe;
  tcp::socket socket(probe);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  router_.add("GET", "/counted/{id}", item_handler(), {.authenticated = false});
  start();
  call(request("GET", "/counted/1"));
  call(request("GET", "/counted/2"));
  const auto metrics = call(request("GET", "/metrics"));
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_EQ(metrics[bhttp::field::content_type], "text/plain; version=0.0.4");
  EXPECT_NE(metrics.body().find(
                R"(http_requests_total{route="/counted/{id}",method="GET",status="200"} 2)"),
            std::string::npos)
      << metrics.body();
  EXPECT_NE(metrics.body().find("http_request_duration_seconds_bucket{route=\"/counted/{id}\""),
            std::string::npos);
  EXPECT_NE(metrics.body().find("http_connections_active"), std::string::npos);
}

TEST_F(ServerTest, HealthzAndReadyzReflectChecks) {
  checks_.emplace_back("redis", []() -> awaitable<bool> { co_return true; });
  checks_.emplace_back("kafka", []() -> awaitable<bool> { co_return false; });
  start();
  EXPECT_EQ(call(request("GET", "/healthz")).result_int(), 200);
  const auto ready = call(request("GET", "/readyz"));
  EXPECT_EQ(ready.result_int(), 503);
  const auto body = boost::json::parse(ready.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "not_ready");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("kafka").as_string(), "down");
}

TEST_F(ServerTest, ReadyzBodyFollowsTheReadinessSchemaForEveryKindOfFailure) {
  // contracts/openapi/cart.yaml, Readiness: {status: ready|not_ready, checks: {name: ok|down}}.
  checks_.emplace_back("redis", []() -> awaitable<bool> { co_return true; });
  checks_.emplace_back("kafka", []() -> awaitable<bool> {
    throw std::runtime_error("broker gone");
    co_return true;
  });
  checks_.emplace_back("pg", []() -> awaitable<bool> {
    asio::steady_timer never(co_await asio::this_coro::executor, 60s);
    co_await never.async_wait(asio::as_tuple(use_awaitable));
    co_return true;
  });
  ServerConfig config;
  config.readiness_timeout = 100ms;
  start(config);
  const auto ready = call(request("GET", "/readyz"));
  EXPECT_EQ(ready.result_int(), 503);
  EXPECT_EQ(ready[bhttp::field::retry_after], "1");
  const auto body = boost::json::parse(ready.body()).as_object();
  EXPECT_EQ(body.size(), 2U);
  EXPECT_EQ(body.at("status").as_string(), "not_ready");
  const auto& checks = body.at("checks").as_object();
  EXPECT_EQ(checks.size(), 3U);
  EXPECT_EQ(checks.at("redis").as_string(), "ok");
  EXPECT_EQ(checks.at("kafka").as_string(), "down");
  EXPECT_EQ(checks.at("pg").as_string(), "down");
}

TEST_F(ServerTest, OtherMethodsOnBuiltInRoutesAre405WithAllow) {
  start();
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    for (const char* method : {"TRACE", "POST", "DELETE", "PUT", "OPTIONS"}) {
      const auto response = call(request(method, path));
      EXPECT_EQ(response.result_int(), 405) << method << " " << path;
      // The built-ins serve GET only (as before): Allow says exactly that.
      EXPECT_EQ(response[bhttp::field::allow], "GET") << method << " " << path;
      EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
    }
    EXPECT_EQ(call(request("GET", path)).result_int(), 200) << path;
  }
}

TEST_F(ServerTest, ABuiltInPathTheApplicationAlsoServesAllowsBothSetsOfMethods) {
  router_.add("POST", "/metrics", item_handler(), {.authenticated = false});
  start();
  EXPECT_EQ(call(request("POST", "/metrics", "{}")).result_int(), 200);
  const auto wrong = call(request("TRACE", "/metrics"));
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET, POST");
}

TEST_F(ServerTest, ReadyzIs200WhenAllChecksPassAndTimesOutSlowChecks) {
  checks_.emplace_back("redis", []() -> awaitable<bool> { co_return true; });
  start();
  EXPECT_EQ(call(request("GET", "/readyz")).result_int(), 200);
}

TEST_F(ServerTest, ThrowingHandlerIs500Problem) {
  router_.add("GET", "/boom",
              [](Request) -> awaitable<Response> {
                throw std::runtime_error("bug");
                co_return Response{};
              },
              {.authenticated = false});
  start();
  const auto response = call(request("GET", "/boom"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(boost::json::parse(response.body()).at("status").as_int64(), 500);
  EXPECT_EQ(response.body().find("bug"), std::string::npos);  // no internals leak
}

}  // namespace
}  // namespace platform::http
