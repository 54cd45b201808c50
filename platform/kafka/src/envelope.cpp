#include "platform/kafka/envelope.hpp"

#include <array>
#include <string_view>

namespace platform::kafka {
namespace {

constexpr std::array<std::string_view, 8> kEnvelopeHeaders = {
    "ce_specversion", "ce_id",      "ce_type",      "ce_source",
    "ce_time",        "ce_subject", "content-type", "traceparent"};

bool is_envelope_header(std::string_view name) {
  for (auto h : kEnvelopeHeaders) {
    if (h == name) return true;
  }
  return false;
}

}  // namespace

const std::string* find_header(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string dlq_topic(const std::string& topic) {
  return topic + ".dlq";
}

Message to_message(const CloudEvent& event) {
  Message m;
  m.topic = event.topic;
  m.key = event.key;
  m.value = event.data;
  m.headers.reserve(8 + event.extra_headers.size());
  m.headers.emplace_back("ce_specversion", kSpecVersion);
  m.headers.emplace_back("ce_id", event.id);
  m.headers.emplace_back("ce_type", event.type);
  m.headers.emplace_back("ce_source", event.source);
  if (!event.time.empty()) m.headers.emplace_back("ce_time", event.time);
  if (!event.subject.empty()) m.headers.emplace_back("ce_subject", event.subject);
  m.headers.emplace_back("content-type", kContentType);
  if (!event.traceparent.empty()) m.headers.emplace_back("traceparent", event.traceparent);
  for (const auto& h : event.extra_headers) m.headers.push_back(h);
  return m;
}

Result<CloudEvent> from_message(const Message& message) {
  auto required = [&](const char* name) -> const std::string* {
    const auto* v = find_header(message.headers, name);
    return v != nullptr && !v->empty() ? v : nullptr;
  };
  const auto* spec = required("ce_specversion");
  if (spec == nullptr)
    return make_error(Errc::malformed, "missing header ce_specversion", "poison");
  if (*spec != kSpecVersion) {
    return make_error(Errc::malformed, "unsupported ce_specversion " + *spec, "poison");
  }
  for (const char* name : {"ce_id", "ce_type", "ce_source"}) {
    if (required(name) == nullptr) {
      return make_error(Errc::malformed, std::string("missing header ") + name, "poison");
    }
  }
  auto optional = [&](const char* name) {
    const auto* v = find_header(message.headers, name);
    return v != nullptr ? *v : std::string();
  };
  CloudEvent e;
  e.id = optional("ce_id");
  e.type = optional("ce_type");
  e.source = optional("ce_source");
  e.subject = optional("ce_subject");
  e.time = optional("ce_time");
  e.traceparent = optional("traceparent");
  e.data = message.value;
  e.topic = message.topic;
  e.key = message.key;
  for (const auto& h : message.headers) {
    if (!is_envelope_header(h.first)) e.extra_headers.push_back(h);
  }
  return e;
}

}  // namespace platform::kafka
