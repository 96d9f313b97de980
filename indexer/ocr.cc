#include "indexer/ocr.h"

#include <map>
#include <memory>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include "common/text_article.h"
#include "common/utf8.h"

namespace nsearch {
namespace {

// Tesseract's engines, one per language set asked for, kept for the
// worker's life; "" when none could start.
tesseract::TessBaseAPI* Engine(const std::string& languages, std::string& error) {
  static std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>> engines;
  auto it = engines.find(languages);
  if (it == engines.end()) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    // A language without its traineddata makes Init fail: fall back to English.
    if (api->Init(nullptr, languages.c_str()) != 0 && (languages == "eng" || api->Init(nullptr, "eng") != 0)) {
      api.reset();
    }
    if (api) api->SetVariable("debug_file", "/dev/null");
    it = engines.emplace(languages, std::move(api)).first;
  }
  if (!it->second) error = "Tesseract cannot start (is tesseract-ocr-eng installed?)";
  return it->second.get();
}

std::string TextOf(tesseract::TessBaseAPI& api) {
  std::unique_ptr<char[]> text(api.GetUTF8Text());
  api.Clear();
  return text ? SanitiseUtf8(text.get()) : std::string();
}

}  // namespace

std::string OcrGreyImage(const unsigned char* pixels, int width, int height, int bytes_per_line,
                         const std::string& languages, std::string& error) {
  tesseract::TessBaseAPI* api = Engine(languages, error);
  if (api == nullptr || width <= 0 || height <= 0) return "";
  api->SetImage(pixels, width, height, 1, bytes_per_line);
  api->SetSourceResolution(300);
  return TextOf(*api);
}

ParsedFile ParseImage(std::string_view bytes, const std::string& id, const std::string& path,
                      const ParseOptions& options) {
  ParsedFile out;
  if (!options.ocr) return out;  // an image is an article only with --ocr
  auto skip = [&out](std::string reason, const char* kind = "malformed") {
    out.skip_kind = kind;
    out.skip_reason = std::move(reason);
    return std::move(out);
  };
  std::string error;
  tesseract::TessBaseAPI* api = Engine(options.ocr_languages, error);
  if (api == nullptr) return skip(error);
  Pix* pix = pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size());
  if (pix == nullptr) return skip("broken image (Leptonica cannot decode it)");
  api->SetImage(pix);
  // Scans often say nothing of their resolution; Tesseract wants one.
  if (pixGetXRes(pix) < 70) api->SetSourceResolution(300);
  std::string text = TextOf(*api);
  pixDestroy(&pix);
  if (text.find_first_not_of(" \t\r\n\f\v") == std::string::npos) return skip("no text found by OCR", "no text");
  Article a;
  a.id = id;
  a.path = path;
  a.body = std::move(text);
  a.title = TitleFromBody(a.body);
  a.extra_fields.emplace_back("OCR pages", "1");
  out.articles.push_back(std::move(a));
  return out;
}

}  // namespace nsearch
