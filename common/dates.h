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

// Seconds since 1970-01-01T00:00:00Z of a date as NormaliseDate writes it
// (a time without an offset taken as UTC, a day alone at its start), or
// nullopt for anything else.
std::optional<long long> UtcSeconds(std::string_view iso);

// The sortable form of a normalised date kept in the date slot: UTC to the
// second, "YYYYMMDDhhmmss" (14 digits, so that string order is time order
// and its first 4, 6 or 8 bytes name the year, month or day). A time with an
// offset is moved to UTC, one without is taken as UTC, and a day alone is
// that day's start (hhmmss "000000"). Empty when `iso` is not a date as
// NormaliseDate writes it.
std::string DateSlotKey(std::string_view iso);

// The date slot's form of the instant `t`.
std::string DateSlotKey(std::time_t t);

// `t` as ISO 8601 UTC to the second: "2024-05-01T09:30:00Z".
std::string UtcTimestamp(std::time_t t);

}  // namespace nsearch
