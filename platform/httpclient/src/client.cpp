#include "platform/httpclient/client.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <map>
#include <random>
#include <stdexcept>

#include "platform/config.hpp"
#include "platform/httpclient/backoff.hpp"
#include "platform/metrics.hpp"

namespace platform::httpclient {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct Endpoint {
  std::string host;
  std::string port;
  std::string host_header;
  std::string path_prefix;
};

Endpoint parse_base_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host_address().empty()) {
    throw std::invalid_argument("http client: base_url must be an http:// URL, got '" + url + "'");
  }
  Endpoint out;
  out.host = parsed->host_address();
  out.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  out.host_header = parsed->encoded_host_and_port();
  out.path_prefix = parsed->encoded_path();
  while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  return out;
}

std::uint64_t random_seed() {
  return std::random_device{}();
}

// An idle keep-alive connection is reusable only if the peer has not closed it (nothing, not even
// EOF, is waiting to be read); this catches servers that dropped it while it sat in the pool.
bool still_open(beast::tcp_stream& stream) {
  auto& socket = stream.socket();
  if (!socket.is_open()) return false;
  error_code ec;
  socket.non_blocking(true, ec);
  if (ec) return false;
  char byte = 0;
  socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
  const bool open = ec == asio::error::would_block;
  socket.non_blocking(false, ec);
  return open && !ec;
}

struct Attempt {
  enum class Kind { response, timeout, connection_error, cancelled };
  Kind kind = Kind::response;
  ClientResponse response;
  std::string detail;
};

Attempt failed_attempt(const error_code& ec, std::string_view during) {
  Attempt out;
  if (ec == beast::error::timeout) {
    out.kind = Attempt::Kind::timeout;
  } else if (ec == asio::error::operation_aborted) {
    out.kind = Attempt::Kind::cancelled;
  } else {
    out.kind = Attempt::Kind::connection_error;
  }
  out.detail = std::string(during) + ": " + ec.message();
  return out;
}

// Gives the breaker permit back if the coroutine ends (or is destroyed) without an outcome.
class Permit {
 public:
  explicit Permit(CircuitBreaker& breaker) : breaker_(breaker) {}
  ~Permit() {
    if (!done_) breaker_.release();
  }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  void success(SteadyClock::duration d) {
    done_ = true;
    breaker_.on_success(d);
  }
  void failure(SteadyClock::duration d) {
    done_ = true;
    breaker_.on_failure(d);
  }

 private:
  CircuitBreaker& breaker_;
  bool done_ = false;
};

}  // namespace

bool is_idempotent_method(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    if (iequals(method, m)) return true;
  }
  return false;
}

std::optional<std::string_view> ClientResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

ClientConfig ClientConfig::from_env(std::string name, const std::string& prefix,
                                    std::string default_base_url) {
  auto key = [&](const char* suffix) {
    return prefix + suffix;
  };
  ClientConfig c;
  c.name = std::move(name);
  c.base_url = config::get_string(key("_URL").c_str(), default_base_url);
  c.connect_timeout = config::get_millis(key("_CONNECT_TIMEOUT_MS").c_str(), c.connect_timeout);
  c.request_timeout = config::get_millis(key("_REQUEST_TIMEOUT_MS").c_str(), c.request_timeout);
  c.max_retries =
      static_cast<int>(config::get_int(key("_MAX_RETRIES").c_str(), c.max_retries, 0, 10));
  c.backoff_initial = config::get_millis(key("_BACKOFF_INITIAL_MS").c_str(), c.backoff_initial);
  c.backoff_max = config::get_millis(key("_BACKOFF_MAX_MS").c_str(), c.backoff_max);
  c.max_idle_connections = static_cast<std::size_t>(
      config::get_int(key("_MAX_IDLE_CONNECTIONS").c_str(),
                      static_cast<std::int64_t>(c.max_idle_connections), 0, 1024));
  c.idle_timeout = config::get_millis(key("_IDLE_TIMEOUT_MS").c_str(), c.idle_timeout);
  c.breaker = CircuitBreakerConfig::from_env(prefix);
  return c;
}

struct HttpClient::Impl {
  Impl(asio::io_context& io, ClientConfig cfg, const ClientOptions& options)
      : io_(io),
        config_(std::move(cfg)),
        endpoint_(parse_base_url(config_.base_url)),
        breaker_(config_.name, config_.breaker,
                 options.clock != nullptr ? *options.clock : system_clock_),
        backoff_(config_.backoff_initial, config_.backoff_max,
                 options.jitter_seed.value_or(random_seed())),
        duration_(metrics::registry().histogram("http_client_request_duration_seconds",
                                                "Outbound HTTP attempt duration",
                                                {{"client", config_.name}})) {}

