#include "common/dates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

namespace nsearch {
namespace {

struct Civil {
  int year = 0, month = 0, day = 0;
  int hour = -1, minute = 0, second = 0;  // hour < 0: no time given
  std::string offset;                     // "Z", "+02:00" or empty
};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool Valid(const Civil& c) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (c.year < 1000 || c.year > 9999 || c.month < 1 || c.month > 12 || c.day < 1) return false;
  const int max_day = kDays[c.month - 1] + (c.month == 2 && IsLeap(c.year) ? 1 : 0);
  if (c.day > max_day) return false;
  if (c.hour >= 0 && (c.hour > 23 || c.minute > 59 || c.second > 60)) return false;
  return true;
}

std::string Format(const Civil& c) {
  char buf[96];
  if (c.hour < 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, c.offset.empty() ? "" : c.offset.c_str());
  }
  return buf;
}

// A tiny cursor over the date text.
struct Scanner {
  std::string_view s;
  std::size_t i = 0;

  bool AtEnd() const { return i >= s.size(); }
  char Peek() const { return AtEnd() ? '\0' : s[i]; }
  void SkipSpaces() {
    while (!AtEnd() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
  }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i;
    return true;
  }
  // Reads exactly `n` digits (or 1..n when `exact` is false).
  bool Number(int n, int& out, bool exact = true) {
    int v = 0, k = 0;
    while (k < n && !AtEnd() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i, ++k;
    }
    if (k == 0 || (exact && k != n)) return false;
    out = v;
    return true;
  }
  std::string Word() {
    std::string w;
    while (!AtEnd() && std::isalpha(static_cast<unsigned char>(s[i]))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      ++i;
    }
    return w;
  }
};

int MonthFromName(const std::string& w) {
  static constexpr std::array<const char*, 12> kNames = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  for (std::size_t m = 0; m < kNames.size(); ++m) {
    if (w.compare(0, 3, kNames[m]) == 0) return static_cast<int>(m) + 1;
  }
  return 0;
}

// Optional "hh:mm[:ss[.fff]]" then an optional zone; true if the rest is consumed.
bool ParseTimeAndZone(Scanner& sc, Civil& c) {
  sc.SkipSpaces();
  if (sc.AtEnd()) return true;
  if (!sc.Number(2, c.hour) || !sc.Eat(':') || !sc.Number(2, c.minute)) return false;
  if (sc.Eat(':')) {
    if (!sc.Number(2, c.second)) return false;
    if (sc.Eat('.') || sc.Eat(',')) {
      while (!sc.AtEnd() && std::isdigit(static_cast<unsigned char>(sc.Peek()))) ++sc.i;
    }
  }
  sc.SkipSpaces();
  if (sc.Eat('Z') || sc.Eat('z')) {
    c.offset = "Z";
  } else if (sc.Peek() == '+' || sc.Peek() == '-') {
    const char sign = sc.s[sc.i++];
    int hh = 0, mm = 0;
    if (!sc.Number(2, hh)) return false;
    sc.Eat(':');
    if (!sc.AtEnd() && std::isdigit(static_cast<unsigned char>(sc.Peek())) && !sc.Number(2, mm)) return false;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, hh, mm);
    c.offset = (hh == 0 && mm == 0) ? "Z" : buf;
  } else {
    const std::string zone = sc.Word();  // "GMT", "UTC", "EST": kept as given only if UTC
    if (zone == "gmt" || zone == "utc") c.offset = "Z";
  }
  sc.SkipSpaces();
  return sc.AtEnd();
}

std::optional<Civil> ParseNumeric(std::string_view text) {
  Scanner sc{text};
  Civil c;
  if (!sc.Number(4, c.year)) return std::nullopt;
  if (sc.AtEnd() || std::isdigit(static_cast<unsigned char>(sc.Peek()))) {  // YYYYMMDD
    if (!sc.Number(2, c.month) || !sc.Number(2, c.day)) return std::nullopt;
  } else {
    const char sep = sc.Peek();
    if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
    ++sc.i;
    if (!sc.Number(2, c.month, false) || !sc.Eat(sep) || !sc.Number(2, c.day, false)) return std::nullopt;
  }
  if (sc.Eat('T') || sc.Eat('t') || sc.Eat(' ')) {
    if (!ParseTimeAndZone(sc, c)) return std::nullopt;
  } else if (!sc.AtEnd()) {
    return std::nullopt;
  }
  return c;
}

