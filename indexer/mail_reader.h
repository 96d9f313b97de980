// MailReader turns an e-mail message (.eml) or a mailbox of them (.mbox,
// mboxrd or mboxo) into Articles, one per message, through GMime 3.
//
// A message's article has the Subject as title (RFC 2047 words decoded), its
// Date (normalised), the names in From as author (the address when a sender
// has no name), the List-Id's name as source, and as body its first text/plain
// part that is not an attachment, else its first text/html part read by the
// HTML reader (main text only, html_reader.h). Charsets are converted to
// UTF-8 as the part declares, else detected (DecodeText).
//
// Ids: the Message-ID (without its angle brackets), else PATH#N for the Nth
// message of the file. An attached file of a format nsearch reads as
// articles (.txt, .md, .html, .json, ...: article_reader.h) becomes
// articles of its own, with the id MESSAGE-ID#FILENAME (a JSON attachment's
// objects keep their own ids). Every article's path is `path`.
//
// A message that cannot be read (no header, or nothing but a From line) is
// a problem ":LINE: reason", LINE being its From line's, and reading goes
// on at the next From line. Read in the parse worker (document_reader.h),
// which reads the attachments too; not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "indexer/article_reader.h"

namespace nsearch {

// Reads an mbox: every message after a "From " line. Never throws (but
// std::bad_alloc).
ParsedFile ParseMbox(std::string_view bytes, const std::string& path);

// Reads one message (an .eml file). Never throws (but std::bad_alloc).
ParsedFile ParseEml(std::string_view bytes, const std::string& path);

}  // namespace nsearch
