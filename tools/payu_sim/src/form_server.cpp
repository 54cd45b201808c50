#include "form_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <exception>
#include <set>

namespace payu_sim {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kReadTimeout{30};
constexpr std::uint64_t kBodyLimit = 1U << 20U;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

platform::http::Request to_request(const bhttp::request<bhttp::string_body>& message) {
  platform::http::Request request;
  request.method = std::string(message.method_string());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  if (request.path.size() > 1 && request.path.back() == '/') request.path.pop_back();
  for (const auto& field : message) {
    request.headers.emplace_back(lowercase(field.name_string()), std::string(field.value()));
  }
  request.body = message.body();
  return request;
}

bhttp::response<bhttp::string_body> to_message(platform::http::Response response, unsigned version,
                                               bool keep_alive) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  if (!response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}
}  // namespace

struct FormServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, std::string host, std::uint16_t port,
       const platform::http::Router& router)
      : io(io), acceptor(io), host(std::move(host)), port(port), router(router) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) break;
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      streams.insert(stream);
      asio::co_spawn(io, session(self, stream), asio::detached);
    }
  }

  static asio::awaitable<platform::http::Response> answer(std::shared_ptr<Impl> self,
                                                          platform::http::Request request) {
    if (request.method == "GET" && request.path == "/healthz") {
      co_return platform::http::Response{200, "application/json", {}, R"({"status":"ok"})"};
    }
    std::optional<platform::http::Response> response;
    const std::string method = request.method;
    const std::string path = request.path;
    try {
      response = co_await self->router.dispatch(std::move(request));
    } catch (const std::exception& e) {
      spdlog::error("handler for {} {} threw: {}", method, path, e.what());
    }
    if (!response) {
      response = platform::http::Response{500, "application/json", {}, R"({"error":"internal"})"};
    }
    co_return std::move(*response);
  }

  static asio::awaitable<void> session(std::shared_ptr<Impl> self,
                                       std::shared_ptr<beast::tcp_stream> stream) {
    beast::flat_buffer buffer;
    while (true) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(kBodyLimit);
      stream->expires_after(kReadTimeout);
      auto [read_ec, read_bytes] = co_await bhttp::async_read(*stream, buffer, parser, kTuple);
      if (read_ec) break;
      auto message = parser.release();
      const bool keep_alive = message.keep_alive();
      auto response = co_await answer(self, to_request(message));
      auto out = to_message(std::move(response), message.version(), keep_alive);
      stream->expires_after(kReadTimeout);
      auto [write_ec, written] = co_await bhttp::async_write(*stream, out, kTuple);
      if (write_ec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
    self->streams.erase(stream);
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  std::string host;
  std::uint16_t port;
  const platform::http::Router& router;
  std::set<std::shared_ptr<beast::tcp_stream>> streams;
};

FormServer::FormServer(asio::io_context& io, std::string host, std::uint16_t port,
                       const platform::http::Router& router)
    : impl_(std::make_shared<Impl>(io, std::move(host), port, router)) {}

FormServer::~FormServer() {
  stop();
}

void FormServer::start() {
  const tcp::endpoint endpoint(asio::ip::make_address(impl_->host), impl_->port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
}

std::uint16_t FormServer::port() const {
  return impl_->port;
}

void FormServer::stop() {
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  for (const auto& stream : impl_->streams) stream->socket().close(ignored);
}

}  // namespace payu_sim
