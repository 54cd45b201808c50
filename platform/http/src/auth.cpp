#include "platform/http/auth.hpp"

#include <jwt.h>
#include <openssl/evp.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "platform/config.hpp"

namespace platform::http {
namespace {
struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct CharFree {
  void operator()(char* text) const { std::free(text); }  // NOLINT: libjwt allocates with malloc
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;
using CharPtr = std::unique_ptr<char, CharFree>;

Error unauthenticated(std::string message) {
  return make_error(Errc::unauthenticated, std::move(message), "unauthenticated");
}

jwt_alg_t alg_of(const std::string& name) {
  if (name == "HS256") return JWT_ALG_HS256;
  if (name == "RS256") return JWT_ALG_RS256;
  throw std::invalid_argument("JWT algorithm must be HS256 or RS256, got '" + name + "'");
}

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

bool base64url_decode(std::string_view in, std::string& out) {
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = base64url_value(c);
    if (v < 0) return false;
    acc = (acc << 6U) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> static_cast<unsigned>(bits)) & 0xffU));
    }
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const std::string& verification_key(const JwtConfig& config) {
  return config.algorithm == "RS256" ? config.public_key_pem : config.secret;
}

// Reads a NumericDate claim; absent is allowed. Present, it must be a number with an integral
// value in [0, kMaxNumericDate]; checked before any conversion, so 1e300 or 1e19 cannot overflow
// the int64 (undefined behaviour that made such a token pass).
Result<std::optional<std::int64_t>> numeric_claim(const boost::json::object& claims,
                                                  std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (value == nullptr) return std::optional<std::int64_t>();
  const auto invalid = [&] {
    return unauthenticated("token claim '" + std::string(name) +
                           "' is not a time in whole seconds from 0 to " +
                           std::to_string(kMaxNumericDate));
  };
  if (value->is_int64()) {
    const auto seconds = value->get_int64();
    if (seconds < 0 || seconds > kMaxNumericDate) return invalid();
    return std::optional<std::int64_t>(seconds);
  }
  if (value->is_uint64()) {
    const auto seconds = value->get_uint64();
    if (seconds > static_cast<std::uint64_t>(kMaxNumericDate)) return invalid();
    return std::optional<std::int64_t>(static_cast<std::int64_t>(seconds));
  }
  if (value->is_double()) {
    // libjwt re-serializes the claims through jansson, which may turn an integer written as
    // 1700000000.0 or 1.7e9 into a double: accept it when its value is a whole number in range.
    const auto seconds = value->get_double();
    if (!(seconds >= 0.0 && seconds <= static_cast<double>(kMaxNumericDate)) ||
        std::trunc(seconds) != seconds) {
      return invalid();
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(seconds));
  }
  return invalid();
}
}  // namespace

bool valid_user_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxUserIdLength) return false;
  for (const char c : id) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@' ||
                         c == ':' || c == '|';
    if (!allowed) return false;
  }
  return true;
}

JwtConfig JwtConfig::from_env() {
  JwtConfig config;
  config.algorithm = config::get_string("JWT_ALGORITHM", config.algorithm);
  alg_of(config.algorithm);
  config.secret = config::get_string("JWT_SECRET", config.secret);
  const auto key_file = config::get_string("JWT_PUBLIC_KEY_FILE", "");
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    if (!in) throw std::invalid_argument("JWT_PUBLIC_KEY_FILE: cannot read '" + key_file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    config.public_key_pem = text.str();
  }
  config.issuer = config::get_string("JWT_ISSUER", config.issuer);
  config.audience = config::get_string("JWT_AUDIENCE", config.audience);
  config.leeway = std::chrono::seconds(config::get_int("JWT_LEEWAY_SECONDS", 30, 0, 3600));
  config.cache_size =
      static_cast<std::size_t>(config::get_int("JWT_CACHE_SIZE", 65536, 0, 10000000));
  return config;
}

