#include "json_fields.hpp"

namespace checkout::fields {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

namespace {
platform::Error wrong(std::string_view key, std::string_view expected) {
  return make_error(Errc::invalid,
                    "event data: '" + std::string(key) + "' must be " + std::string(expected),
                    "invalid_event");
}
}  // namespace

platform::Result<const json::object*> object(const json::value& value, std::string_view what) {
  if (!value.is_object()) return wrong(what, "an object");
  return &value.as_object();
}

const json::value* member(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

platform::Result<std::string> text(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_string()) return wrong(key, "a string");
  return std::string(value->as_string());
}

platform::Result<std::optional<std::string>> optional_text(const json::object& o,
                                                           std::string_view key) {
  const auto* value = member(o, key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return wrong(key, "a string or null");
  return std::optional(std::string(value->as_string()));
}

platform::Result<std::int64_t> integer(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_int64()) {
    if (value != nullptr && value->is_uint64() && value->as_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(value->as_uint64());
    }
    return wrong(key, "an integer");
  }
  return value->as_int64();
}

platform::Result<bool> boolean(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_bool()) return wrong(key, "true or false");
  return value->as_bool();
}

platform::Result<platform::Money> money(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_object()) return wrong(key, "an amount object");
  const auto& amount = value->as_object();
  platform::Money out;
  PLATFORM_TRY(out.amount, integer(amount, "amount"));
  PLATFORM_TRY(out.currency, text(amount, "currency"));
  if (out.currency != "PLN") return wrong(key, "an amount in PLN");
  return out;
}

platform::Result<std::optional<platform::Money>> optional_money(const json::object& o,
                                                                std::string_view key) {
  if (member(o, key) == nullptr) return std::optional<platform::Money>();
  PLATFORM_TRY(auto amount, money(o, key));
  return std::optional(std::move(amount));
}

platform::Result<const json::array*> array(const json::object& o, std::string_view key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_array()) return wrong(key, "an array");
  return &value->as_array();
}

json::object money_json(const platform::Money& money) {
  return json::object{{"amount", money.amount}, {"currency", money.currency}};
}

}  // namespace checkout::fields
