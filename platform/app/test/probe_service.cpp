// The smallest service on the skeleton, for the skeleton's own tests: GET /probe/echo/{word}
// answers the word (a handler returning a result), a consumer on a test topic counts events into
// Redis, and `probe_service count KEY` prints a Redis counter as an admin command.
#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cctype>
#include <iostream>

#include "platform/app/service.hpp"
#include "platform/app/task.hpp"
#include "platform/config.hpp"
#include "platform/http/router.hpp"
#include "platform/redis/client.hpp"

namespace {
namespace asio = boost::asio;
namespace http = platform::http;

asio::awaitable<platform::Status> count_event(platform::redis::RedisClient& redis,
                                              std::string counter) {
  auto counted = co_await redis.command("INCR", counter);
  if (!counted) co_return counted.error();
  co_return platform::Status{};
}

// Answers {"word":..., "user":...}; a word of letters only, else 422 (mapped by the router).
asio::awaitable<platform::Result<http::Response>> echo(http::Request request) {
  const auto word = std::string(request.path_param("word").value_or(""));
  if (!std::all_of(word.begin(), word.end(), [](char c) { return std::isalpha(c) != 0; })) {
    co_return platform::make_error(platform::Errc::invalid, "a word has letters only");
  }
  http::Response response;
  response.body = R"({"word":")" + word + R"(","user":")" + request.user_id + R"("})";
  co_return response;
}

int serve() {
  const auto topic = platform::config::get_string("PROBE_TOPIC", "probe-events");
  const auto counter = platform::config::get_string("PROBE_COUNTER", "probe:count");
  platform::app::Service app({.name = "probe", .port = 0, .topics = {topic}});
  app.router().add("GET", "/probe/echo/{word}", echo);
  auto& redis = app.background_redis();
  app.consume("counter", {topic}, [&redis, counter](const platform::CloudEvent&) {
    return count_event(redis, counter);
  });
  return app.run();
}

asio::awaitable<platform::Status> print_count(platform::app::Task& task,
                                              std::vector<std::string> args) {
  auto value = co_await task.redis().command("GET", args.at(0));
  if (!value) co_return value.error();
  std::cout << (value->is_nil() ? "0" : value->as_string()) << "\n";
  co_return platform::Status{};
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "probe_service", serve,
                                 {{.name = "count", .args = {"KEY"}, .run = print_count}});
}
