#include "query/printer/text_printer.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "query/printer/escape.h"
#include "query/request_names.h"

namespace nsearch {
namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kMatch = "\033[1;31m";
constexpr const char* kReset = "\033[0m";

// What the snippet's line breaks and tabs become: spaces, so that it stays
// on its line.
constexpr std::string_view kSnippetBreaks = "\n\t";

// A stored date as a reader reads it: "2022-04-20" alone, or with its time
// to the minute (the seconds when there are some) and its zone as the
// article gave it: "2022-04-20 14:05 UTC", "2022-04-20 14:05:09 +02:00".
std::string ShownDate(const std::string& iso) {
  if (iso.size() < 19 || iso[10] != 'T') return iso.substr(0, 10);
  std::string shown = iso.substr(0, 10) + " " + iso.substr(11, 5);
  if (iso.compare(16, 3, ":00") != 0) shown += iso.substr(16, 3);
  const std::string zone = iso.substr(19);
  if (zone == "Z") shown += " UTC";
  else if (!zone.empty()) shown += " " + zone;
  return shown;
}

// A bar of `value` out of `max` in at most `width` cells, drawn in eighths.
std::string Bar(std::uint64_t value, std::uint64_t max, int width) {
  static constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (max == 0) return {};
  const std::uint64_t eighths = (value * static_cast<std::uint64_t>(width) * 8 + max - 1) / max;
  std::string bar;
  for (std::uint64_t i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kEighths[eighths % 8];
  return bar;
}

// The snippet on one line, matched words in colour when asked.
std::string RenderSnippet(const Hit& hit, bool color) {
  const std::string_view snippet = hit.snippet;
  if (!color) return OneLine(snippet, kSnippetBreaks);
  std::string out;
  std::size_t pos = 0;
  const auto plain = [&](std::size_t end) {  // up to `end`, from where the last part ended
    end = std::min(end, snippet.size());
    if (end <= pos) return;
    AppendOneLine(out, snippet.substr(pos, end - pos), kSnippetBreaks);
    pos = end;
  };
  for (const auto& [begin, end] : hit.highlights) {
    plain(begin);
    out += kMatch;
    plain(end);
    out += kReset;
  }
  plain(snippet.size());
  return out;
}

}  // namespace

void TextPrinter::Print(const SearchResult& result, Output& out) const {
  if (!result.suggestion.empty()) {
    out.Format("Did you mean: %s%s%s ?\n\n", Color(kBold), result.suggestion.c_str(), Color(kReset));
  }
  if (result.explained) PrintExplain(result, out);
  PrintFacetsAndTimeline(result, out);
  for (const Hit& hit : result.hits) PrintHit(hit, result.explained, out);
  if (!result.hits.empty()) {
    out.Format("%s%u-%zu of %s%llu matches%s\n", Color(kDim), result.offset + 1, result.offset + result.hits.size(),
               result.total_exact ? "" : "about ", static_cast<unsigned long long>(result.total), Color(kReset));
  }
}

void TextPrinter::PrintExplain(const SearchResult& result, Output& out) const {
  out.Format("Parsed query: %s\n", result.parsed.c_str());
  for (const TermStats& t : result.terms) {
    out.Format("  term %-24s in %llu articles%s\n", t.term.c_str(), static_cast<unsigned long long>(t.docfreq),
               t.occurrences > 1 ? (", " + std::to_string(t.occurrences) + " times in the query").c_str() : "");
  }
  out.Put('\n');
}

void TextPrinter::PrintFacetsAndTimeline(const SearchResult& result, Output& out) const {
  for (const FacetCounts& facet : result.facets) {
    std::string line;
    for (const auto& [value, n] : facet.counts) {
      line += (line.empty() ? "" : " · ") + (value.empty() ? std::string("(none)") : value) + " " + std::to_string(n);
    }
    out.Format("%s%-7s%s %s\n", Color(kBold), (std::string(FacetName(facet.facet)) + ":").c_str(), Color(kReset),
               line.empty() ? "(no matches)" : line.c_str());
  }
  if (!result.facets.empty()) out.Put('\n');
  if (!result.timeline_period) return;
  std::uint64_t max = 0;
  std::size_t label_width = 0;
  for (const auto& [period, n] : result.timeline) {
    max = std::max(max, n);
    label_width = std::max(label_width, period.size());
  }
  out.Format("%sMatches per %s%s\n", Color(kBold), std::string(PeriodName(*result.timeline_period)).c_str(),
             Color(kReset));
  for (const auto& [period, n] : result.timeline) {
    out.Format("  %-*s %s %llu\n", static_cast<int>(label_width), period.c_str(), Bar(n, max, 40).c_str(),
               static_cast<unsigned long long>(n));
  }
  if (result.timeline.empty()) out.Format("  (no dated matches)\n");
  if (result.undated > 0) out.Format("  undated: %llu\n", static_cast<unsigned long long>(result.undated));
  out.Put('\n');
}

void TextPrinter::PrintHit(const Hit& hit, bool explain, Output& out) const {
  const std::string title = hit.article.title.empty() ? "(untitled)" : hit.article.title;
  out.Format("%s%3u.%s %s%s%s\n", Color(kDim), hit.rank, Color(kReset), Color(kBold), title.c_str(), Color(kReset));
  std::string meta;
  for (const std::string* part : {&hit.article.date, &hit.article.source}) {
    if (!part->empty()) {
      meta += (meta.empty() ? "" : " · ") + (part == &hit.article.date ? ShownDate(*part) : *part);
    }
  }
  meta += (meta.empty() ? "" : " · ") + hit.article.path;
  if (hit.similar > 0) meta += " · +" + std::to_string(hit.similar) + " similar";
  out.Format("     %s%s%s\n", Color(kDim), meta.c_str(), Color(kReset));
  if (!hit.snippet.empty()) out.Format("     %s\n", RenderSnippet(hit, color_).c_str());
  if (explain) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f =", hit.score);
    std::string line = std::string("score ") + buf;
    for (std::size_t i = 0; i < hit.explain.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.4f", hit.explain[i].second);
      line += (i == 0 ? " " : " + ") + hit.explain[i].first + " " + buf;
    }
    out.Format("     %s%s%s\n", Color(kDim), line.c_str(), Color(kReset));
  }
  out.Put('\n');
}

}  // namespace nsearch
