// Dates in queries: the spans date:, year:, month:, --since and --until read,
// as date slot keys (YYYYMMDDhhmmss, UTC), and the queries they become.
#include "query/date_query.h"

#include <catch2/catch.hpp>

#include "common/error.h"

using nsearch::DateBound;
using nsearch::DateField;
using nsearch::DateFieldProcessor;
using nsearch::DateRange;
using nsearch::ParseDateSpan;

namespace {

std::string Span(std::string_view text) {
  const std::optional<DateRange> span = ParseDateSpan(text);
  return span ? span->first + ".." + span->last : "(none)";
}

std::string Parsed(DateField field, const std::string& value) {
  DateFieldProcessor processor(field);
  return processor(value).get_description();
}

// 2022-04-20T15:30:45Z, a Wednesday.
constexpr std::time_t kNow = 1650468645;

}  // namespace

TEST_CASE("a date in a query covers its year, month, day, minute or second", "[dates][query]") {
  struct Case {
    const char* in;
    const char* span;
  };
  const Case cases[] = {
      {"2022", "20220101000000..20221231235959"},
      {"2022-04", "20220401000000..20220431235959"},
      {"2022-04-20", "20220420000000..20220420235959"},
      {"2022-04-20T10:00", "20220420100000..20220420100059"},
      {"2022-04-20T10:00:30", "20220420100030..20220420100030"},
      {"2022-04-20T10:00Z", "20220420100000..20220420100059"},
      {"2022-04-20T10:00+02:00", "20220420080000..20220420080059"},
      {"2022-04-20T23:15-0500", "20220421041500..20220421041559"},
      {"2022-04-20T10:00:30.5Z", "(none)"},
      {"2022-04-20 10:00", "(none)"},
      {"2022-04-20T25:00", "(none)"},
      {"2022-04-20T10", "(none)"},
      {"2022-04-20T10:00EST", "(none)"},
      {"2022-02-30", "(none)"},
      {"2022-13", "(none)"},
      {"22-04-20", "(none)"},
      {"", "(none)"},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(Span(c.in) == c.span);
  }
}

TEST_CASE("date fields become value ranges of the date slot, a day bound its whole day", "[dates][query]") {
  CHECK(Parsed(DateField::kDate, "2022-04-20T10:00..2022-04-20T16:00") ==
        "Query(VALUE_RANGE 0 20220420100000 20220420160059)");
  CHECK(Parsed(DateField::kDate, "..2022-04-20") == "Query(VALUE_LE 0 20220420235959)");
  CHECK(Parsed(DateField::kDate, "2022-04-20T10:00Z..") == "Query(VALUE_GE 0 20220420100000)");
  CHECK(Parsed(DateField::kDate, "2022-04-20") == "Query(VALUE_RANGE 0 20220420000000 20220420235959)");
  CHECK(Parsed(DateField::kDate, "2022-04-20T10:00+02:00") == "Query(VALUE_RANGE 0 20220420080000 20220420080059)");
  CHECK(Parsed(DateField::kYear, "2019..2021") == "Query(VALUE_RANGE 0 20190101000000 20211231235959)");
  CHECK(Parsed(DateField::kMonth, "2022-04") == "Query(VALUE_RANGE 0 20220401000000 20220431235959)");
  for (const auto& [field, bad] : std::initializer_list<std::pair<DateField, const char*>>{
           {DateField::kDate, ".."},
           {DateField::kDate, "2022-04-20T16:00..2022-04-20T10:00"},
           {DateField::kDate, "2022-04-20T10:00..x"},
           {DateField::kYear, "2022-04"},
           {DateField::kMonth, "2022-04-20T10:00"}}) {
    INFO(bad);
    CHECK_THROWS_AS(Parsed(field, bad), Xapian::QueryParserError);
  }
}

TEST_CASE("the bounds of --since and --until: dates, and times ago from now", "[dates][query]") {
  CHECK(DateBound("2022-04-20", false, kNow, "--since") == "20220420000000");
  CHECK(DateBound("2022-04-20", true, kNow, "--until") == "20220420235959");
  CHECK(DateBound("2022", true, kNow, "--until") == "20221231235959");
  CHECK(DateBound("2022-04-20T10:00", true, kNow, "--until") == "20220420100059");
  // Hours and minutes: that moment, to the second.
  CHECK(DateBound("2h", false, kNow, "--since") == "20220420133045");
  CHECK(DateBound("90m", false, kNow, "--since") == "20220420140045");
  CHECK(DateBound("90m", true, kNow, "--until") == "20220420140045");
  CHECK(DateBound("0m", false, kNow, "--since") == "20220420153045");
  CHECK(DateBound("48h", false, kNow, "--since") == "20220418153045");
  // Days, weeks, months, years: whole UTC days.
  CHECK(DateBound("1d", false, kNow, "--since") == "20220419000000");
  CHECK(DateBound("1d", true, kNow, "--until") == "20220419235959");
  CHECK(DateBound("2w", false, kNow, "--since") == "20220406000000");
  CHECK(DateBound("6mo", false, kNow, "--since") == "20211020000000");
  CHECK(DateBound("1y", false, kNow, "--since") == "20210420000000");
  CHECK(DateBound("2mo", false, 1648728000 /* 2022-03-31T12:00Z */, "--since") == "20220131000000");
  CHECK(DateBound("1mo", false, 1648728000, "--since") == "20220303000000");  // no February 31st
  for (const char* bad : {"yesterday", "30x", "2022-1-1", "d", "h", "6M", "2 h", "-2h", "123456h", "2022-04-20T10:00 Z"}) {
    INFO(bad);
    CHECK_THROWS_AS(DateBound(bad, false, kNow, "--since"), nsearch::UsageError);
  }
  try {
    DateBound("soon", false, kNow, "--since");
  } catch (const nsearch::UsageError& e) {
    CHECK(std::string(e.what()) ==
          "--since wants a date (2022-04-20, 2022-04, 2022, 2022-04-20T10:00) or a time ago (2h, 90m, 30d, 2w, 6mo, 1y), "
          "not 'soon'");
  }
}
