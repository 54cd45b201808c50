#include "gateway_sim/testing/webhook_receiver.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/testing/eventually.hpp"

namespace gateway_sim::testing {
namespace http = platform::http;

struct WebhookReceiver::Impl {
  // A static member taking the Impl as a parameter: no capturing coroutine lambda.
  static boost::asio::awaitable<http::Response> record(Impl* self, http::Request request) {
    {
      const std::lock_guard lock(self->mutex);
      self->received.push_back(payment::WebhookRequest{request.headers, request.body});
    }
    co_return http::Response{self->status.load(), "application/json", {}, "{}"};
  }

  std::string path;
  boost::asio::io_context io{1};
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<payment::WebhookRequest> received;
  std::atomic<int> status{200};
};

WebhookReceiver::WebhookReceiver(std::string path) : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  impl_->router.add("POST", impl_->path, http::Handler([impl = impl_.get()](http::Request request) {
                      return Impl::record(impl, std::move(request));
                    }),
                    http::RouteOptions{.authenticated = false});
  http::ServerConfig config;
  config.port = 0;
  config.shutdown_timeout = std::chrono::seconds(1);
  impl_->server = std::make_unique<http::HttpServer>(impl_->io, config, impl_->router, nullptr);
  impl_->server->start();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  // The server's graceful shutdown must run to its end on the io_context (stopping the
  // io_context first leaves its loops' frames, and the server they hold, behind: a leak).
  auto stopped =
      boost::asio::co_spawn(impl_->io, impl_->server->shutdown(), boost::asio::use_future);
  (void)stopped.wait_for(std::chrono::seconds(5));
  impl_->io.stop();
  impl_->thread.join();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->server->port()) + impl_->path;
}

void WebhookReceiver::answer(int status) {
  impl_->status.store(status);
}

void WebhookReceiver::clear() {
  const std::lock_guard lock(impl_->mutex);
  impl_->received.clear();
}

std::vector<payment::WebhookRequest> WebhookReceiver::received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::size_t WebhookReceiver::count() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received.size();
}

bool WebhookReceiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  return platform::testing::eventually([this, n] { return count() >= n; }, timeout,
                                       std::chrono::milliseconds(10));
}

}  // namespace gateway_sim::testing
