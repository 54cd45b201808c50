#include "platform/http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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

TEST(Problem, TypeFallsBackToErrcNameAndInstanceIsOptional) {
  const auto body =
      boost::json::parse(problem(make_error(Errc::not_found, "no cart")).body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/not_found");
  EXPECT_FALSE(body.contains("instance"));
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

}  // namespace
}  // namespace platform::http
