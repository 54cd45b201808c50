#include "platform/rules/holder.hpp"

#include <spdlog/spdlog.h>

namespace platform::rules::detail {
namespace {

constexpr const char* kReloadMetric = "rules_reload_total";
constexpr const char* kReloadHelp = "Reloads of a rules file, by result (invalid: old rules kept)";

}  // namespace

ReloadReport::ReloadReport(std::string name, std::string path, metrics::Registry& registry)
    : name_(std::move(name)),
      path_(std::move(path)),
      ok_(registry.counter(kReloadMetric, kReloadHelp, {{"rules", name_}, {"result", "ok"}})),
      invalid_(registry.counter(kReloadMetric, kReloadHelp,
                                {{"rules", name_}, {"result", "invalid"}})) {}

void ReloadReport::loaded() const {
  spdlog::info("{} rules loaded from {}", name_, path_);
}

void ReloadReport::reloaded() const {
  ok_.inc();
  spdlog::info("{} rules reloaded from {}", name_, path_);
}

void ReloadReport::rejected(const Error& error) const {
  invalid_.inc();
  spdlog::error("{} rules not reloaded, the previous ones stay: {}", name_, error.message);
}

}  // namespace platform::rules::detail
