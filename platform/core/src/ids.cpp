#include "platform/ids.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace platform {
namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view text) {
  return text.find_first_not_of('0') == std::string::npos;
}
}  // namespace

std::string random_hex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    if (i % 8 == 0) word = generator()();
    const auto byte = static_cast<unsigned>(word & 0xffU);
    word >>= 8U;
    out.push_back(kDigits[byte >> 4U]);
    out.push_back(kDigits[byte & 0xfU]);
  }
  return out;
}

std::string new_uuid() {
  std::string hex = random_hex(16);
  hex[12] = '4';
  hex[16] = "89ab"[generator()() % 4];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

TraceContext TraceContext::generate() {
  return TraceContext{random_hex(16), random_hex(8), "01"};
}

TraceContext TraceContext::parse_or_generate(std::string_view header) {
  // 00-<32>-<16>-<2>
  if (header.size() != 55 || header.substr(0, 3) != "00-" || header[35] != '-' ||
      header[52] != '-') {
    return generate();
  }
  auto trace_id = header.substr(3, 32);
  auto span_id = header.substr(36, 16);
  auto flags = header.substr(53, 2);
  if (!is_lower_hex(trace_id) || !is_lower_hex(span_id) || !is_lower_hex(flags) ||
      all_zero(trace_id) || all_zero(span_id)) {
    return generate();
  }
  return TraceContext{std::string(trace_id), std::string(span_id), std::string(flags)};
}

TraceContext TraceContext::child() const {
  return TraceContext{trace_id, random_hex(8), flags};
}

std::string TraceContext::traceparent() const {
  return "00-" + trace_id + "-" + span_id + "-" + flags;
}

}  // namespace platform
