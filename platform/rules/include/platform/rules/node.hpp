#pragma once
// Reading a business-rules YAML document (shipping, payment, promotion, services, warranty
// rules a shop employee edits) into a typed struct. A service writes one parse function over
// Node; each reader checks one value and, when it is wrong, throws RulesError whose message
// names the file, the 1-based line and column, and what was expected:
//   shipping_rules.yaml:14:7: 'price' must be an amount in grosze (a non-negative integer), got
//   "12.50"
// load_rules() (load.hpp) catches RulesError and returns it as an Error value; RulesError only
// escapes to whoever calls a parse function outside load_rules().
//
// A Node is a cheap handle: it shares the parsed document, which is read-only, so Nodes may be
// read from several threads at once. Nothing here blocks or needs cancelling.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace platform::rules {

// A rules file that cannot be used; what() is "file:line:column: what was expected".
class RulesError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `text` as messages quote a value: in double quotes, with " and \ escaped, cut after 60 bytes
// ("..."). For a parse function's own messages: item.fail(quote(id) + " is used twice").
std::string quote(std::string_view text);

class Node {
 public:
  // The root of a parsed document; `file` names it in messages (the path as the service gave it).
  Node(const YAML::Node& root, std::string file);

  // The value under `key` of this map. A missing key gives a Node that is not present() and
  // remembers where it was expected, so a reader on it fails with "'key' is required". Throws
  // RulesError unless this node is a map (if it is missing itself: "... is required").
  Node operator[](std::string_view key) const;

  // Whether the value exists and is not empty (`key:` with nothing after it, or `null`).
  bool present() const;

  // Readers. Each throws RulesError unless the value is present and of the kind asked for.
  std::string string() const;                          // a non-empty string
  std::optional<std::string> optional_string() const;  // as string(), or nullopt if not present
  // A non-empty string of at most `max_characters` characters (UTF-8: a Polish letter counts
  // once, not as its two bytes).
  std::string text(std::size_t max_characters) const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;  // a whole number in [min, max]
  // As integer(min, max), or nullopt if not present.
  std::optional<std::int64_t> optional_integer(std::int64_t min, std::int64_t max) const;
  bool boolean() const;        // true or false
  std::int64_t money() const;  // an amount in grosze: a non-negative integer (1250, not 12.50)
  // One of the listed strings.
  std::string one_of(std::initializer_list<std::string_view> allowed) const;
  // One of the listed strings, mapped to its value: one_of<Carrier>({{"dpd", Carrier::dpd}}).
  template <class E>
  E one_of(std::initializer_list<std::pair<std::string_view, E>> allowed) const;
  // A list of names, each one of `allowed` and none twice (a name listed again is a stale line
  // after an edit; it fails at the second one). Not present: an empty list.
  std::vector<std::string> distinct_one_of(std::initializer_list<std::string_view> allowed) const;
  std::vector<std::string> distinct_one_of(std::span<const std::string_view> allowed) const;
  // An id of something the file defines (a method, an addon, a service): is_identifier()
  // (identifier.hpp), a lowercase letter, then up to 63 lowercase letters, digits or _.
  std::string identifier() const;

  // The items of a list, in order (an empty list is fine).
  std::vector<Node> items() const;
  // Each item of a list read by `parse_item(const Node&)`.
  template <class F>
  auto list(F&& parse_item) const -> std::vector<std::invoke_result_t<F&, const Node&>>;
  // The entries of a map, in file order; keys are strings.
  std::vector<std::pair<std::string, Node>> entries() const;
  // Each value of a map read by `parse_value(const Node&)`, by key.
  template <class F>
  auto map(F&& parse_value) const -> std::map<std::string, std::invoke_result_t<F&, const Node&>>;

  // Requires a map whose keys are all listed; an unknown key (a typo, a stale option) fails at
  // that key's line and column.
  void only_keys(std::initializer_list<std::string_view> allowed) const;

  // Fails at this value's position (or where it was expected): for rules that span several
  // values, e.g. node["max"].fail("'max' must not be below 'min'").
  [[noreturn]] void fail(std::string_view what) const;

  // "'price'", "'zones[2]'" (list items count from 0), or "the document" for the root.
  std::string describe() const;
  const std::string& name() const { return name_; }
  const std::string& file() const { return *file_; }
  int line() const { return line_; }      // 1-based; 0 if yaml-cpp knows no position
  int column() const { return column_; }  // 1-based; 0 if yaml-cpp knows no position
  // The underlying yaml-cpp node, for shapes the readers do not cover. Not defined (IsDefined()
  // false) when the key was missing.
  const YAML::Node& yaml() const { return yaml_; }

 private:
  Node(const YAML::Node& yaml, std::shared_ptr<const std::string> file, std::string name,
       const Node& parent);
  Node(std::shared_ptr<const std::string> file, std::string name, const Node& parent);
  void place(const YAML::Mark& mark);
  // The index in `names` of this value; fails naming them all otherwise.
  std::size_t choose(std::span<const std::string_view> names) const;
  const std::string& scalar(std::string_view expected) const;
  [[noreturn]] void fail_expected(std::string_view expected) const;

  YAML::Node yaml_;
  std::shared_ptr<const std::string> file_;
  std::string name_;
  std::string parent_;  // the parent's describe(), for "'price' is required in 'zones[2]'"
  bool missing_ = false;
  int line_ = 0;
  int column_ = 0;
};

template <class E>
E Node::one_of(std::initializer_list<std::pair<std::string_view, E>> allowed) const {
  std::vector<std::string_view> names;
  for (const auto& entry : allowed) names.push_back(entry.first);
  return (allowed.begin() + choose(names))->second;
}

template <class F>
auto Node::list(F&& parse_item) const -> std::vector<std::invoke_result_t<F&, const Node&>> {
  std::vector<std::invoke_result_t<F&, const Node&>> out;
  for (const Node& item : items()) out.push_back(parse_item(item));
  return out;
}

template <class F>
auto Node::map(F&& parse_value) const
    -> std::map<std::string, std::invoke_result_t<F&, const Node&>> {
  std::map<std::string, std::invoke_result_t<F&, const Node&>> out;
  for (auto& [key, value] : entries()) out.emplace(key, parse_value(value));
  return out;
}

}  // namespace platform::rules
