#include "sim/runner/sweep_mpi.hpp"

#if LUNSIM_HAVE_MPI
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace sim::runner {

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

#if LUNSIM_HAVE_MPI

namespace {

constexpr int tag_results = 1;
constexpr int tag_assign = 2;
constexpr int tag_finished = 3;
constexpr auto poll = std::chrono::microseconds(100);       // a worker rank awaiting work
constexpr auto coordinator_poll = std::chrono::microseconds(100);  // rank 0, serving requests

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}

std::uint64_t get_u64(const std::string& b, std::size_t& pos) {
  if (b.size() - pos < 8) throw std::runtime_error("sweep MPI message truncated");
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(b[pos + static_cast<std::size_t>(i)])} << (8 * i);
  pos += 8;
  return v;
}

[[noreturn]] void abort_job(const char* what) {
  std::cerr << "lunsim: internal error in a sweep task: " << what << '\n';
  MPI_Abort(MPI_COMM_WORLD, 3);
  std::abort();
}

std::string run_or_abort(const std::function<std::string(std::uint64_t)>& work, std::uint64_t t) {
  try {
    return work(t);
  } catch (const std::exception& e) {
    abort_job(e.what());
  }
}

/// The next message for this rank, received (false when none is waiting).
bool receive_any(int source, int& from, int& tag, std::string& bytes) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (flag == 0) return false;
  int count = 0;
  MPI_Get_count(&st, MPI_BYTE, &count);
  bytes.assign(static_cast<std::size_t>(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  from = st.MPI_SOURCE;
  tag = st.MPI_TAG;
  return true;
}

void send(const std::string& bytes, int dest, int tag) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

using Results = std::vector<std::pair<std::uint64_t, std::string>>;

/// A worker rank's `results` message: the tasks it wants, then its finished ones (`results` is
/// emptied).
std::string results_message(std::uint64_t want, Results& results) {
  std::string msg;
  put_u64(msg, want);
  put_u64(msg, results.size());
  for (const auto& [t, r] : results) {
    put_u64(msg, t);
    put_u64(msg, r.size());
    msg += r;
  }
  results.clear();
  return msg;
}

/// Appends an `assign` message's task indexes to `queue`; true when it says "no more work".
bool take_assignment(const std::string& bytes, std::deque<std::uint64_t>& queue) {
  std::size_t pos = 0;
  while (pos < bytes.size()) queue.push_back(get_u64(bytes, pos));
  return bytes.empty();
}

} // namespace

bool mpi_built() { return true; }

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

