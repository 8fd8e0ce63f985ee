#include "register_store/record.hpp"

#include <cctype>

namespace dfx::register_store {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The number written by the `n` digits at text[pos...], or -1 when they are not all digits.
int number_at(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(text[i])) return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

constexpr const char* kExpected =
    "expected YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z or +hh:mm], e.g. 2024-03-18 or "
    "2024-03-18T14:05:00Z";

// "" when text[pos...] is a time zone designator (Z, ±hh:mm, ±hhmm, ±hh) ending the text.
std::string zone_problem(std::string_view text, std::size_t pos) {
  if (pos == text.size()) return "";  // local time: allowed by ISO 8601
  if (text[pos] == 'Z' && pos + 1 == text.size()) return "";
  if (text[pos] != '+' && text[pos] != '-') return kExpected;
  const int hh = number_at(text, pos + 1, 2);
  std::size_t mm_pos = pos + 3;
  if (mm_pos < text.size() && text[mm_pos] == ':') ++mm_pos;
  const int mm = mm_pos == text.size() ? 0 : number_at(text, mm_pos, 2);
  const std::size_t end = mm_pos == text.size() ? mm_pos : mm_pos + 2;
  if (hh < 0 || mm < 0 || end != text.size()) return kExpected;
  if (hh > 14 || mm > 59) return "time zone offset out of range";
  return "";
}

}  // namespace

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::optional<std::string> parse_status(std::string_view text) {
  std::string lower(trim(text));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto s : kStatuses)
    if (lower == s) return lower;
  return std::nullopt;
}

std::string reported_at_problem(std::string_view text) {
  const int year = number_at(text, 0, 4);
  const int month = number_at(text, 5, 2);
  const int day = number_at(text, 8, 2);
  if (text.size() < 10 || year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-')
    return kExpected;
  if (month < 1 || month > 12) return "month " + std::to_string(month) + " does not exist";
  if (day < 1 || day > days_in_month(year, month))
    return "day " + std::to_string(day) + " does not exist in " + std::string(text.substr(0, 7));
  if (text.size() == 10) return "";
  if (text[10] != 'T') return kExpected;
  const int hour = number_at(text, 11, 2);
  const int minute = number_at(text, 14, 2);
  if (hour < 0 || minute < 0 || text.size() < 16 || text[13] != ':') return kExpected;
  if (hour > 23 || minute > 59)
    return "time " + std::string(text.substr(11, 5)) + " does not exist";
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    const int second = number_at(text, pos + 1, 2);
    if (second < 0) return kExpected;
    if (second > 60) return "second " + std::to_string(second) + " does not exist";
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      const std::size_t digits = ++pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
      if (pos == digits) return kExpected;
    }
  }
  return zone_problem(text, pos);
}

}  // namespace dfx::register_store
