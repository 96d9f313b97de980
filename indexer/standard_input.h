// Reads JSON Lines from standard input into the shards, one article per
// line, sent to the writers as they are read (so a feed of any length needs
// little memory). Their source is "-": no later run removes them as files
// that are gone. An article without an id gets one from its bytes, so
// feeding the same line again replaces it. Runs on the run's thread.
#pragma once

#include <atomic>

#include "indexer/indexer.h"
#include "indexer/writer_threads.h"

namespace nsearch {

// Reads until the end of standard input or `stop`, and queues the articles
// of `share`. Each malformed line is
// reported to `on_skip` (as "-", line N) and counted in `summary`.
void ReadStandardInput(WriterThreads& writers, const Share& share, const Indexer::SkipReporter& on_skip, IndexSummary& summary,
                       IndexProgress& progress, const std::atomic<bool>& stop);

}  // namespace nsearch
