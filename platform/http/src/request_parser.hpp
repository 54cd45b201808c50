#pragma once
// Request parsing (internal): Beast's parser fills a platform::http::Request straight from its
// callbacks (no Beast fields container in between), under the header and body limits; plus the
// checks on a parsed request that come before any handler runs. Pure, no sockets.
#include <boost/beast/http/basic_parser.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "platform/error.hpp"
#include "platform/http/message.hpp"

namespace platform::http {

inline constexpr std::size_t kHeaderLimit = std::size_t{16} * 1024;

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(std::size_t body_limit);

  Request request;  // path decoded, query raw, header names lowercase
  bool expect_continue = false;

 private:
  void on_request_impl(boost::beast::http::verb, boost::beast::string_view method,
                       boost::beast::string_view target, int,
                       boost::beast::error_code& ec) override;
  void on_response_impl(int, boost::beast::string_view, int, boost::beast::error_code&) override {}
  void on_field_impl(boost::beast::http::field, boost::beast::string_view name,
                     boost::beast::string_view value, boost::beast::error_code&) override;
  void on_header_impl(boost::beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         boost::beast::error_code&) override;
  std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override;
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view,
                            boost::beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                 boost::beast::error_code&) override;
  void on_finish_impl(boost::beast::error_code&) override {}
};

// Path percent-decoding ('+' stays '+', unlike in a query). False on a broken escape.
bool decode_path(std::string_view in, std::string& out);

// The error a parse failure answers with: 413 over the body or header limit, else 400.
Error parse_error(const boost::system::error_code& ec, std::size_t body_limit);

// A header that decides how the request is handled (Authorization, Content-Type) given more
// than once: 400 `duplicate_header` rather than silently using the first.
std::optional<Error> duplicate_header(const Request& request);

// True for `application/json`, with parameters (`; charset=utf-8`), in any letter case.
bool is_json_media_type(std::string_view content_type);

// A non-empty body must be declared application/json; an empty one needs no Content-Type.
bool acceptable_body(const Request& request);

// 415 `unsupported_media_type` problem.
Response unsupported_media_type(const Request& request);

}  // namespace platform::http
