#include "platform/http/json.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace platform::http {
namespace {
// How much of a duplicate key the error message quotes.
constexpr std::size_t kQuotedKeyBytes = 64;

// Builds the value like Boost.JSON's own parser (a value_stack) and also remembers the keys of
// every open object, so a repeated key fails the parse instead of silently replacing the first
// value: {"quantity":500,"quantity":1} would otherwise mean whatever the last one says.
struct RejectingDuplicatesHandler {
  // The names Boost.JSON's basic_parser looks for.
  // NOLINTBEGIN(readability-identifier-naming)
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();
  // NOLINTEND(readability-identifier-naming)

  boost::json::value_stack stack;
  std::vector<std::unordered_set<std::string>> open_objects;  // at most kMaxJsonDepth
  std::string key;                                            // the key being read
  std::optional<std::string> duplicate_key;                   // set when the parse failed on one

  bool on_document_begin(boost::system::error_code& /*ec*/) { return true; }
  bool on_document_end(boost::system::error_code& /*ec*/) { return true; }
  bool on_object_begin(boost::system::error_code& /*ec*/) {
    open_objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code& /*ec*/) {
    open_objects.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code& /*ec*/) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code& /*ec*/) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view part, std::size_t /*n*/,
                   boost::system::error_code& /*ec*/) {
    key.append(part.data(), part.size());
    stack.push_chars(part);
    return true;
  }
  bool on_key(boost::json::string_view part, std::size_t /*n*/, boost::system::error_code& ec) {
    key.append(part.data(), part.size());
    if (!open_objects.back().insert(key).second) {
      duplicate_key = std::move(key);
      ec = boost::json::error::syntax;
      return false;
    }
    key.clear();
    stack.push_key(part);
    return true;
  }
  bool on_string_part(boost::json::string_view part, std::size_t /*n*/,
                      boost::system::error_code& /*ec*/) {
    stack.push_chars(part);
    return true;
  }
  bool on_string(boost::json::string_view part, std::size_t /*n*/,
                 boost::system::error_code& /*ec*/) {
    stack.push_string(part);
    return true;
  }
  bool on_number_part(boost::json::string_view /*part*/, boost::system::error_code& /*ec*/) {
    return true;
  }
  bool on_int64(std::int64_t i, boost::json::string_view /*text*/,
                boost::system::error_code& /*ec*/) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view /*text*/,
                 boost::system::error_code& /*ec*/) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view /*text*/, boost::system::error_code& /*ec*/) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code& /*ec*/) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code& /*ec*/) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view /*part*/, boost::system::error_code& /*ec*/) {
    return true;
  }
  bool on_comment(boost::json::string_view /*part*/, boost::system::error_code& /*ec*/) {
    return true;
  }
};

// At most kQuotedKeyBytes of `key`, cut on a UTF-8 character boundary (the parser has already
// checked that the key is valid UTF-8), so the problem's detail stays valid JSON text.
std::string quoted_key(std::string key) {
  if (key.size() > kQuotedKeyBytes) {
    std::size_t end = kQuotedKeyBytes;
    while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0U) == 0x80U) --end;
    key.resize(end);
    key += "...";
  }
  return '"' + key + '"';
}

Error malformed(std::string message) {
  return make_error(Errc::malformed, std::move(message), "malformed_json");
}
}  // namespace

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

Result<boost::json::object> parse_json_object(std::string_view body) {
  if (body.empty()) return malformed("request body is empty; expected a JSON object");
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::basic_parser<RejectingDuplicatesHandler> parser(options);
  parser.handler().stack.reset();
  boost::system::error_code ec;
  const auto consumed = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) ec = boost::json::error::extra_data;
  if (ec) {
    const auto& handler = parser.handler();
    std::string what = ec.message();
    if (handler.duplicate_key) {
      what = "duplicate key " + quoted_key(*handler.duplicate_key);
    } else if (ec == boost::json::error::too_deep) {
      what = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    }
    return malformed("request body is not valid JSON: " + what + " at offset " +
                     std::to_string(consumed));
  }
  auto value = parser.handler().stack.release();
  if (!value.is_object()) return malformed("request body must be a JSON object");
  return std::move(value.get_object());
}

Status only_fields(const boost::json::object& body,
                   std::initializer_list<std::string_view> allowed) {
  for (const auto& member : body) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return make_error(Errc::invalid, "unknown field '" + std::string(member.key()) + "'",
                        "invalid_field");
    }
  }
  return {};
}

}  // namespace platform::http