// Tokens that passed every check, with their subject and expiry, keyed by the SHA-256 of the
// whole token (signature included): 32 bytes an entry instead of the token's few hundred, so the
// cache can cover every active customer. Verifying a token (base64, two JSON parses, an HMAC or
// RSA check) costs more than the rest of a cached GET /cart.
struct JwtVerifier::VerifiedCache {
  using Digest = std::array<unsigned char, 32>;
  struct DigestHash {
    std::size_t operator()(const Digest& digest) const {
      std::size_t prefix = 0;  // the digest is uniform: its first bytes are a fine hash
      std::memcpy(&prefix, digest.data(), sizeof prefix);
      return prefix;
    }
  };
  struct Entry {
    std::string subject;
    std::int64_t expires_at = 0;  // exp claim, seconds since the epoch
  };

  static Digest digest_of(std::string_view token) {
    Digest digest{};
    unsigned int length = 0;
    EVP_Digest(token.data(), token.size(), digest.data(), &length, sha256(), nullptr);
    return digest;
  }
  // Fetched once: an implicit fetch on every call takes OpenSSL's global locks.
  static const EVP_MD* sha256() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
  }

  std::mutex mutex;
  std::unordered_map<Digest, Entry, DigestHash> entries;
};

JwtVerifier::JwtVerifier(JwtConfig config, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock != nullptr ? clock : &system_clock_),
      cache_(std::make_shared<VerifiedCache>()) {
  alg_of(config_.algorithm);
  if (verification_key(config_).empty()) {
    throw std::invalid_argument(config_.algorithm == "RS256"
                                    ? "JWT RS256 needs a public key (JWT_PUBLIC_KEY_FILE)"
                                    : "JWT HS256 needs a secret (JWT_SECRET)");
  }
}

Result<std::string> JwtVerifier::verify_bearer(std::string_view authorization_header) const {
  auto header = trim(authorization_header);
  if (header.empty() || iequals(header, "bearer")) return unauthenticated("missing bearer token");
  const auto space = header.find(' ');
  if (space == std::string_view::npos || !iequals(header.substr(0, space), "bearer")) {
    return unauthenticated("authorization scheme must be Bearer");
  }
  const std::string token(trim(header.substr(space + 1)));
  if (token.empty()) return unauthenticated("missing bearer token");
  if (config_.cache_size == 0) {
    PLATFORM_TRY(auto verified, verify_token(token));
    return std::move(verified.first);
  }

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  const auto digest = VerifiedCache::digest_of(token);
  {
    std::lock_guard lock(cache_->mutex);
    if (auto it = cache_->entries.find(digest); it != cache_->entries.end()) {
      if (now > it->second.expires_at + config_.leeway.count()) {
        cache_->entries.erase(it);
        return unauthenticated("token expired");
      }
      return it->second.subject;
    }
  }
  PLATFORM_TRY(auto verified, verify_token(token));
  std::lock_guard lock(cache_->mutex);
  // Bounded: when full, start over (tokens live an hour; the cache refills within seconds).
  if (cache_->entries.size() >= config_.cache_size) cache_->entries.clear();
  cache_->entries.emplace(digest, VerifiedCache::Entry{verified.first, verified.second});
  return std::move(verified.first);
}

