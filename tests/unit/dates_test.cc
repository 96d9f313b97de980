#include "common/dates.h"

#include <catch2/catch.hpp>

using nsearch::DateSlotKey;
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

TEST_CASE("the date slot key is UTC to the second, a day alone its start", "[dates]") {
  CHECK(DateSlotKey("2022-04-20T14:05:09Z") == "20220420140509");
  CHECK(DateSlotKey("2022-04-20") == "20220420000000");
  CHECK(DateSlotKey("2022-04-20T14:05:09") == "20220420140509");  // no zone: taken as UTC
  CHECK(DateSlotKey("2022-04-20T14:05:09+02:00") == "20220420120509");
  CHECK(DateSlotKey("2022-04-20T22:30:00-05:00") == "20220421033000");  // the next UTC day
  CHECK(DateSlotKey("2024-03-01T00:30:00+01:00") == "20240229233000");  // back over a leap day
  CHECK(DateSlotKey("2022-01-01T00:00:00+14:00") == "20211231100000");  // back over a year's end
  CHECK(DateSlotKey("2016-12-31T23:59:60Z") == "20161231235959");       // a leap second
  CHECK(DateSlotKey("9999-12-31T23:00:00-05:00") == "99991231235959");
  for (const char* bad : {"", "2022", "2022-04", "2022-04-20T14:05", "2022-04-20T14:05:09EST", "junk"}) {
    INFO(bad);
    CHECK(DateSlotKey(bad) == "");
  }
  // Every form NormaliseDate writes has a key, in time order.
  CHECK(DateSlotKey(*NormaliseDate("Wed, 20 Apr 2022 14:00:00 +0200")) == "20220420120000");
  CHECK(DateSlotKey("2022-04-20T09:00:00Z") < DateSlotKey("2022-04-20T10:00:00+00:30"));
  CHECK(DateSlotKey(std::time_t{0}) == "19700101000000");
  CHECK(DateSlotKey(std::time_t{1714555800}) == "20240501093000");
  CHECK(DateSlotKey(std::time_t{-86400}) == "19691231000000");
}

TEST_CASE("UtcTimestamp writes ISO 8601 UTC to the second", "[dates]") {
  CHECK(nsearch::UtcTimestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(nsearch::UtcTimestamp(1714555800) == "2024-05-01T09:30:00Z");
}
