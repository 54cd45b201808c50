#include "request_parser.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "platform/http/problem.hpp"

namespace platform::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}
}  // namespace

RequestParser::RequestParser(std::size_t body_limit) {
  header_limit(kHeaderLimit);
  this->body_limit(body_limit);
  request.headers.reserve(8);
}

void RequestParser::on_request_impl(bhttp::verb, beast::string_view method,
                                    beast::string_view target, int, beast::error_code& ec) {
  request.method.assign(method.data(), method.size());
  const std::string_view full(target.data(), target.size());
  const auto question = full.find('?');
  if (full.empty() || full.front() != '/' || !decode_path(full.substr(0, question), request.path)) {
    ec = bhttp::error::bad_target;
    return;
  }
  if (question != std::string_view::npos) request.query.assign(full.substr(question + 1));
}

void RequestParser::on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                                  beast::error_code&) {
  std::string lower(name.data(), name.size());
  for (auto& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "expect" && beast::iequals(value, "100-continue")) expect_continue = true;
  request.headers.emplace_back(std::move(lower), std::string(value.data(), value.size()));
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length,
                                      beast::error_code&) {
  if (length) request.body.reserve(static_cast<std::size_t>(*length));
}

std::size_t RequestParser::on_body_impl(beast::string_view body, beast::error_code&) {
  request.body.append(body.data(), body.size());
  return body.size();
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, beast::string_view body,
                                              beast::error_code&) {
  request.body.append(body.data(), body.size());
  return body.size();
}

bool decode_path(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) {
      return false;
    }
    out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
    i += 2;
  }
  return true;
}

Error parse_error(const boost::system::error_code& ec, std::size_t body_limit) {
  if (ec == bhttp::error::body_limit) {
    return make_error(Errc::too_large,
                      "request body exceeds " + std::to_string(body_limit) + " bytes",
                      "body_too_large");
  }
  if (ec == bhttp::error::header_limit) {
    return make_error(Errc::too_large, "request header too large", "header_too_large");
  }
  return make_error(Errc::malformed, "malformed HTTP request: " + ec.message(),
                    "malformed_request");
}

std::optional<Error> duplicate_header(const Request& request) {
  for (const std::string_view name : {"authorization", "content-type"}) {
    int seen = 0;
    for (const auto& header : request.headers) seen += header.first == name ? 1 : 0;
    if (seen > 1) {
      return make_error(Errc::malformed,
                        "the " + std::string(name) + " header is given more than once",
                        "duplicate_header");
    }
  }
  return std::nullopt;
}

bool is_json_media_type(std::string_view content_type) {
  return beast::iequals(trim(content_type.substr(0, content_type.find(';'))), "application/json");
}

bool acceptable_body(const Request& request) {
  if (request.body.empty()) return true;
  const auto content_type = request.header("content-type");
  return content_type && is_json_media_type(*content_type);
}

Response unsupported_media_type(const Request& request) {
  return http::unsupported_media_type(request.header("content-type")
                                          ? "the body must be application/json"
                                          : "the body has no Content-Type; send application/json",
                                      request.path);
}

}  // namespace platform::http
