#include "calendar_memory.hpp"

#include <algorithm>

#include "platform/json_writer.hpp"
#include "platform/polish_calendar.hpp"

namespace shipping {

std::string calendar_days_json(const CarrierCalendar& calendar, std::string_view method_id,
                               const DeliveryRules& rules) {
  platform::JsonWriter out(4096);
  out.begin_array();
  for (const auto& day : calendar.days) {
    out.begin_object().key("date").value(platform::format_date(day.date));
    out.key("available").value(day.available);
    out.key("reason");
    if (day.available || day.reason.empty()) {
      out.null();
    } else {
      out.value(day.reason);
    }
    out.key("holiday").value_or_null(day.holiday);
    out.key("windows").begin_array();
    for (const auto& window : day.windows) {
      out.begin_object().key("from").value(format_time_of_day(window.from));
      out.key("to").value(format_time_of_day(window.to)).end_object();
    }
    out.end_array();
    // The addons the method allows on that weekday (the cart decides the rest at set-date).
    out.key("addons").begin_array();
    if (day.available) {
      const auto weekday = std::chrono::weekday(std::chrono::sys_days(day.date));
      for (const auto& addon : rules.addons) {
        const bool for_method =
            std::find(addon.methods.begin(), addon.methods.end(), method_id) != addon.methods.end();
        const bool on_day = addon.days.empty() || std::find(addon.days.begin(), addon.days.end(),
                                                            weekday) != addon.days.end();
        if (for_method && on_day) out.value(addon.id);
      }
    }
    out.end_array().end_object();
  }
  out.end_array();
  return std::move(out).take();
}

}  // namespace shipping
