#include "platform/http/auth.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace platform::http {
namespace {
using std::chrono::seconds;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string base64url(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : data) {
    acc = (acc << 8U) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> static_cast<unsigned>(bits)) & 0x3fU]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << static_cast<unsigned>(6 - bits)) & 0x3fU]);
  return out;
}

// Builds a token by hand so a test can set any header and claims, signed with HMAC-SHA256
// (an empty signature for alg "none").
std::string hand_made_token(const boost::json::object& header, const boost::json::object& claims,
                            std::string_view hmac_key) {
  const auto signing_input =
      base64url(boost::json::serialize(header)) + "." + base64url(boost::json::serialize(claims));
  if (hmac_key.empty()) return signing_input + ".";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), hmac_key.data(), static_cast<int>(hmac_key.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_size);
  return signing_input + "." +
         base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

boost::json::object good_claims() {
  const auto now = now_seconds();
  return {{"sub", "user-1"}, {"iss", "checkout-local"}, {"aud", "checkout"}, {"iat", now},
          {"nbf", now},      {"exp", now + 300}};
}

JwtConfig hs256() {
  JwtConfig config;
  config.secret = "test-secret";
  return config;
}

std::string bearer(const std::string& token) {
  return "Bearer " + token;
}

void expect_rejected(const JwtVerifier& verifier, const std::string& header,
                     std::string_view reason) {
  auto result = verifier.verify_bearer(header);
  ASSERT_FALSE(result) << "accepted: " << header;
  EXPECT_EQ(result.error().code, Errc::unauthenticated);
  EXPECT_NE(result.error().message.find(reason), std::string::npos)
      << "reason was: " << result.error().message;
}

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair generate_rsa_key_pair() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_RSA_gen failed");
  const auto to_string = [](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (write(bio.get()) != 1) throw std::runtime_error("PEM write failed");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
  };
  KeyPair pair;
  pair.private_pem = to_string([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  pair.public_pem = to_string([&](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key.get()); });
  return pair;
}

const KeyPair& key_pair() {
  static const KeyPair pair = generate_rsa_key_pair();
  return pair;
}

TEST(JwtVerifier, AcceptsAGoodTokenAndReturnsTheSubject) {
  const JwtVerifier verifier(hs256());
  auto user = verifier.verify_bearer(bearer(issue_token(hs256(), "user-42", seconds(60))));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(*user, "user-42");
  // The scheme is case-insensitive.
  EXPECT_TRUE(verifier.verify_bearer("bearer " + issue_token(hs256(), "u", seconds(60))));
}

TEST(JwtVerifier, RejectsMissingOrMalformedHeaders) {
  const JwtVerifier verifier(hs256());
  expect_rejected(verifier, "", "missing bearer token");
  expect_rejected(verifier, "Bearer ", "missing bearer token");
  expect_rejected(verifier, "Basic dXNlcjpwYXNz", "Bearer");
  expect_rejected(verifier, "Bearer not-a-jwt", "malformed");
}

TEST(JwtVerifier, RejectsExpiredTokenBeyondLeeway) {
  const JwtVerifier verifier(hs256());
  expect_rejected(verifier, bearer(issue_token(hs256(), "u", seconds(-31))), "token expired");
  // Within the 30 s leeway it still passes.
  EXPECT_TRUE(verifier.verify_bearer(bearer(issue_token(hs256(), "u", seconds(-10)))));
}

TEST(JwtVerifier, RejectsTokenNotYetValid) {
  const JwtVerifier verifier(hs256());
  auto claims = good_claims();
  claims["nbf"] = now_seconds() + 120;
  expect_rejected(
      verifier, bearer(hand_made_token({{"alg", "HS256"}, {"typ", "JWT"}}, claims, "test-secret")),
      "not yet valid");
}

TEST(JwtVerifier, RejectsWrongIssuerAudienceAndMissingSubject) {
  const JwtVerifier verifier(hs256());
  const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  auto claims = good_claims();
  claims["iss"] = "someone-else";
  expect_rejected(verifier, bearer(hand_made_token(header, claims, "test-secret")), "wrong issuer");
  claims = good_claims();
  claims["aud"] = "payments";
  expect_rejected(verifier, bearer(hand_made_token(header, claims, "test-secret")),
                  "wrong audience");
  claims["aud"] = boost::json::array{"payments", "checkout"};
  EXPECT_TRUE(verifier.verify_bearer(bearer(hand_made_token(header, claims, "test-secret"))));
  claims = good_claims();
  claims["sub"] = "";
  expect_rejected(verifier, bearer(hand_made_token(header, claims, "test-secret")), "subject");
  claims = good_claims();
  claims.erase("exp");
  expect_rejected(verifier, bearer(hand_made_token(header, claims, "test-secret")), "expiry");
}

