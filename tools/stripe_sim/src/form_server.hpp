#pragma once
// A minimal HTTP/1.1 server that hands every request to a platform::http::Router as it is.
// Why not the kit's HttpServer: it answers 415 to any body that is not application/json, and
// Stripe's API (and the hosted page's buttons) speak application/x-www-form-urlencoded. This
// server does only what a loopback simulator needs: parse (body limit, per-read deadline),
// dispatch through the router, write, keep-alive. No authentication, no metrics.
//
// Ownership: the io_context and the router must outlive the server's run. Thread-safety:
// start() once, stop() from any thread. Errors: start() throws boost::system::system_error when
// it cannot bind; a handler that throws is answered 500 and logged. Cancellation: stop() closes
// the acceptor and every open connection.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "platform/http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace stripe_sim {

class FormServer {
 public:
  FormServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
             const platform::http::Router& router, std::size_t body_limit = 1U << 20U);
  ~FormServer();
  FormServer(const FormServer&) = delete;
  FormServer& operator=(const FormServer&) = delete;
  FormServer(FormServer&&) = delete;
  FormServer& operator=(FormServer&&) = delete;

  void start();
  [[nodiscard]] std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace stripe_sim
