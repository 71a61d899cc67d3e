// Hold-model microbenchmark of the pending-event set.
//
// The classic "hold" model: N events are pending; each step takes out the earliest one and
// puts back one at (its time + a random increment), so the number pending stays N. The
// increments are exponential with a mean of 1 ms (in integer ns), drawn once into a table of
// 2^16 values and cycled, so random-number generation stays out of the timed loop.
//
// Three implementations run the same model in the same process:
//   engine  the full Simulation path: the popped event's Action runs and reschedules itself
//           through Simulation::schedule_in (clock, fingerprint, tag and slot checks included);
//   queue   the bare EventQueue (push / pop_not_after only);
//   heap    a std::priority_queue binary heap of (time, sequence) pairs, as a baseline.
//
// For each N: fill with N events; warm up until the structure is in steady state (at least N
// steps, and until a whole warm-up chunk runs without allocating; see measure()); then time
// `reps` consecutive windows of `events` steps each with steady_clock and report the median
// ns/event, and the ratio of each figure to its value at the smallest N measured (N = 10^3 by
// default). Peak RSS (getrusage) is printed at the end.
//
// Usage: bench_hold [--sizes 1000,100000,...] [--events M] [--warmup W] [--reps R]
//                   [--impl engine,queue,heap] [--verbose] [--smoke]

#include "bench/common.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/action.hpp"
#include "sim/engine/event_queue.hpp"
#include "sim/engine/simulation.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <new>
#include <queue>
#include <string>
#include <utility>
#include <vector>

// Counts every call of the global operator new (the containers of all three implementations
// allocate through it): warm-up ends when a whole chunk allocates nothing, and --verbose shows
// the allocations of each timed repetition (0 in steady state). Single-threaded program.
namespace {
std::uint64_t g_allocations = 0;
} // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using sim::engine::Action;
using sim::engine::EventQueue;
using sim::engine::EventTag;
using sim::engine::QueuedEvent;
using sim::engine::Simulation;
using Clock = std::chrono::steady_clock;

constexpr std::size_t table_bits = 16;
constexpr std::size_t table_size = std::size_t{1} << table_bits;
constexpr std::size_t table_mask = table_size - 1;
constexpr double mean_increment_ns = 1e6;  // 1 ms

// Sink for checksums, so the compiler cannot drop the work.
volatile std::uint64_t g_sink = 0;

// SplitMix64: only used to fill the increment table (outside the timed region).
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 2^16 exponential draws (mean 1 ms) in integer ns.
std::vector<std::uint64_t> make_increments(std::uint64_t seed) {
  std::vector<std::uint64_t> t(table_size);
  std::uint64_t state = seed;
  for (auto& v : t) {
    // Uniform in (0, 1]: 53 random bits, offset by one ulp so log() is finite.
    const double u = (static_cast<double>(splitmix64(state) >> 11) + 1.0) * 0x1.0p-53;
    v = static_cast<std::uint64_t>(std::llround(-std::log(u) * mean_increment_ns));
  }
  return t;
}

struct Options {
  std::vector<std::size_t> sizes{1'000, 100'000, 1'000'000, 10'000'000};
  std::uint64_t events = 0;  // 0: per size and implementation, see events_for()
  std::uint64_t warmup = 0;  // 0: adaptive, see measure()
  int reps = 3;
  bool run_engine = true, run_queue = true, run_heap = true;
  bool verbose = false;  // print every repetition, not only the median
};

