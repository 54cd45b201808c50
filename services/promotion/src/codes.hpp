#pragma once
// Discount-code uses that hold under concurrency: two Redis hashes per code, changed only by the
// Lua scripts here (each one atomic, so 100 customers applying a code limited to 10 at the same
// moment get exactly 10 uses):
//   promo_codes:usage:{code}   confirmed: uses confirmed by an order (OrderCreated), less those
//                              given back (OrderCancelled);
//                              user:{user_id}: the same for one customer (gone at 0);
//                              order:{session_id}: "1" once that session's order confirmed its
//                              use, "returned" once its cancelled order gave it back (or was
//                              cancelled without a confirmed use). Either value is final: a
//                              redelivered OrderCreated confirms nothing twice, a redelivered
//                              OrderCancelled gives nothing back twice, and an OrderCreated
//                              redelivered after the give-back does not count the use again (a
//                              session orders once: it ends on OrderCreated, so "returned" never
//                              blocks a real second order). The marks are never deleted.
//   promo_codes:holds:{code}   session_id → "<user_id> <expiry, ms since the epoch>": a use
//                              reserved for a session that applied the code and has not ordered
//                              yet; it lapses at its expiry (an abandoned session gives it back)
// A use counts while it is confirmed or held and not lapsed. The keys are the code's (one Cluster
// slot per code, by the hash tag), not the session's, so a reservation is not part of the
// session's commit: it is made first, and a session commit that then fails leaves only a hold
// that lapses by itself (or is renewed when the same session applies the code again).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "platform/clock.hpp"
#include "platform/error.hpp"
#include "platform/redis/client.hpp"

namespace promotion {

std::string code_usage_key(std::string_view code);
std::string code_holds_key(std::string_view code);

struct CodeLimits {
  std::optional<std::int64_t> global;        // uses in all
  std::optional<std::int64_t> per_customer;  // uses by one customer
  std::chrono::seconds hold{900};            // how long an unconfirmed use is held
};

class CodeUsage {
 public:
  CodeUsage(platform::redis::RedisClient& redis, const platform::Clock& clock);

  // Reserves (or renews) the session's use of `code`. false: a limit is reached (nothing held).
  boost::asio::awaitable<platform::Result<bool>> reserve(std::string code, std::string session_id,
                                                         std::string user_id, CodeLimits limits);
  // Gives the session's held use back (the customer removed the code). Idempotent.
  boost::asio::awaitable<platform::Status> release(std::string code, std::string session_id);
  // The session's order confirms its use (held or not: the order used the code). Idempotent.
  boost::asio::awaitable<platform::Status> confirm(std::string code, std::string session_id,
                                                   std::string user_id);
  // The session's order was cancelled (OrderCancelled): the use it confirmed is given back
  // (confirmed and the customer's count go down by one) and the session's mark becomes
  // "returned", so nothing confirms or gives back this session's use again; a hold the session
  // may still have is dropped. true: a use was given back; false: none was confirmed (or it was
  // given back before). Idempotent.
  boost::asio::awaitable<platform::Result<bool>> give_back(std::string code, std::string session_id,
                                                           std::string user_id);
  // Uses counted now (confirmed plus live holds), for tests and operators.
  boost::asio::awaitable<platform::Result<std::int64_t>> in_use(std::string code);

 private:
  platform::redis::RedisClient& redis_;
  const platform::Clock& clock_;
  platform::redis::Script reserve_script_;
  platform::redis::Script confirm_script_;
  platform::redis::Script give_back_script_;
  platform::redis::Script count_script_;
};

}  // namespace promotion
