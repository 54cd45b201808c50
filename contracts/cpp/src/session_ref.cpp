#include "contracts/session_ref.hpp"

#include <boost/json.hpp>

namespace contracts {

platform::Result<SessionRef> session_ref(std::string_view event_data) {
  boost::json::error_code ec;
  auto doc = boost::json::parse(event_data, ec);
  if (ec || !doc.is_object()) {
    return platform::make_error(platform::Errc::invalid, "event data is not a JSON object");
  }
  SessionRef ref;
  for (auto [field, into] :
       {std::pair{"session_id", &ref.session_id}, std::pair{"user_id", &ref.user_id}}) {
    const auto* value = doc.as_object().if_contains(field);
    if (value == nullptr || !value->is_string() || value->as_string().empty()) {
      return platform::make_error(platform::Errc::invalid,
                                  std::string("event data: '") + field + "' is missing");
    }
    *into = std::string(value->as_string());
  }
  return ref;
}

platform::Result<boost::json::value> event_data(const platform::CloudEvent& event) {
  boost::json::error_code ec;
  auto data = boost::json::parse(event.data, ec);
  if (ec || !data.is_object()) {
    return platform::make_error(platform::Errc::invalid,
                                event.type + " " + event.id + ": data is not a JSON object");
  }
  return data;
}

}  // namespace contracts
