#include "query/spelling.h"

#include <cctype>
#include <set>

namespace nsearch {

// Xapian's QueryParser (FLAG_SPELLING_CORRECTION) also "corrects" words the
// index has, when a more frequent word is near ("economy" -> "economic"), so
// the words are checked here: only a word no article has gets a suggestion.
// Words of field:value tokens (site:reuters.com) and wildcards are left as
// they are. The spelling data lives in the index's first shard; it is read
// from the local shards only, as Xapian's remote protocol does not carry it:
// when the first shard is remote there is no suggestion.
std::string Suggest(const std::string& text, const Xapian::Database& all, const Xapian::Database& spelling) {
  static const std::set<std::string> kOperators = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
  std::string out;
  bool changed = false;
  try {
    for (std::size_t i = 0; i < text.size();) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        out += text[i++];
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
      const std::string token = text.substr(i, end - i);
      i = end;
      const std::string bare = token.substr(0, token.find('/'));
      if (token.find(':') != std::string::npos || token.back() == '*' || kOperators.count(bare) > 0) {
        out += token;
        continue;
      }
      for (std::size_t j = 0; j < token.size();) {
        const auto is_word = [](unsigned char c) { return c >= 0x80 || std::isalpha(c); };
        if (!is_word(static_cast<unsigned char>(token[j]))) {
          out += token[j++];
          continue;
        }
        std::size_t k = j;
        while (k < token.size() && (is_word(static_cast<unsigned char>(token[k])) ||
                                    std::isdigit(static_cast<unsigned char>(token[k])))) {
          ++k;
        }
        const std::string word = token.substr(j, k - j);
        const std::string lower = Xapian::Unicode::tolower(word);
        std::string suggestion;
        if (lower.find_first_of("0123456789") == std::string::npos && !all.term_exists(lower)) {
          suggestion = spelling.get_spelling_suggestion(lower);
        }
        if (!suggestion.empty() && suggestion != lower) {
          out += suggestion;
          changed = true;
        } else {
          out += word;
        }
        j = k;
      }
    }
  } catch (const Xapian::UnimplementedError&) {  // a backend without spelling data
    return {};
  }
  return changed ? out : std::string();
}

}  // namespace nsearch
