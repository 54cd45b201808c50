// The dev sign-in's real binary, driven over HTTP: a guest token and a named user's token, each
// verified with the kit's JWT verifier as the services verify them (sub; exp at expires_at after
// the configured lifetime), and every refusal: bad names, the guest prefix, malformed and
// foreign bodies, and a start with another JWT_ALGORITHM.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "platform/clock.hpp"
#include "platform/http/auth.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using platform::testing::HttpResult;
using Env = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSecret = "dev-auth-test-secret";
constexpr std::int64_t kGuestTtl = 7200;
constexpr std::int64_t kUserTtl = 600;

std::string log_file() {
  return ::testing::TempDir() + "dev_auth_" + platform::testing::unique_suffix() + ".log";
}

Env environment(int port, const Env& more = {}) {
  Env env{{"DEV_AUTH_PORT", std::to_string(port)},
          {"DEV_AUTH_GUEST_TTL_S", std::to_string(kGuestTtl)},
          {"DEV_AUTH_USER_TTL_S", std::to_string(kUserTtl)},
          {"JWT_ALGORITHM", "HS256"},
          {"JWT_SECRET", kSecret},
          {"JWT_ISSUER", "dev-auth-test"},
          {"JWT_AUDIENCE", "checkout-test"},
          {"LOG_LEVEL", "debug"}};
  for (const auto& entry : more) {
    const auto& name = entry.first;
    const auto same =
        std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.first == name; });
    if (same != env.end()) {
      same->second = entry.second;
    } else {
      env.push_back(entry);
    }
  }
  return env;
}

class DevAuth {
 public:
  DevAuth()
      : port_(platform::testing::free_port()),
        process_(DEV_AUTH_BINARY, {}, environment(port_), log_file()) {
    process_.start();
    const bool up = platform::testing::eventually(
        [this] {
          if (!process_.running()) return true;  // reported below
          try {
            return platform::testing::http_call(port_, "GET", "/healthz").status == 200;
          } catch (const std::exception&) {
            return false;
          }
        },
        20s, 10ms);
    if (!up || !process_.running()) {
      throw std::runtime_error("dev_auth did not come up:\n" + process_.log_tail());
    }
  }

  [[nodiscard]] HttpResult post(const std::string& target, const std::string& body,
                                const std::string& content_type = "application/json") const {
    Env headers;
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return platform::testing::http_call(port_, "POST", target, body, headers);
  }

  [[nodiscard]] int port() const { return port_; }
  platform::testing::ChildProcess& process() { return process_; }

 private:
  int port_;
  platform::testing::ChildProcess process_;
};

std::unique_ptr<DevAuth>& shared_dev_auth() {
  static std::unique_ptr<DevAuth> dev_auth;
  return dev_auth;
}

// The services' verifier with the test's settings, its clock at `now`.
class FixedClock final : public platform::Clock {
 public:
  explicit FixedClock(platform::TimePoint now) : now_(now) {}
  [[nodiscard]] platform::TimePoint now() const override { return now_; }

 private:
  platform::TimePoint now_;
};

platform::Result<std::string> verify(const std::string& token, platform::TimePoint now) {
  platform::http::JwtConfig config;
  config.secret = kSecret;
  config.issuer = "dev-auth-test";
  config.audience = "checkout-test";
  config.leeway = 0s;
  config.cache_size = 0;
  const FixedClock clock(now);
  return platform::http::JwtVerifier(config, &clock).verify_bearer("Bearer " + token);
}

json::object body_of(const HttpResult& result) {
  return json::parse(result.body).as_object();
}

// A token answer: its fields, its headers, and its token valid for its user until expires_at
// (which lies `ttl` seconds after the request) and not a second longer.
std::string expect_token(const HttpResult& answer, int status, std::int64_t ttl,
                         platform::TimePoint asked_at) {
  EXPECT_EQ(answer.status, status) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  EXPECT_EQ(answer.header("cache-control"), "no-store");
  const auto body = body_of(answer);
  EXPECT_EQ(body.size(), 3U) << answer.body;
  const std::string token(body.at("token").as_string());
  std::string user(body.at("user_id").as_string());
  const std::string expires_at(body.at("expires_at").as_string());

  const auto asked = std::chrono::floor<std::chrono::seconds>(asked_at);
  std::optional<platform::TimePoint> expiry;
  for (auto second = asked + std::chrono::seconds(ttl);
       second <= asked + std::chrono::seconds(ttl + 5); second += 1s) {
    if (platform::format_rfc3339(second) == expires_at) expiry = second;
  }
  EXPECT_TRUE(expiry) << "expires_at " << expires_at << " is not " << ttl
                      << " s after the request, to the second";
  if (!expiry) return user;

  const auto subject = verify(token, *expiry);
  EXPECT_TRUE(subject) << subject.error().message;
  if (subject) {
    EXPECT_EQ(*subject, user);
  }
  const auto late = verify(token, *expiry + 1s);
  EXPECT_FALSE(late) << "the token outlives expires_at " << expires_at;
  if (!late) {
    EXPECT_EQ(late.error().message, "token expired");
  }
  return user;
}

void expect_problem(const HttpResult& result, int status, std::string_view type,
                    std::string_view mentions = {}) {
  EXPECT_EQ(result.status, status) << result.body;
  EXPECT_EQ(result.header("content-type"), "application/problem+json");
  const auto problem = body_of(result);
  EXPECT_EQ(problem.at("status").as_int64(), status);
  EXPECT_EQ(problem.at("type").as_string(), "https://checkout.local/problems/" + std::string(type))
      << result.body;
  EXPECT_NE(std::string(problem.at("detail").as_string()).find(mentions), std::string::npos)
      << result.body;
}

class DevAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_dev_auth() = std::make_unique<DevAuth>(); }
  static void TearDownTestSuite() { shared_dev_auth().reset(); }
  void TearDown() override {
    if (HasFailure()) std::cerr << app().process().log_tail();
  }
  static DevAuth& app() { return *shared_dev_auth(); }
};

TEST_F(DevAuthTest, AGuestGetsANewRandomIdAndAToken) {
  const auto asked_at = std::chrono::system_clock::now();
  const auto first = expect_token(app().post("/auth/guest", ""), 201, kGuestTtl, asked_at);
  const auto second = expect_token(app().post("/auth/guest", "{}"), 201, kGuestTtl, asked_at);
  for (const auto& user : {first, second}) {
    EXPECT_EQ(user.size(), 38U) << user;
    EXPECT_TRUE(user.starts_with("guest-")) << user;
    EXPECT_EQ(user.find_first_not_of("0123456789abcdef", 6), std::string::npos) << user;
  }
  EXPECT_NE(first, second);
}

TEST_F(DevAuthTest, ANamedUserGetsATokenForTheirName) {
  const auto asked_at = std::chrono::system_clock::now();
  const auto answer = app().post("/auth/sign-in", R"({"user": "anna.kowalska"})");
  EXPECT_EQ(expect_token(answer, 200, kUserTtl, asked_at), "anna.kowalska");
}

TEST_F(DevAuthTest, RefusesNamesOutsideTheRuleInPolish) {
  for (const char* body : {R"({"user": "Anna"})", R"({"user": ""})", R"({"user": "anna kowalska"})",
                           R"({"user": "żaneta"})", R"({"user": ".anna"})"}) {
    SCOPED_TRACE(body);
    const auto answer = app().post("/auth/sign-in", body);
    expect_problem(answer, 422, "invalid_user_name", "Nazwa użytkownika: 1–64 znaki");
    const auto problem = body_of(answer);
    const auto& errors = problem.at("errors").as_array();
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].at("field").as_string(), "user");
  }
  expect_problem(app().post("/auth/sign-in", R"({"user": ")" + std::string(65, 'a') + R"("})"), 422,
                 "invalid_user_name", "1–64 znaki");
}

TEST_F(DevAuthTest, NoOneSignsInAsAGuest) {
  const auto guest = body_of(app().post("/auth/guest", ""));
  const auto as_guest = json::serialize(json::object{{"user", guest.at("user_id")}});
  expect_problem(app().post("/auth/sign-in", as_guest), 422, "invalid_user_name", "„guest-”");
}

TEST_F(DevAuthTest, RefusesBodiesThatAreNotASignIn) {
  expect_problem(app().post("/auth/sign-in", R"({"user": "anna")"), 400, "malformed_json");
  expect_problem(app().post("/auth/sign-in", ""), 400, "malformed_json");
  expect_problem(app().post("/auth/sign-in", R"(["anna"])"), 400, "malformed_json");
  expect_problem(app().post("/auth/sign-in", R"({"user": "a", "user": "b"})"), 400,
                 "malformed_json");
  expect_problem(app().post("/auth/sign-in", R"({})"), 422, "invalid_field", "„user”");
  expect_problem(app().post("/auth/sign-in", R"({"user": 7})"), 422, "invalid_field", "„user”");
  expect_problem(app().post("/auth/sign-in", R"({"user": "anna", "password": "x"})"), 422,
                 "invalid_field", "password");
  expect_problem(app().post("/auth/guest", R"({"user": "anna"})"), 422, "invalid_field", "user");
  expect_problem(app().post("/auth/guest", "{"), 400, "malformed_json");
  expect_problem(app().post("/auth/sign-in", "user=anna", "application/x-www-form-urlencoded"), 415,
                 "unsupported_media_type");
  const auto huge = R"({"user": ")" + std::string(5000, 'a') + R"("})";
  EXPECT_EQ(app().post("/auth/sign-in", huge).status, 413);
}

TEST_F(DevAuthTest, AnswersOnlyPostOnItsRoutes) {
  const auto get = platform::testing::http_call(app().port(), "GET", "/auth/guest");
  EXPECT_EQ(get.status, 405) << get.body;
  EXPECT_EQ(get.header("allow"), "POST");
  EXPECT_EQ(platform::testing::http_call(app().port(), "POST", "/auth/sign-out").status, 404);
}

// Starts of their own, not the suite's.
TEST(DevAuthStart, RefusesAnotherAlgorithmThanHs256) {
  const int port = platform::testing::free_port();
  platform::testing::ChildProcess process(
      DEV_AUTH_BINARY, {}, environment(port, {{"JWT_ALGORITHM", "RS256"}}), log_file());
  process.start();
  ASSERT_TRUE(platform::testing::eventually([&] { return !process.running(); }, 20s, 10ms))
      << "it runs with RS256:\n"
      << process.log_tail();
  EXPECT_NE(process.log_tail().find("signs HS256 tokens only"), std::string::npos)
      << process.log_tail();
}

TEST(DevAuthStart, StopsCleanlyOnSigterm) {
  DevAuth app;
  EXPECT_EQ(app.process().stop(SIGTERM), 0) << app.process().log_tail();
}

}  // namespace
