#include "platform/http/router.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "platform/http/problem.hpp"
#include "route_miss.hpp"

namespace platform::http {
namespace {
bool is_param(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

// Calls `fn(segment)` for each segment of "/a/b/c" (the leading '/' is skipped); stops early
// when fn returns false. Returns false when stopped.
template <class Fn>
bool for_each_segment(std::string_view path, Fn&& fn) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    if (!fn(path.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

// The error of a result handler becomes its problem+json here, for every such route.
boost::asio::awaitable<Response> respond(std::shared_ptr<const ResultHandler> handler,
                                         Request request) {
  std::string instance = request.path;
  auto result = co_await (*handler)(std::move(request));
  if (!result) co_return problem(result.error(), instance);
  co_return std::move(*result);
}
}  // namespace

Response route_miss(const RouteMatch& match, std::string_view path) {
  if (match.kind == RouteMatch::Kind::method_not_allowed) {
    return method_not_allowed(match.allow, path);
  }
  return problem(
      make_error(Errc::not_found, "no route for " + std::string(path), "route_not_found"), path);
}

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Compiled compiled;
  for_each_segment(pattern, [&](std::string_view segment) {
    const bool param = is_param(segment);
    if (!param && (segment.find('{') != std::string_view::npos ||
                   segment.find('}') != std::string_view::npos)) {
      throw std::invalid_argument("route pattern has a malformed parameter: " + pattern);
    }
    if (!param) ++compiled.literal_count;
    // A parameter is stored as "{name" (no closing brace): the '{' marks it.
    std::string stored(segment.substr(0, param ? segment.size() - 1 : segment.size()));
    compiled.segments.push_back(std::move(stored));
    return true;
  });
  for (const auto& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::invalid_argument(
          std::string("duplicate route: ").append(method).append(" ").append(pattern));
    }
  }
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), options});
  compiled_.push_back(std::move(compiled));
}

void Router::add(std::string method, std::string pattern, ResultHandler handler,
                 RouteOptions options) {
  auto shared = std::make_shared<const ResultHandler>(std::move(handler));
  add(std::move(method), std::move(pattern),
      Handler([shared](Request request) { return respond(shared, std::move(request)); }), options);
}

RouteMatch Router::match(std::string_view method, std::string_view path,
                         std::vector<std::pair<std::string, std::string>>& params) const {
  RouteMatch result;
  // The path's pattern is the best-scoring one over every method: a fixed segment beats a
  // parameter whatever the method, so "DELETE /warranty/available" is a 405 of the GET route's
  // path, not "DELETE /warranty/{item_id}" with item_id "available".
  std::vector<std::pair<std::size_t, std::uint64_t>> matches;  // route, score
  std::uint64_t best_score = 0;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& segments = compiled_[i].segments;
    std::size_t index = 0;
    // A literal segment earlier in the path weighs more than any later one.
    std::uint64_t score = 1;
    const bool matched = for_each_segment(path, [&](std::string_view segment) {
      if (index >= segments.size()) return false;
      const auto& expected = segments[index];
      const bool param = !expected.empty() && expected.front() == '{';
      score <<= 1U;
      if (param) {
        if (segment.empty()) return false;
      } else {
        if (segment != expected) return false;
        score |= 1U;
      }
      ++index;
      return true;
    });
    if (!matched || index != segments.size()) continue;
    matches.emplace_back(i, score);
    best_score = std::max(best_score, score);
  }
  std::size_t best = routes_.size();
  std::vector<std::string_view> allowed;
  for (const auto& [i, score] : matches) {
    if (score != best_score) continue;
    if (routes_[i].method == method) {
      best = i;
      break;
    }
    if (std::find(allowed.begin(), allowed.end(), routes_[i].method) == allowed.end()) {
      allowed.push_back(routes_[i].method);
    }
  }
  if (best != routes_.size()) {
    result.kind = RouteMatch::Kind::found;
    result.route = &routes_[best];
    const auto& segments = compiled_[best].segments;
    std::size_t index = 0;
    for_each_segment(path, [&](std::string_view segment) {
      const auto& expected = segments[index++];
      if (expected.front() == '{') params.emplace_back(expected.substr(1), segment);
      return true;
    });
    return result;
  }
  if (!allowed.empty()) {
    std::sort(allowed.begin(), allowed.end());
    result.kind = RouteMatch::Kind::method_not_allowed;
    for (const auto& m : allowed) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += m;
    }
  }
  return result;
}

boost::asio::awaitable<Response> Router::dispatch(Request request) const {
  auto found = match(request.method, request.path, request.path_params);
  if (found.kind != RouteMatch::Kind::found) co_return route_miss(found, request.path);
  request.route = found.route->pattern;
  co_return co_await found.route->handler(std::move(request));
}

}  // namespace platform::http
