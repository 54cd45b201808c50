#include "gateway_sim/form_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <chrono>
#include <exception>
#include <mutex>
#include <set>
#include <utility>

namespace gateway_sim {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kReadDeadline{30};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_path(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 &&
        hex_value(path[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

platform::http::Request to_request(const bhttp::request<bhttp::string_body>& in,
                                   const FormServerOptions& options) {
  platform::http::Request out;
  out.method = std::string(in.method_string());
  const std::string_view target = in.target();
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  out.path = options.percent_decode_path ? decode_path(path) : std::string(path);
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  if (options.drop_trailing_slash && out.path.size() > 1 && out.path.back() == '/') {
    out.path.pop_back();
  }
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  return out;
}

bhttp::response<bhttp::string_body> to_response(platform::http::Response in, unsigned version,
                                                bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.result(static_cast<unsigned>(in.status));
  out.version(version);
  if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.insert(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}
}  // namespace

struct FormServer::Impl : std::enable_shared_from_this<FormServer::Impl> {
  Impl(asio::io_context& io_context, tcp::endpoint where, const platform::http::Router& routes,
       FormServerOptions server_options)
      : io(io_context),
        endpoint(std::move(where)),
        acceptor(io_context),
        router(routes),
        options(server_options) {}

  asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
      if (ec) co_return;  // closed by stop()
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      {
        const std::lock_guard lock(mutex);
        if (stopped) co_return;
        open.insert(stream);
      }
      asio::co_spawn(stream->get_executor(), serve(self, stream), asio::detached);
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Impl> self,
                              std::shared_ptr<beast::tcp_stream> stream) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      stream->expires_after(kReadDeadline);
      auto [read_ec, read] = co_await bhttp::async_read(*stream, buffer, parser, kTuple);
      if (read_ec) break;
      const auto& message = parser.get();
      const bool keep_alive = message.keep_alive();
      platform::http::Response answer;
      try {
        answer = co_await router.dispatch(to_request(message, options));
      } catch (const std::exception& e) {
        spdlog::error("{} {} threw: {}", std::string(message.method_string()),
                      std::string(message.target()), e.what());
        answer = platform::http::Response{500, "application/json", {}, R"({"error":"internal"})"};
      }
      auto response = to_response(std::move(answer), message.version(), keep_alive);
      stream->expires_after(kReadDeadline);
      auto [write_ec, written] = co_await bhttp::async_write(*stream, response, kTuple);
      if (write_ec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    const std::lock_guard lock(self->mutex);
    self->open.erase(stream);
  }

  asio::io_context& io;
  tcp::endpoint endpoint;
  tcp::acceptor acceptor;
  const platform::http::Router& router;
  FormServerOptions options;
  std::uint16_t bound_port = 0;
  std::mutex mutex;
  bool stopped = false;
  std::set<std::shared_ptr<beast::tcp_stream>> open;
};

FormServer::FormServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                       const platform::http::Router& router, FormServerOptions options)
    : impl_(std::make_shared<Impl>(io, tcp::endpoint(asio::ip::make_address(host), port), router,
                                   options)) {}

FormServer::~FormServer() {
  try {
    stop();
  } catch (const std::exception& e) {
    spdlog::error("stopping the server failed: {}", e.what());
  }
}

void FormServer::start() {
  impl_->acceptor.open(impl_->endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(impl_->endpoint);
  impl_->acceptor.listen();
  impl_->bound_port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(impl_), asio::detached);
}

std::uint16_t FormServer::port() const {
  return impl_->bound_port;
}

void FormServer::stop() {
  std::set<std::shared_ptr<beast::tcp_stream>> open;
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
    open.swap(impl_->open);
  }
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  for (const auto& stream : open) {
    asio::post(stream->get_executor(), [stream] { stream->cancel(); });
  }
}

}  // namespace gateway_sim
