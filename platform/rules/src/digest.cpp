#include "platform/rules/digest.hpp"

#include "platform/crypto.hpp"

namespace platform::rules {

std::string document_digest(const Node& root) {
  YAML::Emitter text;
  text << root.yaml();
  return crypto::to_hex(crypto::sha256(text.c_str())).substr(0, 16);
}

}  // namespace platform::rules
