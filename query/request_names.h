// The names of a SearchRequest's enums as people write them: on the command
// line (--sort newest, --facets source,lang, --timeline day), in the config
// file and in the HTTP API's parameters. One table per enum, so that every
// front end spells them alike; the Searcher itself takes only the enums.
#pragma once

#include <optional>
#include <string_view>

#include "query/searcher.h"

namespace nsearch {

// Every value, in the order help text lists them.
inline constexpr SortOrder kSortOrders[] = {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest};
inline constexpr Facet kFacets[] = {Facet::kSource, Facet::kYear, Facet::kMonth, Facet::kLanguage};
inline constexpr Period kPeriods[] = {Period::kYear, Period::kMonth, Period::kDay};

// "relevance", "newest", "oldest".
std::string_view SortOrderName(SortOrder order);
// The order of that name; nullopt for any other text.
std::optional<SortOrder> SortOrderNamed(std::string_view name);

// "source", "year", "month", "lang".
std::string_view FacetName(Facet facet);
std::optional<Facet> FacetNamed(std::string_view name);

// "year", "month", "day".
std::string_view PeriodName(Period period);
std::optional<Period> PeriodNamed(std::string_view name);

}  // namespace nsearch
