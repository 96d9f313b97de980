#include "query/snippet.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <set>
#include <unordered_map>
#include <vector>

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

// The first bytes of words that a stemmer StemKeepsFirstByte may give a
// stem of another first byte: an apostrophe (English drops it) and 0xC3,
// which begins the Latin-1 letters (accents go, ß becomes ss).
bool AlwaysStemmed(unsigned char first) { return first == '\'' || first == 0xC3; }

class FirstByteFilter : public Xapian::StemImplementation {
 public:
  FirstByteFilter(Xapian::Stem stem, const std::bitset<256>& first_bytes) : stem_(std::move(stem)), first_bytes_(first_bytes) {}

  std::string operator()(const std::string& word) override {
    if (word.empty()) return word;
    const auto first = static_cast<unsigned char>(word.front());
    return AlwaysStemmed(first) || first_bytes_[first] ? stem_(word) : word;
  }

  std::string get_description() const override { return stem_.get_description(); }

 private:
  Xapian::Stem stem_;
  std::bitset<256> first_bytes_;
};

bool IsAsciiSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

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

bool StemKeepsFirstByte(const std::string& language) {
  static const std::set<std::string, std::less<>> kKeep = {
      "basque", "danish", "dutch", "english", "french", "german", "italian", "norwegian", "portuguese", "spanish",
      "swedish"};
  return kKeep.count(language) != 0;
}

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

SnippetTerms SnippetTermsOf(const Xapian::Query& query) {
  SnippetTerms out;
  bool wildcard = false;
  std::vector<Xapian::Query> pending{query};
  while (!pending.empty()) {
    const Xapian::Query q = std::move(pending.back());
    pending.pop_back();
    if (q.get_type() == Xapian::Query::OP_WILDCARD) wildcard = true;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) pending.push_back(q.get_subquery(i));
  }
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    if (term.empty()) continue;
    out.terms.insert(term);
    out.first_bytes.set(static_cast<unsigned char>(term.front()));
  }
  out.stem_first_bytes = StemFirstBytes(query);
  // Xapian's snippets cut CJK text into n-grams when this is set (CJK::is_cjk_enabled).
  out.usable = !wildcard && std::getenv("XAPIAN_CJK_NGRAM") == nullptr;
  return out;
}

namespace {

// The parts of `query` that MSet::snippet's walk (check_query) takes as
// they are, in its order; see SnippetQuery.
void AddSnippetParts(const Xapian::Query& query, std::vector<Xapian::Query>& parts) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *query.get_terms_begin();
      if (!term.empty() && term.front() >= 'A' && term.front() <= 'Y') return;  // a prefix: no word
      parts.push_back(query);
      return;
    }
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
    case Xapian::Query::OP_WILDCARD:
      parts.push_back(query);
      return;
    default:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) AddSnippetParts(query.get_subquery(i), parts);
  }
}

}  // namespace

