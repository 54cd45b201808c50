#include "platform/http/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace platform::http {

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

Result<boost::json::object> parse_json_object(std::string_view body) {
  if (body.empty()) {
    return make_error(Errc::malformed, "request body is empty; expected a JSON object",
                      "malformed_json");
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) {
    return make_error(Errc::malformed, "request body is not valid JSON: " + ec.message(),
                      "malformed_json");
  }
  if (!value.is_object()) {
    return make_error(Errc::malformed, "request body must be a JSON object", "malformed_json");
  }
  return std::move(value.get_object());
}

}  // namespace platform::http
