#include "sim_clock.hpp"

#include "platform/polish_calendar.hpp"

namespace carrier_sim {
namespace {
using namespace std::chrono;

bool digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int number(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

void append_two_digits(std::string& out, long value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}
}  // namespace

platform::TimePoint SimClock::now() const {
  {
    const std::lock_guard lock(mutex_);
    if (fixed_) return *fixed_;
  }
  return system_clock::now();
}

void SimClock::fix(std::optional<platform::TimePoint> instant) {
  const std::lock_guard lock(mutex_);
  fixed_ = instant;
}

std::optional<platform::TimePoint> SimClock::fixed() const {
  const std::lock_guard lock(mutex_);
  return fixed_;
}

std::optional<platform::TimePoint> parse_timestamp(std::string_view text) {
  // YYYY-MM-DDThh:mm:ss is 19 characters, then [.fraction] and the zone.
  if (text.size() < 20) return std::nullopt;
  const auto date = platform::parse_date(text.substr(0, 10));
  if (!date || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  const auto clock = text.substr(11, 8);
  if (clock[2] != ':' || clock[5] != ':' || !digits(clock.substr(0, 2)) ||
      !digits(clock.substr(3, 2)) || !digits(clock.substr(6, 2))) {
    return std::nullopt;
  }
  const int hour = number(clock.substr(0, 2));
  const int minute = number(clock.substr(3, 2));
  const int second = number(clock.substr(6, 2));
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  auto rest = text.substr(19);
  nanoseconds fraction{0};
  if (rest.front() == '.') {
    const auto end = rest.find_first_not_of("0123456789", 1);
    const auto fraction_digits = rest.substr(1, end == std::string_view::npos ? end : end - 1);
    if (fraction_digits.empty() || fraction_digits.size() > 9) return std::nullopt;
    std::int64_t scaled = number(fraction_digits);
    for (auto i = fraction_digits.size(); i < 9; ++i) scaled *= 10;
    fraction = nanoseconds{scaled};
    rest.remove_prefix(1 + fraction_digits.size());
  }
  minutes offset{0};
  if (rest == "Z" || rest == "z") {
    offset = minutes{0};
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             digits(rest.substr(1, 2)) && digits(rest.substr(4, 2))) {
    const int offset_hours = number(rest.substr(1, 2));
    const int offset_minutes = number(rest.substr(4, 2));
    if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    offset = hours{offset_hours} + minutes{offset_minutes};
    if (rest[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  return platform::TimePoint{sys_days{*date} + hours{hour} + minutes{minute} + seconds{second} +
                             duration_cast<platform::TimePoint::duration>(fraction) - offset};
}

std::string format_timestamp(platform::TimePoint instant) {
  const auto whole = floor<seconds>(instant);
  const auto day = floor<days>(whole);
  const hh_mm_ss clock{whole - day};
  std::string out = platform::format_date(year_month_day{day});
  out.push_back('T');
  append_two_digits(out, clock.hours().count());
  out.push_back(':');
  append_two_digits(out, clock.minutes().count());
  out.push_back(':');
  append_two_digits(out, clock.seconds().count());
  out.push_back('Z');
  return out;
}

}  // namespace carrier_sim