Xapian::Query SnippetQuery(const Xapian::Query& query) {
  std::vector<Xapian::Query> parts;
  AddSnippetParts(query, parts);
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

namespace {

// A port of Xapian 1.4's parse_terms (queryparser/termgenerator_internal.cc)
// without CJK n-grams: the terms of a text and where each begins, with the
// ASCII characters looked up in a table.
class TermCutter {
 public:
  // From `from`, which no term runs across: the text's start, just after an
  // ASCII space, or where an earlier cutter stopped.
  explicit TermCutter(std::string_view text, std::size_t from = 0) : text_(text), lower_(Lower()), pos_(from) {}

  // Xapian's check_wordchar for every ASCII character: its lower case when
  // it is a word character, else 0; from Xapian's own Unicode tables.
  static const unsigned* Lower() {
    static const std::array<unsigned, 128> table = [] {
      std::array<unsigned, 128> t{};
      for (unsigned c = 0; c < 128; ++c) t[c] = Xapian::Unicode::is_wordchar(c) ? Xapian::Unicode::tolower(c) : 0;
      return t;
    }();
    return table.data();
  }

  // The next term, and its first byte's offset into `start`; false at the
  // end of the text. A term of over kKept bytes comes back cut short, but
  // still longer than 64 bytes.
  bool Next(std::size_t& start) {
    const std::size_t n = text_.size();
    std::size_t length = 1;
    unsigned ch = 0;
    for (;;) {  // to the start of the next term
      if (pos_ >= n) return false;
      ch = WordCharAt(pos_, length);
      if (ch != 0) break;
      pos_ += length;
    }
    start = pos_;
    size_ = 0;
    // Initials separated by '.' (P.T.O.): ASCII capitals only.
    if (IsUpper(text_[pos_])) {
      std::size_t p = pos_;
      do {
        Append(lower_[static_cast<unsigned char>(text_[p])]);
        ++p;
      } while (p < n && text_[p] == '.' && ++p < n && IsUpper(text_[p]));
      std::size_t unused;
      if (size_ > 1 && (p >= n || WordCharAt(p, unused) == 0)) {
        pos_ = p;
        return true;
      }
      size_ = 0;
    }
    for (;;) {
      unsigned prev;
      do {  // `ch` at pos_, `length` bytes long, is a word character
        Append(ch);
        prev = ch;
        pos_ += length;
        if (pos_ >= n) return true;
        ch = WordCharAt(pos_, length);
      } while (ch != 0);
      const std::size_t next = pos_ + length;
      if (next >= n) break;
      std::size_t next_length;
      const unsigned next_ch = WordCharAt(next, next_length);
      if (next_ch == 0) break;
      std::size_t unused;
      unsigned infix = Decode(pos_, unused);
      infix = IsDigit(prev) && IsDigit(Decode(next, unused)) ? InfixDigit(infix) : Infix(infix);
      if (infix == 0) break;
      if (infix != kIgnore) Append(infix);
      ch = next_ch;
      pos_ = next;
      length = next_length;
    }
    const std::size_t term_size = size_;
    for (unsigned count = 0;;) {  // up to three suffix characters: C++, C#
      const char c = text_[pos_];
      if (c != '+' && c != '#') break;
      if (++count > 3) {
        size_ = term_size;
        break;
      }
      Append(static_cast<unsigned char>(c));
      if (++pos_ >= n) return true;
    }
    std::size_t unused;
    if (pos_ < n && WordCharAt(pos_, unused) != 0) size_ = term_size;
    return true;
  }

  std::string_view term() const { return {buf_, std::min(size_, kKept)}; }
  std::size_t term_size() const { return size_; }
  // Where the last term ended: a position no term runs across.
  std::size_t position() const { return pos_; }

 private:
  static constexpr unsigned kIgnore = ~0u - 1;
  static constexpr std::size_t kKept = 256;

  unsigned WordCharAt(std::size_t at, std::size_t& length) const {
    const auto byte = static_cast<unsigned char>(text_[at]);
    if (byte < 0x80) {
      length = 1;
      return lower_[byte];
    }
    const unsigned c = Decode(at, length);
    return Xapian::Unicode::is_wordchar(c) ? Xapian::Unicode::tolower(c) : 0;
  }
  void Append(unsigned c) {
    if (size_ + 4 > kKept) {
      size_ += c < 0x80 ? 1 : 2;  // past kKept only the size counts, and it stays over 64
      return;
    }
    if (c < 0x80) {
      buf_[size_++] = static_cast<char>(c);
    } else {
      size_ += Xapian::Unicode::nonascii_to_utf8(c, buf_ + size_);
    }
  }
  // The character at `at` and its length in bytes, decoded as Xapian's
  // Utf8Iterator decodes: a byte that does not begin a valid, shortest
  // sequence is the ISO-8859-1 character of that byte.
  unsigned Decode(std::size_t at, std::size_t& length) const {
    length = 1;
    const auto* p = reinterpret_cast<const unsigned char*>(text_.data() + at);
    const std::size_t left = text_.size() - at;
    const unsigned ch = p[0];
    auto cont = [&](std::size_t i) { return (p[i] & 0xc0) == 0x80; };
    if (ch < 0xc2) return ch;
    if (ch < 0xe0) {
      if (left < 2 || !cont(1)) return ch;
      length = 2;
      return ((ch & 0x1f) << 6) | (p[1] & 0x3f);
    }
    if (ch < 0xf0) {
      if (left < 3 || !cont(1) || !cont(2) || (ch == 0xe0 && p[1] < 0xa0)) return ch;
      length = 3;
      return ((ch & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    }
    if (ch >= 0xf5 || left < 4 || !cont(1) || !cont(2) || !cont(3) || (ch == 0xf0 && p[1] < 0x90) ||
        (ch == 0xf4 && p[1] >= 0x90)) {
      return ch;
    }
    length = 4;
    return ((ch & 0x07) << 18) | ((p[1] & 0x3f) << 12) | ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
  }
  static bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
  static bool IsDigit(unsigned c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    return Xapian::Unicode::get_category(c) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
  }
  static unsigned Infix(unsigned c) {
    if (c == '\'' || c == '&' || c == 0xb7 || c == 0x5f4 || c == 0x2027) return c;
    if (c == 0x2019 || c == 0x201b) return '\'';
    if (c >= 0x200b && (c <= 0x200d || c == 0x2060 || c == 0xfeff)) return kIgnore;
    return 0;
  }
  static unsigned InfixDigit(unsigned c) {
    switch (c) {
      case ',': case '.': case ';': case 0x037e: case 0x0589: case 0x060d:
      case 0x07f8: case 0x2044: case 0xfe10: case 0xfe13: case 0xfe14:
        return c;
    }
    if (c >= 0x200b && (c <= 0x200d || c == 0x2060 || c == 0xfeff)) return kIgnore;
    return 0;
  }

  std::string_view text_;
  // Lower(), once: a function-local static's guard is checked at every
  // call, a tenth of the cutter's instructions when it was read per byte.
  const unsigned* lower_;
  std::size_t pos_;
  char buf_[kKept];
  std::size_t size_ = 0;
};

// Hashes std::string and std::string_view alike, for lookups by view.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// MSet::snippet skips words longer than this (its max_word_length).
constexpr std::size_t kMaxSnippetWordLength = 64;

// Whether a word weighs (is a query term, or stems to one), by word: a text
// repeats its words.
class WordWeigher {
 public:
  WordWeigher(const SnippetTerms& terms, const Xapian::Stem& stem, const std::bitset<256>* keeps_first_byte)
      : terms_(terms), stem_(stem), keeps_first_byte_(keeps_first_byte) {}

  bool operator()(std::string_view word) {
    const auto first = static_cast<unsigned char>(word.front());
    // A stemmer that keeps first bytes gives a word that no stemmed term
    // begins like back as it is, which is no term unless the word is.
    const bool may_stem_to_a_term =
        keeps_first_byte_ == nullptr || (*keeps_first_byte_)[first] || AlwaysStemmed(first);
    if (!terms_.first_bytes[first] && !may_stem_to_a_term) return false;
    auto verdict = verdicts_.find(word);
    if (verdict == verdicts_.end()) {
      std::string term(word);
      bool weighs = terms_.terms.count(term) != 0;
      if (!weighs) weighs = terms_.terms.count("Z" + stem_(term)) != 0;
      verdict = verdicts_.emplace(std::move(term), weighs).first;
    }
    return verdict->second;
  }

 private:
  const SnippetTerms& terms_;
  const Xapian::Stem& stem_;
  const std::bitset<256>* keeps_first_byte_;
  std::unordered_map<std::string, bool, ViewHash, std::equal_to<>> verdicts_;
};

// The start of the first word MSet::snippet keeps that weighs, cutting every
// word of `text` (any may stem to a term); else of the last word it keeps,
// or npos.
std::size_t FirstWeighingWordOfAll(std::string_view text, WordWeigher& weighs, bool* matched) {
  TermCutter cutter(text);
  std::size_t start = 0, last = std::string_view::npos;
  while (cutter.Next(start)) {
    if (cutter.term_size() > kMaxSnippetWordLength) continue;
    last = start;
    if (weighs(cutter.term())) {
      if (matched != nullptr) *matched = true;
      return start;
    }
  }
  return last;
}

// Which bytes may begin a word that may weigh: a term's first byte is its
// first character's lower case, so an ASCII byte may when its lower case is
// a query term's first byte, a stemmed term's, or one the stemmer changes;
// any other byte may (a character's lower case can take another first
// byte, and a byte outside valid UTF-8 is read as a Latin-1 character).
std::array<bool, 256> MayBeginWantedWord(const SnippetTerms& terms, const std::bitset<256>& keeps_first_byte) {
  std::bitset<256> wanted = terms.first_bytes | keeps_first_byte;
  for (unsigned b = 0; b < 256; ++b) {
    if (AlwaysStemmed(static_cast<unsigned char>(b))) wanted.set(b);
  }
  const unsigned* const lower = TermCutter::Lower();
  std::array<bool, 256> may_begin{};
  for (unsigned b = 0; b < 256; ++b) may_begin[b] = b >= 0x80 || (lower[b] != 0 && wanted[lower[b]]);
  return may_begin;
}

// The start of the last word MSet::snippet keeps in `text`, or npos: the
// words are cut from the last ASCII space before the end, then from the one
// before, and so on (no word runs across a space).
std::size_t LastKeptWord(std::string_view text) {
  for (std::size_t until = text.size(); until > 0;) {
    std::size_t from = until;
    while (from > 0 && !IsAsciiSpace(text[from - 1])) --from;
    TermCutter cutter(text, from);
    std::size_t start = 0, last = std::string_view::npos;
    while (cutter.Next(start) && start < until) {
      if (cutter.term_size() <= kMaxSnippetWordLength) last = start;
    }
    if (last != std::string_view::npos) return last;
    if (from == 0) break;
    until = from - 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::size_t FirstWordSnippetWeighs(std::string_view text, const SnippetTerms& terms, const Xapian::Stem& stem,
                                   const std::bitset<256>* keeps_first_byte, bool* matched) {
  if (matched != nullptr) *matched = false;
  WordWeigher weighs(terms, stem, keeps_first_byte);
  if (keeps_first_byte == nullptr) return FirstWeighingWordOfAll(text, weighs, matched);

  // Rather than cut every word, find the bytes that may begin a wanted word
  // (a word begins after a byte that is no ASCII word character) and cut
  // the words around each from just after the ASCII space before it: no
  // word runs across a space, so a cutter from there cuts what one from the
  // text's start does. In English text most words begin otherwise: a
  // tenth of the instructions on a long post.
  const std::array<bool, 256> may_begin = MayBeginWantedWord(terms, *keeps_first_byte);
  const unsigned* const lower = TermCutter::Lower();
  const std::size_t n = text.size();
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  auto may_begin_wanted_word = [&](std::size_t at) {
    return may_begin[byte(at)] && (at == 0 || byte(at - 1) >= 0x80 || lower[byte(at - 1)] == 0);
  };
  std::size_t done = 0;  // the words before this were looked at; no word runs across it
  while (done < n) {
    std::size_t at = done;
    while (at < n && !may_begin_wanted_word(at)) ++at;
    if (at >= n) break;
    std::size_t from = at;
    while (from > done && !IsAsciiSpace(text[from - 1])) --from;
    TermCutter cutter(text, from);
    std::size_t start = 0;
    bool more = false;
    while ((more = cutter.Next(start))) {
      if (cutter.term_size() <= kMaxSnippetWordLength && weighs(cutter.term())) {
        if (matched != nullptr) *matched = true;
        return start;
      }
      if (cutter.position() > at) break;
    }
    done = more ? cutter.position() : n;
  }
  return LastKeptWord(text);  // no word weighs
}

Snippet MakeSnippet(const Xapian::MSet& mset, const std::string& text, unsigned length, const Xapian::Stem& stem,
                    const SnippetTerms& terms, const std::bitset<256>* keeps_first_byte) {
  // No flags: SNIPPET_BACKGROUND_MODEL looks up the frequency of every word
  // of the text in the index (1,143 block reads for a top-10 page of the news
  // corpus against 125 without) and with SNIPPET_EXHAUSTIVE it preferred a
  // passage with one query word over one with the whole phrase.
  //
  // MSet::snippet slides a window of `length` bytes over the words. Up to
  // the first word it weighs, its passage is simply the last window, and it
  // stops soon after that word; with no such word it ends at the last
  // window. So the text from a word boundary (after an ASCII space, where
  // no term runs on) more than `length` bytes before that word gives the
  // same passage: the same words fill the window when it arrives, and
  // the passage still does not begin the text (its leading "…"). Xapian
  // spends ~280 instructions a byte on the words before it; the port, ~50.
  constexpr std::size_t kWorthCutting = 64;  // bytes of text after the margin
  std::string_view rest(text);
  if (terms.usable && text.size() > length + kWorthCutting) {
    const std::size_t margin = std::size_t{length} + 16;
    const std::size_t first = FirstWordSnippetWeighs(text, terms, stem, keeps_first_byte);
    if (first != std::string_view::npos && first > margin + kWorthCutting) {
      std::size_t cut = first - margin;
      while (cut > 0 && !IsAsciiSpace(text[cut - 1])) --cut;
      rest.remove_prefix(cut);
    }
  }
  const std::string escaped = mset.snippet(rest.size() == text.size() ? text : std::string(rest), length, stem, 0,
                                           std::string(kStart), std::string(kEnd), "…");
  return DecodeSnippet(escaped, kStart, kEnd);
}

Snippet MarkMatches(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stem) {
  // Xapian stops adding words once `length` bytes are chosen; each word may
  // count a trailing space, so twice the text's size covers it all.
  Snippet marked = DecodeSnippet(mset.snippet(text, 2 * text.size() + 16, stem, 0, std::string(kStart),
                                              std::string(kEnd), ""),
                                 kStart, kEnd);
  // The passage starts at the first word (with some punctuation before it)
  // and ends at the last (with a full stop after it): the rest of it is the
  // text as it is. Place it in the text to move the highlights there.
  const std::size_t begin = marked.text.empty() ? std::string::npos : text.find(marked.text);
  if (begin == std::string::npos) return {text, {}};
  for (auto& [from, to] : marked.highlights) {
    from += begin;
    to += begin;
  }
  marked.text = text;
  return marked;
}

}  // namespace nsearch
