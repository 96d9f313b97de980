// nsearch --batch: each line of the input is a query; one JSON Lines record
// per query is written, in input order, as soon as it and every record
// before it are done (flushed, so a script can hold a conversation with
// nsearch through a pipe). A query that fails gets an error record and the
// batch goes on.
//
// The queries run on `jobs` threads at once, each with its own Searcher
// (Xapian's objects are not shared between threads): a batch of ten
// thousand queries uses every core, while the output is byte for byte what
// one thread writes.
#pragma once

#include <cstdio>
#include <functional>
#include <istream>
#include <memory>
#include <string>

#include "query/searcher.h"

namespace nsearch {

// The queries --batch runs at once when --jobs is not given: one per CPU,
// up to this many.
inline constexpr unsigned kMaxDefaultBatchJobs = 8;

// The default --jobs: the CPUs this process may run on, 1 to
// kMaxDefaultBatchJobs.
unsigned DefaultBatchJobs();

struct BatchOptions {
  unsigned jobs = 1;          // queries at once, each thread with its own Searcher
  std::string input_name;     // for errors: "standard input", "file queries.txt"
};

// Runs the batch read from `in`. `open` makes a Searcher; it is called
// `jobs` times, on as many threads at once, before the first line is read,
// so every shard is open (or, with --allow-partial, known to be missing)
// before the first query. `request` is the template every query is run
// with. Writes the records to `out` and the warnings of shards left out to
// stderr (once per shard). Returns the exit status: 2 when any query
// failed, else 0 when any matched, else 1. Throws what `open` throws, a
// UsageError when `in` cannot be read, and std::runtime_error when `out`
// cannot be written.
int RunBatch(const std::function<std::unique_ptr<Searcher>()>& open, const SearchRequest& request, std::istream& in,
             const BatchOptions& options, std::FILE* out);

}  // namespace nsearch
