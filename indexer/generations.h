// Generations of an index: DIR/gen-N folders, each holding the shards of one
// build; the stub names the live one. A new generation is built beside the
// live one and published by renaming the stub into place. Called with the
// index lock held (index_lock.h), from one thread.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace nsearch {

// The number of the next generation: one more than the highest in `index_dir`.
unsigned NextGeneration(const std::filesystem::path& index_dir);

// Removes the generations not in `keep`: after a rebuild, the old live one;
// otherwise what an interrupted or failed build left behind. With the lock
// held, no writer can be using them; a reader still searching an old
// generation keeps its open files (and retries on the new stub if it fails).
// Never fails: what cannot be removed stays.
void RemoveGenerationsExcept(const std::filesystem::path& index_dir, const std::set<std::filesystem::path>& keep);

// Publishes the generation `generation` whose shards the stub `lines` name,
// then removes every other generation. Throws IndexError when the stub
// cannot be written (PublishStub).
void PublishGeneration(const std::filesystem::path& index_dir, const std::vector<std::string>& lines,
                       const std::filesystem::path& generation);

}  // namespace nsearch
