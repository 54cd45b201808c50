#pragma once
// Bearer-token authentication with JWTs (libjwt inside). The algorithm is pinned by
// configuration and never taken from the token header, so an "alg: none" token or an HS256 token
// signed with the RS256 public key (key confusion) is rejected. Thread-safe: verify_bearer() may
// run concurrently; its only state is a bounded cache of tokens that passed every check (keyed by
// the SHA-256 of the whole token, so by its signature too), which still enforces their expiry on
// every call.
//
// What a token must hold to pass (anything else is 401):
// - exp (required), nbf and iat (optional): NumericDates, i.e. JSON numbers with a whole value
//   from 0 to kMaxNumericDate (9999-12-31T23:59:59Z). 1.5, 1e19, 1e300, "123", true or null
//   make the token invalid; they are never converted with overflow.
// - sub: a valid user id (valid_user_id below), since it is published as the events' user_id
//   and used inside Redis keys.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace platform::http {

// The longest user id (the events' schemas cap user_id at 128 characters).
inline constexpr std::size_t kMaxUserIdLength = 128;
// The latest NumericDate (exp, nbf, iat) a token may carry: 9999-12-31T23:59:59Z, in seconds.
inline constexpr std::int64_t kMaxNumericDate = 253402300799;

// The one rule for a user id (a token's sub): 1 to 128 characters, each an ASCII letter, digit,
// or one of `. _ - @ : |`. No braces (user ids go inside Redis Cluster hash tags such as
// `cart:view:{user_id}`), no whitespace, no control or non-ASCII bytes. Pure, thread-safe.
[[nodiscard]] bool valid_user_id(std::string_view id);

struct JwtConfig {
  std::string algorithm = "HS256";              // "HS256" or "RS256"
  std::string secret = "dev-secret-change-me";  // HS256 shared secret
  std::string public_key_pem;                   // RS256 verification key
  std::string issuer = "checkout-local";
  std::string audience = "checkout";
  std::chrono::seconds leeway{30};  // clock skew tolerated on exp and nbf
  std::size_t cache_size = 65536;   // verified tokens remembered; 0 turns the cache off

  // JWT_ALGORITHM (HS256), JWT_SECRET (dev-secret-change-me), JWT_PUBLIC_KEY_FILE (read when
  // RS256), JWT_ISSUER (checkout-local), JWT_AUDIENCE (checkout), JWT_LEEWAY_SECONDS (30),
  // JWT_CACHE_SIZE (65536).
  // Throws std::invalid_argument on an unknown algorithm or an unreadable key file.
  static JwtConfig from_env();
};

class JwtVerifier {
 public:
  // `clock` (not owned, may be null for the system clock) must outlive the verifier.
  // Throws std::invalid_argument when the config is unusable (unknown algorithm, missing key).
  explicit JwtVerifier(JwtConfig config, const Clock* clock = nullptr);

  // Verifies "Bearer <token>" and returns its `sub`. Checks the signature with the pinned
  // algorithm, exp (required), nbf, the form of iat, iss, aud (string or array) and that sub is
  // a valid user id (see the rules above). Every failure is Errc::unauthenticated with a reason
  // such as "missing bearer token", "token expired", "wrong audience", "unexpected algorithm",
  // "bad signature", "not a valid user id".
  [[nodiscard]] Result<std::string> verify_bearer(std::string_view authorization_header) const;

  const JwtConfig& config() const { return config_; }

 private:
  struct VerifiedCache;
  // The subject and the exp claim of a token that passed every check.
  [[nodiscard]] Result<std::pair<std::string, std::int64_t>> verify_token(
      const std::string& token) const;

  JwtConfig config_;
  SystemClock system_clock_;
  const Clock* clock_;
  std::shared_ptr<VerifiedCache> cache_;
};

// Signs a token for `subject` with iss, aud, iat, nbf and exp = now + ttl (ttl may be negative,
// for tests). HS256 uses config.secret; RS256 needs `private_key_pem`. Throws on a signing error.
// The subject is not checked, so tests can issue tokens that verify_bearer() must refuse.
std::string issue_token(const JwtConfig& config, std::string_view subject, std::chrono::seconds ttl,
                        std::string_view private_key_pem = {});

}  // namespace platform::http
