// The carrier calendar simulator's real binary, driven over HTTP: the API key, the calendar, bad
// parameters, bookings until a day is full, every fault mode (through the kit's own HTTP client
// for the hang and the drop), the counters, reset, and a clean stop while a request hangs.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/httpclient/client.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/run.hpp"

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using platform::testing::HttpResult;

constexpr const char* kKey = "test-carrier-key";
using Headers = std::vector<std::pair<std::string, std::string>>;

class Simulator {
 public:
  Simulator()
      : port_(platform::testing::free_port()),
        process_(CARRIER_CALENDAR_SIM_BINARY, {},
                 {{"CARRIER_SIM_PORT", std::to_string(port_)},
                  {"CARRIER_API_KEY", kKey},
                  {"LOG_LEVEL", "debug"}},
                 ::testing::TempDir() + "carrier_calendar_sim_" +
                     platform::testing::unique_suffix() + ".log") {
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
      throw std::runtime_error("the simulator did not come up:\n" + process_.log_tail());
    }
  }

  [[nodiscard]] int port() const { return port_; }
  platform::testing::ChildProcess& process() { return process_; }

  [[nodiscard]] HttpResult api(const std::string& method, const std::string& target,
                               const std::string& body = {}, const std::string& key = kKey) const {
    Headers headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return platform::testing::http_call(port_, method, target, body, headers);
  }

  [[nodiscard]] HttpResult control(const std::string& method, const std::string& target,
                                   const std::string& body = {}) const {
    return platform::testing::http_call(port_, method, target, body);
  }

  [[nodiscard]] json::object state() const {
    return json::parse(control("GET", "/control/state").body).as_object();
  }

  void faults(const std::string& body) const {
    const auto answer = control("POST", "/control/faults", body);
    if (answer.status != 200) throw std::runtime_error("faults refused: " + answer.body);
  }

  void clock(const std::string& now) const {
    const auto answer = control("POST", "/control/clock", R"({"now": ")" + now + R"("})");
    if (answer.status != 200) throw std::runtime_error("clock refused: " + answer.body);
  }

  // One GET through the kit's outbound client: no retries, `timeout` per attempt.
  [[nodiscard]] platform::Result<platform::httpclient::ClientResponse> client_get(
      const std::string& target, std::chrono::milliseconds timeout) const {
    boost::asio::io_context io;
    platform::httpclient::ClientConfig config;
    config.name = "carrier_sim_test";
    config.base_url = "http://127.0.0.1:" + std::to_string(port_);
    config.request_timeout = timeout;
    config.max_retries = 0;
    platform::httpclient::HttpClient client(io, config);
    platform::httpclient::ClientRequest request;
    request.path_and_query = target;
    request.headers.emplace_back("Authorization", std::string("Bearer ") + kKey);
    return platform::testing::run(io, client.send(std::move(request)));
  }

 private:
  int port_;
  platform::testing::ChildProcess process_;
};

std::int64_t counter(const json::object& state, const char* name) {
  return state.at("counters").at(name).as_int64();
}

json::object body_of(const HttpResult& result) {
  return json::parse(result.body).as_object();
}

const json::object* day_on(const json::object& calendar, std::string_view date) {
  for (const auto& day : calendar.at("days").as_array()) {
    if (day.at("date").as_string() == date) return &day.as_object();
  }
  return nullptr;
}

void expect_problem(const HttpResult& result, int status, std::string_view mentions) {
  EXPECT_EQ(result.status, status) << result.body;
  EXPECT_EQ(result.header("content-type"), "application/problem+json");
  const auto problem = body_of(result);
  EXPECT_TRUE(problem.contains("type"));
  EXPECT_TRUE(problem.contains("title"));
  EXPECT_EQ(problem.at("status").as_int64(), status);
  EXPECT_NE(std::string(problem.at("detail").as_string()).find(mentions), std::string::npos)
      << result.body;
}

// One simulator for the whole suite (each test resets it).
std::unique_ptr<Simulator>& shared_simulator() {
  static std::unique_ptr<Simulator> simulator;
  return simulator;
}

class CarrierCalendarSim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_simulator() = std::make_unique<Simulator>(); }
  static void TearDownTestSuite() { shared_simulator().reset(); }
  void SetUp() override { ASSERT_EQ(sim().control("POST", "/control/reset").status, 200); }
  void TearDown() override {
    if (HasFailure()) std::cerr << sim().process().log_tail();
  }
  static Simulator& sim() { return *shared_simulator(); }
};