TEST(JwtVerifier, RejectsBadSignature) {
  const JwtVerifier verifier(hs256());
  auto other = hs256();
  other.secret = "another-secret";
  expect_rejected(verifier, bearer(issue_token(other, "u", seconds(60))), "signature");
  // A tampered payload with the original signature.
  auto token = issue_token(hs256(), "u", seconds(60));
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  auto claims = good_claims();
  claims["sub"] = "admin";
  token.replace(first + 1, second - first - 1, base64url(boost::json::serialize(claims)));
  expect_rejected(verifier, bearer(token), "signature");
}

TEST(JwtVerifier, RejectsAlgNone) {
  const JwtVerifier verifier(hs256());
  expect_rejected(verifier, bearer(hand_made_token({{"alg", "none"}}, good_claims(), "")),
                  "unexpected algorithm");
}

TEST(JwtVerifier, RejectsRs256TokenWhenPinnedToHs256) {
  const JwtVerifier verifier(hs256());
  auto rs = hs256();
  rs.algorithm = "RS256";
  const auto token = issue_token(rs, "u", seconds(60), key_pair().private_pem);
  expect_rejected(verifier, bearer(token), "unexpected algorithm");
}

TEST(JwtVerifier, RejectsHs256TokenSignedWithThePublicKeyWhenPinnedToRs256) {
  // The classic key-confusion attack: the attacker knows the public key and uses it as an
  // HMAC secret, hoping the verifier trusts the token's alg.
  JwtConfig config = hs256();
  config.algorithm = "RS256";
  config.public_key_pem = key_pair().public_pem;
  const JwtVerifier verifier(config);
  const auto forged =
      hand_made_token({{"alg", "HS256"}, {"typ", "JWT"}}, good_claims(), key_pair().public_pem);
  expect_rejected(verifier, bearer(forged), "unexpected algorithm");
}

TEST(JwtVerifier, Rs256HappyPathAndWrongKey) {
  JwtConfig config = hs256();
  config.algorithm = "RS256";
  config.public_key_pem = key_pair().public_pem;
  const JwtVerifier verifier(config);
  auto user = verifier.verify_bearer(
      bearer(issue_token(config, "rsa-user", seconds(60), key_pair().private_pem)));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(*user, "rsa-user");

  const auto other = generate_rsa_key_pair();
  expect_rejected(verifier, bearer(issue_token(config, "u", seconds(60), other.private_pem)),
                  "signature");
}

TEST(JwtVerifier, UsesTheInjectedClock) {
  struct FixedClock final : Clock {
    TimePoint now() const override { return std::chrono::system_clock::now() + seconds(3600); }
  } later;
  const JwtVerifier verifier(hs256(), &later);
  expect_rejected(verifier, bearer(issue_token(hs256(), "u", seconds(60))), "token expired");
}

TEST(JwtVerifier, RejectsTimeClaimsOutOfRangeOrNotWholeSeconds) {
  const JwtVerifier verifier(hs256());
  const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  const std::vector<boost::json::value> bad = {
      1e300, -1e300, 1e19,  9.3e18, 253402300800.0, boost::json::value(std::int64_t{253402300800}),
      -1,    1.5,    "123", true,   nullptr,        boost::json::array{1},
  };
  for (const char* name : {"exp", "nbf", "iat"}) {
    for (const auto& value : bad) {
      auto claims = good_claims();
      claims[name] = value;
      const auto token = bearer(hand_made_token(header, claims, "test-secret"));
      auto result = verifier.verify_bearer(token);
      if (result) {
        ADD_FAILURE() << name << "=" << boost::json::serialize(value) << " was accepted";
        continue;
      }
      EXPECT_EQ(result.error().code, Errc::unauthenticated);
      EXPECT_NE(result.error().message.find(std::string("'") + name + "'"), std::string::npos)
          << name << "=" << boost::json::serialize(value) << ": " << result.error().message;
    }
  }
}

TEST(JwtVerifier, RejectsAnUnsigned64BitTime) {
  // Larger than any int64: whichever layer refuses it, the token is invalid.
  const JwtVerifier verifier(hs256());
  const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  for (const char* name : {"exp", "nbf", "iat"}) {
    auto claims = good_claims();
    claims[name] = std::uint64_t{18446744073709551615U};
    const auto result =
        verifier.verify_bearer(bearer(hand_made_token(header, claims, "test-secret")));
    ASSERT_FALSE(result) << name;
    EXPECT_EQ(result.error().code, Errc::unauthenticated);
  }
}

TEST(JwtVerifier, AcceptsWholeSecondTimesWrittenAsDoublesAndTheRangeEnds) {
  const JwtVerifier verifier(hs256());
  const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  auto claims = good_claims();
  claims["exp"] = static_cast<double>(now_seconds() + 300);
  claims["nbf"] = 0;
  claims["iat"] = static_cast<double>(now_seconds());
  auto user = verifier.verify_bearer(bearer(hand_made_token(header, claims, "test-secret")));
  ASSERT_TRUE(user) << user.error().message;
  claims["exp"] = kMaxNumericDate;
  user = verifier.verify_bearer(bearer(hand_made_token(header, claims, "test-secret")));
  ASSERT_TRUE(user) << user.error().message;
}

