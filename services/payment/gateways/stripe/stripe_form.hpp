#pragma once
// Stripe's request bodies: application/x-www-form-urlencoded with bracket keys
// (metadata[order_id]=..., line_items[0][price_data][currency]=pln, payment_method_types[]=card).
// Pure functions, thread-safe. The adapter encodes; the simulator decodes and reads the brackets
// into JSON.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/error.hpp"

namespace payment::stripe {

// Ordered (key, value) pairs: the encoding keeps the order, so equal fields give equal bytes.
using FormFields = std::vector<std::pair<std::string, std::string>>;

// Keys and values percent-encoded (RFC 3986 unreserved characters kept; brackets encoded, as the
// stripe SDKs send them), joined with '&'.
std::string form_encode(const FormFields& fields);

// Errc::malformed on a broken percent escape. '+' decodes to a space. Empty items are skipped.
[[nodiscard]] platform::Result<FormFields> form_decode(std::string_view body);

// The bracket keys as nested JSON: a[b]=1 → {"a":{"b":"1"}}, a[]=x&a[]=y → {"a":["x","y"]},
// a[0][b]=1 → {"a":[{"b":"1"}]}. Values stay strings. Errc::malformed naming the key when keys
// clash (a=1&a[b]=2), brackets are unbalanced, or an index skips ahead.
[[nodiscard]] platform::Result<boost::json::object> form_to_json(const FormFields& fields);

}  // namespace payment::stripe
