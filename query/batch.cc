#include "query/batch.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "common/error.h"
#include "query/printer/json_printer.h"
#include "query/printer/printer.h"

namespace nsearch {

unsigned DefaultBatchJobs() {
  unsigned cpus = 0;
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
  if (cpus == 0) cpus = std::thread::hardware_concurrency();
  return std::clamp(cpus, 1u, kMaxDefaultBatchJobs);
}

namespace {

// Queries read but not yet written, per job: bounds the memory a batch
// holds when one slow query keeps the records after it waiting.
constexpr std::uint64_t kQueuedPerJob = 4;

// What the reader (the calling thread) and the workers share. Every member
// is guarded by `mutex`.
struct Shared {
  Shared(const SearchRequest& r, std::uint64_t limit, std::FILE* o) : request(r), in_flight_limit(limit), out(o) {}

  const SearchRequest& request;
  const std::uint64_t in_flight_limit;
  std::FILE* const out;

  std::mutex mutex;
  std::condition_variable work;   // a query was queued, the input ended, or the batch failed
  std::condition_variable space;  // a record was written, or the batch failed
  std::deque<std::pair<std::uint64_t, std::string>> queue;  // line number (from 0) and query
  bool input_ended = false;
  std::uint64_t read = 0;                    // lines queued so far
  std::uint64_t written = 0;                 // records written: the next one out is this line's
  std::map<std::uint64_t, std::string> done;  // records waiting for the ones before them
  std::set<std::string> warned;               // shards already named in a warning
  bool matched = false, failed = false;
  std::exception_ptr error;  // the output could not be written (or worse): the batch stops
};

// With the lock held: writes every record whose predecessors are out.
void WriteReady(Shared& s) {
  for (auto next = s.done.find(s.written); next != s.done.end() && !s.error; next = s.done.find(s.written)) {
    const std::string& record = next->second;
    if (std::fwrite(record.data(), 1, record.size(), s.out) != record.size() || std::fflush(s.out) != 0) {
      s.error = std::make_exception_ptr(std::runtime_error(std::string("cannot write the output: ") + std::strerror(errno)));
      s.work.notify_all();
      s.space.notify_all();
      return;
    }
    s.done.erase(next);
    ++s.written;
    s.space.notify_one();
  }
}

void Work(Shared& s, Searcher& searcher) {
  std::unique_lock<std::mutex> lock(s.mutex);
  try {
    for (;;) {
      s.work.wait(lock, [&] { return !s.queue.empty() || s.input_ended || s.error; });
      if (s.error || s.queue.empty()) return;
      auto [line_number, query] = std::move(s.queue.front());
      s.queue.pop_front();
      lock.unlock();

      SearchRequest request = s.request;
      request.query = query;
      std::string record;
      std::vector<MissingShard> missing;
      bool matched = false, failed = false;
      try {
        const SearchResult result = searcher.Search(request);
        record = SearchJson(result);
        missing = result.missing_shards;
        matched = result.total > 0;
      } catch (const std::exception& e) {
        record = SearchErrorJson(query, e.what());
        failed = true;
      }

      lock.lock();
      WarnMissingShards(missing, s.warned, stderr);
      s.matched = s.matched || matched;
      s.failed = s.failed || failed;
      s.done.emplace(line_number, std::move(record));
      WriteReady(s);
    }
  } catch (...) {  // out of memory making an error record, say: stop the batch, do not terminate
    if (!lock.owns_lock()) lock.lock();
    if (!s.error) s.error = std::current_exception();
    s.work.notify_all();
    s.space.notify_all();
  }
}

}  // namespace

int RunBatch(const std::function<std::unique_ptr<Searcher>()>& open, const SearchRequest& request, std::istream& in,
             const BatchOptions& options, std::FILE* out) {
  const unsigned jobs = std::max(options.jobs, 1u);

  // Open every Searcher before the first query, on as many threads: a
  // remote shard that does not answer costs one --remote-timeout, not one
  // per job.
  std::vector<std::unique_ptr<Searcher>> searchers(jobs);
  {
    std::vector<std::exception_ptr> errors(jobs);
    std::vector<std::thread> openers;
    for (unsigned j = 1; j < jobs; ++j) {
      openers.emplace_back([&, j] {
        try {
          searchers[j] = open();
        } catch (...) {
          errors[j] = std::current_exception();
        }
      });
    }
    try {
      searchers[0] = open();
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (std::thread& t : openers) t.join();
    for (const std::exception_ptr& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }

  Shared s(request, kQueuedPerJob * jobs, out);
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) workers.emplace_back(Work, std::ref(s), std::ref(*searchers[j]));

  bool unreadable = false;
  int read_errno = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::unique_lock<std::mutex> lock(s.mutex);
    s.space.wait(lock, [&] { return s.read - s.written < s.in_flight_limit || s.error; });
    if (s.error) break;
    s.queue.emplace_back(s.read++, std::move(line));
    s.work.notify_one();
  }
  if (in.bad()) {
    unreadable = true;
    read_errno = errno;
  }
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.input_ended = true;
  }
  s.work.notify_all();
  for (std::thread& t : workers) t.join();

  if (s.error) std::rethrow_exception(s.error);
  if (unreadable) throw UsageError("cannot read --batch " + options.input_name + ": " + std::strerror(read_errno));
  return s.failed ? 2 : s.matched ? 0 : 1;
}

}  // namespace nsearch
