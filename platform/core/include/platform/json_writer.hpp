#pragma once
// Writes a JSON document straight into a string, for the documents a service writes on every
// request (a cart view, an event): several times faster than building a boost::json DOM and
// serializing it. Members come out in call order. Strings are escaped per RFC 8259 (quote,
// backslash, control characters); other bytes, UTF-8 included, pass through as they are.
//
//   JsonWriter out;
//   out.begin_object().key("amount").value(std::int64_t{1999}).key("currency").value("PLN");
//   out.end_object();
//   std::string text = std::move(out).take();
//
// The writer does not check nesting: a key outside an object or an unbalanced end is the
// caller's bug (unit tests catch them; parse what you wrote there).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace platform {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 256) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // The text, or null when there is none.
  JsonWriter& value_or_null(const std::optional<std::string>& text);
  // A value that is already JSON text (e.g. a stored document), copied as it is.
  JsonWriter& raw(std::string_view json);

  const std::string& text() const { return out_; }
  std::string take() && { return std::move(out_); }

 private:
  void separate();
  void escaped(std::string_view text);

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace platform
