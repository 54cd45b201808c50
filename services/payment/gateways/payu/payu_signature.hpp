#pragma once
// PayU's OpenPayu-Signature (reference: payment-gateways.md 2.7): the header's parts, the
// signature as HASH_alg(raw body || second key) in lowercase hex (plain concatenation, not an
// HMAC), its constant-time check, and the header a sender builds. Pure free functions:
// thread-safe, nothing to own or cancel.
//
// Errors: Errc::unauthenticated for a missing, malformed or wrong signature and for an
// algorithm we do not know (a webhook that fails these is not read any further).
#include <optional>
#include <string>
#include <string_view>

#include "gateway.hpp"
#include "platform/error.hpp"

namespace payment::payu {

enum class HashAlgorithm { md5, sha1, sha256, sha384, sha512 };

// PayU's names, case-insensitively: MD5; SHA-1 (also SHA1); SHA-256 (also SHA, SHA256); SHA-384
// (SHA384); SHA-512 (SHA512), as the official SDK's alias table.
[[nodiscard]] std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name);
// "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512".
std::string_view hash_algorithm_name(HashAlgorithm algorithm);

// hex(HASH_alg(body || second_key)), lowercase.
std::string signature_of(std::string_view body, std::string_view second_key,
                         HashAlgorithm algorithm);

struct SignatureHeader {
  std::string sender;
  std::string signature;  // hex as received
  HashAlgorithm algorithm = HashAlgorithm::md5;
  std::string content;
};

// "sender=checkout;signature=<hex>;algorithm=MD5;content=DOCUMENT": split on ';', each part on
// '=' into exactly a non-empty name and a value (an empty or '='-less part is refused, as the
// SDK's parseSignature does). `signature` is required and must be hex; `algorithm` defaults to
// MD5 when left out.
[[nodiscard]] platform::Result<SignatureHeader> parse_signature_header(std::string_view header);

// The header a sender (the simulator) puts on `body`.
std::string signature_header(std::string_view body, std::string_view second_key,
                             HashAlgorithm algorithm = HashAlgorithm::md5,
                             std::string_view sender = "checkout");

// Checks a header value against the raw body, in constant time.
[[nodiscard]] platform::Status verify_signature(std::string_view header, std::string_view body,
                                                std::string_view second_key);

// The same for a webhook: the value of `openpayu-signature`, else `x-openpayu-signature`.
[[nodiscard]] platform::Status verify_webhook(const WebhookRequest& request,
                                              std::string_view second_key);

}  // namespace payment::payu
