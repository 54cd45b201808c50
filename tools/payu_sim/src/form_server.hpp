#pragma once
// A minimal HTTP/1.1 server over the kit's Router, for the one thing the kit's HttpServer refuses
// by design: bodies that are not JSON. PayU's OAuth endpoint is form-encoded only, and the hosted
// page's buttons post HTML forms, so the simulator needs a server that lets
// application/x-www-form-urlencoded through. No authentication, no media-type check, no metrics:
// each route checks what it needs. Answers GET /healthz itself. A trailing '/' of the path is
// dropped ("/pay/" is routed as "/pay"); the path is not percent-decoded.
//
// Ownership: the Router must outlive the server. Thread-safety: start() and stop() from the
// thread running the io_context; run that io_context on ONE thread (the sessions are not
// stranded). Errors: start() throws boost::system::system_error if it cannot bind; a handler
// that throws is logged and answered 500. Cancellation: stop() closes the acceptor and every
// open connection; handlers in progress finish and their answers are dropped.
#include <cstdint>
#include <memory>
#include <string>

#include "platform/http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace payu_sim {

class FormServer {
 public:
  FormServer(boost::asio::io_context& io, std::string host, std::uint16_t port,
             const platform::http::Router& router);
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

}  // namespace payu_sim