// Events in one period of a radix heap's slowest significant level. The pending times spread
// over a few ms ahead of the clock (exponential, mean 1 ms), so levels up to bit 22 of the clock
// (2^22 ns ~ 4.2 ms) matter: each time the clock crosses a multiple of 2^22 ns a large share of
// the pending entries is redistributed at once (a burst of sequential moves), lower levels more
// often with fewer entries. In the hold model the clock advances 1 ms per N events, so 2^22 ns
// is 4.194304 N events. Timing whole periods averages those bursts in, instead of catching or
// missing them by chance (windows of N events at N = 10^7 varied from 60 to 180 ns/event).
std::uint64_t radix_period_events(std::size_t n) {
  return (std::uint64_t{n} * 4'194'304 + 999'999) / 1'000'000;
}

// Events per timed repetition, and per warm-up chunk. Radix-heap implementations (engine, queue):
// one period (above), at least 2 * 10^6. Binary heap: max(2 * 10^6, N); its cost per event does
// not depend on where the clock stands, so a shorter window is unbiased (and it costs ~0.6 us per
// event at 10^7).
std::uint64_t events_for(const Options& o, std::size_t n, bool radix) {
  if (o.events != 0) return o.events;
  return std::max<std::uint64_t>(2'000'000, radix ? radix_period_events(n) : n);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Minor page faults so far (informative: a container that grows touches fresh pages).
long minor_faults() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

struct Plan {
  std::uint64_t events;        // per timed repetition (and per warm-up chunk)
  int reps;
  std::uint64_t fixed_warmup;  // 0: adaptive warm-up
};

struct Result {
  std::vector<double> ns;                // ns/event of each repetition
  std::vector<std::uint64_t> allocs;     // operator new calls during each repetition
  std::vector<long> faults;              // minor page faults during each repetition
  std::vector<double> cpu_share;         // process CPU time / wall time of each repetition
  std::uint64_t warmup = 0;              // untimed events run before the first repetition
  bool warmup_capped = false;            // the adaptive warm-up gave up before a quiet chunk
};

// The adaptive warm-up gives up after this many chunks (and says so in the output).
constexpr int max_warmup_chunks = 16;

// Warms up, then times plan.reps calls of step(plan.events); `step(k)` runs k hold steps.
// Adaptive warm-up (the default): chunks of plan.events steps (>= N) until one whole chunk
// allocates nothing. A radix heap keeps one vector per bucket and each grows to the largest
// occupancy its bucket has seen, so at N = 10^7 the buckets keep growing for several periods
// (hundreds of MiB of reallocation and fresh pages per period); timing before that measures the
// growth, not the allocation-free steady state the engine is designed for.
template <class Step>
Result measure(const Plan& plan, std::size_t n, Step step) {
  Result r;
  if (plan.fixed_warmup != 0) {
    r.warmup = std::max<std::uint64_t>(plan.fixed_warmup, n);
    step(r.warmup);
  } else {
    r.warmup_capped = true;
    for (int c = 0; c < max_warmup_chunks; ++c) {
      const std::uint64_t a0 = g_allocations;
      step(plan.events);
      r.warmup += plan.events;
      if (r.warmup >= n && g_allocations == a0) {
        r.warmup_capped = false;
        break;
      }
    }
  }
  r.ns.reserve(static_cast<std::size_t>(plan.reps));  // no allocation of ours between the clocks
  r.allocs.reserve(static_cast<std::size_t>(plan.reps));
  r.faults.reserve(static_cast<std::size_t>(plan.reps));
  r.cpu_share.reserve(static_cast<std::size_t>(plan.reps));
  for (int i = 0; i < plan.reps; ++i) {
    const std::uint64_t a0 = g_allocations;
    const long f0 = minor_faults();
    const std::clock_t c0 = std::clock();
    const auto t0 = Clock::now();
    step(plan.events);
    const auto t1 = Clock::now();
    const std::clock_t c1 = std::clock();
    r.allocs.push_back(g_allocations - a0);
    r.faults.push_back(minor_faults() - f0);
    const double wall_s = std::chrono::duration<double>(t1 - t0).count();
    r.cpu_share.push_back(static_cast<double>(c1 - c0) / CLOCKS_PER_SEC / wall_s);
    r.ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() /
                   static_cast<double>(plan.events));
  }
  return r;
}

// ---- (a) full engine path ----------------------------------------------------------------

struct EngineHold {
  Simulation* sim;
  const std::uint64_t* incr;
  std::size_t next = 0;
  std::uint64_t remaining = 0;  // stop() the simulation when this reaches 0

  static void fire(void* ctx, std::uint64_t arg) {
    auto* h = static_cast<EngineHold*>(ctx);
    const auto d = sim::base::Duration{static_cast<std::int64_t>(h->incr[h->next++ & table_mask])};
    h->sim->schedule_in(d, Action{&EngineHold::fire, h, arg},
                        EventTag{sim::engine::kinds::callback, static_cast<std::uint32_t>(arg)});
    if (--h->remaining == 0) h->sim->stop();
  }

  // Runs exactly `count` events (each reschedules itself, so N stays constant).
  void steps(std::uint64_t count) {
    remaining = count;
    const std::uint64_t done = sim->run();
    if (done != count || sim->events_pending() == 0) {
      std::fprintf(stderr, "bench_hold: engine ran %llu events, expected %llu\n",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(count));
      std::exit(1);
    }
  }
};

Result run_engine(std::size_t n, const Plan& plan, const std::vector<std::uint64_t>& incr) {
  Simulation sim(1);
  EngineHold h{&sim, incr.data()};
  for (std::size_t i = 0; i < n; ++i)
    sim.schedule_at(sim::base::Time{sim::base::Duration{static_cast<std::int64_t>(incr[h.next++ & table_mask])}},
                    Action{&EngineHold::fire, &h, i},
                    EventTag{sim::engine::kinds::callback, static_cast<std::uint32_t>(i)});
  Result r = measure(plan, n, [&](std::uint64_t k) { h.steps(k); });
  g_sink = g_sink + sim.fingerprint();
  return r;
}

// ---- (b) bare EventQueue -----------------------------------------------------------------

void noop(void*, std::uint64_t) {}

struct QueueHold {
  EventQueue q;
  const std::uint64_t* incr;
  std::size_t next = 0;
  std::uint64_t checksum = 0;

  void steps(std::uint64_t count) {
    QueuedEvent e;
    for (std::uint64_t i = 0; i < count; ++i) {
      q.pop_not_after(std::numeric_limits<std::uint64_t>::max(), e);
      checksum += e.time;
      e.time += incr[next++ & table_mask];
      q.push(e);
    }
  }
};

Result run_queue(std::size_t n, const Plan& plan, const std::vector<std::uint64_t>& incr) {
  QueueHold h{EventQueue{}, incr.data()};
  for (std::size_t i = 0; i < n; ++i)
    h.q.push(QueuedEvent{incr[h.next++ & table_mask], Action{&noop, nullptr, i},
                         EventTag{0, static_cast<std::uint32_t>(i)}, 0, 0});
  Result r = measure(plan, n, [&](std::uint64_t k) { h.steps(k); });
  if (h.q.size() != n) {
    std::fprintf(stderr, "bench_hold: queue holds %zu entries, expected %zu\n", h.q.size(), n);
    std::exit(1);
  }
  g_sink = g_sink + h.checksum;
  return r;
}

// ---- (c) baseline binary heap ------------------------------------------------------------

struct HeapHold {
  using Entry = std::pair<std::uint64_t, std::uint64_t>;  // (time, sequence)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> q;
  const std::uint64_t* incr;
  std::size_t next = 0;
  std::uint64_t seq = 0;
  std::uint64_t checksum = 0;

  void steps(std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t t = q.top().first;
      q.pop();
      checksum += t;
      q.push(Entry{t + incr[next++ & table_mask], seq++});
    }
  }
};