constexpr const char* kCalendar = "/v1/calendar?service=standard&postal_code=00-950&days=14";

TEST_F(CarrierCalendarSim, HealthzAnswers) {
  EXPECT_EQ(sim().control("GET", "/healthz").status, 200);
}

TEST_F(CarrierCalendarSim, TheApiWantsTheKey) {
  const auto without = sim().api("GET", kCalendar, {}, "");
  expect_problem(without, 401, "Authorization");
  EXPECT_EQ(without.header("www-authenticate"), "Bearer");
  expect_problem(sim().api("GET", kCalendar, {}, "wrong-key"), 401, "Authorization");
  expect_problem(sim().api("GET", kCalendar, {}, std::string(kKey) + "x"), 401, "Authorization");
  expect_problem(sim().api("POST", "/v1/bookings", "{}", "wrong-key"), 401, "Authorization");
  EXPECT_EQ(sim().api("GET", kCalendar).status, 200);
}

TEST_F(CarrierCalendarSim, ServesACalendarFromTomorrowInWarsaw) {
  // 23:30 UTC on 2 December is already 3 December in Warsaw: the list starts on the 4th.
  sim().clock("2026-12-02T23:30:00Z");
  const auto answer = sim().api("GET", kCalendar);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  const auto calendar = body_of(answer);
  EXPECT_EQ(calendar.at("service").as_string(), "standard");
  EXPECT_EQ(calendar.at("postal_code").as_string(), "00-950");
  EXPECT_EQ(calendar.at("region").as_string(), "warszawa");
  EXPECT_EQ(calendar.at("generated_at").as_string(), "2026-12-02T23:30:00Z");
  EXPECT_EQ(calendar.at("cutoff").as_string(), "14:00");
  const auto& days = calendar.at("days").as_array();
  ASSERT_EQ(days.size(), 14U);
  EXPECT_EQ(days[0].at("date").as_string(), "2026-12-04");
  EXPECT_EQ(days[0].at("available").as_bool(), true);
  EXPECT_EQ(days[0].at("capacity_left").as_int64(), 40);
  const auto& windows = days[0].at("windows").as_array();
  ASSERT_EQ(windows.size(), 3U);
  EXPECT_EQ(windows[2].at("from").as_string(), "18:00");
  EXPECT_EQ(windows[2].at("to").as_string(), "22:00");
  const auto* sunday = day_on(calendar, "2026-12-06");  // Warszawa has Sunday deliveries
  ASSERT_NE(sunday, nullptr);
  EXPECT_TRUE(sunday->at("available").as_bool());
  EXPECT_EQ(sunday->at("capacity_left").as_int64(), 5);

  // Radom: no Sundays; Christmas is a holiday. days defaults to 14.
  const auto radom =
      body_of(sim().api("GET", "/v1/calendar?service=standard&postal_code=26-600&days=31"));
  EXPECT_EQ(radom.at("region").as_string(), "lubelskie_swietokrzyskie");
  const auto* radom_sunday = day_on(radom, "2026-12-06");
  ASSERT_NE(radom_sunday, nullptr);
  EXPECT_FALSE(radom_sunday->at("available").as_bool());
  EXPECT_EQ(radom_sunday->at("reason").as_string(), "sunday");
  EXPECT_EQ(radom_sunday->at("capacity_left").as_int64(), 0);
  EXPECT_TRUE(radom_sunday->at("windows").as_array().empty());
  const auto* christmas = day_on(radom, "2026-12-25");
  ASSERT_NE(christmas, nullptr);
  EXPECT_EQ(christmas->at("reason").as_string(), "holiday");
  EXPECT_EQ(christmas->at("holiday").as_string(), "Boże Narodzenie");
  EXPECT_EQ(body_of(sim().api("GET", "/v1/calendar?service=locker&postal_code=26-600"))
                .at("days")
                .as_array()
                .size(),
            14U);
}