  static asio::awaitable<Result<ClientResponse>> send(std::shared_ptr<Impl> self,
                                                      ClientRequest request);

  http::request<http::string_body> build(ClientRequest& request) const;
  asio::awaitable<Attempt> attempt(const http::request<http::string_body>& request,
                                   bool replayable);
  asio::awaitable<Attempt> connect(std::optional<beast::tcp_stream>& out);
  std::optional<beast::tcp_stream> take_idle();
  void put_idle(beast::tcp_stream stream);
  metrics::Counter& requests(const std::string& status);

  asio::io_context& io_;
  const ClientConfig config_;
  const Endpoint endpoint_;
  const SystemClock system_clock_;
  CircuitBreaker breaker_;
  Backoff backoff_;
  metrics::Histogram& duration_;

  std::mutex mutex_;  // guards idle_ and request_counters_; never held across co_await
  struct Idle {
    beast::tcp_stream stream;
    SteadyClock::time_point since;
  };
  std::vector<Idle> idle_;
  std::map<std::string, metrics::Counter*> request_counters_;
};

metrics::Counter& HttpClient::Impl::requests(const std::string& status) {
  std::lock_guard lock(mutex_);
  auto& slot = request_counters_[status];
  if (slot == nullptr) {
    slot = &metrics::registry().counter("http_client_requests_total",
                                        "Outbound HTTP attempts by status",
                                        {{"client", config_.name}, {"status", status}});
  }
  return *slot;
}

std::optional<beast::tcp_stream> HttpClient::Impl::take_idle() {
  std::lock_guard lock(mutex_);
  const auto now = SteadyClock::now();
  while (!idle_.empty()) {
    Idle entry = std::move(idle_.back());
    idle_.pop_back();
    if (now - entry.since < config_.idle_timeout && still_open(entry.stream)) {
      return std::move(entry.stream);
    }
  }
  return std::nullopt;
}

void HttpClient::Impl::put_idle(beast::tcp_stream stream) {
  stream.expires_never();
  std::lock_guard lock(mutex_);
  if (idle_.size() < config_.max_idle_connections) {
    idle_.push_back(Idle{std::move(stream), SteadyClock::now()});
  }
}

http::request<http::string_body> HttpClient::Impl::build(ClientRequest& request) const {
  http::request<http::string_body> out;
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    out.method_string(request.method);
  } else {
    out.method(verb);
  }
  std::string target = endpoint_.path_prefix + request.path_and_query;
  if (target.empty() || target.front() != '/') target.insert(0, 1, '/');
  out.target(target);
  out.version(11);
  out.set(http::field::host, endpoint_.host_header);
  out.set(http::field::user_agent, "checkout-httpclient");
  for (auto& [name, value] : request.headers) out.insert(name, value);
  out.body() = std::move(request.body);
  out.keep_alive(true);
  out.prepare_payload();
  return out;
}

asio::awaitable<Attempt> HttpClient::Impl::connect(std::optional<beast::tcp_stream>& out) {
  const auto strand = asio::make_strand(io_);
  const auto deadline = SteadyClock::now() + config_.connect_timeout;
  tcp::resolver::results_type endpoints;
  error_code ec;
  const auto address = asio::ip::make_address(endpoint_.host, ec);
  if (!ec) {
    std::uint16_t port = 0;
    std::from_chars(endpoint_.port.data(), endpoint_.port.data() + endpoint_.port.size(), port);
    endpoints = tcp::resolver::results_type::create(tcp::endpoint(address, port), endpoint_.host,
                                                    endpoint_.port);
  } else {
    // The resolver has no deadline of its own: race it against a timer.
    using namespace asio::experimental::awaitable_operators;
    tcp::resolver resolver(strand);
    asio::steady_timer timer(strand, deadline);
    auto raced = co_await (resolver.async_resolve(endpoint_.host, endpoint_.port, kTuple) ||
                           timer.async_wait(kTuple));
    if (raced.index() == 1) co_return failed_attempt(beast::error::timeout, "resolve");
    auto [resolve_ec, results] = std::get<0>(std::move(raced));
    if (resolve_ec) co_return failed_attempt(resolve_ec, "resolve " + endpoint_.host);
    endpoints = std::move(results);
  }
  beast::tcp_stream stream(strand);
  stream.expires_at(deadline);
  auto [connect_ec, connected] = co_await stream.async_connect(endpoints, kTuple);
  if (connect_ec) {
    co_return failed_attempt(connect_ec, "connect to " + endpoint_.host_header);
  }
  stream.socket().set_option(tcp::no_delay(true), ec);
  out.emplace(std::move(stream));
  co_return Attempt{};
}

