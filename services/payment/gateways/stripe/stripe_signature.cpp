#include "stripe_signature.hpp"

#include <charconv>
#include <system_error>

#include "platform/crypto.hpp"

namespace payment::stripe {
namespace {
using platform::Errc;
using platform::make_error;

platform::Error unauthenticated(std::string message, std::string reason) {
  return make_error(Errc::unauthenticated, "Stripe-Signature: " + std::move(message),
                    std::move(reason));
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}
}  // namespace

platform::Result<SignatureHeader> parse_signature_header(std::string_view header) {
  if (header.empty()) return unauthenticated("missing", "signature_missing");
  SignatureHeader parsed;
  bool has_timestamp = false;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = header.find(',', start);
    const auto item = header.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos) {
      return unauthenticated("an item is not key=value", "signature_header_invalid");
    }
    const auto key = item.substr(0, equals);
    const auto value = item.substr(equals + 1);
    if (key == "t") {
      const auto timestamp = parse_integer(value);
      if (!timestamp) return unauthenticated("t is not an integer", "signature_header_invalid");
      parsed.timestamp = *timestamp;
      has_timestamp = true;
    } else if (key == "v1") {
      // As stripe-go: a v1 that is not hex cannot match and is skipped.
      if (auto bytes = platform::crypto::from_hex(value); bytes && !bytes->empty()) {
        parsed.v1.push_back(std::move(*bytes));
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!has_timestamp) return unauthenticated("no t", "signature_header_invalid");
  if (parsed.v1.empty()) return unauthenticated("no v1 signature", "signature_no_v1");
  return parsed;
}

std::string compute_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body) {
  std::string message = std::to_string(timestamp);
  message += '.';
  message += body;
  return platform::crypto::to_hex(platform::crypto::hmac_sha256(secret, message));
}

std::string signature_header(std::int64_t timestamp, std::string_view body,
                             const std::vector<std::string>& secrets) {
  std::string header = "t=" + std::to_string(timestamp);
  for (const auto& secret : secrets) {
    header += ",v1=";
    header += compute_signature(secret, timestamp, body);
  }
  return header;
}

platform::Status verify_signature(std::optional<std::string_view> header, std::string_view body,
                                  const std::vector<std::string>& secrets,
                                  std::chrono::system_clock::time_point now,
                                  std::chrono::seconds tolerance) {
  if (!header) return unauthenticated("missing", "signature_missing");
  PLATFORM_TRY(const auto parsed, parse_signature_header(*header));
  bool matched = false;
  for (const auto& secret : secrets) {
    std::string message = std::to_string(parsed.timestamp);
    message += '.';
    message += body;
    const auto expected = platform::crypto::hmac_sha256(secret, message);
    // Every comparison runs, so the time taken does not tell which signature matched.
    for (const auto& given : parsed.v1) {
      matched = platform::crypto::constant_time_equal(expected, given) || matched;
    }
  }
  if (!matched) return unauthenticated("no v1 matches", "signature_mismatch");
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (parsed.timestamp < now_s - tolerance.count()) {
    return unauthenticated("timestamp older than the tolerance", "signature_too_old");
  }
  if (parsed.timestamp > now_s + tolerance.count()) {
    return unauthenticated("timestamp in the future beyond the tolerance", "signature_in_future");
  }
  return {};
}

}  // namespace payment::stripe
