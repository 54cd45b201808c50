#include "platform/http/problem.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace platform::http {
namespace {
std::string_view title_of(Errc code) {
  switch (code) {
    case Errc::malformed:
      return "Malformed request";
    case Errc::unauthenticated:
      return "Authentication required";
    case Errc::forbidden:
      return "Forbidden";
    case Errc::not_found:
      return "Not found";
    case Errc::conflict:
      return "Conflict";
    case Errc::too_large:
      return "Request too large";
    case Errc::invalid:
      return "Invalid request";
    case Errc::unavailable:
      return "Service unavailable";
    case Errc::timeout:
      return "Dependency timeout";
    case Errc::internal:
      return "Internal error";
  }
  return "Internal error";
}

// RFC 3986 pchar without the percent sign: unreserved, sub-delims, ':' and '@' (and '/').
bool kept_as_is(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kOthers = "-._~!$&'()*+,;=:@/";
  return kOthers.find(static_cast<char>(c)) != std::string_view::npos;
}

// The (decoded) request path as a relative URI reference: every other byte percent-encoded,
// '%' included, so control characters, spaces and raw non-ASCII bytes never reach the body.
// Two forms would change what the reference means, so they are encoded too: a leading "//"
// (an authority: "//evil.example/x") and a ':' before the first '/' (a scheme: "javascript:x").
std::string uri_reference(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::min(path.size(), kMaxInstanceLength));
  bool in_first_segment = path.empty() || path.front() != '/';
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c == '/') in_first_segment = false;
    const bool authority_slash = i == 1 && c == '/' && path[0] == '/';
    const bool scheme_colon = c == ':' && in_first_segment;
    const bool as_is = kept_as_is(c) && !authority_slash && !scheme_colon;
    // Never cut an escape in half: stop before the first byte that no longer fits whole.
    if (out.size() + (as_is ? 1 : 3) > kMaxInstanceLength) break;
    if (as_is) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4U]);
      out.push_back(kHex[c & 0x0FU]);
    }
  }
  return out;
}

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD: a
// message may quote what a client sent (an id, a plan), and a problem body is always valid JSON
// text, which is UTF-8.
std::string well_formed_utf8(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;  // the second byte's range, narrowed for overlongs and surrogates
    unsigned char high = 0xBF;
    if (c < 0x80) {
      length = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out.append(kReplacement);
      i += 1;
    }
  }
  return out;
}

Response make_problem(int status, std::string_view type, std::string_view title,
                      std::string_view detail, std::string_view instance) {
  boost::json::object body;
  body["type"] = std::string("https://checkout.local/problems/").append(type);
  body["title"] = title;
  body["status"] = status;
  body["detail"] = well_formed_utf8(detail);
  if (!instance.empty()) body["instance"] = uri_reference(instance);
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(body);
  return response;
}
}  // namespace

int status_of(Errc code) {
  switch (code) {
    case Errc::malformed:
      return 400;
    case Errc::unauthenticated:
      return 401;
    case Errc::forbidden:
      return 403;
    case Errc::not_found:
      return 404;
    case Errc::conflict:
      return 409;
    case Errc::too_large:
      return 413;
    case Errc::invalid:
      return 422;
    case Errc::unavailable:
      return 503;
    case Errc::timeout:
      return 504;
    case Errc::internal:
      return 500;
  }
  return 500;
}

Response problem(const Error& error, std::string_view instance) {
  const std::string_view type = error.reason.empty() ? errc_name(error.code) : error.reason;
  auto response =
      make_problem(status_of(error.code), type, title_of(error.code), error.message, instance);
  if (!error.fields.empty()) {
    // Rebuilt with the field list: rare (form validation), so the simple way.
    auto body = boost::json::parse(response.body).as_object();
    boost::json::array errors;
    for (const auto& field : error.fields) {
      errors.push_back(boost::json::object{{"field", field.field}, {"detail", field.detail}});
    }
    body["errors"] = std::move(errors);
    response.body = boost::json::serialize(body);
  }
  // A dependency down, or not answering in time (the request may have been applied: retry with
  // the same Idempotency-Key), as the gateway answers its own 503 and 504.
  if (error.code == Errc::unavailable || error.code == Errc::timeout) {
    response.headers.emplace_back("Retry-After", "1");
  }
  if (error.code == Errc::unauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

Response method_not_allowed(std::string_view allow, std::string_view instance) {
  auto response = make_problem(405, "method_not_allowed", "Method not allowed",
                               "allowed methods: " + std::string(allow), instance);
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

Response unsupported_media_type(std::string_view detail, std::string_view instance) {
  return make_problem(415, "unsupported_media_type", "Unsupported media type", detail, instance);
}

}  // namespace platform::http
