#pragma once
// A service's business rules (the YAML file a shop employee edits) held the way every service
// holds them: loaded at start (a bad file stops the service with "file:line:column: ..."), kept
// with the digest of their document (answers cached under other rules are not used), reloaded on
// SIGHUP while the service runs (a bad file keeps the old rules; rules_reload_total counts both;
// platform/rules/holder.hpp), the SIGHUP watch cancelled when the service stops.
// Threads: source() may be called from any thread; reloads run on the background io_context.
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "platform/app/service.hpp"
#include "platform/rules/digest.hpp"
#include "platform/rules/holder.hpp"
#include "platform/rules/sighup.hpp"

namespace platform::app {

template <class T>
class ServiceRules {
 public:
  using Source = std::function<std::shared_ptr<const rules::Digested<T>>()>;

  // `name` labels the log lines and metrics ("warranty"); `app` must outlive this. Throws
  // rules::RulesError when the file cannot be used.
  ServiceRules(Service& app, std::string name, std::string path,
               std::function<T(const rules::Node&)> parse)
      : holder_(std::move(name), std::move(path),
                [parse = std::move(parse)](const rules::Node& root) {
                  return rules::Digested<T>{parse(root), rules::document_digest(root)};
                }),
        watch_(rules::reload_on_sighup(app.background_io(), [this] { (void)holder_.reload(); })) {
    app.on_shutdown([this] { return stop_watching(); });
  }

  ServiceRules(const ServiceRules&) = delete;
  ServiceRules& operator=(const ServiceRules&) = delete;

  // The rules in force, for a use case to take once per piece of work.
  Source source() {
    return [this] {
      return holder_.get();
    };
  }

 private:
  boost::asio::awaitable<void> stop_watching() {
    watch_.cancel();
    co_return;
  }

  rules::RulesHolder<rules::Digested<T>> holder_;
  rules::SighupWatch watch_;
};

}  // namespace platform::app
