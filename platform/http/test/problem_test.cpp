#include "platform/http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <string>
#include <string_view>

#include "platform/http/json.hpp"

namespace platform::http {
namespace {

std::optional<std::string> header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

TEST(Problem, MapsEveryErrcToItsStatus) {
  const std::pair<Errc, int> expected[] = {{Errc::malformed, 400}, {Errc::unauthenticated, 401},
                                           {Errc::forbidden, 403}, {Errc::not_found, 404},
                                           {Errc::conflict, 409},  {Errc::too_large, 413},
                                           {Errc::invalid, 422},   {Errc::unavailable, 503},
                                           {Errc::timeout, 504},   {Errc::internal, 500}};
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(status_of(code), status) << errc_name(code);
    EXPECT_EQ(problem(make_error(code, "x")).status, status);
  }
}

TEST(Problem, ADependencyDownOrLateSaysWhenToRetry) {
  for (const auto code : {Errc::unavailable, Errc::timeout}) {
    const auto response = problem(make_error(code, "redis"));
    bool retry_after = false;
    for (const auto& [name, value] : response.headers) {
      retry_after = retry_after || (name == "Retry-After" && value == "1");
    }
    EXPECT_TRUE(retry_after) << errc_name(code);
  }
  EXPECT_TRUE(problem(make_error(Errc::internal, "bug")).headers.empty());
}

TEST(Problem, BodyIsRfc9457WithReasonAsType) {
  const auto response = problem(
      make_error(Errc::invalid, "quantity must be 1..99", "quantity_out_of_range"), "/cart/items");
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/quantity_out_of_range");
  EXPECT_EQ(body.at("title").as_string(), "Invalid request");
  EXPECT_EQ(body.at("status").as_int64(), 422);
  EXPECT_EQ(body.at("detail").as_string(), "quantity must be 1..99");
  EXPECT_EQ(body.at("instance").as_string(), "/cart/items");
}

TEST(Problem, ADetailQuotingBadBytesIsStillUtf8) {
  // "no line \xFF" (a client's id echoed), a cut two-byte letter, an overlong '/', a surrogate.
  const std::string detail = "no line \xFF, za\xC5, \xC0\xAF, \xED\xA0\x80, żółw";
  const auto body = boost::json::parse(problem(make_error(Errc::not_found, detail)).body);
  EXPECT_EQ(body.at("detail").as_string(),
            "no line \uFFFD, za\uFFFD, \uFFFD\uFFFD, \uFFFD\uFFFD\uFFFD, żółw");
}

TEST(Problem, ListsTheFieldsAtFault) {
  auto error = make_error(Errc::invalid, "the address has 2 mistakes", "invalid_address");
  error.fields = {{"postal_code", "must look like 00-950"}, {"phone", "must have 9 digits"}};
  const auto body = boost::json::parse(problem(error).body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 422);
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].at("field").as_string(), "postal_code");
  EXPECT_EQ(errors[1].at("detail").as_string(), "must have 9 digits");
  EXPECT_FALSE(boost::json::parse(problem(make_error(Errc::invalid, "x")).body)
                   .as_object()
                   .contains("errors"));
}

