#include "query/request_names.h"

namespace nsearch {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> Named(std::string_view name, const Enum (&values)[N], std::string_view (*name_of)(Enum)) {
  for (const Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view SortOrderName(SortOrder order) {
  switch (order) {
    case SortOrder::kRelevance: return "relevance";
    case SortOrder::kNewest: return "newest";
    case SortOrder::kOldest: return "oldest";
  }
  return "relevance";
}

std::optional<SortOrder> SortOrderNamed(std::string_view name) { return Named(name, kSortOrders, SortOrderName); }

std::string_view FacetName(Facet facet) {
  switch (facet) {
    case Facet::kSource: return "source";
    case Facet::kYear: return "year";
    case Facet::kMonth: return "month";
    case Facet::kLanguage: return "lang";
  }
  return "source";
}

std::optional<Facet> FacetNamed(std::string_view name) { return Named(name, kFacets, FacetName); }

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kYear: return "year";
    case Period::kMonth: return "month";
    case Period::kDay: return "day";
  }
  return "month";
}

std::optional<Period> PeriodNamed(std::string_view name) { return Named(name, kPeriods, PeriodName); }

}  // namespace nsearch
