#pragma once
// The dev sign-in's routes: POST /auth/guest (a token for a new random guest) and
// POST /auth/sign-in (a token for the name given, no password). No authentication of their own:
// the program listens on 127.0.0.1 only and is a stand-in for the shop's identity provider in
// development. Errors are the kit's problem+json. Not copyable; thread-safe.
#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "platform/error.hpp"
#include "platform/http/auth.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace dev_auth {

struct TokenLifetimes {
  std::chrono::seconds guest = std::chrono::hours(24 * 30);  // DEV_AUTH_GUEST_TTL_S
  std::chrono::seconds user = std::chrono::hours(12);        // DEV_AUTH_USER_TTL_S
};

class SignInApi {
 public:
  SignInApi(platform::http::JwtConfig jwt, TokenLifetimes lifetimes);
  ~SignInApi() = default;
  SignInApi(const SignInApi&) = delete;
  SignInApi& operator=(const SignInApi&) = delete;
  SignInApi(SignInApi&&) = delete;
  SignInApi& operator=(SignInApi&&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer post_guest(platform::http::Request request);
  Answer post_sign_in(platform::http::Request request);

  platform::http::JwtConfig jwt_;
  TokenLifetimes lifetimes_;
};

}  // namespace dev_auth
