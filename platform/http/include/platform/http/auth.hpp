#pragma once
// Bearer-token authentication with JWTs (libjwt inside). The algorithm is pinned by
// configuration and never taken from the token header, so an "alg: none" token or an HS256 token
// signed with the RS256 public key (key confusion) is rejected. Thread-safe: verify_bearer() may
// run concurrently; its only state is a bounded cache of tokens that passed every check (keyed by
// the SHA-256 of the whole token, so by its signature too), which still enforces their expiry on
// every call.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace platform::http {

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
  // algorithm, exp (required), nbf, iss, aud (string or array) and a non-empty sub. Every failure
  // is Errc::unauthenticated with a reason such as "missing bearer token", "token expired",
  // "wrong audience", "unexpected algorithm", "bad signature".
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
std::string issue_token(const JwtConfig& config, std::string_view subject, std::chrono::seconds ttl,
                        std::string_view private_key_pem = {});

}  // namespace platform::http