Result<std::pair<std::string, std::int64_t>> JwtVerifier::verify_token(
    const std::string& token) const {
  // Check the header's alg ourselves before libjwt looks at it: the pinned algorithm decides
  // how the token is verified, never the token.
  const auto first_dot = token.find('.');
  if (first_dot == std::string::npos || token.find('.', first_dot + 1) == std::string::npos) {
    return unauthenticated("malformed token");
  }
  std::string header_json;
  if (!base64url_decode(std::string_view(token).substr(0, first_dot), header_json)) {
    return unauthenticated("malformed token header");
  }
  boost::system::error_code ec;
  const auto jose = boost::json::parse(header_json, ec);
  const auto* alg = (!ec && jose.is_object()) ? jose.get_object().if_contains("alg") : nullptr;
  if (alg == nullptr || !alg->is_string()) return unauthenticated("malformed token header");
  if (alg->get_string() != config_.algorithm) {
    return unauthenticated("unexpected algorithm '" + std::string(alg->get_string()) +
                           "' (expected " + config_.algorithm + ")");
  }

  const auto& key = verification_key(config_);
  jwt_t* raw = nullptr;
  const int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                            static_cast<int>(key.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt) return unauthenticated("bad signature or malformed token");
  if (jwt_get_alg(jwt.get()) != alg_of(config_.algorithm)) {
    return unauthenticated("unexpected algorithm");
  }

  CharPtr grants(jwt_get_grants_json(jwt.get(), nullptr));
  if (!grants) return unauthenticated("token has no claims");
  const auto payload = boost::json::parse(grants.get(), ec);
  if (ec || !payload.is_object()) return unauthenticated("malformed token claims");
  const auto& claims = payload.get_object();

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  const auto leeway = config_.leeway.count();
  PLATFORM_TRY(auto exp, numeric_claim(claims, "exp"));
  if (!exp) return unauthenticated("token has no expiry (exp)");
  if (now > *exp + leeway) return unauthenticated("token expired");
  PLATFORM_TRY(auto nbf, numeric_claim(claims, "nbf"));
  if (nbf && now + leeway < *nbf) return unauthenticated("token not yet valid (nbf)");
  // iat is only checked for its form: an issuer's clock ahead of ours is skew, not an attack.
  if (auto iat = numeric_claim(claims, "iat"); !iat) return iat.error();

  const auto* iss = claims.if_contains("iss");
  if (iss == nullptr || !iss->is_string() || iss->get_string() != config_.issuer) {
    return unauthenticated("wrong issuer");
  }
  const auto* aud = claims.if_contains("aud");
  bool audience_ok = false;
  if (aud != nullptr && aud->is_string()) {
    audience_ok = aud->get_string() == config_.audience;
  } else if (aud != nullptr && aud->is_array()) {
    for (const auto& entry : aud->get_array()) {
      if (entry.is_string() && entry.get_string() == config_.audience) audience_ok = true;
    }
  }
  if (!audience_ok) return unauthenticated("wrong audience");
  const auto* sub = claims.if_contains("sub");
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty()) {
    return unauthenticated("token has no subject (sub)");
  }
  if (!valid_user_id(sub->get_string())) {
    return unauthenticated(
        "token subject (sub) is not a valid user id: 1 to 128 of A-Z a-z 0-9 . _ - @ : |");
  }
  return std::pair(std::string(sub->get_string()), *exp);
}

std::string issue_token(const JwtConfig& config, std::string_view subject, std::chrono::seconds ttl,
                        std::string_view private_key_pem) {
  const auto alg = alg_of(config.algorithm);
  const std::string key(alg == JWT_ALG_RS256 ? private_key_pem : std::string_view(config.secret));
  if (key.empty()) throw std::invalid_argument("issue_token: no signing key");
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string sub(subject);
  int rc = jwt_add_grant(jwt.get(), "sub", sub.c_str());
  rc |= jwt_add_grant(jwt.get(), "iss", config.issuer.c_str());
  rc |= jwt_add_grant(jwt.get(), "aud", config.audience.c_str());
  rc |= jwt_add_grant_int(jwt.get(), "iat", now);
  rc |= jwt_add_grant_int(jwt.get(), "nbf", now);
  rc |= jwt_add_grant_int(jwt.get(), "exp", now + ttl.count());
  rc |= jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                    static_cast<int>(key.size()));
  if (rc != 0) throw std::runtime_error("issue_token: cannot build the token");
  CharPtr token(jwt_encode_str(jwt.get()));
  if (!token) throw std::runtime_error("issue_token: signing failed");
  return std::string(token.get());
}

}  // namespace platform::http
