#pragma once
// The Checkout's use cases over its store: fold another service's event into the session's view
// (consumer), end a session on OrderCreated, read the summary, and the customer's own writes
// (customer data, consents, acknowledged prices). Errors: Errc::invalid for a poison event or a
// bad request (the message names the field), Errc::conflict "cart_empty" when the user has no
// open session, Errc::unavailable when Redis is down or the compare-and-set keeps losing.
// Threads: one instance per io_context (it shares that context's Redis connection); `board` is
// shared by both halves.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "change_board.hpp"
#include "checkout_rules.hpp"
#include "config.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "platform/json_writer.hpp"
#include "platform/rules/digest.hpp"
#include "store.hpp"

namespace checkout {

using LoadedRules = platform::rules::Digested<CheckoutRules>;
using RulesSource = std::function<std::shared_ptr<const LoadedRules>()>;
// What a customer's write stores, worked out from the session as loaded (so a retry after a
// concurrent write builds on that write): the stored value and the event's own members.
struct OwnWrite {
  std::string value;
  std::function<void(platform::JsonWriter&)> members;
};
using OwnWriter = std::function<platform::Result<OwnWrite>(const StoredSession&)>;

// A summary as read now: the document, and what read-your-writes compares.
struct Summary {
  std::optional<std::string> session_id;
  std::vector<std::pair<Component, std::int64_t>> versions;
  std::int64_t version(Component component) const;
  std::string document;  // the Summary JSON (summary.hpp), without "freshness"
};

class CheckoutService {
 public:
  CheckoutService(CheckoutStore& store, RulesSource rules, const CheckoutConfig& config,
                  const platform::Clock& clock, ChangeBoard& board);

  // Consumer side: any event of cart-, warranty-, shipping-, payment-, promotion- and
  // checkout-events.
  boost::asio::awaitable<platform::Status> apply(platform::CloudEvent event);

  boost::asio::awaitable<platform::Result<Summary>> summary(std::string user_id);

  // The summary after the customer's write: {"version": n, "summary": {...}} as JSON text.
  boost::asio::awaitable<platform::Result<std::string>> save_customer_data(
      std::string user_id, std::string body, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<std::string>> save_consents(std::string user_id,
                                                                      std::string body,
                                                                      platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<std::string>> acknowledge_prices(std::string user_id,
                                                                           std::string body);

  std::shared_ptr<const LoadedRules> rules() const { return rules_(); }
  ChangeBoard& board() { return board_; }

 private:
  boost::asio::awaitable<platform::Status> fold(std::string session_id, std::string user_id,
                                                const platform::CloudEvent& event,
                                                const boost::json::value& data);
  boost::asio::awaitable<platform::Result<std::string>> save_own(std::string user_id,
                                                                 CheckoutStore::Own what,
                                                                 std::string_view event_type,
                                                                 OwnWriter write,
                                                                 platform::TraceContext trace);
  Summary summary_of(const StoredSession* stored) const;
  Summary summary_of_ordered(const std::string& session_id, const std::string& order_json) const;
  // The summaries rendered last, by session: a read whose stamp and rules are unchanged answers
  // from here after one small Redis read (a summary is read far more often than it changes).
  struct Rendered {
    SessionStamp stamp;
    std::string rules_digest;
    Summary summary;
  };
  std::optional<Summary> rendered(const SessionStamp& stamp, const std::string& digest) const;
  void remember(const SessionStamp& stamp, const std::string& digest, const Summary& summary);
  static constexpr std::size_t kRenderedMax = 1000;  // a few KB each
  mutable std::mutex rendered_mutex_;
  std::unordered_map<std::string, Rendered> rendered_;
  std::string now() const;

  CheckoutStore& store_;
  RulesSource rules_;
  const CheckoutConfig& config_;
  const platform::Clock& clock_;
  ChangeBoard& board_;
};

}  // namespace checkout
