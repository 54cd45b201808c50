#pragma once
// The Stripe-Signature header (payment-gateways.md section 3.6): parsed, verified and built.
// Pure functions, thread-safe; nothing to own or cancel.
//
//   Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=<hex>]
//   v1 = lowercase hex of HMAC-SHA256(key = the endpoint secret "whsec_..." as bytes,
//                                     message = "<t>." + the raw body)
//
// Verification as stripe-python and stripe-go do it, plus a bound on future timestamps: every
// item must be key=value; t must be an integer; every v1 is collected, a v1 that is not hex is
// ignored, as are v0 and unknown keys; the expected signature is compared in constant time with
// each v1, for each of the endpoint's secrets (several during a rotation); t must lie within
// `tolerance` of now, in the past or the future.
// Errors: Errc::unauthenticated, with a reason naming the failed step (signature_missing,
// signature_header_invalid, signature_no_v1, signature_mismatch, signature_too_old,
// signature_in_future).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.hpp"

namespace payment::stripe {

inline constexpr std::chrono::seconds kDefaultTolerance{300};

struct SignatureHeader {
  std::int64_t timestamp = 0;
  std::vector<std::string> v1;  // raw signature bytes (decoded from hex)
};

[[nodiscard]] platform::Result<SignatureHeader> parse_signature_header(std::string_view header);

// Lowercase hex HMAC-SHA256 of "<timestamp>.<body>" with `secret`.
std::string compute_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body);

// "t=<timestamp>,v1=<sig with secrets[0]>[,v1=<sig with secrets[1]>...]": what Stripe sends
// (and the simulator emits).
std::string signature_header(std::int64_t timestamp, std::string_view body,
                             const std::vector<std::string>& secrets);

// `tolerance` must be positive. `header` is std::nullopt when the request had none.
[[nodiscard]] platform::Status verify_signature(std::optional<std::string_view> header,
                                                std::string_view body,
                                                const std::vector<std::string>& secrets,
                                                std::chrono::system_clock::time_point now,
                                                std::chrono::seconds tolerance);

}  // namespace payment::stripe
