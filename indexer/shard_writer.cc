#include "indexer/shard_writer.h"

#include <exception>
#include <optional>

#include "common/indexed_time.h"
#include "common/schema.h"
#include "common/source_state.h"
#include "indexer/document_builder.h"
#include "indexer/id_terms.h"

namespace nsearch {
namespace {

std::string ShardError(const Shard& shard, const std::string& what) {
  return "cannot write index shard " + shard.write_path.string() + ": " + what;
}

}  // namespace

void ShardWriter::Run(std::atomic<bool>& failed) {
  try {
    WriteAll();
  } catch (const Xapian::Error& e) {
    shard_.error = ShardError(shard_, e.get_description());
  } catch (const std::exception& e) {
    shard_.error = ShardError(shard_, e.what());
  }
  if (!shard_.error.empty()) {
    failed = true;
    shard_.queue.Close(/*discard=*/true);
  }
}

void ShardWriter::WriteAll() {
  DocumentBuilder builder(settings_.language, settings_.dictionary.get());
  stamp_ = NextIndexedStamp(shard_.db.get_metadata(schema::kMetaIndexedThrough), settings_.run_micros);
  while (std::optional<ShardOp> op = shard_.queue.Pop()) {
    switch (op->kind) {
      case ShardOp::kPut: {
        Xapian::Document doc =
            op->built.valid() ? op->built.get() : builder.Build(op->article, op->source, op->body_in_file);
        doc.add_value(schema::kIndexedSlot, stamp_);  // Put may keep an unchanged article's own
        if (!Put(*op, std::move(doc))) continue;
        break;
      }
      case ShardOp::kDelete:
        Delete(*op);
        break;
      case ShardOp::kRestamp:
        Restamp(*op);
        break;
    }
    if (++in_batch_ >= settings_.batch_size) CommitBatch();
  }
  CommitBatch();
  Finish();
  shard_.languages = builder.languages();
}

// The batch's articles and, with them, the stamp they carry: a reader that
// sees this commit has seen every article stamped up to it.
void ShardWriter::CommitBatch() {
  shard_.db.set_metadata(schema::kMetaIndexedThrough, stamp_);
  Commit(shard_);
  in_batch_ = 0;
  if (StampsEachCommit()) stamp_ = NextIndexedStamp(stamp_, NowMicros());
}

void ShardWriter::Delete(const ShardOp& op) {
  Xapian::Document doc;
  try {
    doc = shard_.db.get_document(op.docid);
  } catch (const Xapian::DocNotFoundError&) {
    return;  // already gone
  }
  const std::string id = IdOf(shard_.db, op.docid);
  // Its file still has it: replaced, not removed. (Id terms: a long id's is cut.)
  if (op.keep_ids && op.keep_ids->count(std::string(schema::kIdPrefix) + id) != 0) return;
  const std::optional<SourceState> source = DecodeSourceState(doc.get_value(schema::kSourceSlot));
  const std::string& from = source && !source->path.empty() ? source->path : id;
  if (from != op.path) return;  // the id has since come from another file
  shard_.db.delete_document(op.docid);
  ++shard_.removed;
}

void ShardWriter::Restamp(const ShardOp& op) {
  // Only a value changes: Xapian rewrites just that, not the terms.
  Xapian::Document doc = shard_.db.get_document(op.docid);
  doc.add_value(schema::kSourceSlot, EncodeSourceState(op.source));
  shard_.db.replace_document(op.docid, doc);
}

}  // namespace nsearch
