// The service skeleton through a real binary built on it (probe_service.cpp): routes, auth,
// readiness, a consumer with its group prefix, an admin command, the usage line and an orderly
// stop on SIGTERM.
#include "platform/app/service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <csignal>
#include <cstdio>

#include "platform/kafka/producer.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"
#include "platform/testing/service_process.hpp"

namespace platform::app {
namespace {
using namespace std::chrono_literals;
using testing::eventually;
using testing::redis_command;

// Runs the binary with arguments and the test Redis; returns (exit status, stdout).
std::pair<int, std::string> run_binary(const std::string& args) {
  const auto command = "REDIS_HOST=" + testing::redis_host() +
                       " REDIS_PORT=" + std::to_string(testing::redis_port()) + " " +
                       PROBE_SERVICE_BINARY + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class ServiceSkeletonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    suffix_ = testing::unique_suffix();
    topic_ = "probe-events-" + suffix_;
    counter_ = "probe:count:{" + suffix_ + "}";
    service_ = std::make_unique<testing::ServiceProcess>(
        PROBE_SERVICE_BINARY, testing::Env{{"PROBE_TOPIC", topic_}, {"PROBE_COUNTER", counter_}});
    service_->start();
  }
  void TearDown() override { redis_command({"DEL", counter_}); }

  std::string suffix_, topic_, counter_;
  std::unique_ptr<testing::ServiceProcess> service_;
};

TEST_F(ServiceSkeletonTest, ServesItsRoutesWithTheBuiltInsAndAuthentication) {
  auto echoed = service_->call("alice", "GET", "/probe/echo/hello");
  EXPECT_EQ(echoed.status, 200) << echoed.body;
  EXPECT_EQ(echoed.body, R"({"word":"hello","user":"alice"})");
  EXPECT_EQ(service_->call("", "GET", "/probe/echo/hello").status, 401);
  auto refused = service_->call("alice", "GET", "/probe/echo/n0t-a-word");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  EXPECT_EQ(service_->call("", "GET", "/healthz").status, 200);
  auto ready = service_->call("", "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_NE(ready.body.find("redis"), std::string::npos) << ready.body;
  EXPECT_NE(ready.body.find("kafka"), std::string::npos) << ready.body;
}

TEST_F(ServiceSkeletonTest, ConsumesItsTopicsAndStopsInOrderOnSigterm) {
  boost::asio::io_context io;
  kafka::Producer producer(testing::producer_config());
  for (int i = 0; i < 3; ++i) {
    auto event = testing::test_event(topic_, "session-" + std::to_string(i), "ProbeHappened",
                                     "/checkout/probe", "{}");
    ASSERT_TRUE(testing::run(io, producer.publish(event)));
  }
  ASSERT_TRUE(eventually([&] {
    const auto count = redis_command({"GET", counter_});
    return !count.is_nil() && count.as_string() == "3";
  })) << service_->log_tail();

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(service_->stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST_F(ServiceSkeletonTest, AdminCommandsRunWithADeadlineAndOthersGetTheUsage) {
  redis_command({"SET", counter_, "41"});
  EXPECT_EQ(run_binary("count '" + counter_ + "'"), std::make_pair(0, std::string("41\n")));
  EXPECT_EQ(run_binary("count").first, 2);
  EXPECT_EQ(run_binary("unknown-command x").first, 2);
}

}  // namespace
}  // namespace platform::app
