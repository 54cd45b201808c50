#include "platform/http/problem.hpp"

#include <boost/json/object.hpp>
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

Response make_problem(int status, std::string_view type, std::string_view title,
                      std::string_view detail, std::string_view instance) {
  boost::json::object body;
  body["type"] = std::string("https://checkout.local/problems/").append(type);
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  if (!instance.empty()) body["instance"] = instance;
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
  if (error.code == Errc::unavailable) response.headers.emplace_back("Retry-After", "1");
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

}  // namespace platform::http