Result run_heap(std::size_t n, const Plan& plan, const std::vector<std::uint64_t>& incr) {
  HeapHold h{{}, incr.data()};
  {
    std::vector<HeapHold::Entry> init;
    init.reserve(n);
    for (std::size_t i = 0; i < n; ++i) init.emplace_back(incr[h.next++ & table_mask], h.seq++);
    h.q = decltype(h.q)(std::greater<>{}, std::move(init));
  }
  Result r = measure(plan, n, [&](std::uint64_t k) { h.steps(k); });
  g_sink = g_sink + h.checksum;
  return r;
}

// ---- command line ------------------------------------------------------------------------

[[noreturn]] void usage(const char* msg, int status = 2) {
  std::fprintf(status == 0 ? stdout : stderr,
               "%s%s%s"
               "usage: bench_hold [--sizes N1,N2,...] [--events M] [--warmup W] [--reps R] [--impl LIST] [--verbose] [--smoke]\n"
               "  --sizes   pending-event counts (default 1000,100000,1000000,10000000)\n"
               "  --events  timed events per repetition (default: engine and queue max(2000000,\n"
               "            4.194304 N), i.e. 2^22 ns of simulated time; binary heap max(2000000, N))\n"
               "  --warmup  untimed events before timing, at least N (default: adaptive, chunks of\n"
               "            events/rep until a whole chunk allocates nothing; at most 16 chunks)\n"
               "  --reps    timed repetitions per size; the median is reported (default 3)\n"
               "  --impl    which implementations to run: engine,queue,heap (default all three)\n"
               "  --verbose print on stderr the warm-up length and, for each repetition, ns/event,\n"
               "            allocations, page faults and CPU time / wall time (< 1: preempted)\n"
               "  --smoke   tiny sizes, a few ms in all (for CI)\n",
               status == 0 ? "" : "bench_hold: ", msg, status == 0 ? "" : "\n");
  std::exit(status);
}