std::optional<Civil> ParseWritten(std::string_view text) {
  Scanner sc{text};
  Civil c;
  sc.SkipSpaces();
  std::string word = sc.Word();
  if (!word.empty() && MonthFromName(word) == 0) {  // a weekday name: "Wed, 20 Apr 2022"
    sc.Eat('.');
    sc.SkipSpaces();
    word = sc.Word();
  }
  sc.Eat('.');
  sc.SkipSpaces();
  if (!word.empty()) {  // "April 20, 2022"
    c.month = MonthFromName(word);
    if (c.month == 0 || !sc.Number(2, c.day, false)) return std::nullopt;
  } else {  // "20 April 2022"
    if (!sc.Number(2, c.day, false)) return std::nullopt;
    sc.SkipSpaces();
    sc.Eat('-');
    c.month = MonthFromName(sc.Word());
    if (c.month == 0) return std::nullopt;
    sc.Eat('.');
    sc.Eat('-');
  }
  sc.SkipSpaces();
  if (!sc.Number(4, c.year)) return std::nullopt;
  if (!ParseTimeAndZone(sc, c)) return std::nullopt;
  return c;
}

// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil): no time zone, no time_t range.
long long DaysFromCivil(long long y, long long m, long long d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "YYYYMMDDhhmmss" of `seconds` since 1970-01-01T00:00:00Z (civil_from_days).
std::string SlotKeyOfSeconds(long long seconds) {
  long long days = seconds / 86400, rest = seconds % 86400;
  if (rest < 0) rest += 86400, --days;
  const long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp + (mp < 10 ? 3 : -9);
  const long long y = yoe + era * 400 + (m <= 2);
  if (y > 9999) return "99991231235959";  // an offset past the last day a date may name
  if (y < 0) return "00000101000000";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld%02lld%02lld%02lld%02lld%02lld", y, m, d, rest / 3600, rest / 60 % 60, rest % 60);
  return buf;
}

}  // namespace

std::optional<std::string> NormaliseDate(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::optional<Civil> c = std::isdigit(static_cast<unsigned char>(text[0])) ? ParseNumeric(text) : std::nullopt;
  if (!c) c = ParseWritten(text);
  if (!c || !Valid(*c)) return std::nullopt;
  return Format(*c);
}

std::optional<long long> UtcSeconds(std::string_view iso) {
  const auto number = [&](std::size_t at, std::size_t n, long long& out) {
    if (at + n > iso.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return false;
      out = out * 10 + (iso[i] - '0');
    }
    return true;
  };
  long long year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, off_h = 0, off_m = 0;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || iso[4] != '-' || iso[7] != '-') {
    return std::nullopt;
  }
  if (iso.size() == 10) return DaysFromCivil(year, month, day) * 86400;
  if (iso.size() < 19 || iso[10] != 'T' || !number(11, 2, hour) || iso[13] != ':' || !number(14, 2, minute) ||
      iso[16] != ':' || !number(17, 2, second)) {
    return std::nullopt;
  }
  const std::string_view zone = iso.substr(19);
  long long offset = 0;  // seconds east of UTC
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && number(20, 2, off_h) && zone[3] == ':' &&
      number(23, 2, off_m)) {
    offset = (zone[0] == '+' ? 1 : -1) * (off_h * 3600 + off_m * 60);
  } else if (!zone.empty() && zone != "Z") {
    return std::nullopt;
  }
  // A leap second counts as the last second of its minute.
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + std::min(second, 59LL) - offset;
}

std::string DateSlotKey(std::string_view iso) {
  const std::optional<long long> seconds = UtcSeconds(iso);
  return seconds ? SlotKeyOfSeconds(*seconds) : std::string();
}

std::string DateSlotKey(std::time_t t) { return SlotKeyOfSeconds(static_cast<long long>(t)); }

std::string UtcTimestamp(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace nsearch
