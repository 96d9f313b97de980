#include "indexer/pdf_reader.h"

#include <climits>
#include <ctime>
#include <memory>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include "common/dates.h"
#include "common/text_article.h"
#include "common/utf8.h"
#include "indexer/ocr.h"

namespace nsearch {
namespace {

std::string Utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return SanitiseUtf8(std::string_view(bytes.data(), bytes.size()));
}

std::string Trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(first, last - first + 1);
}

// The date of the document, as the indexer stores dates: CreationDate,
// else ModDate; "" when it has neither (poppler gives -1).
std::string DocumentDate(const poppler::document& doc) {
  std::time_t t = doc.get_creation_date_t();
  if (t <= 0) t = doc.get_modification_date_t();
  if (t <= 0) return "";
  return NormaliseDate(UtcTimestamp(t)).value_or("");
}

// The text of a page without one, read by Tesseract from a 300 dpi render.
std::string OcrPage(const poppler::page& page, const ParseOptions& options, std::string& error) {
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  const poppler::image image = renderer.render_page(&page, 300, 300);
  if (!image.is_valid()) return "";
  return OcrGreyImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(), image.height(),
                      image.bytes_per_row(), options.ocr_languages, error);
}

void IgnorePopplerMessage(const std::string&, void*) {}

}  // namespace

ParsedFile ParsePdf(std::string_view bytes, const std::string& id, const std::string& path,
                    const ParseOptions& options) {
  poppler::set_debug_error_function(IgnorePopplerMessage, nullptr);
  ParsedFile out;
  auto skip = [&out](std::string reason, const char* kind = "malformed") {
    out.skip_kind = kind;
    out.skip_reason = std::move(reason);
    return std::move(out);
  };
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return skip("PDF too large for poppler");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return skip("broken PDF (poppler cannot open it)");
  if (doc->is_locked()) return skip("encrypted PDF (needs a password)", "encrypted");

  Article a;
  a.id = id;
  a.path = path;
  a.title = Trimmed(Utf8(doc->get_title()));
  a.author = Trimmed(Utf8(doc->get_author()));
  a.date = DocumentDate(*doc);
  std::string ocr_error;
  int ocr_pages = 0;
  const int pages = doc->pages();
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    std::string text = Trimmed(Utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout)));
    if (text.empty() && options.ocr) {
      text = Trimmed(OcrPage(*page, options, ocr_error));
      if (!text.empty()) ++ocr_pages;
    }
    if (text.empty()) continue;
    if (!a.body.empty()) a.body += "\n\n";
    a.body += text;
  }
  if (a.body.empty()) {
    if (!ocr_error.empty()) return skip("no text layer, and OCR failed: " + ocr_error, "no text");
    return skip(options.ocr ? "no text found (not even by OCR)" : "no text layer (scanned? see --ocr)", "no text");
  }
  a.extra_fields.emplace_back("Pages", std::to_string(pages));
  if (ocr_pages > 0) a.extra_fields.emplace_back("OCR pages", std::to_string(ocr_pages));
  if (a.title.empty()) a.title = TitleFromBody(a.body);
  out.articles.push_back(std::move(a));
  return out;
}

}  // namespace nsearch
