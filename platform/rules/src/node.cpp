#include "platform/rules/node.hpp"

#include <algorithm>
#include <charconv>

#include "platform/rules/identifier.hpp"

namespace platform::rules {
namespace {

// Values quoted in messages are cut here: a message names the value, it does not echo a file.
constexpr std::size_t kMaxQuoted = 60;

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string join_quoted(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += quote(name);
  }
  return out;
}

}  // namespace

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text.substr(0, kMaxQuoted)) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  if (text.size() > kMaxQuoted) out += "...";
  out.push_back('"');
  return out;
}

Node::Node(const YAML::Node& root, std::string file)
    : yaml_(root), file_(std::make_shared<const std::string>(std::move(file))) {
  place(yaml_.Mark());
}

Node::Node(const YAML::Node& yaml, std::shared_ptr<const std::string> file, std::string name,
           const Node& parent)
    : yaml_(yaml),
      file_(std::move(file)),
      name_(std::move(name)),
      parent_(parent.describe()),
      line_(parent.line_),
      column_(parent.column_) {
  place(yaml_.Mark());
}

Node::Node(std::shared_ptr<const std::string> file, std::string name, const Node& parent)
    : yaml_(YAML::NodeType::Undefined),
      file_(std::move(file)),
      name_(std::move(name)),
      parent_(parent.describe()),
      missing_(true),
      line_(parent.line_),
      column_(parent.column_) {}

Node Node::operator[](std::string_view key) const {
  if (!present() || !yaml_.IsMap()) fail_expected("a map");
  for (const auto& entry : yaml_) {
    if (!entry.first.IsScalar() || entry.first.Scalar() != key) continue;
    Node child(entry.second, file_, std::string(key), *this);
    // yaml-cpp places an empty value (`price:`) at the next token, often the next line.
    if (entry.second.IsNull()) child.place(entry.first.Mark());
    return child;
  }
  return {file_, std::string(key), *this};
}

void Node::place(const YAML::Mark& mark) {
  if (mark.is_null()) return;
  line_ = mark.line + 1;
  column_ = mark.column + 1;
}

bool Node::present() const {
  return !missing_ && yaml_.IsDefined() && !yaml_.IsNull();
}

std::string Node::describe() const {
  return name_.empty() ? "the document" : "'" + name_ + "'";
}

void Node::fail(std::string_view what) const {
  std::string message = *file_;
  if (line_ > 0) message += ":" + std::to_string(line_) + ":" + std::to_string(column_);
  message += ": ";
  message += what;
  throw RulesError(message);
}

void Node::fail_expected(std::string_view expected) const {
  if (missing_) {
    std::string what = describe() + " is required";
    if (parent_ != "the document") what += " in " + parent_;
    fail(what);
  }
  std::string got;
  if (!present()) {
    got = "nothing";
  } else if (yaml_.IsMap()) {
    got = "a map";
  } else if (yaml_.IsSequence()) {
    got = "a list";
  } else {
    got = quote(yaml_.Scalar());
  }
  fail(describe() + " must be " + std::string(expected) + ", got " + got);
}

const std::string& Node::scalar(std::string_view expected) const {
  if (!present() || !yaml_.IsScalar()) fail_expected(expected);
  return yaml_.Scalar();
}

std::string Node::string() const {
  constexpr std::string_view kExpected = "a non-empty string";
  const std::string& text = scalar(kExpected);
  if (text.empty()) fail_expected(kExpected);
  return text;
}

std::string Node::text(std::size_t max_characters) const {
  std::string text = string();
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;  // not a continuation byte
  });
  if (static_cast<std::size_t>(characters) > max_characters) {
    fail(describe() + " must be at most " + std::to_string(max_characters) + " characters long");
  }
  return text;
}

std::optional<std::string> Node::optional_string() const {
  if (!present()) return std::nullopt;
  return string();
}

