#include "platform/idempotency/idempotency.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <stdexcept>

#include "platform/http/problem.hpp"
#include "platform/ids.hpp"
#include "platform/log.hpp"

namespace platform::idempotency {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using redis::Reply;
using redis::Script;

namespace {

// A record is a hash: state (running|done), fp, token (while running), and the response
// (status, content_type, headers, body) once done. Replies: {"acquired"} | {"mismatch"} |
// {"running"} | {"done", status, content_type, headers, body}.
const Script& begin_script() {
  static const Script script = Script::from_source("idempotency_begin", R"lua(
local r = redis.call('HMGET', KEYS[1], 'state', 'fp', 'status', 'content_type', 'headers', 'body')
if not r[1] then
  redis.call('HSET', KEYS[1], 'state', 'running', 'fp', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'acquired'}
end
if r[2] ~= ARGV[1] then return {'mismatch'} end
if r[1] == 'done' then return {'done', r[3], r[4], r[5], r[6]} end
return {'running'}
)lua");
  return script;
}

// Makes the record final (see record_lua()) from the kit's own post-step.
const Script& complete_script() {
  static const Script script = Script::from_source(
      "idempotency_complete",
      std::string(record_lua()) + "return idempotency_record_argv(KEYS[1], 1)\n");
  return script;
}

// Deletes the record only while it is still ours and running (a final record has no token).
const Script& release_script() {
  static const Script script = Script::from_source("idempotency_release", R"lua(
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return script;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

// HTTP header names and values never contain a newline, so "name\nvalue\n..." is unambiguous.
std::string encode_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers)
    out.append(name).append("\n").append(value).append("\n");
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_headers(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const auto name_end = text.find('\n');
    if (name_end == std::string_view::npos) break;
    const auto value_end = text.find('\n', name_end + 1);
    if (value_end == std::string_view::npos) break;
    out.emplace_back(std::string(text.substr(0, name_end)),
                     std::string(text.substr(name_end + 1, value_end - name_end - 1)));
    text.remove_prefix(value_end + 1);
  }
  return out;
}

http::Response stored_response(const std::vector<Reply>& r) {
  http::Response response;
  response.status = static_cast<int>(r.at(1).as_integer());
  response.content_type = r.at(2).as_string();
  response.headers = decode_headers(r.at(3).as_string());
  response.body = r.at(4).as_string();
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

http::Response redis_problem(const Error& error) {
  return http::problem(make_error(error.code, "idempotency store: " + error.message,
                                  error.code == Errc::timeout ? "" : "dependency_unavailable"));
}

struct Settings {
  std::string key_prefix;
  std::chrono::seconds ttl;
  std::chrono::seconds lock_ttl;
  std::chrono::milliseconds wait_for_first;
};

std::string millis(std::chrono::milliseconds d) {
  return std::to_string(d.count());
}

// SHA-256 over the length-prefixed parts: no two different part lists give the same input.
std::string fingerprint_of(std::string_view scope, const http::Request& request) {
  std::string input;
  for (std::string_view part :
       {scope, std::string_view(request.method), std::string_view(request.path),
        std::string_view(request.query), std::string_view(request.body)}) {
    input.append(std::to_string(part.size())).append(":").append(part);
  }
  return sha256_hex(input);
}

asio::awaitable<Handled> run_plain(http::Handler handler, http::Request request,
                                   std::optional<Claim>) {
  // Awaited outside the braces: g++ 12 mis-compiles co_await inside a braced initializer.
  auto response = co_await handler(std::move(request));
  co_return Handled{std::move(response), false};
}

asio::awaitable<http::Response> run_once(redis::RedisClient& redis, Settings settings,
                                         http::Request request, std::string scope,
                                         ClaimHandler handler) {
  const auto key_header = request.header("idempotency-key");
  if (!key_header) {
    auto handled = co_await handler(std::move(request), std::nullopt);
    co_return std::move(handled.response);
  }
  const std::string key(*key_header);
  if (key.empty() || key.size() > kMaxKeyLength) {
    co_return http::problem(make_error(Errc::malformed,
                                       "Idempotency-Key must be 1 to 255 characters long",
                                       "idempotency_key_invalid"));
  }

  Claim claim(record_key(settings.key_prefix, scope, key), fingerprint_of(scope, request),
              new_uuid(), settings.ttl);
  const std::string& record = claim.record_key();
  std::vector<std::string> keys{record};
  std::vector<std::string> begin_args{claim.fingerprint(), claim.token(),
                                      millis(settings.lock_ttl)};

  // Either we take the lock, or we see the outcome of whoever holds it. A duplicate waits for
  // the first request with a short growing backoff; if the first fails with a 5xx the record
  // disappears and the duplicate takes the lock itself.
  const auto deadline = Clock::now() + settings.wait_for_first;
  auto backoff = std::chrono::milliseconds(5);
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  for (;;) {
    auto begun = co_await redis.eval(begin_script(), keys, begin_args);
    if (!begun) co_return redis_problem(begun.error());
    if (begun->is_error() || begun->elements().empty()) {
      throw std::runtime_error("idempotency begin script failed: " + begun->as_string());
    }
    const std::string& state = begun->elements()[0].as_string();
    if (state == "acquired") break;
    if (state == "mismatch") {
      co_return http::problem(make_error(Errc::invalid,
                                         "Idempotency-Key reused with a different request body",
                                         "idempotency_key_reused"));
    }
    if (state == "done") co_return stored_response(begun->elements());
    const auto now = Clock::now();
    if (now >= deadline) {
      co_return http::problem(
          make_error(Errc::conflict, "request with this Idempotency-Key is still being processed",
                     "idempotency_key_in_progress"));
    }
    timer.expires_after(std::min<Clock::duration>(backoff, deadline - now));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
  }

  Handled handled;
  std::exception_ptr failure;
  try {
    handled = co_await handler(std::move(request), claim);
  } catch (...) {
    failure = std::current_exception();  // rethrown below, once the lock is released
  }
  // The handler's own commit made the record final: nothing left to write.
  if (!failure && handled.recorded) co_return std::move(handled.response);
  if (failure || handled.response.status >= 500) {
    // Not stored: the client may retry. The release leaves a record that a handler's commit
    // already made final; if it fails the lock expires after lock_ttl.
    std::vector<std::string> release_args{claim.token()};
    auto released = co_await redis.eval(release_script(), keys, release_args);
    if (!released) spdlog::warn("idempotency: lock not released: {}", released.error().message);
    if (failure) std::rethrow_exception(failure);
    co_return std::move(handled.response);
  }
  auto completed =
      co_await redis.eval(complete_script(), keys, claim.record_argv(handled.response));
  if (!completed || completed->is_error()) {
    // The work is done; answer it. A retry within lock_ttl gets 409, later it runs again.
    spdlog::warn("idempotency: response not stored for {}: {}", record,
                 completed ? completed->as_string() : completed.error().message);
  } else if (completed->as_integer() == 0) {
    spdlog::warn("idempotency: lock for {} expired before the response was stored", record);
  }
  co_return std::move(handled.response);
}

}  // namespace

std::string record_key(std::string_view key_prefix, std::string_view scope, std::string_view key) {
  std::string out;
  out.reserve(key_prefix.size() + scope.size() + 3 + 64);
  out.append(key_prefix).append("{").append(scope).append("}:").append(sha256_hex(key));
  return out;
}

std::string_view record_lua() {
  // A running record holds its owner's token; a final one holds none.
  static constexpr std::string_view kLua = R"lua(
local function idempotency_claim_held_argv(key, first)
  return redis.call('HGET', key, 'token') == ARGV[first]
end
local function idempotency_record_argv(key, first)
  if redis.call('HGET', key, 'token') ~= ARGV[first] then return 0 end
  redis.call('HSET', key, 'state', 'done', 'status', ARGV[first + 2],
             'content_type', ARGV[first + 3], 'headers', ARGV[first + 4], 'body', ARGV[first + 5])
  redis.call('HDEL', key, 'token')
  redis.call('PEXPIRE', key, ARGV[first + 1])
  return 1
end
)lua";
  return kLua;
}

Claim::Claim(std::string record_key, std::string fingerprint, std::string token,
             std::chrono::milliseconds ttl)
    : record_key_(std::move(record_key)),
      fingerprint_(std::move(fingerprint)),
      token_(std::move(token)),
      ttl_(ttl) {}

std::vector<std::string> Claim::record_argv(const http::Response& response) const {
  return {token_,
          millis(ttl_),
          std::to_string(response.status),
          response.content_type,
          encode_headers(response.headers),
          response.body};
}

IdempotencyStore::IdempotencyStore(redis::RedisClient& redis, std::string key_prefix,
                                   std::chrono::seconds ttl, std::chrono::seconds lock_ttl,
                                   std::chrono::milliseconds wait_for_first)
    : redis_(redis),
      key_prefix_(std::move(key_prefix)),
      ttl_(ttl),
      lock_ttl_(lock_ttl),
      wait_for_first_(wait_for_first) {}

// Not coroutines: the copies are made now, so the caller's temporaries may go away.
asio::awaitable<http::Response> IdempotencyStore::run(const http::Request& request,
                                                      std::string_view scope,
                                                      http::Handler handler) {
  ClaimHandler plain = [handler = std::move(handler)](http::Request r, std::optional<Claim> c) {
    return run_plain(handler, std::move(r), std::move(c));
  };
  return run(request, scope, std::move(plain));
}

asio::awaitable<http::Response> IdempotencyStore::run(const http::Request& request,
                                                      std::string_view scope,
                                                      ClaimHandler handler) {
  return run_once(redis_, Settings{key_prefix_, ttl_, lock_ttl_, wait_for_first_}, request,
                  std::string(scope), std::move(handler));
}

}  // namespace platform::idempotency
