#include "stripe_form.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>
#include <optional>
#include <system_error>

namespace payment::stripe {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

void encode_into(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4U];
      out += kHex[byte & 0x0FU];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

platform::Error bad_key(std::string_view key, std::string_view why) {
  return make_error(Errc::malformed, "form field '" + std::string(key) + "': " + std::string(why),
                    "invalid_form_key");
}

// "a[b][]" → {"a", "b", ""}; std::nullopt when the brackets do not balance.
std::optional<std::vector<std::string>> key_path(std::string_view key) {
  std::vector<std::string> path;
  const auto open = key.find('[');
  path.emplace_back(key.substr(0, open));
  if (path.front().empty()) return std::nullopt;
  auto rest = open == std::string_view::npos ? std::string_view() : key.substr(open);
  while (!rest.empty()) {
    if (rest.front() != '[') return std::nullopt;
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto inner = rest.substr(1, close - 1);
    if (inner.find('[') != std::string_view::npos) return std::nullopt;
    path.emplace_back(inner);
    rest.remove_prefix(close + 1);
  }
  return path;
}

std::optional<std::size_t> index_of(const std::string& segment) {
  std::size_t value = 0;
  const auto* end = segment.data() + segment.size();
  const auto [ptr, ec] = std::from_chars(segment.data(), end, value);
  if (segment.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}
}  // namespace

std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    encode_into(out, key);
    out += '=';
    encode_into(out, value);
  }
  return out;
}

platform::Result<FormFields> form_decode(std::string_view body) {
  FormFields fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    const auto amp = body.find('&', start);
    const auto item =
        body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!item.empty()) {
      const auto equals = item.find('=');
      auto key = decode(item.substr(0, equals));
      auto value =
          decode(equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1));
      if (!key || !value) {
        return make_error(Errc::malformed, "broken percent escape in the form body",
                          "invalid_form");
      }
      fields.emplace_back(std::move(*key), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return fields;
}

platform::Result<json::object> form_to_json(const FormFields& fields) {
  json::object root;
  for (const auto& [key, value] : fields) {
    const auto path = key_path(key);
    if (!path) return bad_key(key, "unbalanced brackets");
    json::value* node = nullptr;
    {
      auto& slot = root[path->front()];
      node = &slot;
    }
    for (std::size_t i = 1; i < path->size(); ++i) {
      const auto& segment = (*path)[i];
      if (node->is_null()) {
        if (segment.empty() || index_of(segment)) {
          node->emplace_array();
        } else {
          node->emplace_object();
        }
      }
      if (node->is_object()) {
        if (segment.empty()) return bad_key(key, "[] on an object");
        node = &node->as_object()[segment];
      } else if (node->is_array()) {
        auto& array = node->as_array();
        if (segment.empty()) {
          node = &array.emplace_back(nullptr);
        } else {
          const auto index = index_of(segment);
          if (!index) return bad_key(key, "a name on a list");
          if (*index > array.size()) return bad_key(key, "an index skips ahead");
          if (*index == array.size()) array.emplace_back(nullptr);
          node = &array[*index];
        }
      } else {
        return bad_key(key, "clashes with a plain value");
      }
    }
    if (!node->is_null()) return bad_key(key, "given twice or clashes with a nested value");
    *node = json::string(value);
  }
  return root;
}

}  // namespace payment::stripe