TEST_F(CarrierCalendarSim, TheCutoffFollowsTheFixedClock) {
  sim().clock("2026-12-02T12:59:00Z");  // 13:59 in Warsaw
  auto calendar = body_of(sim().api("GET", kCalendar));
  EXPECT_TRUE(day_on(calendar, "2026-12-03")->at("available").as_bool());
  sim().clock("2026-12-02T13:00:00Z");  // 14:00
  calendar = body_of(sim().api("GET", kCalendar));
  EXPECT_EQ(day_on(calendar, "2026-12-03")->at("reason").as_string(), "too_soon");
  EXPECT_TRUE(day_on(calendar, "2026-12-04")->at("available").as_bool());
  sim().clock("2026-12-04T15:00:00+01:00");  // Friday after the cut-off
  calendar = body_of(sim().api("GET", kCalendar));
  EXPECT_EQ(day_on(calendar, "2026-12-07")->at("reason").as_string(), "too_soon");
  EXPECT_TRUE(day_on(calendar, "2026-12-08")->at("available").as_bool());
}

TEST_F(CarrierCalendarSim, BadParametersAre400NamingThemAndAnUnknownService404) {
  expect_problem(sim().api("GET", "/v1/calendar?service=standard&postal_code=00950"), 400,
                 "'postal_code'");
  expect_problem(sim().api("GET", "/v1/calendar?service=standard&postal_code=00-95x"), 400,
                 "'postal_code'");
  expect_problem(sim().api("GET", "/v1/calendar?service=standard"), 400, "'postal_code'");
  expect_problem(sim().api("GET", "/v1/calendar?postal_code=00-950"), 400, "'service'");
  for (const char* days : {"0", "32", "abc", "-1", "1.5", ""}) {
    expect_problem(
        sim().api("GET",
                  std::string("/v1/calendar?service=standard&postal_code=00-950&days=") + days),
        400, "'days'");
  }
  expect_problem(sim().api("GET", "/v1/calendar?service=express&postal_code=00-950"), 404,
                 "express");
}

TEST_F(CarrierCalendarSim, BookingsTakeCapacityUntilTheDayIsFull) {
  sim().clock("2026-12-02T09:00:00Z");
  const std::string order =
      R"({"service": "two_person", "postal_code": "00-950", "date": "2026-12-07"})";
  std::vector<std::string> ids;
  for (int i = 1; i <= 6; ++i) {
    const auto booked = sim().api("POST", "/v1/bookings", order);
    ASSERT_EQ(booked.status, 201) << booked.body;
    const auto booking = body_of(booked);
    ids.emplace_back(booking.at("booking_id").as_string());
    EXPECT_EQ(booking.at("date").as_string(), "2026-12-07");
    EXPECT_EQ(booking.at("capacity_left").as_int64(), 6 - i);
  }
  EXPECT_EQ(ids.front(), "bk-000001");
  EXPECT_EQ(ids.back(), "bk-000006");
  const auto full = sim().api("POST", "/v1/bookings", order);
  expect_problem(full, 409, "full");
  EXPECT_EQ(body_of(full).at("type").as_string(), "https://checkout.local/problems/full");
  const auto calendar =
      body_of(sim().api("GET", "/v1/calendar?service=two_person&postal_code=02-001&days=7"));
  const auto* day = day_on(calendar, "2026-12-07");
  ASSERT_NE(day, nullptr);
  EXPECT_FALSE(day->at("available").as_bool());
  EXPECT_EQ(day->at("reason").as_string(), "full");
  EXPECT_EQ(day->at("capacity_left").as_int64(), 0);
  EXPECT_EQ(counter(sim().state(), "bookings"), 6);
}

TEST_F(CarrierCalendarSim, BookingsAreValidated) {
  sim().clock("2026-12-02T09:00:00Z");
  expect_problem(sim().api("POST", "/v1/bookings",
                           R"({"service": "standard", "postal_code": "00-950", "date": "2026-12-03",
                               "window": "08:00"})"),
                 400, "'window'");
  expect_problem(
      sim().api("POST", "/v1/bookings", R"({"service": "standard", "date": "2026-12-03"})"), 400,
      "'postal_code'");
  expect_problem(sim().api("POST", "/v1/bookings",
                           R"({"service": "standard", "postal_code": "00-950", "date": "3.12"})"),
                 400, "'date'");
  expect_problem(
      sim().api("POST", "/v1/bookings",
                R"({"service": "courier", "postal_code": "00-950", "date": "2026-12-03"})"),
      404, "courier");
  expect_problem(
      sim().api("POST", "/v1/bookings",
                R"({"service": "standard", "postal_code": "00-950", "date": "2026-12-02"})"),
      409, "too_soon");
  expect_problem(
      sim().api("POST", "/v1/bookings",
                R"({"service": "standard", "postal_code": "00-950", "date": "2026-12-25"})"),
      409, "holiday");
  expect_problem(sim().api("POST", "/v1/bookings", "{"), 400, "");
  EXPECT_EQ(counter(sim().state(), "bookings"), 0);
}

