// OfficeReader turns a word-processing file or an e-book into one Article:
// a .docx (Office Open XML: word/document.xml, metadata from
// docProps/core.xml), an .odt (OpenDocument: content.xml and meta.xml) or
// an .epub (the book: its chapters in spine order, metadata from the OPF
// package). An EPUB is one article, not one per chapter, because an EPUB's
// chapter files are cut where its maker chose (often by size), not where
// a story ends. The parts are read by libarchive (archive_reader.h, within
// the same bounds as a container's members) and parsed by libxml2 without
// network access or entity expansion; an EPUB's chapters go through the
// HTML reader. Title, author (creator), date (created, else date) and
// language come from the metadata; a title-less file gets one from its
// body. Runs in the parse worker; not thread-safe (libxml2's error hooks).
#pragma once

#include <string>
#include <string_view>

#include "indexer/archive_reader.h"
#include "indexer/article_reader.h"

namespace nsearch {

// One article, or a skip ("not a .docx file: word/document.xml missing",
// "no text"). Never throws (but bad_alloc).
ParsedFile ParseOfficeDocument(std::string_view bytes, const std::string& id, const std::string& path,
                               const ParseOptions& options, ExpansionBudget& budget);

}  // namespace nsearch