asio::awaitable<Attempt> HttpClient::Impl::attempt(const http::request<http::string_body>& request,
                                                   bool replayable) {
  for (;;) {
    std::optional<beast::tcp_stream> stream = take_idle();
    const bool reused = stream.has_value();
    if (!reused) {
      Attempt connected = co_await connect(stream);
      if (!stream) co_return connected;
    }
    stream->expires_after(config_.request_timeout);
    auto [write_ec, written] = co_await http::async_write(*stream, request, kTuple);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    error_code ec = write_ec;
    if (!ec) std::tie(ec, std::ignore) = co_await http::async_read(*stream, buffer, parser, kTuple);
    if (ec) {
      // A pooled connection the server closed at the same moment we picked it: nothing was
      // received, so try once more on a fresh connection when repeating the request is safe.
      const bool stale = reused && !parser.got_some() && buffer.size() == 0 &&
                         (ec == http::error::end_of_stream || ec == asio::error::eof ||
                          ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
      if (stale && (replayable || write_ec)) continue;
      co_return failed_attempt(ec, write_ec ? "write" : "read");
    }
    auto message = parser.release();
    Attempt out;
    out.response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      out.response.headers.emplace_back(std::string(field.name_string()),
                                        std::string(field.value()));
    }
    out.response.body = std::move(message.body());
    if (message.keep_alive()) put_idle(std::move(*stream));
    co_return out;
  }
}

asio::awaitable<Result<ClientResponse>> HttpClient::Impl::send(std::shared_ptr<Impl> self,
                                                               ClientRequest request) {
  Impl& impl = *self;
  const bool replayable = request.idempotent || is_idempotent_method(request.method);
  const auto message = impl.build(request);
  for (int retry = 0;; ++retry) {
    if (!impl.breaker_.try_acquire()) {
      impl.requests("circuit_open").inc();
      co_return make_error(Errc::unavailable, "circuit open: " + impl.config_.name, "circuit_open");
    }
    Permit permit(impl.breaker_);
    const auto started = SteadyClock::now();
    Attempt attempt = co_await impl.attempt(message, replayable);
    const auto elapsed = SteadyClock::now() - started;

    bool retryable_outcome = false;
    std::string status;
    switch (attempt.kind) {
      case Attempt::Kind::cancelled:
        co_return make_error(Errc::unavailable, impl.config_.name + ": cancelled", "cancelled");
      case Attempt::Kind::timeout:
        permit.failure(elapsed);
        status = "timeout";
        retryable_outcome = true;
        break;
      case Attempt::Kind::connection_error:
        permit.failure(elapsed);
        status = "error";
        retryable_outcome = true;
        break;
      case Attempt::Kind::response: {
        const int code = attempt.response.status;
        if (code >= 500) {
          permit.failure(elapsed);
        } else {
          permit.success(elapsed);
        }
        status = std::to_string(code);
        retryable_outcome = code == 502 || code == 503 || code == 504 || code == 429;
        break;
      }
    }
    impl.requests(status).inc();
    impl.duration_.observe(std::chrono::duration<double>(elapsed).count());

    bool again = replayable && retryable_outcome && retry < impl.config_.max_retries;
    auto delay = impl.backoff_.delay(retry);
    if (again && attempt.kind == Attempt::Kind::response) {
      if (auto header = attempt.response.header("Retry-After")) {
        // The server says when; if that is beyond our patience, give its answer back now.
        if (auto wait = parse_retry_after(*header)) {
          again = *wait <= impl.config_.backoff_max;
          delay = *wait;
        }
      }
    }
    if (!again) {
      switch (attempt.kind) {
        case Attempt::Kind::response:
          co_return std::move(attempt.response);
        case Attempt::Kind::timeout:
          co_return make_error(Errc::timeout, impl.config_.name + ": " + attempt.detail,
                               "upstream_timeout");
        default:
          co_return make_error(Errc::unavailable, impl.config_.name + ": " + attempt.detail,
                               "upstream_unavailable");
      }
    }
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    auto [wait_ec] = co_await timer.async_wait(kTuple);
    if (wait_ec) {
      co_return make_error(Errc::unavailable, impl.config_.name + ": cancelled", "cancelled");
    }
  }
}

HttpClient::HttpClient(boost::asio::io_context& io, ClientConfig config, ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(config), options)) {}

HttpClient::~HttpClient() = default;

boost::asio::awaitable<Result<ClientResponse>> HttpClient::send(ClientRequest request) {
  return Impl::send(impl_, std::move(request));
}

CircuitBreaker& HttpClient::breaker() {
  return impl_->breaker_;
}
const ClientConfig& HttpClient::config() const {
  return impl_->config_;
}

}  // namespace platform::httpclient
