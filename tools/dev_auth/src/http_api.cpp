#include "http_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <string>
#include <utility>

#include "platform/clock.hpp"
#include "platform/http/json.hpp"
#include "token.hpp"
#include "user_name.hpp"

namespace dev_auth {
namespace {
namespace json = boost::json;
namespace http = platform::http;

http::Response token_response(int status, const IssuedToken& issued) {
  auto response =
      http::json_response(status, json::object{
                                      {"token", issued.token},
                                      {"user_id", issued.user_id},
                                      {"expires_at", platform::format_rfc3339(issued.expires_at)},
                                  });
  // A bearer token must not sit in any cache on the way (RFC 6749 section 5.1).
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

platform::Error missing_user() {
  const std::string message = "Podaj nazwę użytkownika w polu „user” (tekst)";
  auto error = platform::make_error(platform::Errc::invalid, message, "invalid_field");
  error.fields.push_back({"user", message});
  return error;
}

platform::Result<std::string> user_name_of(std::string_view body) {
  PLATFORM_TRY(const auto object, http::parse_json_object(body));
  PLATFORM_CHECK(http::only_fields(object, {"user"}));
  const auto* user = object.if_contains("user");
  if (user == nullptr || !user->is_string()) return missing_user();
  std::string name(user->as_string());
  PLATFORM_CHECK(check_user_name(name));
  return name;
}
}  // namespace

SignInApi::SignInApi(http::JwtConfig jwt, TokenLifetimes lifetimes)
    : jwt_(std::move(jwt)), lifetimes_(lifetimes) {}

void SignInApi::register_routes(http::Router& router) {
  // Signing in is how a client gets its bearer token, so the server's JWT check is off.
  const http::RouteOptions open{.authenticated = false};
  router.add(
      "POST", "/auth/guest", [this](http::Request r) { return post_guest(std::move(r)); }, open);
  router.add(
      "POST", "/auth/sign-in", [this](http::Request r) { return post_sign_in(std::move(r)); },
      open);
}

SignInApi::Answer SignInApi::post_guest(http::Request request) {
  // No body is needed; one that is sent must be an empty object (nothing silently ignored).
  if (!request.body.empty()) {
    PLATFORM_CO_TRY(const auto body, http::parse_json_object(request.body));
    PLATFORM_CO_CHECK(http::only_fields(body, {}));
  }
  const auto issued = issue(jwt_, new_guest_id(), lifetimes_.guest);
  spdlog::info("guest token issued for {}", issued.user_id);
  co_return token_response(201, issued);
}

SignInApi::Answer SignInApi::post_sign_in(http::Request request) {
  PLATFORM_CO_TRY(auto user, user_name_of(request.body));
  const auto issued = issue(jwt_, std::move(user), lifetimes_.user);
  spdlog::info("token issued for {}", issued.user_id);
  co_return token_response(200, issued);
}

}  // namespace dev_auth
