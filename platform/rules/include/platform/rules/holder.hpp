#pragma once
// The current rules of a service, reloadable while it runs. Owns the latest valid snapshot as
// std::shared_ptr<const T>: get() is thread-safe and lock-free for readers in effect (an atomic
// shared_ptr), and a snapshot a request took stays valid however many reloads follow. reload()
// parses the file again on the calling thread and swaps the snapshot only if the new file is
// valid; otherwise the old rules stay and the error is returned (a shop employee's typo never
// takes the rules away). Reloads are serialized; each one logs a line and counts
// rules_reload_total{rules="<name>",result="ok|invalid"}. Construction loads the file and throws
// RulesError with the "file:line:column: ..." message if it cannot (a startup failure).
// Nothing to cancel: the holder does no I/O of its own (see sighup.hpp to reload on SIGHUP).
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "platform/error.hpp"
#include "platform/metrics.hpp"
#include "platform/rules/load.hpp"

namespace platform::rules {

namespace detail {
// The holder's metrics and log lines, kept out of the template.
class ReloadReport {
 public:
  ReloadReport(std::string name, std::string path, metrics::Registry& registry);
  void loaded() const;
  void reloaded() const;
  void rejected(const Error& error) const;

 private:
  std::string name_;
  std::string path_;
  metrics::Counter& ok_;
  metrics::Counter& invalid_;
};
}  // namespace detail

template <class T>
class RulesHolder {
 public:
  // `name` labels the metric and the log lines ("shipping"); `registry` must outlive this.
  RulesHolder(std::string name, std::string path, ParseRules<T> parse,
              metrics::Registry& registry = metrics::registry())
      : path_(std::move(path)), parse_(std::move(parse)), report_(name, path_, registry) {
    auto rules = load_rules<T>(path_, parse_);
    if (!rules) throw RulesError(rules.error().message);
    current_.store(std::make_shared<const T>(std::move(*rules)));
    report_.loaded();
  }

  RulesHolder(const RulesHolder&) = delete;
  RulesHolder& operator=(const RulesHolder&) = delete;

  // The current rules; hold the pointer for the duration of one piece of work.
  std::shared_ptr<const T> get() const { return current_.load(); }

  // Parses the file again; takes the new rules if they are valid, else keeps the old ones and
  // returns the error (Errc::invalid, "file:line:column: ...").
  [[nodiscard]] Status reload() {
    std::lock_guard lock(reload_mutex_);
    auto rules = load_rules<T>(path_, parse_);
    if (!rules) {
      report_.rejected(rules.error());
      return rules.error();
    }
    current_.store(std::make_shared<const T>(std::move(*rules)));
    report_.reloaded();
    return {};
  }

  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const ParseRules<T> parse_;
  const detail::ReloadReport report_;
  std::mutex reload_mutex_;
  std::atomic<std::shared_ptr<const T>> current_;
};

}  // namespace platform::rules