TEST_F(CarrierCalendarSim, LatencyComesBeforeEveryApiAnswer) {
  sim().faults(R"({"latency_ms": 200})");
  const auto started = std::chrono::steady_clock::now();
  const auto answer = sim().api("GET", kCalendar);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(answer.status, 200);
  EXPECT_GE(took, 200ms);
  EXPECT_EQ(sim().state().at("faults").at("latency_ms").as_int64(), 200);
}

TEST_F(CarrierCalendarSim, ErrorStatusInsteadOfTheAnswer) {
  sim().faults(R"({"error_status": 503})");
  const auto answer = sim().api("GET", kCalendar);
  expect_problem(answer, 503, "injected");
  EXPECT_EQ(answer.header("retry-after"), "1");
  expect_problem(sim().api("GET", kCalendar, {}, "wrong-key"), 503, "injected");
  sim().faults(R"({"error_status": 500})");
  expect_problem(sim().api("POST", "/v1/bookings", "{}"), 500, "injected");

  // With a rate, the seed decides which requests fail, the same way every time.
  auto statuses = [] {
    sim().faults(R"({"error_status": 500, "error_rate": 0.5, "seed": 7})");
    std::vector<int> out;
    out.reserve(20);
    for (int i = 0; i < 20; ++i) out.push_back(sim().api("GET", kCalendar).status);
    return out;
  };
  const auto first = statuses();
  EXPECT_EQ(statuses(), first);
  EXPECT_NE(std::count(first.begin(), first.end(), 500), 0);
  EXPECT_NE(std::count(first.begin(), first.end(), 200), 0);
}

TEST_F(CarrierCalendarSim, HangHoldsTheRequestUntilTheClientGivesUp) {
  sim().faults(R"({"hang": true})");
  const auto started = std::chrono::steady_clock::now();
  const auto answer = sim().client_get(kCalendar, 300ms);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, platform::Errc::timeout) << answer.error().message;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 5s);
  // The simulator still holds it (the client's close is not seen until it answers); a reset
  // lets it go.
  EXPECT_EQ(sim().state().at("held_requests").as_int64(), 1);
  ASSERT_EQ(sim().control("POST", "/control/reset").status, 200);
  EXPECT_TRUE(platform::testing::eventually(
      [] { return sim().state().at("held_requests").as_int64() == 0; }, 5s));
  EXPECT_EQ(sim().api("GET", kCalendar).status, 200);
}

TEST_F(CarrierCalendarSim, DropLeavesTheClientWithoutAnAnswer) {
  sim().faults(R"({"drop": true})");
  const auto answer = sim().client_get(kCalendar, 2000ms);
  ASSERT_FALSE(answer) << answer->status;
  EXPECT_EQ(answer.error().code, platform::Errc::unavailable) << answer.error().message;
  EXPECT_THROW((void)sim().api("GET", kCalendar), std::exception);
  EXPECT_EQ(counter(sim().state(), "requests"), 2);
}

TEST_F(CarrierCalendarSim, CountersCountApiCallsNotControlCalls) {
  sim().clock("2026-12-02T09:00:00Z");
  EXPECT_EQ(sim().api("GET", kCalendar).status, 200);
  EXPECT_EQ(sim().api("GET", kCalendar, {}, "wrong-key").status, 401);
  EXPECT_EQ(sim().api("GET", "/v1/calendar?service=nope&postal_code=00-950").status, 404);
  EXPECT_EQ(sim()
                .api("POST", "/v1/bookings",
                     R"({"service": "standard", "postal_code": "00-950", "date": "2026-12-03"})")
                .status,
            201);
  EXPECT_EQ(sim().api("POST", "/v1/bookings", "{}").status, 400);
  EXPECT_EQ(sim().control("GET", "/healthz").status, 200);
  EXPECT_EQ(sim().control("GET", "/control/state").status, 200);
  const auto state = sim().state();
  EXPECT_EQ(counter(state, "requests"), 5);
  EXPECT_EQ(counter(state, "calendar_requests"), 3);
  EXPECT_EQ(counter(state, "booking_requests"), 2);
  EXPECT_EQ(counter(state, "bookings"), 1);
  // Faulted requests count too: a breaker test compares the counter before and after.
  sim().faults(R"({"error_status": 503})");
  EXPECT_EQ(sim().api("GET", kCalendar).status, 503);
  EXPECT_EQ(counter(sim().state(), "requests"), 6);
}

