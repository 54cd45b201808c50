#pragma once
// Test helpers for a parse function over Node (node.hpp): how a rules document fails, a document
// changed in one place, and the rules a test relies on. For GoogleTest unit tests only.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "platform/error.hpp"
#include "platform/rules/load.hpp"

namespace platform::rules::testing {

// The message of a parse's error, expected to be a bad rules file (Errc::invalid), or "(parsed)"
// when the document parsed.
template <class T>
std::string error_of(const Result<T>& result) {
  if (result) return "(parsed)";
  EXPECT_EQ(result.error().code, Errc::invalid) << result.error().message;
  return result.error().message;
}

// Expects a parse to have failed at `position` ("12:7": line and column, as in
// "delivery_rules.yaml:12:7: ...") with a message that contains `what`.
template <class T>
void expect_rules_error(const Result<T>& result, std::string_view position, std::string_view what) {
  if (result) {
    ADD_FAILURE() << "(parsed), expected an error at " << position << ": " << what;
    return;
  }
  const std::string message = error_of(result);
  // "file:line:column: what": the place ends at the first ": ".
  const std::string place = message.substr(0, message.find(": "));
  EXPECT_TRUE(place.ends_with(":" + std::string(position))) << "at " << position << ": " << message;
  EXPECT_NE(message.find(what), std::string::npos) << message;
}

// `text` with `from`, which must occur in it exactly once, replaced by `to`.
inline std::string replace_once(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return out;
  EXPECT_EQ(out.find(from, at + 1), std::string::npos) << from << " occurs twice";
  out.replace(at, from.size(), to);
  return out;
}

// The rules a test relies on (written out in the test): parsed, or std::runtime_error with the
// message, which fails the test that first asks for them.
template <class T>
T parse_or_throw(std::string_view text, const std::string& file, const ParseRules<T>& parse) {
  auto result = parse_rules<T>(text, file, parse);
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

}  // namespace platform::rules::testing
