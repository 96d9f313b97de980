#include "query/snippet.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

namespace nsearch {
namespace {

// Markers that cannot occur in stored text (SanitiseUtf8 turns C0 controls
// into spaces) and that Xapian does not escape.
constexpr std::string_view kStart = "\x01";
constexpr std::string_view kEnd = "\x02";

void AppendUtf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class RememberingStemmer : public Xapian::StemImplementation {
 public:
  RememberingStemmer(Xapian::Stem stem, std::string description)
      : stem_(std::move(stem)), description_(std::move(description)) {}

  std::string operator()(const std::string& word) override {
    if (const auto known = stems_.find(word); known != stems_.end()) return known->second;
    std::string stemmed = stem_(word);
    if (stems_.size() >= kMaxWords) stems_.clear();
    stems_.emplace(word, stemmed);
    return stemmed;
  }

  std::string get_description() const override { return description_; }

 private:
  static constexpr std::size_t kMaxWords = 1 << 16;
  Xapian::Stem stem_;
  std::string description_;
  std::unordered_map<std::string, std::string> stems_;
};

class FirstByteFilter : public Xapian::StemImplementation {
 public:
  FirstByteFilter(Xapian::Stem stem, const std::bitset<256>& first_bytes) : stem_(std::move(stem)), first_bytes_(first_bytes) {}

  std::string operator()(const std::string& word) override {
    if (word.empty()) return word;
    const auto first = static_cast<unsigned char>(word.front());
    return first == '\'' || first_bytes_[first] ? stem_(word) : word;
  }

  std::string get_description() const override { return stem_.get_description(); }

 private:
  Xapian::Stem stem_;
  std::bitset<256> first_bytes_;
};

}  // namespace

std::bitset<256> StemFirstBytes(const Xapian::Query& query) {
  std::bitset<256> bytes;
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    if (term.size() >= 2 && term.front() == 'Z') bytes.set(static_cast<unsigned char>(term[1]));
  }
  return bytes;
}

Xapian::Stem StemOnlyLike(Xapian::Stem stem, const std::bitset<256>& first_bytes) {
  if (stem.is_none()) return stem;
  return Xapian::Stem(new FirstByteFilter(std::move(stem), first_bytes));
}

bool StemKeepsFirstByte(const std::string& language) { return language == "english"; }

Xapian::Stem RememberingStem(Xapian::Stem stem, std::string description) {
  if (stem.is_none()) return stem;  // no stemming stays no stemming (the QueryParser tells them apart)
  return Xapian::Stem(new RememberingStemmer(std::move(stem), std::move(description)));
}

Snippet DecodeSnippet(std::string_view escaped, std::string_view start, std::string_view end) {
  Snippet out;
  out.text.reserve(escaped.size());
  // The bytes that can begin a marker or an entity; the text between them
  // is copied a run at a time (--batch of the bench queries: 42 M
  // instructions here when it went byte by byte).
  std::string special = "&";
  if (!start.empty()) special += start.front();
  if (!end.empty()) special += end.front();
  std::size_t open = std::string::npos;
  for (std::size_t i = 0; i < escaped.size();) {
    const std::size_t next = std::min(escaped.find_first_of(special, i), escaped.size());
    if (next > i) {
      out.text.append(escaped.data() + i, next - i);
      i = next;
      continue;
    }
    if (!start.empty() && escaped.compare(i, start.size(), start) == 0) {
      open = out.text.size();
      i += start.size();
    } else if (!end.empty() && escaped.compare(i, end.size(), end) == 0) {
      if (open != std::string::npos && open < out.text.size()) out.highlights.emplace_back(open, out.text.size());
      open = std::string::npos;
      i += end.size();
    } else if (escaped[i] == '&') {
      const std::size_t semi = escaped.find(';', i);
      const std::string_view entity =
          semi == std::string_view::npos || semi - i > 10 ? std::string_view() : escaped.substr(i + 1, semi - i - 1);
      if (entity == "amp") out.text += '&';
      else if (entity == "lt") out.text += '<';
      else if (entity == "gt") out.text += '>';
      else if (entity == "quot") out.text += '"';
      else if (entity == "apos") out.text += '\'';
      else if (entity.size() > 1 && entity[0] == '#') {
        const std::string digits(entity.substr(1));
        const bool hex = digits[0] == 'x' || digits[0] == 'X';
        AppendUtf8(out.text, std::strtoul(digits.c_str() + (hex ? 1 : 0), nullptr, hex ? 16 : 10));
      } else {
        out.text += '&';  // not an entity we know: keep the text as it is
        i += 1;
        continue;
      }
      i = semi + 1;
    } else {
      out.text += escaped[i++];  // the first byte of a marker without the rest of it
    }
  }
  return out;
}

Snippet MakeSnippet(const Xapian::MSet& mset, const std::string& text, unsigned length, const Xapian::Stem& stem) {
  // No flags: SNIPPET_BACKGROUND_MODEL looks up the frequency of every word
  // of the text in the index (1,143 block reads for a top-10 page of the news
  // corpus against 125 without) and with SNIPPET_EXHAUSTIVE it preferred a
  // passage with one query word over one with the whole phrase.
  const std::string escaped = mset.snippet(text, length, stem, 0, std::string(kStart), std::string(kEnd), "…");
  return DecodeSnippet(escaped, kStart, kEnd);
}

}  // namespace nsearch
