#include "common/dates.h"

#include <catch2/catch.hpp>

using nsearch::DayKey;
using nsearch::NormaliseDate;

TEST_CASE("dates in the usual news forms become ISO 8601", "[dates]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"2022-04-20", "2022-04-20"},
      {"2022-04-20T14:05:09Z", "2022-04-20T14:05:09Z"},
      {"2022-04-20T14:05:09.123+02:00", "2022-04-20T14:05:09+02:00"},
      {"2022-04-20 14:05", "2022-04-20T14:05:00"},
      {"2022-04-20T14:05:09+0000", "2022-04-20T14:05:09Z"},
      {"2022/4/2", "2022-04-02"},
      {"20220420", "2022-04-20"},
      {"Wed, 20 Apr 2022 14:00:00 +0000", "2022-04-20T14:00:00Z"},
      {"Wed, 20 Apr 2022 14:00:00 GMT", "2022-04-20T14:00:00Z"},
      {"20 April 2022", "2022-04-20"},
      {"April 20, 2022", "2022-04-20"},
      {"26-FEB-1987 15:01:01", "1987-02-26T15:01:01"},
      {"  2024-02-29  ", "2024-02-29"},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(NormaliseDate(c.in).value_or("(none)") == c.out);
  }
}

TEST_CASE("impossible or unknown dates are rejected", "[dates]") {
  for (const char* bad : {"", "yesterday", "2023-02-29", "2022-13-01", "2022-04-31", "2022-04-20T25:00",
                          "20220420junk", "April 2022", "99-01-01"}) {
    INFO(bad);
    CHECK_FALSE(NormaliseDate(bad).has_value());
  }
}

TEST_CASE("the day key is the sortable YYYYMMDD form", "[dates]") {
  CHECK(DayKey("2022-04-20T14:00:00Z") == "20220420");
  CHECK(DayKey("2022-04-20") == "20220420");
  CHECK(DayKey("") == "");
}

TEST_CASE("UtcTimestamp writes ISO 8601 UTC to the second", "[dates]") {
  CHECK(nsearch::UtcTimestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(nsearch::UtcTimestamp(1714555800) == "2024-05-01T09:30:00Z");
}
