#pragma once
// A minimal HTTP/1.1 server that hands every request to a platform::http::Router, for the one
// thing the kit's HttpServer refuses by design: bodies that are not JSON. PayU's OAuth endpoint,
// Stripe's API and the hosted pages' buttons are application/x-www-form-urlencoded. It does only
// what a loopback simulator needs: parse (body limit, per-read deadline), dispatch, write,
// keep-alive. No authentication, no media-type check, no metrics: each route checks what it needs.
//
// Ownership: the io_context and the router must outlive the server's run. Thread-safety: start()
// once; stop() from any thread; each connection runs on its own strand. Errors: start() throws
// boost::system::system_error when it cannot bind; a handler that throws is answered 500 and
// logged. Cancellation: stop() closes the acceptor and every open connection.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "platform/http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace gateway_sim {

struct FormServerOptions {
  std::size_t body_limit = std::size_t{1} << 20U;
  // "/pay/" is routed as "/pay" (PayU).
  bool drop_trailing_slash = false;
  // "%2F" in the path is routed as "/" (Stripe); the query is left as sent.
  bool percent_decode_path = false;
};

class FormServer {
 public:
  FormServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
             const platform::http::Router& router, FormServerOptions options = {});
  ~FormServer();
  FormServer(const FormServer&) = delete;
  FormServer& operator=(const FormServer&) = delete;
  FormServer(FormServer&&) = delete;
  FormServer& operator=(FormServer&&) = delete;

  void start();
  // The bound port (the one chosen by the system when constructed with 0); 0 before start().
  [[nodiscard]] std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace gateway_sim
