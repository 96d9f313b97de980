// Dates in queries: date:, year: and month: (field processors on the date
// slot, schema::kDateSlot, which holds UTC times as YYYYMMDDhhmmss,
// common/dates.h) and the --since/--until bounds. Articles without a date
// match none of them.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

namespace nsearch {

// A closed range of date slot keys (YYYYMMDDhhmmss); an empty end is open.
struct DateRange {
  std::string first;
  std::string last;
};

// The span of time a date written in a query covers, as slot keys: "YYYY",
// "YYYY-MM" or "YYYY-MM-DD" the whole year, month or day ("2022-04" ->
// 20220401000000..20220431235959: the slot compares strings, so a day past
// the month's end is a safe upper bound); "YYYY-MM-DDThh:mm" that minute and
// "YYYY-MM-DDThh:mm:ss" that second, in UTC, or at the offset that follows
// without a space ("Z", "+02:00", "-0500"). nullopt for anything else.
std::optional<DateRange> ParseDateSpan(std::string_view text);

// The Xapian query for articles dated within `range` (a value range, or
// VALUE_GE / VALUE_LE for an open end). Both ends empty: every dated article.
Xapian::Query DateRangeQuery(const DateRange& range);

// What each field accepts.
enum class DateField {
  kDate,   // date:2022-04-20, date:2022-04, date:2022, date:2022-04-20T10:00, date:A..B, date:A.., date:..B
  kYear,   // year:2022, year:2019..2021
  kMonth,  // month:2022-04, month:2022-01..2022-03
};

// A range of the date slot from two bounds as `field` writes them (either
// may be empty, not both): the first moment of `begin`'s span to the last of
// `end`'s, so a day bound includes its whole day. Xapian's own
// DateRangeProcessor reads YYYYMMDD only. A malformed bound, or a range that
// ends before it begins, throws Xapian::QueryParserError.
class DateSlotRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateSlotRangeProcessor(DateField field);
  Xapian::Query operator()(const std::string& begin, const std::string& end) override;

 private:
  DateRange Span(const std::string& text) const;  // the span of one bound, or throws
  Xapian::QueryParserError Malformed(const std::string& value) const;

  DateField field_;
};

// The QueryParser boolean field processor for `field`: one date (its whole
// span) or a range A..B (DateSlotRangeProcessor). It is a field processor
// rather than a range processor registered with the parser so that date
// filters combine like every other field: two values of one field match
// either, different fields must all match. A malformed value throws
// Xapian::QueryParserError (nsearch reports a malformed query).
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(DateField field) : range_(field) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  DateSlotRangeProcessor range_;
};

// The first (is_until false) or last moment (true) that --since/--until
// `text` means, as a date slot key: a date as ParseDateSpan reads it
// (--since 2022-04: from April 1st; --until 2022-04: to the end of April 30th),
// a time before `now` to the minute, "2h" or "90m" (hours, minutes), or a
// day before `now`'s UTC day, "30d", "2w", "6mo", "1y" (days, weeks, months,
// years: --since from that day's start, --until to its end). Throws
// UsageError naming `option` for anything else.
std::string DateBound(std::string_view text, bool is_until, std::time_t now, std::string_view option);

// The time relative dates count back from: the clock, or the ISO 8601 time
// in the environment variable NSEARCH_NOW (for tests and reproducible runs).
// Throws UsageError when NSEARCH_NOW is set but not a time.
std::time_t Now();

}  // namespace nsearch
