#include "indexer/build_pool.h"

#include <exception>

namespace nsearch {

BuildPool::BuildPool(unsigned threads, const std::string& language, const std::string& dictionary) {
  for (unsigned i = 0; i < threads; ++i) {
    builders_.push_back(std::make_unique<DocumentBuilder>(language, dictionary));
    threads_.emplace_back(&BuildPool::Run, this, builders_.back().get());
  }
}

std::shared_future<Xapian::Document> BuildPool::Submit(Article article, SourceState source, bool body_in_file) {
  auto task = std::make_shared<Task>(Task{std::move(article), std::move(source), body_in_file, {}});
  std::shared_future<Xapian::Document> result = task->done.get_future().share();
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
  return result;
}

void BuildPool::Join() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::set<std::string> BuildPool::languages() const {
  std::set<std::string> all;
  for (const auto& builder : builders_) all.insert(builder->languages().begin(), builder->languages().end());
  return all;
}

void BuildPool::Run(DocumentBuilder* builder) {
  for (;;) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [&] { return !tasks_.empty() || closing_; });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    try {
      task->done.set_value(builder->Build(task->article, task->source, task->body_in_file));
    } catch (...) {
      task->done.set_exception(std::current_exception());
    }
  }
}

}  // namespace nsearch
