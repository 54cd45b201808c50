#include "platform/testing/contract_events.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "platform/clock.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/run.hpp"

namespace platform::testing {

boost::json::object contract_example(std::string_view type) {
  const std::string path = std::string(CHECKOUT_SOURCE_DIR) + "/contracts/events/examples/" +
                           std::string(type) + ".json";
  std::ifstream file(path);
  if (!file) throw std::runtime_error("no contract example " + path);
  std::stringstream text;
  text << file.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

std::string now_rfc3339() {
  return format_rfc3339(std::chrono::system_clock::now());
}

Status publish_event(const CloudEvent& event) {
  boost::asio::io_context io;
  kafka::Producer producer(producer_config());
  return run(io, producer.publish(event));
}

}  // namespace platform::testing
