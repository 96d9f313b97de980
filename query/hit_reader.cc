#include "query/hit_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bitset>
#include <cerrno>
#include <optional>

#include "common/index_location.h"
#include "common/mapped_file.h"
#include "common/schema.h"
#include "common/source_state.h"
#include "common/stored_document.h"
#include "common/text_article.h"

namespace nsearch {
namespace {

// The whole body of a text article whose index record keeps only a preview
// (stored_document.h), read again from its file when that file is still the
// one indexed: the same size and content hash as stored with the preview
// (an index that stored none there: the same size, mtime and hash as its
// source state's slot says). nullopt otherwise (moved, changed, unreadable):
// the snippet then comes from the preview.
std::optional<std::string> BodyFromFile(const Article& article, const Xapian::Document& doc) {
  Article::FileContent content;
  std::optional<std::int64_t> mtime_ns;  // only as the source state has it
  if (article.file_content) {
    content = *article.file_content;
  } else {
    const std::optional<SourceState> state = DecodeSourceState(doc.get_value(schema::kSourceSlot));
    if (!state) return std::nullopt;
    content = {state->size, state->hash};
    mtime_ns = state->mtime_ns;
  }
  const int fd = ::open(article.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::string bytes;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) == content.size &&
            (!mtime_ns || *mtime_ns == static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  if (ok) {
    bytes.resize(content.size);
    std::size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ok = got == bytes.size() && ContentHash(bytes) == content.hash;
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return ParseTextArticle(bytes, article.id, article.path).body;
}

}  // namespace

// Each shard's stored text is read with its own dictionary: a stub may
// list shards of separately built indexes, each with a dictionary of its
// own. zstd names a trained dictionary by a hash of its content, which each
// frame carries, so shards whose frames name one dictionary share one
// decompressor (one mapped file for the shards of one index).
TextDecompressor& StoredTextReader::For(const IndexSnapshot& index, Xapian::docid did, std::string_view frame) {
  if (generation_ != index.generation() || shard_text_.size() != index.shards().size()) {
    shard_text_.assign(index.shards().size(), nullptr);
    generation_ = index.generation();
  }
  const std::size_t shard = ShardOfDocument(did, shard_text_.size());
  std::shared_ptr<TextDecompressor>& text = shard_text_[shard];
  if (text && text->Reads(frame)) return *text;
  const auto same = std::find_if(shard_text_.begin(), shard_text_.end(),
                                 [&](const auto& other) { return other && other->Reads(frame); });
  text = same != shard_text_.end() ? *same : Open(index, shard, frame);
  return *text;
}

// The dictionary of the stored text of `shard`, from the file beside it when
// it is local (nsearch-index writes one beside each), mapped: reading it
// from the metadata, 256 KB through Xapian and copied, was 22 block reads and
// 82 page faults of a 200-read, 480-fault search, and 0.2 ms of its 3.6. For
// a remote shard, from a local shard's file that is the dictionary `frame`
// names (a stub mixing local and remote shards of one index). Else, and when
// no file is the dictionary `frame` names (an older index, a damaged file),
// from the shard's metadata.
std::shared_ptr<TextDecompressor> StoredTextReader::Open(const IndexSnapshot& index, std::size_t shard,
                                                         std::string_view frame) {
  const std::vector<StubShard>& shards = index.shards();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (shards[i].remote() || (i != shard && !shards[shard].remote())) continue;
    if (std::shared_ptr<const MappedFile> file = MappedFile::Open(TextDictionaryPath(shards[i].path))) {
      const std::string_view dictionary = file->bytes();
      auto text = std::make_shared<TextDecompressor>(dictionary, std::move(file));
      if (text->Reads(frame)) return text;
    }
  }
  return std::make_shared<TextDecompressor>(index.shard_dbs()[shard].get_metadata(schema::kMetaTextDictionary));
}

void ReadHitArticle(const IndexSnapshot& index, StoredTextReader& texts, const Xapian::MSet& mset,
                    const Xapian::MSetIterator& it, const Xapian::Document& doc, const SearchRequest& request,
                    const SnippetTerms& snippet_terms, Hit& hit) {
  const std::string stored = doc.get_value(schema::kStoredSlot);
  const bool body = request.snippets || request.whole_text;
  hit.article = DecodeStoredDocument(texts.For(index, *it, stored).Decompress(stored), body);
  if (body && hit.article.preview) {
    if (std::optional<std::string> body = BodyFromFile(hit.article, doc)) hit.article.body = std::move(*body);
  }
  if (request.whole_text) {
    Snippet marked = MarkMatches(mset, hit.article.body, index.LanguageNamed(hit.article.language).stem);
    hit.snippet = std::move(marked.text);
    hit.highlights = std::move(marked.highlights);
  } else if (request.snippets) {
    const std::string& text = hit.article.body.empty() ? hit.article.title : hit.article.body;
    const Language& language = index.LanguageNamed(hit.article.language);
    const std::bitset<256>* keeps_first_byte =
        StemKeepsFirstByte(language.name) ? &snippet_terms.stem_first_bytes : nullptr;
    const Xapian::Stem stem = keeps_first_byte != nullptr ? StemOnlyLike(language.stem, *keeps_first_byte) : language.stem;
    Snippet snippet = MakeSnippet(mset, text, request.snippet_length, stem, snippet_terms, keeps_first_byte);
    hit.snippet = std::move(snippet.text);
    hit.highlights = std::move(snippet.highlights);
    hit.article.body.clear();
    hit.article.body.shrink_to_fit();
  }
}

}  // namespace nsearch
