// Dates in queries: date:, year: and month: (field processors on the date
// slot, schema::kDateSlot, which holds YYYYMMDD) and the --since/--until
// bounds. Articles without a date match none of them.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

namespace nsearch {

// A closed range of days as YYYYMMDD strings; an empty end is open.
struct DayRange {
  std::string first;
  std::string last;
};

// The days a date written as "YYYY", "YYYY-MM" or "YYYY-MM-DD" covers
// ("2022-04" -> 20220401..20220431: the slot compares strings, so a day past
// the month's end is a safe upper bound). nullopt for anything else.
std::optional<DayRange> ParseDay(std::string_view text);

// The Xapian query for articles dated within `range` (a value range, or
// VALUE_GE / VALUE_LE for an open end). Both ends empty: every dated article.
Xapian::Query DateRangeQuery(const DayRange& range);

// What each field accepts.
enum class DateField {
  kDate,   // date:2022-04-20, date:2022-04, date:2022, date:A..B, date:A.., date:..B
  kYear,   // year:2022, year:2019..2021
  kMonth,  // month:2022-04, month:2022-01..2022-03
};

// The QueryParser boolean field processor for `field`. A malformed value
// throws Xapian::QueryParserError (nsearch reports a malformed query).
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(DateField field) : field_(field) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  DateField field_;
};

// The first (is_until false) or last day (true) that --since/--until `text`
// means, as YYYYMMDD: an ISO date as ParseDay reads it (--since 2022-04: from
// April 1st; --until 2022-04: to April 30th), or a time before `today` such as
// "30d", "2w", "6m", "1y" (days, weeks, months, years). Throws UsageError
// naming `option` for anything else.
std::string DateBound(std::string_view text, bool is_until, const std::tm& today, std::string_view option);

// Today's local date.
std::tm Today();

}  // namespace nsearch