void MpiSession::broadcast(std::vector<std::uint64_t>& values) {
  std::uint64_t n = values.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  values.resize(n);
  MPI_Bcast(values.data(), static_cast<int>(n), MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

void MpiSession::farm(std::uint64_t n, unsigned threads, std::uint64_t window,
                      const std::function<std::string(std::uint64_t)>& work,
                      const std::function<void(std::uint64_t, std::string&&)>& consume) {
  if (threads == 0) threads = 1;
  if (rank_ == 0) coordinate(n, threads, window, work, consume);
  else if (threads == 1) serve_inline(work);
  else serve(threads, work);
}

void MpiSession::coordinate(std::uint64_t n, unsigned threads, std::uint64_t window,
                            const std::function<std::string(std::uint64_t)>& work,
                            const std::function<void(std::uint64_t, std::string&&)>& consume) {
  std::mutex mu;
  std::condition_variable work_cv, main_cv;
  std::map<std::uint64_t, std::string> ready;
  std::uint64_t next_in = 0, next_out = 0;
  bool stop = false;
  std::exception_ptr error;

  auto local = [&] {
    for (;;) {
      std::uint64_t t;
      {
        std::unique_lock lock(mu);
        work_cv.wait(lock, [&] { return stop || next_in >= n || next_in < next_out + window; });
        if (stop || next_in >= n) return;
        t = next_in++;
      }
      std::string r = run_or_abort(work, t);
      std::lock_guard lock(mu);
      ready.emplace(t, std::move(r));
      main_cv.notify_one();
    }
  };
  // One thread: the main thread runs rank 0's tasks itself, one between two rounds of serving
  // the other ranks (they hold several tasks each, so a task's delay in answering costs them
  // nothing), instead of a worker thread competing with a polling main thread for the core.
  const bool inline_work = threads == 1;
  std::vector<std::thread> pool;
  if (!inline_work)
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back(local);

  std::deque<std::pair<int, std::uint64_t>> pending;  // rank, tasks wanted
  int finished = 0;
  std::string bytes;
  for (;;) {
    int from = 0, tag = 0;
    while (receive_any(MPI_ANY_SOURCE, from, tag, bytes)) {
      if (tag == tag_finished) {
        ++finished;
        continue;
      }
      std::size_t pos = 0;
      const std::uint64_t wanted = get_u64(bytes, pos);
      const std::uint64_t count = get_u64(bytes, pos);
      std::lock_guard lock(mu);
      for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t t = get_u64(bytes, pos);
        const std::uint64_t len = get_u64(bytes, pos);
        if (bytes.size() - pos < len) throw std::runtime_error("sweep MPI message truncated");
        if (!stop) ready.emplace(t, bytes.substr(pos, len));
        pos += len;
      }
      if (wanted > 0) pending.emplace_back(from, wanted);
    }
    // Aggregate in task order.
    for (;;) {
      std::string r;
      std::uint64_t t;
      {
        std::lock_guard lock(mu);
        if (stop) break;
        const auto it = ready.find(next_out);
        if (it == ready.end()) break;
        t = it->first;
        r = std::move(it->second);
        ready.erase(it);
      }
      try {
        consume(t, std::move(r));
      } catch (...) {
        std::lock_guard lock(mu);
        error = std::current_exception();
        stop = true;
        ready.clear();
      }
      {
        std::lock_guard lock(mu);
        if (!stop) ++next_out;
      }
      work_cv.notify_all();
    }
    // Hand out work to the ranks that asked, within the window.
    for (auto it = pending.begin(); it != pending.end();) {
      std::vector<std::uint64_t> give;
      bool exhausted;
      {
        std::lock_guard lock(mu);
        while (!stop && give.size() < it->second && next_in < n && next_in < next_out + window) give.push_back(next_in++);
        exhausted = stop || next_in >= n;
      }
      if (!give.empty() || exhausted) {
        std::string msg;
        for (const std::uint64_t t : give) put_u64(msg, t);
        send(msg, it->first, tag_assign);
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    std::unique_lock lock(mu);
    if ((stop || next_out >= n) && finished == size_ - 1) break;
    if (inline_work && !stop && next_in < n && next_in < next_out + window) {
      const std::uint64_t t = next_in++;
      lock.unlock();
      std::string r = run_or_abort(work, t);
      lock.lock();
      ready.emplace(t, std::move(r));
      continue;
    }
    main_cv.wait_for(lock, coordinator_poll, [&] { return !stop && ready.contains(next_out); });
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  work_cv.notify_all();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

void MpiSession::serve(unsigned threads, const std::function<std::string(std::uint64_t)>& work) {
  std::mutex mu;
  std::condition_variable work_cv, main_cv;
  std::deque<std::uint64_t> queue;
  Results results;
  unsigned running = 0;
  bool done = false, outstanding = false;

  auto local = [&] {
    for (;;) {
      std::uint64_t t;
      {
        std::unique_lock lock(mu);
        work_cv.wait(lock, [&] { return !queue.empty() || done; });
        if (queue.empty()) return;
        t = queue.front();
        queue.pop_front();
        ++running;
      }
      std::string r = run_or_abort(work, t);
      std::lock_guard lock(mu);
      results.emplace_back(t, std::move(r));
      --running;
      main_cv.notify_one();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(local);

  const std::uint64_t depth = 4ull * threads;
  std::string bytes;
  for (;;) {
    std::string msg;
    {
      std::lock_guard lock(mu);
      const std::uint64_t held = queue.size() + running;
      const std::uint64_t want = !done && !outstanding && held < depth ? depth - held : 0;
      if (!results.empty() || want > 0) {
        msg = results_message(want, results);
        if (want > 0) outstanding = true;
      }
    }
    if (!msg.empty()) send(msg, 0, tag_results);
    int from = 0, tag = 0;
    if (outstanding && receive_any(0, from, tag, bytes)) {
      std::lock_guard lock(mu);
      if (take_assignment(bytes, queue)) done = true;
      outstanding = false;
      work_cv.notify_all();
    }
    std::unique_lock lock(mu);
    if (done && queue.empty() && running == 0 && results.empty()) break;
    // Poll MPI only while an answer is awaited; otherwise sleep until a task finishes.
    if (outstanding) main_cv.wait_for(lock, poll, [&] { return !results.empty(); });
    else main_cv.wait(lock, [&] { return !results.empty() || (done && queue.empty() && running == 0); });
  }
  work_cv.notify_all();
  for (auto& t : pool) t.join();
  send(std::string(), 0, tag_finished);
}

void MpiSession::serve_inline(const std::function<std::string(std::uint64_t)>& work) {
  // Rank 0 answers between two of its own tasks, and the results' transfer progresses only when
  // either side calls MPI (between tasks): a round trip can take a few task times, which the
  // queue must cover. With 4 the worker rank starved ~17 % of the time at 1 ms tasks; with 12
  // not measurably.
  constexpr std::uint64_t depth = 12;
  std::deque<std::uint64_t> queue;
  Results results;
  bool done = false, outstanding = false;
  // Results go out with MPI_Isend: a blocking send of a few KB waits for rank 0 to match it,
  // which it does only between two of its own tasks. The next message waits for this one.
  std::string sending;
  MPI_Request request = MPI_REQUEST_NULL;
  auto sent = [&] {
    int flag = 1;
    if (request != MPI_REQUEST_NULL) MPI_Test(&request, &flag, MPI_STATUS_IGNORE);
    return flag != 0;
  };
  std::string bytes;
  for (;;) {
    // Hand in what is finished and ask for more while fewer than `depth` tasks are held.
    const std::uint64_t want = !done && !outstanding && queue.size() < depth ? depth - queue.size() : 0;
    if ((!results.empty() || want > 0) && sent()) {
      sending = results_message(want, results);
      MPI_Isend(sending.data(), static_cast<int>(sending.size()), MPI_BYTE, 0, tag_results, MPI_COMM_WORLD, &request);
      if (want > 0) outstanding = true;
    }
    int from = 0, tag = 0;
    if (outstanding && receive_any(0, from, tag, bytes)) {
      if (take_assignment(bytes, queue)) done = true;
      outstanding = false;
      continue;
    }
    if (!queue.empty()) {
      const std::uint64_t t = queue.front();
      queue.pop_front();
      results.emplace_back(t, run_or_abort(work, t));
      continue;
    }
    if (done && results.empty() && sent()) break;
    std::this_thread::sleep_for(poll);  // nothing to run: an answer or a send is on its way
  }
  send(std::string(), 0, tag_finished);
}

#else

bool mpi_built() { return false; }

MpiSession::MpiSession() { throw std::runtime_error("this lunsim was built without MPI (CMake LUNSIM_MPI)"); }
MpiSession::~MpiSession() = default;
void MpiSession::broadcast(std::vector<std::uint64_t>&) {}
void MpiSession::farm(std::uint64_t, unsigned, std::uint64_t, const std::function<std::string(std::uint64_t)>&,
                      const std::function<void(std::uint64_t, std::string&&)>&) {
  throw std::logic_error("MpiSession::farm without MPI");
}
void MpiSession::coordinate(std::uint64_t, unsigned, std::uint64_t, const std::function<std::string(std::uint64_t)>&,
                            const std::function<void(std::uint64_t, std::string&&)>&) {}
void MpiSession::serve(unsigned, const std::function<std::string(std::uint64_t)>&) {}
void MpiSession::serve_inline(const std::function<std::string(std::uint64_t)>&) {}

#endif

} // namespace sim::runner
