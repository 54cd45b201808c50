#pragma once
// Loading a rules file into a typed struct through the service's parse function (node.hpp).
// Errors are values: Errc::invalid with a message "file:line:column: what was expected" for a
// YAML syntax error, a duplicate key, or any RulesError the parse function throws (reason
// "rules_invalid"); "file: cannot read: <why>" when the file cannot be read (reason
// "rules_unreadable"). Other exceptions from the parse function are bugs and propagate.
// Reads the file on the calling thread (rules files are a few KB); thread-safe, as long as the
// parse function is.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "platform/error.hpp"
#include "platform/rules/node.hpp"

namespace platform::rules {

// Builds T from the document's root, throwing RulesError (Node's readers do) when it is wrong.
template <class T>
using ParseRules = std::function<T(const Node& root)>;

namespace detail {
// Parses `text` as one YAML document and calls `use` with its root; errors as described above.
[[nodiscard]] Status parse_document(std::string_view text, const std::string& file,
                                    const std::function<void(const Node&)>& use);
[[nodiscard]] Result<std::string> read_file(const std::string& path);
}  // namespace detail

// Parses rules from YAML text; `file` names it in messages.
template <class T>
[[nodiscard]] Result<T> parse_rules(std::string_view text, const std::string& file,
                                    const ParseRules<T>& parse) {
  std::optional<T> rules;
  PLATFORM_CHECK(
      detail::parse_document(text, file, [&](const Node& root) { rules.emplace(parse(root)); }));
  return std::move(*rules);
}

// Reads and parses a rules file; messages name it by `path` as given.
template <class T>
[[nodiscard]] Result<T> load_rules(const std::string& path, const ParseRules<T>& parse) {
  PLATFORM_TRY(const std::string text, detail::read_file(path));
  return parse_rules<T>(text, path, parse);
}

}  // namespace platform::rules
