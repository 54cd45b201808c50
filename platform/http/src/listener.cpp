// Accept and shutdown: the listener, the connection cap, the deadline sweeper and the graceful
// drain (ServerState's methods).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "connection.hpp"
#include "platform/log.hpp"
#include "server_state.hpp"

namespace platform::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {
constexpr auto kAwaitTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

void ServerState::listen() {
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(config.host, std::to_string(config.port),
                                          tcp::resolver::numeric_service | tcp::resolver::passive);
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  sweeping.store(true);
  const auto log_failure = [](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("http server task failed: {}", e.what());
    }
  };
  asio::co_spawn(strand, accept_loop(), log_failure);
  asio::co_spawn(strand, sweep_loop(), log_failure);
}

void ServerState::remove(const std::shared_ptr<Connection>& connection) {
  {
    std::lock_guard lock(connections_mutex);
    connections.erase(connection);
  }
  active.fetch_sub(1);
  connections_gauge->add(-1);
}

awaitable<void> ServerState::accept_loop() {
  auto self = shared_from_this();
  while (!stopping.load()) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kAwaitTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open() || stopping.load()) break;
      // Out of file descriptors and the like: back off briefly rather than spin.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer backoff(strand, std::chrono::milliseconds(50));
      co_await backoff.async_wait(kAwaitTuple);
      continue;
    }
    if (active.load() >= config.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(self, std::move(socket));
    {
      std::lock_guard lock(connections_mutex);
      connections.insert(connection);
    }
    active.fetch_add(1);
    connections_gauge->add(1);
    asio::co_spawn(connection->executor(), connection->run(),
                   [this, connection](std::exception_ptr error) {
                     if (!error) return;
                     // run() handles its own errors; this is a bug (or bad_alloc).
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       spdlog::error("connection failed: {}", e.what());
                     }
                     remove(connection);
                   });
  }
}

awaitable<void> ServerState::sweep_loop() {
  auto self = shared_from_this();
  while (sweeping.load()) {
    sweep_timer.expires_after(sweep_interval);
    co_await sweep_timer.async_wait(kAwaitTuple);
    if (!sweeping.load()) break;
    const auto now = ticks(Clock::now());
    for_each_connection([now](const std::shared_ptr<Connection>& connection) {
      if (connection->expired(now)) connection->post_check_deadline();
    });
  }
}

awaitable<void> ServerState::wait_for_connections(Clock::time_point deadline) {
  // Poll the count: connections end on their own strands and signal nothing else.
  asio::steady_timer timer(strand);
  while (active.load() > 0 && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kAwaitTuple);
  }
}

awaitable<void> ServerState::shutdown_on_strand() {
  auto self = shared_from_this();
  if (!stopping.exchange(true)) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for_each_connection([](const std::shared_ptr<Connection>& c) { c->post_request_close(); });
  }
  co_await wait_for_connections(Clock::now() + config.shutdown_timeout);
  if (active.load() > 0) {
    spdlog::warn("http server: closing {} connection(s) still busy after the shutdown timeout",
                 active.load());
    for_each_connection([](const std::shared_ptr<Connection>& c) { c->post_close(); });
    co_await wait_for_connections(Clock::now() + std::chrono::seconds(1));
  }
  sweeping.store(false);
  sweep_timer.cancel();
}

}  // namespace platform::http
