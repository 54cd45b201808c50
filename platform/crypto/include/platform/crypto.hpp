#pragma once
// Digests, HMACs and encodings for the payment gateways' signatures (Przelewy24 `sign`, PayU
// OpenPayu-Signature, Stripe-Signature) and their HTTP Basic credentials, over OpenSSL's EVP.
// Stateless free functions: thread-safe, nothing to own or cancel. Digests and HMACs return raw
// bytes in a std::string (to_hex() for the gateways' lowercase hex); they throw
// std::runtime_error only if OpenSSL itself fails (out of memory), which is a bug, not an
// outcome to handle. Malformed hex or base64 input is a value: std::nullopt.
#include <optional>
#include <string>
#include <string_view>

namespace platform::crypto {

// HMAC over `message` with `key` (any length, empty included): 32, 48 or 64 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string hmac_sha384(std::string_view key, std::string_view message);
std::string hmac_sha512(std::string_view key, std::string_view message);

// Plain digests: raw bytes. MD5 and SHA-1 only because PayU signs with them (`algorithm=MD5`
// is what it actually sends); never use them for anything of our own.
std::string md5(std::string_view data);
std::string sha1(std::string_view data);
std::string sha256(std::string_view data);
std::string sha384(std::string_view data);
std::string sha512(std::string_view data);

// Lowercase hex of raw bytes.
std::string to_hex(std::string_view bytes);
// Raw bytes of hex text (either case); std::nullopt on an odd length or a non-hex character.
std::optional<std::string> from_hex(std::string_view hex);

// RFC 4648 base64 with padding, as in `Authorization: Basic base64(posId ":" key)` (P24, PayU).
std::string base64_encode(std::string_view bytes);
// std::nullopt unless `text` is canonical padded base64 (no whitespace, no stray bits).
std::optional<std::string> base64_decode(std::string_view text);

// Whether a and b hold the same bytes, in time that depends only on their lengths
// (CRYPTO_memcmp): compare a received signature with the expected one. Different lengths are
// unequal at once, without looking at the content.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace platform::crypto
