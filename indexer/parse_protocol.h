// The messages between nsearch-index and its parse worker
// (isolated_parse.h): a request (a file's path, its bytes and the
// ParseOptions) and a reply (a ParsedFile), each a sequence of fields in a
// simple length-prefixed encoding: an unsigned number is 8 bytes, little
// endian; a string is its length as a number, then its bytes. A message
// starts with its own length, so a reader knows how much to read before it
// decodes. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

struct ParseRequest {
  std::string path;
  std::string bytes;
  ParseOptions options;
};

// The whole message, with its length in front.
std::string EncodeRequest(std::string_view path, std::string_view bytes, const ParseOptions& options);
std::string EncodeReply(const ParsedFile& parsed);

// Decode the message after its length. Return nothing when it is malformed
// (a worker that died part way through a reply).
std::optional<ParseRequest> DecodeRequest(std::string_view message);
std::optional<ParsedFile> DecodeReply(std::string_view message);

// The length at the front of a message (its first 8 bytes).
std::uint64_t DecodeLength(std::string_view eight_bytes);

}  // namespace nsearch
