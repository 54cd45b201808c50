#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>
#include <type_traits>

#include "platform/testing/run.hpp"

namespace platform::http {
namespace {

Handler echo(std::string name) {
  return [name](Request request) -> boost::asio::awaitable<Response> {
    Response response;
    response.body = name + "|" + request.route;
    for (const auto& [key, value] : request.path_params) response.body += "|" + key + "=" + value;
    co_return response;
  };
}

Response call(const Router& router, std::string method, std::string path) {
  boost::asio::io_context io;
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return platform::testing::run(io, router.dispatch(std::move(request)));
}

TEST(Router, MatchesLiteralAndParameterRoutes) {
  Router router;
  router.add("GET", "/cart", echo("cart"));
  router.add("PATCH", "/cart/items/{id}", echo("patch"));
  router.add("DELETE", "/cart/items/{id}", echo("delete"));
  router.add("GET", "/payment/status/{transaction_id}", echo("status"));

  EXPECT_EQ(call(router, "GET", "/cart").body, "cart|/cart");
  EXPECT_EQ(call(router, "PATCH", "/cart/items/42").body, "patch|/cart/items/{id}|id=42");
  EXPECT_EQ(call(router, "DELETE", "/cart/items/a-b").body, "delete|/cart/items/{id}|id=a-b");
  EXPECT_EQ(call(router, "GET", "/payment/status/tx1").body,
            "status|/payment/status/{transaction_id}|transaction_id=tx1");
}

TEST(Router, LiteralSegmentWinsOverParameter) {
  Router router;
  router.add("GET", "/services/{id}", echo("param"));
  router.add("GET", "/services/standalone", echo("literal"));
  EXPECT_EQ(call(router, "GET", "/services/standalone").body, "literal|/services/standalone");
  EXPECT_EQ(call(router, "GET", "/services/x").body, "param|/services/{id}|id=x");
}

TEST(Router, ALiteralPathOfOneMethodIsNotAParameterOfAnother) {
  Router router;
  router.add("GET", "/warranty/available", echo("available"));
  router.add("DELETE", "/warranty/{item_id}", echo("delete"));
  const auto wrong = call(router, "DELETE", "/warranty/available");
  EXPECT_EQ(wrong.status, 405) << "not DELETE /warranty/{item_id} with item_id=available";
  ASSERT_EQ(wrong.headers.size(), 1U);
  EXPECT_EQ(wrong.headers[0].second, "GET");
  EXPECT_EQ(call(router, "DELETE", "/warranty/it-1").body,
            "delete|/warranty/{item_id}|item_id=it-1");
  const auto get_param = call(router, "GET", "/warranty/it-1");
  EXPECT_EQ(get_param.status, 405);
  EXPECT_EQ(get_param.headers.at(0).second, "DELETE");
}

TEST(Router, UnknownPathIsNotFoundProblem) {
  Router router;
  router.add("GET", "/cart", echo("cart"));
  for (const char* path : {"/nope", "/cart/", "/cart/items", "/", "/cart/x/y"}) {
    const auto response = call(router, "GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json");
    const auto body = boost::json::parse(response.body).as_object();
    EXPECT_EQ(body.at("status").as_int64(), 404);
  }
}

TEST(Router, EmptySegmentDoesNotMatchParameter) {
  Router router;
  router.add("GET", "/cart/items/{id}", echo("item"));
  EXPECT_EQ(call(router, "GET", "/cart/items/").status, 404);
}

TEST(Router, WrongMethodIsMethodNotAllowedWithAllow) {
  Router router;
  router.add("PATCH", "/cart/items/{id}", echo("patch"));
  router.add("DELETE", "/cart/items/{id}", echo("delete"));
  const auto response = call(router, "GET", "/cart/items/7");
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1U);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "DELETE, PATCH");
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router router;
  EXPECT_THROW(router.add("GET", "cart", echo("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/cart/{id", echo("x")), std::invalid_argument);
  router.add("GET", "/cart", echo("x"));
  EXPECT_THROW(router.add("GET", "/cart", echo("y")), std::invalid_argument);
}

TEST(Router, MatchReportsRouteOptions) {
  Router router;
  router.add("POST", "/payment/webhook/{gateway}", echo("hook"), {.authenticated = false});
  std::vector<std::pair<std::string, std::string>> params;
  const auto found = router.match("POST", "/payment/webhook/payu", params);
  ASSERT_EQ(found.kind, RouteMatch::Kind::found);
  EXPECT_FALSE(found.route->options.authenticated);
  ASSERT_EQ(params.size(), 1U);
  EXPECT_EQ(params[0].second, "payu");
}

TEST(Router, UnknownPathAndWrongMethodProblemsNameThePath) {
  Router router;
  router.add("GET", "/cart", echo("cart"));
  const auto missing = boost::json::parse(call(router, "GET", "/nope").body).as_object();
  EXPECT_EQ(missing.at("type").as_string(), "https://checkout.local/problems/route_not_found");
  EXPECT_EQ(missing.at("instance").as_string(), "/nope");
  const auto wrong = call(router, "PUT", "/cart");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(boost::json::parse(wrong.body).at("instance").as_string(), "/cart");
}

// A handler written as a plain lambda returning awaitable<Response>, and one returning
// awaitable<Result<Response>>: each converts to exactly one of the two handler types, so
// Router::add picks its overload without ambiguity.
const auto kPlainLambda = [](Request) -> boost::asio::awaitable<Response> {
  co_return Response{};
};
const auto kResultLambda = [](Request) -> boost::asio::awaitable<Result<Response>> {
  co_return Response{};
};
static_assert(std::is_constructible_v<Handler, decltype(kPlainLambda)>);
static_assert(!std::is_constructible_v<ResultHandler, decltype(kPlainLambda)>);
static_assert(std::is_constructible_v<ResultHandler, decltype(kResultLambda)>);
static_assert(!std::is_constructible_v<Handler, decltype(kResultLambda)>);
static_assert(!std::is_constructible_v<ResultHandler, Handler>);

TEST(Router, ResultHandlerAnswersItsValueOrItsErrorAsProblem) {
  Router router;
  router.add("GET", "/items/{id}", [](Request request) -> boost::asio::awaitable<Result<Response>> {
    const auto id = request.path_param("id").value_or("");
    if (id == "taken") {
      co_return make_error(Errc::conflict, "item is taken", "item_taken");
    }
    if (id == "gone") co_return make_error(Errc::unavailable, "store down");
    Response response;
    response.status = 201;
    response.body = std::string(id) + "|" + request.route;
    co_return response;
  });
  const auto ok = call(router, "GET", "/items/7");
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.body, "7|/items/{id}");