std::int64_t Node::integer(std::int64_t min, std::int64_t max) const {
  const std::string expected =
      "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  const auto value = parse_int(scalar(expected));
  if (!value || *value < min || *value > max) fail_expected(expected);
  return *value;
}

std::optional<std::int64_t> Node::optional_integer(std::int64_t min, std::int64_t max) const {
  if (!present()) return std::nullopt;
  return integer(min, max);
}

bool Node::boolean() const {
  constexpr std::string_view kExpected = "true or false";
  const std::string& text = scalar(kExpected);
  // YAML 1.2's core schema only: yes/no/on/off/y/n are typos of intent in a hand-edited file.
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  fail_expected(kExpected);
}

std::int64_t Node::money() const {
  constexpr std::string_view kExpected = "an amount in grosze (a non-negative integer)";
  const std::string& text = scalar(kExpected);
  // Digits only: no sign, no decimal point, no 1_000 or 0x10.
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  const auto value = digits ? parse_int(text) : std::nullopt;
  if (!value) fail_expected(kExpected);
  return *value;
}

std::size_t Node::choose(std::span<const std::string_view> names) const {
  const std::string expected = "one of " + join_quoted(names);
  const std::string& text = scalar(expected);
  const auto found = std::find(names.begin(), names.end(), text);
  if (found == names.end()) fail_expected(expected);
  return static_cast<std::size_t>(found - names.begin());
}

std::string Node::one_of(std::initializer_list<std::string_view> allowed) const {
  const std::span<const std::string_view> names(allowed.begin(), allowed.size());
  return std::string(names[choose(names)]);
}

std::vector<std::string> Node::distinct_one_of(
    std::initializer_list<std::string_view> allowed) const {
  return distinct_one_of(std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

std::vector<std::string> Node::distinct_one_of(std::span<const std::string_view> allowed) const {
  std::vector<std::string> names;
  if (!present()) return names;
  for (const Node& item : items()) {
    std::string name(allowed[item.choose(allowed)]);
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      item.fail(quote(name) + " is listed twice in " + describe());
    }
    names.push_back(std::move(name));
  }
  return names;
}

std::string Node::identifier() const {
  const std::string expected = "an id (a lowercase letter, then up to " +
                               std::to_string(kMaxIdentifierLength - 1) +
                               " lowercase letters, digits or _)";
  const std::string& text = scalar(expected);
  if (!is_identifier(text)) fail_expected(expected);
  return text;
}

std::vector<Node> Node::items() const {
  if (!present() || !yaml_.IsSequence()) fail_expected("a list");
  std::vector<Node> out;
  out.reserve(yaml_.size());
  std::size_t index = 0;
  for (const auto& item : yaml_) {
    out.push_back(Node(item, file_, name_ + "[" + std::to_string(index++) + "]", *this));
  }
  return out;
}

std::vector<std::pair<std::string, Node>> Node::entries() const {
  if (!present() || !yaml_.IsMap()) fail_expected("a map");
  std::vector<std::pair<std::string, Node>> out;
  out.reserve(yaml_.size());
  for (const auto& entry : yaml_) {
    if (!entry.first.IsScalar()) {
      Node(entry.first, file_, name_, *this).fail("the keys of " + describe() + " must be strings");
    }
    const std::string& key = entry.first.Scalar();
    Node value(entry.second, file_, key, *this);
    if (entry.second.IsNull()) value.place(entry.first.Mark());
    out.emplace_back(key, std::move(value));
  }
  return out;
}

void Node::only_keys(std::initializer_list<std::string_view> allowed) const {
  if (!present() || !yaml_.IsMap()) fail_expected("a map");
  for (const auto& entry : yaml_) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string allowed_list;
    for (const auto name : allowed) {
      if (!allowed_list.empty()) allowed_list += ", ";
      allowed_list += name;
    }
    std::string what = "unknown key '" + key + "'";
    if (!name_.empty()) what += " in " + describe();
    what += " (allowed: " + allowed_list + ")";
    Node(entry.first, file_, key, *this).fail(what);
  }
}

}  // namespace platform::rules
