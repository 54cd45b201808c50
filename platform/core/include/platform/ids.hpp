#pragma once
// Identifiers: random UUIDv4 strings and W3C trace context. Thread-safe (per-thread generators).
#include <string>
#include <string_view>

namespace platform {

std::string new_uuid();
// Lowercase hex of `bytes` random bytes.
std::string random_hex(std::size_t bytes);

// W3C traceparent "00-<32 hex trace id>-<16 hex span id>-<2 hex flags>".
struct TraceContext {
  std::string trace_id;
  std::string span_id;
  std::string flags = "01";

  static TraceContext generate();
  // Parses a traceparent header; returns a fresh context when it is absent or malformed.
  static TraceContext parse_or_generate(std::string_view traceparent);
  // The same trace with a new span id, for the next hop.
  TraceContext child() const;
  std::string traceparent() const;
};

}  // namespace platform
