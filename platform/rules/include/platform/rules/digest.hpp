#pragma once
// A short digest of a rules document, for a service that caches answers computed under its rules:
// an answer stored with another digest was computed under other rules and is not used. The
// document is emitted again by yaml-cpp first, so comments do not count, values do.
// Pure, thread-safe.
#include <string>

#include "platform/rules/node.hpp"

namespace platform::rules {

// 16 lowercase hex digits (the first 64 bits of SHA-256).
std::string document_digest(const Node& root);

// Rules with the digest of the document they were read from.
template <class T>
struct Digested {
  T rules;
  std::string digest;
};

}  // namespace platform::rules