  const auto conflict = call(router, "GET", "/items/taken");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.content_type, "application/problem+json");
  const auto body = boost::json::parse(conflict.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://checkout.local/problems/item_taken");
  EXPECT_EQ(body.at("detail").as_string(), "item is taken");
  EXPECT_EQ(body.at("instance").as_string(), "/items/taken");

  const auto down = call(router, "GET", "/items/gone");
  EXPECT_EQ(down.status, 503);
  ASSERT_EQ(down.headers.size(), 1U);
  EXPECT_EQ(down.headers[0].first, "Retry-After");
}

TEST(Router, PlainLambdaStillTakesTheResponseOverload) {
  Router router;
  router.add("GET", "/plain", [](Request) -> boost::asio::awaitable<Response> {
    Response response;
    response.status = 202;
    response.body = "plain";
    co_return response;
  });
  router.add("GET", "/result", kResultLambda, {.authenticated = false});
  router.add("GET", "/fixed", kPlainLambda, {.authenticated = false});
  EXPECT_EQ(call(router, "GET", "/plain").status, 202);
  EXPECT_EQ(call(router, "GET", "/plain").body, "plain");
  EXPECT_EQ(call(router, "GET", "/result").status, 200);
  EXPECT_EQ(call(router, "GET", "/fixed").status, 200);
  // Both kinds are routes like any other: a duplicate is still refused.
  EXPECT_THROW(router.add("GET", "/plain", kResultLambda), std::invalid_argument);
}

}  // namespace
}  // namespace platform::http
