#include "query/date_query.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "common/dates.h"
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

// The span of "YYYY", "YYYY-MM" or "YYYY-MM-DD": from the first second of
// its first day to the last of its last ("2022-04" ends on a 31st: the slot
// compares strings, so a day past the month's end is a safe upper bound).
std::optional<DateRange> ParseDaySpan(std::string_view text) {
  const std::size_t n = text.size();
  if (n == 4 && AllDigits(text)) return DateRange{std::string(text) + "0101000000", std::string(text) + "1231235959"};
  if (n < 7 || text[4] != '-' || !AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2))) return std::nullopt;
  const int month = std::stoi(std::string(text.substr(5, 2)));
  if (month < 1 || month > 12) return std::nullopt;
  const std::string ym = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2));
  if (n == 7) return DateRange{ym + "01000000", ym + "31235959"};
  if (n != 10 || text[7] != '-' || !AllDigits(text.substr(8, 2))) return std::nullopt;
  if (!NormaliseDate(text)) return std::nullopt;  // no February 30th
  const std::string ymd = ym + std::string(text.substr(8, 2));
  return DateRange{ymd + "000000", ymd + "235959"};
}

// The span of "YYYY-MM-DDThh:mm[:ss]" then "Z", "+hh:mm", "+hhmm" or nothing
// (UTC): the minute or second it names, moved to UTC. NormaliseDate checks
// that the day and time exist.
std::optional<DateRange> ParseTimeSpan(std::string_view text) {
  if (text.size() < 16 || text[10] != 'T' || text[13] != ':') return std::nullopt;
  const bool to_the_second = text.size() >= 19 && text[16] == ':';
  const std::size_t zone_at = to_the_second ? 19 : 16;
  const std::string_view clock = text.substr(11, zone_at - 11), zone = text.substr(zone_at);
  for (std::size_t i = 0; i < clock.size(); ++i) {
    if (i % 3 == 2 ? clock[i] != ':' : !std::isdigit(static_cast<unsigned char>(clock[i]))) return std::nullopt;
  }
  const bool offset = zone.size() >= 5 && (zone[0] == '+' || zone[0] == '-') && AllDigits(zone.substr(1, 2)) &&
                      (zone.size() == 5 ? AllDigits(zone.substr(3, 2))
                                        : zone.size() == 6 && zone[3] == ':' && AllDigits(zone.substr(4, 2)));
  if (!zone.empty() && zone != "Z" && !offset) return std::nullopt;
  const std::optional<std::string> iso = NormaliseDate(text);
  const std::optional<long long> start = iso ? UtcSeconds(*iso) : std::nullopt;
  if (!start) return std::nullopt;
  const long long last = *start + (to_the_second ? 0 : 59);
  return DateRange{DateSlotKey(static_cast<std::time_t>(*start)), DateSlotKey(static_cast<std::time_t>(last))};
}

const char* FieldName(DateField field) {
  return field == DateField::kYear ? "year" : field == DateField::kMonth ? "month" : "date";
}

const char* FieldForms(DateField field) {
  switch (field) {
    case DateField::kYear: return "YYYY or a range YYYY..YYYY";
    case DateField::kMonth: return "YYYY-MM or a range YYYY-MM..YYYY-MM";
    case DateField::kDate: break;
  }
  return "YYYY-MM-DD, YYYY-MM, YYYY, YYYY-MM-DDThh:mm[:ss] (UTC, or an offset such as +02:00) or a range A..B";
}

// The UTC calendar day `back` days, months or years before `now`'s, as
// YYYYMMDD. A month or year back from the 31st lands on the 31st if there is
// one, else on the first days of the next month, as timegm normalises.
std::string DayBefore(std::time_t now, int back, char unit) {
  std::tm t{};
  gmtime_r(&now, &t);
  t.tm_hour = 12;
  switch (unit) {
    case 'd': t.tm_mday -= back; break;
    case 'w': t.tm_mday -= 7 * back; break;
    case 'o': t.tm_mon -= back; break;
    default: t.tm_year -= back; break;
  }
  const std::time_t day = timegm(&t);
  return DateSlotKey(day).substr(0, 8);
}

}  // namespace