TEST_F(CarrierCalendarSim, ResetClearsFaultsBookingsClockAndCounters) {
  sim().clock("2026-12-02T09:00:00Z");
  const std::string order =
      R"({"service": "two_person", "postal_code": "00-950", "date": "2026-12-07"})";
  for (int i = 0; i < 6; ++i) ASSERT_EQ(sim().api("POST", "/v1/bookings", order).status, 201);
  sim().faults(R"({"latency_ms": 5, "error_status": 502, "error_rate": 0.0, "seed": 3})");
  const auto before = sim().state();
  EXPECT_EQ(before.at("clock").at("fixed").as_string(), "2026-12-02T09:00:00Z");
  EXPECT_EQ(before.at("clock").at("now").as_string(), "2026-12-02T09:00:00Z");
  EXPECT_EQ(before.at("faults").at("error_status").as_int64(), 502);

  const auto reset = sim().control("POST", "/control/reset");
  ASSERT_EQ(reset.status, 200);
  const auto after = body_of(reset);
  EXPECT_EQ(after.at("faults"), sim().state().at("faults"));
  EXPECT_TRUE(after.at("clock").at("fixed").is_null());
  EXPECT_EQ(after.at("faults").at("latency_ms").as_int64(), 0);
  EXPECT_TRUE(after.at("faults").at("error_status").is_null());
  EXPECT_FALSE(after.at("faults").at("hang").as_bool());
  EXPECT_FALSE(after.at("faults").at("drop").as_bool());
  for (const char* name : {"requests", "calendar_requests", "booking_requests", "bookings"}) {
    EXPECT_EQ(counter(after, name), 0) << name;
  }
  sim().clock("2026-12-02T09:00:00Z");
  EXPECT_EQ(sim().api("POST", "/v1/bookings", order).status, 201);
}

TEST_F(CarrierCalendarSim, ControlRejectsUnknownFieldsAndBadValues) {
  expect_problem(sim().control("POST", "/control/faults", R"({"latncy_ms": 5})"), 400,
                 "'latncy_ms'");
  expect_problem(sim().control("POST", "/control/faults", R"({"error_rate": 2})"), 400,
                 "'error_rate'");
  expect_problem(sim().control("POST", "/control/clock", R"({"now": "yesterday"})"), 400, "'now'");
  expect_problem(sim().control("POST", "/control/clock", R"({})"), 400, "'now'");
  expect_problem(sim().control("POST", "/control/clock", R"({"now": null, "tz": "UTC"})"), 400,
                 "'tz'");
  ASSERT_EQ(sim().control("POST", "/control/clock", R"({"now": null})").status, 200);
  EXPECT_TRUE(sim().state().at("clock").at("fixed").is_null());
}

TEST(CarrierCalendarSimProcess, StopsCleanlyOnSigtermWhileARequestHangs) {
  Simulator sim;
  sim.faults(R"({"hang": true})");
  int answered = 0;
  std::thread client([&sim, &answered] {
    try {
      answered = sim.api("GET", kCalendar).status;
    } catch (const std::exception& e) {
      std::cerr << "the held request ended without an answer: " << e.what() << "\n";
    }
  });
  const bool held = platform::testing::eventually(
      [&sim] { return sim.state().at("held_requests").as_int64() == 1; }, 5s);
  const auto started = std::chrono::steady_clock::now();
  const int status = sim.process().stop(SIGTERM, 10s);
  const auto took = std::chrono::steady_clock::now() - started;
  client.join();
  EXPECT_TRUE(held);
  EXPECT_EQ(answered, 503);  // released by the shutdown, answered before the server stopped
  EXPECT_EQ(status, 0) << sim.process().log_tail();
  EXPECT_LT(took, 5s);
}

}  // namespace
