#pragma once
// An outbound HTTP/1.1 client (plain TCP) for calls to external systems such as the carrier
// calendar and the payment gateways. Every attempt runs through the client's circuit breaker and
// has a deadline; idempotent requests are retried with exponential backoff and full jitter.
//
// Errors: Errc::unavailable (circuit open, connection refused or dropped, cancelled) and
// Errc::timeout (connect or request deadline). Any HTTP answer, including 4xx and a 5xx that
// outlived its retries, is a ClientResponse: the caller decides what its status means.
//
// Thread-safety: send() may be called concurrently from any thread running the io_context. The
// client must outlive the io_context's run (in-flight sends keep its internals alive).
// Cancellation: cancelling the awaiting coroutine aborts the attempt (Errc::unavailable,
// reason "cancelled") and does not count against the breaker.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/clock.hpp"
#include "platform/error.hpp"
#include "platform/httpclient/circuit_breaker.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace platform::httpclient {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ClientConfig {
  std::string name;      // metric label and breaker name, e.g. "przelewy24"
  std::string base_url;  // "http://127.0.0.1:8202" (an optional path prefix is kept)
  std::chrono::milliseconds connect_timeout{1000};  // resolve + connect
  std::chrono::milliseconds request_timeout{5000};  // write + read, per attempt
  int max_retries = 2;  // retries after the first attempt, idempotent requests only
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{2000};
  std::size_t max_idle_connections = 8;           // keep-alive pool size
  std::chrono::milliseconds idle_timeout{15000};  // idle connections older than this are dropped
  CircuitBreakerConfig breaker;

  // Reads <prefix>_URL (default `default_base_url`), _CONNECT_TIMEOUT_MS (1000),
  // _REQUEST_TIMEOUT_MS (5000), _MAX_RETRIES (2), _BACKOFF_INITIAL_MS (100), _BACKOFF_MAX_MS
  // (2000), _MAX_IDLE_CONNECTIONS (8), _IDLE_TIMEOUT_MS (15000) and the breaker's _CB_* values.
  static ClientConfig from_env(std::string name, const std::string& prefix,
                               std::string default_base_url);
};

struct ClientRequest {
  std::string method = "GET";
  std::string path_and_query = "/";  // appended to the base URL's path
  Headers headers;  // passed as given; put the caller's traceparent and Idempotency-Key here
  std::string body;
  // Retry even though the method is not idempotent, e.g. a POST carrying an Idempotency-Key.
  // GET, HEAD, PUT, DELETE and OPTIONS are always retryable.
  bool idempotent = false;
};

struct ClientResponse {
  int status = 0;
  Headers headers;  // as received
  std::string body;

  // The first header with this name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Test seams.
struct ClientOptions {
  const Clock* clock = nullptr;              // for the breaker; nullptr = the system clock
  std::optional<std::uint64_t> jitter_seed;  // nullopt = random
};

class HttpClient {
 public:
  // Throws std::invalid_argument when base_url is not an http:// URL.
  HttpClient(boost::asio::io_context& io, ClientConfig config, ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  [[nodiscard]] boost::asio::awaitable<Result<ClientResponse>> send(ClientRequest request);

  CircuitBreaker& breaker();
  const ClientConfig& config() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// True for methods safe to repeat: GET, HEAD, PUT, DELETE, OPTIONS.
bool is_idempotent_method(std::string_view method);

}  // namespace platform::httpclient
