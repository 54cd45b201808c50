#pragma once
// One HTTP/1.1 connection (internal): a coroutine on its own strand that reads requests under
// the header, body and idle timeouts, dispatches them (routing, header checks, authentication,
// media type, the handler) and writes the responses, keep-alive and pipelined.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "platform/http/message.hpp"
#include "server_state.hpp"

namespace platform::http {

class RequestParser;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<ServerState> server, boost::asio::ip::tcp::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)) {}

  // Serves requests until the peer leaves, a timeout or an error, or a stop; then removes itself
  // from the server.
  boost::asio::awaitable<void> run();
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

  // Called by the sweeper (any thread): a cheap check before posting to the strand.
  bool expired(std::int64_t now) const { return deadline_.load(std::memory_order_relaxed) <= now; }
  void post_check_deadline();
  // Graceful stop: close at once if waiting for a request, else after the current response.
  void post_request_close();
  void post_close();

 private:
  static constexpr std::int64_t kNoDeadline = INT64_MAX;

  void set_deadline(std::chrono::milliseconds timeout) {
    deadline_.store(ticks(Clock::now() + timeout), std::memory_order_relaxed);
  }
  void clear_deadline() { deadline_.store(kNoDeadline, std::memory_order_relaxed); }
  void close();

  boost::asio::awaitable<bool> read_more();
  boost::asio::awaitable<boost::beast::error_code> read_until(RequestParser& parser,
                                                              bool header_only);
  boost::asio::awaitable<Response> handle(Request& request, RouteMetrics*& metrics,
                                          std::string& traceparent);
  // A streamed response (Response::stream): the head and body, then each piece until the end.
  boost::asio::awaitable<void> write_stream(const Response& response, std::string_view traceparent);
  boost::asio::awaitable<bool> write(const Response& response, bool keep_alive,
                                     std::string_view traceparent);
  boost::asio::awaitable<void> linger_close();

  std::shared_ptr<ServerState> server_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string head_;  // response head, reused across requests
  std::atomic<std::int64_t> deadline_{kNoDeadline};
  bool idle_ = false;             // waiting for the first byte of a request (strand only)
  bool close_requested_ = false;  // strand only
};

}  // namespace platform::http
