#include "platform/error.hpp"

#include <stdexcept>

namespace platform {

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw std::runtime_error(std::string(errc_name(error.code)) + ": " + error.message);
}

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::malformed:
      return "malformed";
    case Errc::unauthenticated:
      return "unauthenticated";
    case Errc::forbidden:
      return "forbidden";
    case Errc::not_found:
      return "not_found";
    case Errc::conflict:
      return "conflict";
    case Errc::too_large:
      return "too_large";
    case Errc::invalid:
      return "invalid";
    case Errc::unavailable:
      return "unavailable";
    case Errc::timeout:
      return "timeout";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace platform
