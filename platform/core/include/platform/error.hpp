#pragma once
// Outcomes a caller must handle are values: Result<T> carries either T or an Error.
// One place (platform/http problem.cpp) maps Errc to HTTP statuses; nothing else picks a status.
#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace platform {

enum class Errc {
  malformed,        // 400: the request could not be parsed
  unauthenticated,  // 401: missing or bad credentials
  forbidden,        // 403
  not_found,        // 404
  conflict,         // 409
  too_large,        // 413
  invalid,          // 422: well-formed but breaks a rule
  unavailable,      // 503: a dependency is down; retry later
  timeout,          // 504: a dependency did not answer in time
  internal,         // 500: a bug
};

struct Error {
  Errc code = Errc::internal;
  std::string message;
  // A short machine-readable reason, e.g. "quantity_out_of_range"; becomes the problem type.
  std::string reason;
  // One entry per input field at fault, for a form to show beside each field; the problem body
  // lists them as "errors": [{"field": ..., "detail": ...}].
  struct Field {
    std::string field;
    std::string detail;
  };
  std::vector<Field> fields;
};

[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = boost::system::result<void, Error>;

inline Error make_error(Errc code, std::string message, std::string reason = {}) {
  return Error{code, std::move(message), std::move(reason), {}};
}

std::string_view errc_name(Errc code);

}  // namespace platform

#define PLATFORM_CONCAT_INNER(a, b) a##b
#define PLATFORM_CONCAT(a, b) PLATFORM_CONCAT_INNER(a, b)

// PLATFORM_TRY(lhs, expr): evaluates a Result; on error returns it from the enclosing function,
// otherwise assigns the value to lhs (which may be a declaration: `auto x`).
#define PLATFORM_TRY(lhs, expr)                              \
  auto PLATFORM_CONCAT(platform_try_, __LINE__) = (expr);    \
  if (!PLATFORM_CONCAT(platform_try_, __LINE__))             \
    return PLATFORM_CONCAT(platform_try_, __LINE__).error(); \
  lhs = std::move(*PLATFORM_CONCAT(platform_try_, __LINE__))

// The same for coroutines.
#define PLATFORM_CO_TRY(lhs, expr)                              \
  auto PLATFORM_CONCAT(platform_try_, __LINE__) = (expr);       \
  if (!PLATFORM_CONCAT(platform_try_, __LINE__))                \
    co_return PLATFORM_CONCAT(platform_try_, __LINE__).error(); \
  lhs = std::move(*PLATFORM_CONCAT(platform_try_, __LINE__))

// PLATFORM_CHECK(expr) / PLATFORM_CO_CHECK(expr): for a Status (Result<void>): returns its error.
#define PLATFORM_CHECK(expr)                                    \
  if (auto PLATFORM_CONCAT(platform_check_, __LINE__) = (expr); \
      !PLATFORM_CONCAT(platform_check_, __LINE__))              \
  return PLATFORM_CONCAT(platform_check_, __LINE__).error()

#define PLATFORM_CO_CHECK(expr)                                 \
  if (auto PLATFORM_CONCAT(platform_check_, __LINE__) = (expr); \
      !PLATFORM_CONCAT(platform_check_, __LINE__))              \
  co_return PLATFORM_CONCAT(platform_check_, __LINE__).error()
