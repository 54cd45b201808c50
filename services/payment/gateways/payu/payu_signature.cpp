#include "payu_signature.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "platform/crypto.hpp"

namespace payment::payu {
namespace {
using platform::Errc;
using platform::make_error;

constexpr std::array<std::pair<std::string_view, HashAlgorithm>, 10> kAliases{{
    {"MD5", HashAlgorithm::md5},
    {"SHA-1", HashAlgorithm::sha1},
    {"SHA1", HashAlgorithm::sha1},
    {"SHA", HashAlgorithm::sha256},
    {"SHA-256", HashAlgorithm::sha256},
    {"SHA256", HashAlgorithm::sha256},
    {"SHA-384", HashAlgorithm::sha384},
    {"SHA384", HashAlgorithm::sha384},
    {"SHA-512", HashAlgorithm::sha512},
    {"SHA512", HashAlgorithm::sha512},
}};

platform::Error refused(std::string message) {
  return make_error(Errc::unauthenticated, "OpenPayu-Signature: " + std::move(message),
                    "bad_signature");
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name) {
  for (const auto& [alias, algorithm] : kAliases) {
    if (same_name(name, alias)) return algorithm;
  }
  return std::nullopt;
}

std::string_view hash_algorithm_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::md5:
      return "MD5";
    case HashAlgorithm::sha1:
      return "SHA-1";
    case HashAlgorithm::sha256:
      return "SHA-256";
    case HashAlgorithm::sha384:
      return "SHA-384";
    case HashAlgorithm::sha512:
      return "SHA-512";
  }
  return "MD5";
}

std::string signature_of(std::string_view body, std::string_view second_key,
                         HashAlgorithm algorithm) {
  std::string signed_bytes;
  signed_bytes.reserve(body.size() + second_key.size());
  signed_bytes.append(body).append(second_key);
  namespace crypto = platform::crypto;
  switch (algorithm) {
    case HashAlgorithm::md5:
      return crypto::to_hex(crypto::md5(signed_bytes));
    case HashAlgorithm::sha1:
      return crypto::to_hex(crypto::sha1(signed_bytes));
    case HashAlgorithm::sha256:
      return crypto::to_hex(crypto::sha256(signed_bytes));
    case HashAlgorithm::sha384:
      return crypto::to_hex(crypto::sha384(signed_bytes));
    case HashAlgorithm::sha512:
      return crypto::to_hex(crypto::sha512(signed_bytes));
  }
  return {};
}

platform::Result<SignatureHeader> parse_signature_header(std::string_view header) {
  if (header.empty()) return refused("empty header");
  SignatureHeader out;
  bool has_signature = false;
  std::string_view rest = header;
  while (true) {
    const auto end = rest.find(';');
    const auto part = rest.substr(0, end);
    const auto equals = part.find('=');
    if (equals == std::string_view::npos || equals == 0 ||
        part.find('=', equals + 1) != std::string_view::npos) {
      return refused("malformed part '" + std::string(part.substr(0, 64)) + "'");
    }
    const auto name = part.substr(0, equals);
    const auto value = part.substr(equals + 1);
    if (name == "sender") {
      out.sender = std::string(value);
    } else if (name == "signature") {
      if (value.empty() || !platform::crypto::from_hex(value)) return refused("signature not hex");
      out.signature = std::string(value);
      has_signature = true;
    } else if (name == "algorithm") {
      const auto algorithm = hash_algorithm_from_name(value);
      if (!algorithm)
        return refused("unknown algorithm '" + std::string(value.substr(0, 32)) + "'");
      out.algorithm = *algorithm;
    } else if (name == "content") {
      out.content = std::string(value);
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  if (!has_signature) return refused("no signature");
  return out;
}

std::string signature_header(std::string_view body, std::string_view second_key,
                             HashAlgorithm algorithm, std::string_view sender) {
  std::string out = "sender=";
  out.append(sender)
      .append(";signature=")
      .append(signature_of(body, second_key, algorithm))
      .append(";algorithm=")
      .append(hash_algorithm_name(algorithm))
      .append(";content=DOCUMENT");
  return out;
}

platform::Status verify_signature(std::string_view header, std::string_view body,
                                  std::string_view second_key) {
  PLATFORM_TRY(const auto parsed, parse_signature_header(header));
  const auto expected = signature_of(body, second_key, parsed.algorithm);
  // Lowercasing the received hex keeps its length, so the comparison stays constant-time.
  if (!platform::crypto::constant_time_equal(expected, lowercase(parsed.signature))) {
    return refused("signature does not match the body");
  }
  return {};
}

platform::Status verify_webhook(const WebhookRequest& request, std::string_view second_key) {
  auto header = request.header("openpayu-signature");
  if (!header) header = request.header("x-openpayu-signature");
  if (!header) return refused("no OpenPayu-Signature header");
  return verify_signature(*header, request.body, second_key);
}

}  // namespace payment::payu
