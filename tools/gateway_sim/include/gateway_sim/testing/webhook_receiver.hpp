#pragma once
// The shop's webhook endpoint in a gateway simulator's integration test: the kit's HttpServer on
// 127.0.0.1 and a free port, run on a thread of its own, remembering every POST to `path`
// (lowercase header names, the raw body) and answering it with a status the test sets (200 by
// default). Ownership: owns its io_context, server and thread; the destructor stops the server and
// joins. Thread-safety: every member may be called from any thread. Errors: the constructor throws
// boost::system::system_error when it cannot bind.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "gateway.hpp"

namespace gateway_sim::testing {

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::string path);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;
  WebhookReceiver(WebhookReceiver&&) = delete;
  WebhookReceiver& operator=(WebhookReceiver&&) = delete;

  // "http://127.0.0.1:<port><path>"
  [[nodiscard]] std::string url() const;
  // The status the next webhooks are answered with.
  void answer(int status);
  void clear();
  [[nodiscard]] std::vector<payment::WebhookRequest> received() const;
  [[nodiscard]] std::size_t count() const;
  // Whether `n` webhooks have arrived within `timeout` (polled).
  [[nodiscard]] bool wait_for(std::size_t n,
                              std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gateway_sim::testing