TEST(Problem, TypeFallsBackToErrcNameAndInstanceIsOptional) {
  const auto body =
      boost::json::parse(problem(make_error(Errc::not_found, "no cart")).body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/not_found");
  EXPECT_FALSE(body.contains("instance"));
}

std::string instance_of(std::string_view path) {
  const auto body = boost::json::parse(problem(make_error(Errc::not_found, "x"), path).body);
  return std::string(body.at("instance").as_string());
}

// RFC 3986 relative-ref made of path characters: pchar / "/" with pct-encoded = "%" HEXDIG HEXDIG.
bool is_uri_path_reference(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      if (std::isxdigit(static_cast<unsigned char>(text[i + 1])) == 0 ||
          std::isxdigit(static_cast<unsigned char>(text[i + 2])) == 0) {
        return false;
      }
      i += 2;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
        std::string_view("-._~!$&'()*+,;=:@/").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

TEST(Problem, InstanceIsAValidUriReference) {
  EXPECT_EQ(instance_of("/cart/items/a1"), "/cart/items/a1");
  EXPECT_EQ(instance_of("/a-b._~!$&'()*+,;=:@/c"), "/a-b._~!$&'()*+,;=:@/c");
  EXPECT_EQ(instance_of(std::string("/cart/\x01\n\r\t\x7f") + std::string(1, '\0')),
            "/cart/%01%0A%0D%09%7F%00");
  EXPECT_EQ(instance_of("/a b"), "/a%20b");
  EXPECT_EQ(instance_of("/100%"), "/100%25");
  EXPECT_EQ(instance_of("/%41"), "/%2541");  // the path is already decoded: '%' is a character
  EXPECT_EQ(instance_of("/\xc5\xbc\xc3\xb3\xc5\x82w"), "/%C5%BC%C3%B3%C5%82w");
  EXPECT_EQ(instance_of("/\xff\xfe"), "/%FF%FE");  // not even UTF-8
  EXPECT_EQ(instance_of("/a?b#c\"<>\\^`{|}[]"), "/a%3Fb%23c%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D");
  // Neither an authority nor a scheme may appear.
  EXPECT_EQ(instance_of("//evil.example/x"), "/%2Fevil.example/x");
  EXPECT_EQ(instance_of("javascript:alert(1)"), "javascript%3Aalert(1)");
  EXPECT_EQ(instance_of("a/b:c"), "a/b:c");
  // The 405 body goes through the same encoding.
  const auto body =
      boost::json::parse(method_not_allowed("GET", "/cart/\x1b[31m").body).as_object();
  EXPECT_EQ(body.at("instance").as_string(), "/cart/%1B%5B31m");

  std::string every_byte = "/";
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  const auto encoded = instance_of(every_byte);
  EXPECT_TRUE(is_uri_path_reference(encoded)) << encoded;
}

TEST(Problem, InstanceIsCappedWithoutCuttingAnEscape) {
  EXPECT_EQ(instance_of("/" + std::string(1000, 'a')),
            "/" + std::string(kMaxInstanceLength - 1, 'a'));
  // 1 + 3 * 170 = 511: a 171st escape would pass 512, so it is left out whole.
  const auto encoded = instance_of("/" + std::string(1000, ' '));
  EXPECT_EQ(encoded.size(), 511U);
  EXPECT_TRUE(is_uri_path_reference(encoded)) << encoded;
  EXPECT_EQ(instance_of("/" + std::string(kMaxInstanceLength - 1, 'a') + "b").size(),
            kMaxInstanceLength);
}

TEST(Problem, UnavailableCarriesRetryAfter) {
  const auto response = problem(make_error(Errc::unavailable, "redis down"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(header(response, "Retry-After"), "1");
  EXPECT_FALSE(header(problem(make_error(Errc::conflict, "x")), "Retry-After"));
}

TEST(Problem, MethodNotAllowedHasAllow) {
  const auto response = method_not_allowed("GET, POST", "/cart");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(header(response, "Allow"), "GET, POST");
}

TEST(Problem, UnsupportedMediaTypeIs415WithItsOwnTitle) {
  const auto response = unsupported_media_type("the body must be application/json", "/cart/items");
  EXPECT_EQ(response.status, 415);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 415);
  EXPECT_EQ(body.at("title").as_string(), "Unsupported media type");
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/unsupported_media_type");
  EXPECT_EQ(body.at("detail").as_string(), "the body must be application/json");
}

TEST(Json, ResponseSerializes) {
  const auto response = json_response(201, boost::json::object{{"id", "a1"}, {"qty", 2}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(boost::json::parse(response.body).at("qty").as_int64(), 2);
}

TEST(Json, ParsesObjectsAndRejectsTheRest) {
  auto ok = parse_json_object(R"({"offer_id":"x","quantity":1})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at("quantity").as_int64(), 1);

  for (const char* bad : {"", "{", "[1,2]", "42", R"({"a":1} trailing)", "nul"}) {
    auto result = parse_json_object(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, Errc::malformed) << bad;
    EXPECT_FALSE(result.error().message.empty());
  }
}

TEST(Json, RejectsDuplicateKeysAtAnyDepth) {
  for (const char* body : {
           R"({"quantity":500,"quantity":1})",
           R"({"a":{"b":1,"c":{"d":1,"d":2}}})",
           R"({"lines":[{"sku":"x"},{"sku":"y","sku":"z"}]})",
           R"({"a":1,"\u0061":2})",  // the same key once decoded
           R"({"":1,"":2})",
       }) {
    auto result = parse_json_object(body);
    ASSERT_FALSE(result) << body;
    EXPECT_EQ(result.error().code, Errc::malformed) << body;
    EXPECT_EQ(result.error().reason, "malformed_json") << body;
    EXPECT_NE(result.error().message.find("duplicate key"), std::string::npos)
        << body << ": " << result.error().message;
    EXPECT_EQ(problem(result.error()).status, 400);
  }
  auto result = parse_json_object(R"({"quantity":500,"quantity":1})");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(R"(duplicate key "quantity")"), std::string::npos)
      << result.error().message;
  // The same key in different objects is fine.
  auto ok = parse_json_object(R"({"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}],"x":5})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->at("c").as_array().at(1).at("x").as_int64(), 4);
  EXPECT_EQ(ok->at("x").as_int64(), 5);
}

TEST(Json, ALongDuplicateKeyIsQuotedShort) {
  // Long enough to reach the handler in parts; the message quotes 64 bytes of it, on a UTF-8
  // character boundary.
  std::string long_key = "a";
  for (int i = 0; i < 10000; ++i) long_key += "\xc5\xbc";
  const std::string body = "{\"" + long_key + "\":1,\"" + long_key + "\":2}";
  auto result = parse_json_object(body);
  ASSERT_FALSE(result);
  const auto& message = result.error().message;
  EXPECT_NE(message.find("duplicate key \"a\xc5\xbc"), std::string::npos);
  EXPECT_LT(message.size(), 200U);
  EXPECT_NO_THROW(boost::json::parse(problem(result.error()).body));
}

TEST(Json, DeepNestingIsMalformedNotACrash) {
  const std::string arrays = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(10000, '}');
  for (const auto& body : {arrays, objects}) {
    auto result = parse_json_object(body);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::malformed);
    EXPECT_NE(result.error().message.find("nested deeper than 32"), std::string::npos)
        << result.error().message;
  }
  // kMaxJsonDepth levels are fine, one more is not.
  std::string deepest;
  for (std::size_t i = 0; i < kMaxJsonDepth; ++i) deepest += "{\"a\":";
  deepest += "1" + std::string(kMaxJsonDepth, '}');
  EXPECT_TRUE(parse_json_object(deepest));
  EXPECT_FALSE(parse_json_object("{\"a\":" + deepest + "}"));
}

}  // namespace
}  // namespace platform::http
