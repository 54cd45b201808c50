// A signed dev token against the kit's own verifier: its subject, and an expiry at expires_at.
#include "token.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "platform/clock.hpp"
#include "platform/http/auth.hpp"

namespace {
using namespace std::chrono_literals;

class FixedClock final : public platform::Clock {
 public:
  explicit FixedClock(platform::TimePoint now) : now_(now) {}
  [[nodiscard]] platform::TimePoint now() const override { return now_; }

 private:
  platform::TimePoint now_;
};

platform::http::JwtConfig config() {
  platform::http::JwtConfig config;
  config.secret = "dev-auth-unit-test-secret";
  config.leeway = 0s;
  config.cache_size = 0;
  return config;
}

TEST(Token, CarriesTheUserAndExpiresAtExpiresAt) {
  const auto before = std::chrono::system_clock::now();
  const auto issued = dev_auth::issue(config(), "anna.kowalska", 3600s);
  EXPECT_EQ(issued.user_id, "anna.kowalska");
  EXPECT_GE(issued.expires_at, std::chrono::floor<std::chrono::seconds>(before) + 3600s);
  EXPECT_LE(issued.expires_at, std::chrono::system_clock::now() + 3600s);
  EXPECT_EQ(issued.expires_at, std::chrono::floor<std::chrono::seconds>(issued.expires_at));

  // exp is the last second the token is good for (with JWT_LEEWAY_SECONDS=0).
  const FixedClock last_second(issued.expires_at);
  const auto subject =
      platform::http::JwtVerifier(config(), &last_second).verify_bearer("Bearer " + issued.token);
  ASSERT_TRUE(subject) << subject.error().message;
  EXPECT_EQ(*subject, "anna.kowalska");

  const FixedClock at_expiry(issued.expires_at + 1s);
  const auto expired =
      platform::http::JwtVerifier(config(), &at_expiry).verify_bearer("Bearer " + issued.token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "token expired");
}

TEST(Token, IsRefusedWithAnotherSecret) {
  const auto issued = dev_auth::issue(config(), "anna", 60s);
  auto other = config();
  other.secret = "another-secret";
  EXPECT_FALSE(platform::http::JwtVerifier(other).verify_bearer("Bearer " + issued.token));
}

}  // namespace
