// Article dates: whatever a header says, normalised to ISO 8601.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace nsearch {

// Normalises a date as found in an article header to ISO 8601:
// "YYYY-MM-DD" when only a day is known, "YYYY-MM-DDThh:mm:ssZ" (or with the
// given "+hh:mm" offset) when a time is. Accepts ISO 8601 forms, "YYYY/MM/DD",
// "YYYYMMDD", RFC 2822 ("Wed, 20 Apr 2022 14:00:00 +0000") and written-out
// dates ("20 April 2022", "April 20, 2022"). Returns nullopt for anything
// else or for an impossible day; never throws.
std::optional<std::string> NormaliseDate(std::string_view text);

// "YYYYMMDD" of a normalised date (the sortable form kept in the date slot),
// or empty when `iso` is empty.
std::string DayKey(std::string_view iso);

// `t` as ISO 8601 UTC to the second: "2024-05-01T09:30:00Z".
std::string UtcTimestamp(std::time_t t);

}  // namespace nsearch
