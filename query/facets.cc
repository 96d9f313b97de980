#include "query/facets.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/schema.h"

namespace nsearch {
namespace {

// The matches per leading `length` bytes of the date slot (4 a year, 6 a
// month, 8 a day), from a spy that counted the slot's values; `undated`
// receives the matches without a date.
std::map<std::string, std::uint64_t> DatePeriods(const Xapian::ValueCountMatchSpy& dates, std::size_t length,
                                                 std::uint64_t& undated) {
  std::map<std::string, std::uint64_t> periods;
  std::uint64_t dated = 0;
  for (auto v = dates.values_begin(); v != dates.values_end(); ++v) {
    const std::string day = *v;
    if (day.size() < length) continue;  // not a date: undated
    periods[day.substr(0, length)] += v.get_termfreq();
    dated += v.get_termfreq();
  }
  undated = dates.get_total() - dated;  // the spy counts every match, its values only those with one
  return periods;
}

// The value slot a facet counts.
Xapian::valueno FacetSlot(Facet facet) {
  switch (facet) {
    case Facet::kSource: return schema::kSourceNameSlot;
    case Facet::kLanguage: return schema::kLanguageSlot;
    case Facet::kYear:
    case Facet::kMonth: break;
  }
  return schema::kDateSlot;
}

// The leading bytes of a date slot key (YYYYMMDDhhmmss) that name its `period`.
std::size_t PeriodLength(Period period) { return period == Period::kYear ? 4 : period == Period::kMonth ? 6 : 8; }

// "20220420" cut to a period -> "2022-04-20", "202204" -> "2022-04".
std::string PeriodLabel(const std::string& key) {
  std::string label = key.substr(0, 4);
  if (key.size() >= 6) label += "-" + key.substr(4, 2);
  if (key.size() >= 8) label += "-" + key.substr(6, 2);
  return label;
}

// The period after `key` (YYYY, YYYYMM or YYYYMMDD).
std::string NextPeriod(const std::string& key) {
  std::tm t{};
  t.tm_year = std::stoi(key.substr(0, 4)) - 1900;
  t.tm_mon = key.size() >= 6 ? std::stoi(key.substr(4, 2)) - 1 : 0;
  t.tm_mday = key.size() >= 8 ? std::stoi(key.substr(6, 2)) : 1;
  t.tm_hour = 12;
  if (key.size() == 4) ++t.tm_year;
  else if (key.size() == 6) ++t.tm_mon;
  else ++t.tm_mday;
  std::mktime(&t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return std::string(buf).substr(0, key.size());
}

// The periods from the first to the last counted, empty ones included (up
// to a bound: a chart of more bars than that shows the counted ones only).
Counts Timeline(const std::map<std::string, std::uint64_t>& counts) {
  constexpr std::size_t kMaxPeriods = 2000;
  Counts out;
  if (counts.empty()) return out;
  const bool valid = std::all_of(counts.begin(), counts.end(), [](const auto& c) {
    return std::all_of(c.first.begin(), c.first.end(), [](unsigned char ch) { return std::isdigit(ch); });
  });
  for (std::string key = counts.begin()->first; valid && out.size() <= kMaxPeriods; key = NextPeriod(key)) {
    const auto found = counts.find(key);
    out.emplace_back(PeriodLabel(key), found == counts.end() ? 0 : found->second);
    if (key >= counts.rbegin()->first) return out;
  }
  out.clear();
  for (const auto& [key, n] : counts) out.emplace_back(PeriodLabel(key), n);
  return out;
}

Counts SortedCounts(const std::map<std::string, std::uint64_t>& counts) {
  Counts out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

}  // namespace

FacetSpies::FacetSpies(const SearchRequest& request) {
  auto spy_on = [&](Xapian::valueno slot) {
    if (spies_.count(slot) == 0) spies_[slot] = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
  };
  for (const Facet facet : request.facets) spy_on(FacetSlot(facet));
  if (request.timeline) spy_on(schema::kDateSlot);
}

void FacetSpies::AddTo(Xapian::Enquire& enquire) const {
  for (const auto& [slot, spy] : spies_) enquire.add_matchspy(spy.get());
}

void FacetSpies::Fill(const SearchRequest& request, SearchResult& result) const {
  for (const Facet name : request.facets) {
    FacetCounts facet{name, {}};
    std::map<std::string, std::uint64_t> counts;
    if (name == Facet::kYear || name == Facet::kMonth) {
      std::uint64_t undated = 0;
      for (const auto& [period, n] : DatePeriods(*spies_.at(schema::kDateSlot), name == Facet::kYear ? 4 : 6, undated)) {
        counts[PeriodLabel(period)] = n;
      }
      if (undated > 0) counts[""] = undated;
    } else {
      const Xapian::ValueCountMatchSpy& values = *spies_.at(FacetSlot(name));
      for (auto v = values.values_begin(); v != values.values_end(); ++v) counts[*v] = v.get_termfreq();
      // Articles without a value are not seen by the spy: count them as "".
      std::uint64_t with = 0;
      for (const auto& c : counts) with += c.second;
      if (values.get_total() > with) counts[""] += values.get_total() - with;
    }
    facet.counts = SortedCounts(counts);
    result.facets.push_back(std::move(facet));
  }
  if (request.timeline) {
    result.timeline_period = request.timeline;
    result.timeline = Timeline(DatePeriods(*spies_.at(schema::kDateSlot), PeriodLength(*request.timeline), result.undated));
  }
}

}  // namespace nsearch
