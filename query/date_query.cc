#include "query/date_query.h"

#include <cctype>
#include <cstdio>

#include "common/error.h"
#include "common/schema.h"

namespace nsearch {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Ymd(const std::tm& t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return buf;
}

}  // namespace

std::optional<DayRange> ParseDay(std::string_view text) {
  const std::size_t n = text.size();
  if (n == 4 && AllDigits(text)) return DayRange{std::string(text) + "0101", std::string(text) + "1231"};
  if (n < 7 || text[4] != '-' || !AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2))) return std::nullopt;
  const int month = std::stoi(std::string(text.substr(5, 2)));
  if (month < 1 || month > 12) return std::nullopt;
  const std::string ym = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2));
  if (n == 7) return DayRange{ym + "01", ym + "31"};
  if (n != 10 || text[7] != '-' || !AllDigits(text.substr(8, 2))) return std::nullopt;
  const int day = std::stoi(std::string(text.substr(8, 2)));
  if (day < 1 || day > 31) return std::nullopt;
  const std::string ymd = ym + std::string(text.substr(8, 2));
  return DayRange{ymd, ymd};
}

Xapian::Query DateRangeQuery(const DayRange& range) {
  if (range.first.empty() && range.last.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0");
  if (range.first.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, range.last);
  if (range.last.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, range.first);
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, range.first, range.last);
}

Xapian::Query DateFieldProcessor::operator()(const std::string& value) {
  const char* name = field_ == DateField::kYear ? "year" : field_ == DateField::kMonth ? "month" : "date";
  const char* form = field_ == DateField::kYear ? "YYYY" : field_ == DateField::kMonth ? "YYYY-MM" : "YYYY-MM-DD";
  const auto bad = [&] {
    return Xapian::QueryParserError(std::string(name) + ": wants " + form + " or a range " + form + ".." + form +
                                    ", not '" + value + "'");
  };
  const auto read = [&](std::string_view text) {
    const std::optional<DayRange> range = ParseDay(text);
    if (!range) throw bad();
    const std::size_t want = field_ == DateField::kYear ? 4 : field_ == DateField::kMonth ? 7 : text.size();
    if (text.size() != want) throw bad();
    return *range;
  };
  const std::size_t dots = value.find("..");
  if (dots == std::string::npos) return DateRangeQuery(read(value));
  const std::string_view from = std::string_view(value).substr(0, dots);
  const std::string_view to = std::string_view(value).substr(dots + 2);
  if (from.empty() && to.empty()) throw bad();
  DayRange range;
  if (!from.empty()) range.first = read(from).first;
  if (!to.empty()) range.last = read(to).last;
  if (!range.first.empty() && !range.last.empty() && range.first > range.last) throw bad();
  return DateRangeQuery(range);
}

std::string DateBound(std::string_view text, bool is_until, const std::tm& today, std::string_view option) {
  if (const std::optional<DayRange> day = ParseDay(text)) return is_until ? day->last : day->first;
  const auto bad = [&] {
    return UsageError(std::string(option) + " wants a date (2022-04-20, 2022-04, 2022) or a time ago (30d, 2w, 6m, 1y), not '" +
                      std::string(text) + "'");
  };
  if (text.size() < 2 || text.size() > 6 || !AllDigits(text.substr(0, text.size() - 1))) throw bad();
  const int n = std::stoi(std::string(text.substr(0, text.size() - 1)));
  std::tm t = today;
  t.tm_hour = 12;  // away from any daylight-saving edge
  t.tm_isdst = -1;
  switch (text.back()) {
    case 'd': t.tm_mday -= n; break;
    case 'w': t.tm_mday -= 7 * n; break;
    case 'm': t.tm_mon -= n; break;
    case 'y': t.tm_year -= n; break;
    default: throw bad();
  }
  // A month or year back from the 31st lands on the 31st if there is one,
  // else on the first days of the next month, as mktime normalises.
  std::mktime(&t);
  return Ymd(t);
}

std::tm Today() {
  const std::time_t now = std::time(nullptr);
  std::tm t{};
  localtime_r(&now, &t);
  return t;
}

}  // namespace nsearch
