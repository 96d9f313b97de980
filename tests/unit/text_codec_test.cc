#include "common/text_codec.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string_view>

#include "common/error.h"

using namespace nsearch;

namespace {

std::vector<std::string> NewsLikeSamples() {
  std::vector<std::string> samples;
  for (int i = 0; i < 400; ++i) {
    samples.push_back("title\tMarkets report " + std::to_string(i) +
                      "\nsource\tReuters\n\nShares in London closed higher on Tuesday as investors weighed "
                      "the outlook for interest rates, traders said. The index rose " +
                      std::to_string(i % 17) + " points in thin trading.\n");
  }
  return samples;
}

}  // namespace

TEST_CASE("text survives compression with a trained dictionary", "[codec]") {
  const std::vector<std::string> samples = NewsLikeSamples();
  const std::string dict = TrainTextDictionary(samples, 16 << 10);
  REQUIRE_FALSE(dict.empty());
  TextCompressor compressor(dict);
  TextDecompressor decompressor(dict);
  const std::string text = samples[123] + "Díaz-Canel — “quoted” text.";
  const std::string frame = compressor.Compress(text);
  CHECK(frame.size() < text.size() / 2);
  CHECK(decompressor.Decompress(frame) == text);
  CHECK(decompressor.Decompress(compressor.Compress("")) == "");
}

TEST_CASE("too little sample text means no dictionary, and compression still works", "[codec]") {
  CHECK(TrainTextDictionary({"a few words", "more words"}, 16 << 10).empty());
  TextCompressor compressor("");
  TextDecompressor decompressor("");
  CHECK(decompressor.Decompress(compressor.Compress("plain text")) == "plain text");
}

TEST_CASE("a damaged or foreign frame is an IndexError, not a crash", "[codec]") {
  const std::string dict = TrainTextDictionary(NewsLikeSamples(), 16 << 10);
  TextDecompressor decompressor(dict);
  CHECK_THROWS_AS(decompressor.Decompress("not zstd at all"), IndexError);
  CHECK_THROWS_AS(decompressor.Decompress(""), IndexError);
  std::string frame = TextCompressor(dict).Compress(NewsLikeSamples()[5]);
  CHECK_THROWS_AS(decompressor.Decompress(frame.substr(0, frame.size() / 2)), IndexError);
  CHECK_THROWS_AS(TextDecompressor("").Decompress(frame), IndexError);  // needs its dictionary
}

TEST_CASE("a decompressor over a dictionary held elsewhere reads what it names, and says which frames it reads",
          "[codec]") {
  const std::vector<std::string> samples = NewsLikeSamples();
  auto dict = std::make_shared<const std::string>(TrainTextDictionary(samples, 16 << 10));
  std::vector<std::string> other_samples;
  for (const std::string& s : samples) other_samples.push_back("Andere Worte, anderes Wörterbuch: " + s.substr(40));
  const std::string other = TrainTextDictionary(other_samples, 16 << 10);
  REQUIRE_FALSE(other.empty());
  REQUIRE(other != *dict);

  TextDecompressor held(std::string_view(*dict), dict);
  const std::string frame = TextCompressor(*dict).Compress(samples[7]);
  CHECK(held.Reads(frame));
  CHECK(held.Decompress(frame) == samples[7]);
  const std::string foreign = TextCompressor(other).Compress(samples[7]);
  CHECK_FALSE(held.Reads(foreign));
  CHECK_THROWS_AS(held.Decompress(foreign), IndexError);
  const std::string plain = TextCompressor("").Compress(samples[7]);
  CHECK_FALSE(held.Reads(plain));
  CHECK(TextDecompressor("").Reads(plain));
  CHECK_FALSE(TextDecompressor("").Reads(frame));
  CHECK(held.Reads("not zstd"));  // Decompress says what is wrong with it
}
