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

// DIR/live: a symbolic link to the live generation's folder ("gen-N"), so
// that its shards have names that outlive a rebuild, DIR/live/shard-K,
// which xapian-replicate-server serves (docs/scaling.md). Points it at
// `generation` (a folder of `index_dir`) by renaming a new link over it,
// which is atomic, unless it points there already. Throws IndexError naming
// the link when it cannot be written.
void LinkLiveGeneration(const std::filesystem::path& index_dir, const std::filesystem::path& generation);

// Publishes the generation `generation` whose shards the stub `lines` name
// (and DIR/live), then removes every other generation. Throws IndexError
// when the stub or the link cannot be written, before either changes.
void PublishGeneration(const std::filesystem::path& index_dir, const std::vector<std::string>& lines,
                       const std::filesystem::path& generation);

}  // namespace nsearch