std::optional<DateRange> ParseDateSpan(std::string_view text) {
  if (text.size() > 10) return ParseTimeSpan(text);
  return ParseDaySpan(text);
}

Xapian::Query DateRangeQuery(const DateRange& range) {
  if (range.first.empty() && range.last.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0");
  if (range.first.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, range.last);
  if (range.last.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, range.first);
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, range.first, range.last);
}

DateSlotRangeProcessor::DateSlotRangeProcessor(DateField field)
    : Xapian::RangeProcessor(schema::kDateSlot), field_(field) {}

Xapian::QueryParserError DateSlotRangeProcessor::Malformed(const std::string& value) const {
  return Xapian::QueryParserError(std::string(FieldName(field_)) + ": wants " + FieldForms(field_) + ", not '" + value +
                                  "'");
}

DateRange DateSlotRangeProcessor::Span(const std::string& text) const {
  const std::size_t want = field_ == DateField::kYear ? 4 : field_ == DateField::kMonth ? 7 : text.size();
  const std::optional<DateRange> span = text.size() == want ? ParseDateSpan(text) : std::nullopt;
  if (!span) throw Malformed(text);
  return *span;
}

Xapian::Query DateSlotRangeProcessor::operator()(const std::string& begin, const std::string& end) {
  if (begin.empty() && end.empty()) throw Malformed("..");
  DateRange range;
  if (!begin.empty()) range.first = Span(begin).first;
  if (!end.empty()) range.last = Span(end).last;
  if (!range.first.empty() && !range.last.empty() && range.first > range.last) throw Malformed(begin + ".." + end);
  return DateRangeQuery(range);
}

Xapian::Query DateFieldProcessor::operator()(const std::string& value) {
  const std::size_t dots = value.find("..");
  // One value is the range from its span's start to its end.
  if (dots == std::string::npos) return range_(value, value);
  return range_(value.substr(0, dots), value.substr(dots + 2));
}

std::string DateBound(std::string_view text, bool is_until, std::time_t now, std::string_view option) {
  if (const std::optional<DateRange> span = ParseDateSpan(text)) return is_until ? span->last : span->first;
  const auto bad = [&] {
    return UsageError(std::string(option) +
                      " wants a date (2022-04-20, 2022-04, 2022, 2022-04-20T10:00) or a time ago (2h, 90m, 30d, 2w, 6mo, "
                      "1y), not '" +
                      std::string(text) + "'");
  };
  std::string_view unit = text;
  while (!unit.empty() && std::isdigit(static_cast<unsigned char>(unit.front()))) unit.remove_prefix(1);
  const std::string_view digits = text.substr(0, text.size() - unit.size());
  if (digits.empty() || digits.size() > 5) throw bad();
  const int n = std::stoi(std::string(digits));
  if (unit == "m" || unit == "h") {  // to the minute: a moment before now
    const long long back = static_cast<long long>(n) * (unit == "h" ? 3600 : 60);
    return DateSlotKey(static_cast<std::time_t>(static_cast<long long>(now) - back));
  }
  char day_unit = 0;
  if (unit == "d" || unit == "w" || unit == "y") day_unit = unit.front();
  if (unit == "mo") day_unit = 'o';
  if (day_unit == 0) throw bad();
  return DayBefore(now, n, day_unit) + (is_until ? "235959" : "000000");
}

std::time_t Now() {
  // A fixed "now" for tests and reproducible runs, as an ISO 8601 time.
  if (const char* fixed = std::getenv("NSEARCH_NOW"); fixed != nullptr && *fixed != '\0') {
    const std::optional<std::string> iso = NormaliseDate(fixed);
    const std::optional<long long> seconds = iso ? UtcSeconds(*iso) : std::nullopt;
    if (!seconds) throw UsageError(std::string("NSEARCH_NOW wants an ISO 8601 time such as 2022-04-20T16:00:00Z, not '") + fixed + "'");
    return static_cast<std::time_t>(*seconds);
  }
  return std::time(nullptr);
}

}  // namespace nsearch
