#pragma once
// Reading the fields of an event's data or of a stored document: each reader names the field
// it found missing or of the wrong kind (Errc::invalid: "event data: 'price' must be ..."). Pure.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/error.hpp"
#include "platform/money.hpp"

namespace checkout::fields {

[[nodiscard]] platform::Result<const boost::json::object*> object(const boost::json::value& value,
                                                                  std::string_view what);
[[nodiscard]] platform::Result<std::string> text(const boost::json::object& o,
                                                 std::string_view key);
// A string, or nullopt when missing or null.
[[nodiscard]] platform::Result<std::optional<std::string>> optional_text(
    const boost::json::object& o, std::string_view key);
[[nodiscard]] platform::Result<std::int64_t> integer(const boost::json::object& o,
                                                     std::string_view key);
[[nodiscard]] platform::Result<bool> boolean(const boost::json::object& o, std::string_view key);
// {"amount": <grosze>, "currency": "PLN"}
[[nodiscard]] platform::Result<platform::Money> money(const boost::json::object& o,
                                                      std::string_view key);
[[nodiscard]] platform::Result<std::optional<platform::Money>> optional_money(
    const boost::json::object& o, std::string_view key);
[[nodiscard]] platform::Result<const boost::json::array*> array(const boost::json::object& o,
                                                                std::string_view key);
// The member itself (any kind) or nullptr when missing or null.
const boost::json::value* member(const boost::json::object& o, std::string_view key);

boost::json::object money_json(const platform::Money& money);

}  // namespace checkout::fields