Options parse(int argc, char** argv) {
  Options o;
  lunsim_bench::Args args(argc, argv, usage);
  while (args.next()) {
    if (args.is("--smoke")) {
      o.sizes = {1'000, 10'000};
      o.events = 20'000;
      o.warmup = 10'000;
    } else if (args.is("--sizes")) {
      o.sizes.clear();
      const std::string list = args.value();
      std::size_t pos = 0;
      while (pos <= list.size()) {
        const std::size_t comma = std::min(list.find(',', pos), list.size());
        const std::string item = list.substr(pos, comma - pos);
        o.sizes.push_back(static_cast<std::size_t>(args.count_of(item.c_str(), "size", UINT64_MAX)));
        pos = comma + 1;
      }
    } else if (args.is("--events")) {
      o.events = args.count("event count", UINT64_MAX);
    } else if (args.is("--warmup")) {
      o.warmup = args.count("warm-up count", UINT64_MAX);
    } else if (args.is("--reps")) {
      o.reps = static_cast<int>(std::min<std::uint64_t>(args.count("repetition count", UINT64_MAX), 101));
    } else if (args.is("--impl")) {
      const std::string list = std::string(",") + args.value() + ",";
      o.run_engine = list.find(",engine,") != std::string::npos;
      o.run_queue = list.find(",queue,") != std::string::npos;
      o.run_heap = list.find(",heap,") != std::string::npos;
      if (!o.run_engine && !o.run_queue && !o.run_heap) usage("--impl takes a list of engine, queue, heap");
    } else if (args.is("--verbose")) {
      o.verbose = true;
    } else {
      args.unknown();
    }
  }
  std::sort(o.sizes.begin(), o.sizes.end());
  o.sizes.erase(std::unique(o.sizes.begin(), o.sizes.end()), o.sizes.end());
  return o;
}

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::vector<std::uint64_t> incr = make_increments(0x686f6c64ULL);  // "hold"

  std::printf("hold model: exponential increments, mean 1 ms (%zu precomputed draws cycled); "
              "median of %d timed repetitions\n",
              table_size, o.reps);
  std::printf("ratio columns: figure at N / figure at N=%zu\n", o.sizes.front());
  if (o.warmup != 0)
    std::printf("untimed warm-up: max(%llu, N) events\n\n", static_cast<unsigned long long>(o.warmup));
  else
    std::printf("untimed warm-up: chunks of events/rep until a whole chunk allocates nothing\n\n");
  std::printf("%10s %10s %10s | %10s %10s %10s | %8s %8s %8s\n", "N", "events/rep", "events/rep",
              "engine", "queue", "bin.heap", "engine", "queue", "bin.heap");
  std::printf("%10s %10s %10s | %10s %10s %10s | %8s %8s %8s\n", "", "eng,queue", "bin.heap",
              "ns/event", "ns/event", "ns/event", "ratio", "ratio", "ratio");
  std::fflush(stdout);

  using Runner = Result (*)(std::size_t, const Plan&, const std::vector<std::uint64_t>&);
  struct Impl {
    const char* name;
    bool enabled;
    bool radix;
    Runner run;
    double base = 0;  // figure at the smallest N
  };
  Impl impls[] = {{"engine", o.run_engine, true, &run_engine},
                  {"queue", o.run_queue, true, &run_queue},
                  {"heap", o.run_heap, false, &run_heap}};

  for (std::size_t k = 0; k < o.sizes.size(); ++k) {
    const std::size_t n = o.sizes[k];
    const std::uint64_t ev_radix = events_for(o, n, true);
    const std::uint64_t ev_heap = events_for(o, n, false);
    char figures[3][16], ratios[3][16];
    for (int i = 0; i < 3; ++i) {
      Impl& im = impls[i];
      std::snprintf(figures[i], sizeof figures[i], "-");
      std::snprintf(ratios[i], sizeof ratios[i], "-");
      if (!im.enabled) continue;
      const Plan plan{im.radix ? ev_radix : ev_heap, o.reps, o.warmup};
      const Result r = im.run(n, plan, incr);
      if (o.verbose) {
        std::fprintf(stderr, "N=%zu %s: warm-up %llu events%s; ns/event:", n, im.name,
                     static_cast<unsigned long long>(r.warmup),
                     r.warmup_capped ? " (capped, still allocating)" : "");
        double sum = 0;
        for (double x : r.ns) {
          std::fprintf(stderr, " %.1f", x);
          sum += x;
        }
        std::fprintf(stderr, " (mean %.1f); allocations:", sum / static_cast<double>(r.ns.size()));
        for (std::uint64_t a : r.allocs) std::fprintf(stderr, " %llu", static_cast<unsigned long long>(a));
        std::fprintf(stderr, "; page faults:");
        for (long f : r.faults) std::fprintf(stderr, " %ld", f);
        std::fprintf(stderr, "; cpu/wall:");
        for (double c : r.cpu_share) std::fprintf(stderr, " %.2f", c);
        std::fprintf(stderr, "\n");
      }
      if (r.warmup_capped)
        std::fprintf(stderr, "bench_hold: N=%zu %s: still allocating after %llu warm-up events\n", n,
                     im.name, static_cast<unsigned long long>(r.warmup));
      const double m = median(r.ns);
      if (k == 0) im.base = m;
      std::snprintf(figures[i], sizeof figures[i], "%.1f", m);
      std::snprintf(ratios[i], sizeof ratios[i], "%.2f", m / im.base);
    }
    std::printf("%10zu %10llu %10llu | %10s %10s %10s | %8s %8s %8s\n", n,
                static_cast<unsigned long long>(ev_radix), static_cast<unsigned long long>(ev_heap),
                figures[0], figures[1], figures[2], ratios[0], ratios[1], ratios[2]);
    std::fflush(stdout);
  }

  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("\npeak RSS: %.1f MiB; involuntary context switches: %ld\n",
              static_cast<double>(ru.ru_maxrss) / 1024.0, ru.ru_nivcsw);
  return g_sink == 42 ? 0 : 0;  // read the sink once more so it stays observable
}
