// Request parsing and the checks before a handler runs, fed bytes directly (no sockets).
#include "../src/request_parser.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>
#include <optional>
#include <string>

namespace platform::http {
namespace {
namespace bhttp = boost::beast::http;

struct Parsed {
  boost::system::error_code ec;
  bool done = false;
  Request request;
  bool expect_continue = false;
};

// Feeds `raw` in pieces of `step` bytes, as a socket might deliver it.
Parsed parse(const std::string& raw, std::size_t body_limit = 1024, std::size_t step = 7) {
  RequestParser parser(body_limit);
  Parsed out;
  std::string pending;
  for (std::size_t at = 0; at < raw.size() && !parser.is_done(); at += step) {
    pending += raw.substr(at, step);
    // put() stops at the end of the header and at chunk boundaries: feed until it needs more.
    while (!pending.empty() && !parser.is_done()) {
      boost::system::error_code ec;
      const auto used = parser.put(boost::asio::buffer(pending), ec);
      pending.erase(0, used);
      if (ec == bhttp::error::need_more) break;
      if (ec) {
        out.ec = ec;
        return out;
      }
      if (used == 0) break;
    }
  }
  out.done = parser.is_done();
  out.expect_continue = parser.expect_continue;
  out.request = std::move(parser.request);
  return out;
}

Request with_headers(std::vector<std::pair<std::string, std::string>> headers,
                     std::string body = {}) {
  Request request;
  request.method = "POST";
  request.path = "/cart/items";
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

TEST(RequestParser, FillsMethodDecodedPathRawQueryLowercaseHeadersAndBody) {
  const auto parsed = parse(
      "POST /cart/items/a%20b%2Fc?x=1&y=a%20b HTTP/1.1\r\nHost: test\r\n"
      "Content-Type: application/json\r\nX-Custom-Header: Value\r\nContent-Length: 7\r\n\r\n"
      "{\"a\":1}");
  ASSERT_FALSE(parsed.ec) << parsed.ec.message();
  ASSERT_TRUE(parsed.done);
  EXPECT_EQ(parsed.request.method, "POST");
  EXPECT_EQ(parsed.request.path, "/cart/items/a b/c");
  EXPECT_EQ(parsed.request.query, "x=1&y=a%20b");
  EXPECT_EQ(parsed.request.header("x-custom-header").value_or(""), "Value");
  EXPECT_EQ(parsed.request.header("content-type").value_or(""), "application/json");
  EXPECT_EQ(parsed.request.body, "{\"a\":1}");
  EXPECT_FALSE(parsed.expect_continue);
}

TEST(RequestParser, AssemblesAChunkedBody) {
  const auto parsed = parse(
      "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n");
  ASSERT_FALSE(parsed.ec) << parsed.ec.message();
  ASSERT_TRUE(parsed.done);
  EXPECT_EQ(parsed.request.body, "{\"a\":1}");
}

TEST(RequestParser, NotesExpectContinue) {
  const auto parsed =
      parse("POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_FALSE(parsed.ec);
  EXPECT_TRUE(parsed.expect_continue);
}

TEST(RequestParser, BrokenEscapeOrRelativeTargetIsMalformed) {
  for (const char* target : {"/a%zz", "/a%2", "relative", "*"}) {
    const auto parsed = parse(std::string("GET ") + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
    ASSERT_TRUE(parsed.ec) << target;
    const auto error = parse_error(parsed.ec, 1024);
    EXPECT_EQ(error.code, Errc::malformed) << target;
    EXPECT_EQ(error.reason, "malformed_request");
  }
}

TEST(RequestParser, BodyOverTheLimitIsTooLarge) {
  const auto parsed =
      parse("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n0123456789a", 10);
  ASSERT_EQ(parsed.ec, bhttp::error::body_limit);
  const auto error = parse_error(parsed.ec, 10);
  EXPECT_EQ(error.code, Errc::too_large);
  EXPECT_EQ(error.reason, "body_too_large");
  EXPECT_NE(error.message.find("10 bytes"), std::string::npos);
  // Exactly at the limit is fine.
  EXPECT_FALSE(parse("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789", 10).ec);
}

TEST(RequestParser, HeaderOverTheLimitIsTooLarge) {
  const auto parsed =
      parse("GET /x HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(kHeaderLimit, 'a') + "\r\n\r\n",
            1024, 4096);
  ASSERT_EQ(parsed.ec, bhttp::error::header_limit);
  EXPECT_EQ(parse_error(parsed.ec, 1024).reason, "header_too_large");
}

TEST(RequestChecks, TwoAuthorizationOrContentTypeHeadersAreADuplicateHeader) {
  const auto parsed = parse(
      "GET /x HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\n\r\n");
  ASSERT_FALSE(parsed.ec);
  const auto error = duplicate_header(parsed.request);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, Errc::malformed);
  EXPECT_EQ(error->reason, "duplicate_header");
  EXPECT_NE(error->message.find("authorization"), std::string::npos);

  EXPECT_TRUE(duplicate_header(
      with_headers({{"content-type", "application/json"}, {"content-type", "text/plain"}}, "{}")));
  EXPECT_FALSE(duplicate_header(with_headers({{"authorization", "Bearer a"},
                                              {"content-type", "application/json"},
                                              {"x-a", "1"},
                                              {"x-a", "2"}})));
}

TEST(RequestChecks, JsonMediaTypeAllowsParametersAndAnyCase) {
  for (const char* ok : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                         "application/json;charset=UTF-8", " application/json "}) {
    EXPECT_TRUE(is_json_media_type(ok)) << ok;
  }
  for (const char* bad :
       {"", "text/plain", "application/xml", "application/jsonx", "application/problem+json",
        "application/json-seq", "json", "text/json", "application/ json"}) {
    EXPECT_FALSE(is_json_media_type(bad)) << bad;
  }
}

TEST(RequestChecks, ANonEmptyBodyMustBeDeclaredJson) {
  EXPECT_TRUE(acceptable_body(with_headers({})));  // empty body: no Content-Type needed
  EXPECT_TRUE(acceptable_body(with_headers({{"content-type", "text/plain"}})));
  EXPECT_TRUE(acceptable_body(with_headers({{"content-type", "application/json"}}, "{}")));
  EXPECT_TRUE(
      acceptable_body(with_headers({{"content-type", "application/json; charset=utf-8"}}, "{}")));
  EXPECT_FALSE(acceptable_body(with_headers({}, "{}")));
  EXPECT_FALSE(acceptable_body(with_headers({{"content-type", "text/plain"}}, "{}")));
  EXPECT_FALSE(acceptable_body(
      with_headers({{"content-type", "application/x-www-form-urlencoded"}}, "a=1")));
}

TEST(RequestChecks, UnsupportedMediaTypeIsA415Problem) {
  const auto response =
      unsupported_media_type(with_headers({{"content-type", "text/plain"}}, "hello"));
  EXPECT_EQ(response.status, 415);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 415);
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/unsupported_media_type");
  EXPECT_EQ(body.at("instance").as_string(), "/cart/items");
  EXPECT_TRUE(body.contains("title"));
  EXPECT_TRUE(body.contains("detail"));
}

}  // namespace
}  // namespace platform::http