TEST(ValidUserId, LengthAndCharacters) {
  EXPECT_TRUE(valid_user_id("user-1"));
  EXPECT_TRUE(valid_user_id("guest:9f1c|web@shop.pl_A-Z.09"));
  EXPECT_TRUE(valid_user_id(std::string(kMaxUserIdLength, 'a')));
  EXPECT_FALSE(valid_user_id(""));
  EXPECT_FALSE(valid_user_id(std::string(kMaxUserIdLength + 1, 'a')));
  EXPECT_FALSE(valid_user_id(std::string(10000, 'a')));
  const std::vector<std::string> bad_ids = {
      "user{1}", "{user}",    "a b", "a\tb", "a\nb", std::string("a\0b", 3),
      "a\x7f",   "u\xc5\xbc", "a/b", "a%20", "a#b",  "a*",
      "a\"b",    "a'b",       "a,b", "a;b",  "a=b",  "a\\b"};
  for (const auto& bad : bad_ids) {
    EXPECT_FALSE(valid_user_id(bad)) << bad;
  }
  for (char c = 0; c < 127; ++c) {
    const bool expected = std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                          std::string_view("._-@:|").find(c) != std::string_view::npos;
    EXPECT_EQ(valid_user_id(std::string(1, c)), expected) << int(c);
  }
}

TEST(JwtVerifier, RejectsASubjectThatIsNotAValidUserId) {
  const JwtVerifier verifier(hs256());
  const std::vector<std::string> bad_subjects = {
      std::string(10000, 'a'),    std::string(kMaxUserIdLength + 1, 'u'), "user{1}", "a b", "a\nb",
      "\xc5\xbc\xc3\xb3\xc5\x82w"};
  for (const auto& sub : bad_subjects) {
    expect_rejected(verifier, bearer(issue_token(hs256(), sub, seconds(60))),
                    "not a valid user id");
  }
  auto user = verifier.verify_bearer(
      bearer(issue_token(hs256(), std::string(kMaxUserIdLength, 'u'), seconds(60))));
  ASSERT_TRUE(user) << user.error().message;
  user = verifier.verify_bearer(bearer(issue_token(hs256(), "guest:abc|x@y.z_-", seconds(60))));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(*user, "guest:abc|x@y.z_-");
}

TEST(JwtConfig, FromEnvDefaultsAndValidation) {
  unsetenv("JWT_ALGORITHM");
  unsetenv("JWT_SECRET");
  unsetenv("JWT_PUBLIC_KEY_FILE");
  unsetenv("JWT_LEEWAY_SECONDS");
  const auto config = JwtConfig::from_env();
  EXPECT_EQ(config.algorithm, "HS256");
  EXPECT_EQ(config.secret, "dev-secret-change-me");
  EXPECT_EQ(config.issuer, "checkout-local");
  EXPECT_EQ(config.audience, "checkout");
  EXPECT_EQ(config.leeway, seconds(30));
  setenv("JWT_ALGORITHM", "none", 1);
  EXPECT_THROW(JwtConfig::from_env(), std::invalid_argument);
  unsetenv("JWT_ALGORITHM");
  JwtConfig rs = config;
  rs.algorithm = "RS256";
  EXPECT_THROW(JwtVerifier{rs}, std::invalid_argument);  // no public key
}

}  // namespace
}  // namespace platform::http

namespace platform::http {
namespace {
using std::chrono::seconds;

// A clock the test moves by hand.
struct SettableClock final : platform::Clock {
  platform::TimePoint at = std::chrono::system_clock::now();
  platform::TimePoint now() const override { return at; }
};

TEST(JwtVerifier, ACachedTokenStillExpires) {
  SettableClock clock;
  const JwtVerifier verifier(hs256(), &clock);
  const auto token = bearer(issue_token(hs256(), "user-7", seconds(60)));
  ASSERT_TRUE(verifier.verify_bearer(token));
  auto again = verifier.verify_bearer(token);  // from the cache
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "user-7");
  clock.at += seconds(60 + 31);  // past exp + the 30 s leeway
  expect_rejected(verifier, token, "token expired");
}

TEST(JwtVerifier, TheCacheIsKeyedByTheWholeToken) {
  const JwtVerifier verifier(hs256());
  const auto token = issue_token(hs256(), "user-8", seconds(60));
  ASSERT_TRUE(verifier.verify_bearer(bearer(token)));
  // The same claims with a forged signature are verified, not looked up.
  const auto forged = token.substr(0, token.rfind('.') + 1) + "AAAA";
  EXPECT_FALSE(verifier.verify_bearer(bearer(forged)));
}

}  // namespace
}  // namespace platform::http
