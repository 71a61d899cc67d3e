#include "sim/cli/demo.hpp"

#include "sim/engine/distribution.hpp"
#include "sim/engine/task.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace sim::cli {
namespace {

using base::Duration;
using base::Time;
using engine::Simulation;
using engine::Task;

/// One FIFO server; waiting clients are suspended coroutines in a ring buffer.
class FifoDrive {
public:
  FifoDrive(Simulation& sim, std::string name, engine::Distribution service)
      : sim_(&sim), rng_(sim.stream(name)), service_(std::move(service)) {}

  struct Request {
    FifoDrive* drive;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) { drive->arrive(h); }
    void await_resume() const noexcept {}
  };
  Request submit() { return Request{this}; }

private:
  void arrive(std::coroutine_handle<> h) {
    waiting_.push_back(h);
    if (waiting_.size() - head_ == 1) start();
  }
  void start() {
    sim_->schedule_in(service_.sample(rng_), engine::Action::member<FifoDrive, &FifoDrive::finish>(this));
  }
  void finish(std::uint64_t) {
    std::coroutine_handle<> h = waiting_[head_++];
    if (head_ == waiting_.size()) { waiting_.clear(); head_ = 0; }
    if (waiting_.size() > head_) start();
    h.resume();
  }

  Simulation* sim_;
  engine::RandomStream rng_;
  engine::Distribution service_;
  std::vector<std::coroutine_handle<>> waiting_;
  std::size_t head_ = 0;
};

struct Totals {
  std::uint64_t completed = 0;
  Duration response_sum{};
};

Task<> client(Simulation& sim, std::vector<FifoDrive>& drives, engine::RandomStream rng,
              engine::Distribution think, std::uint32_t requests, Totals& totals) {
  for (std::uint32_t i = 0; i < requests; ++i) {
    FifoDrive& d = drives[rng.below(drives.size())];
    const Time submitted = sim.now();
    co_await d.submit();
    totals.response_sum += sim.now() - submitted;
    ++totals.completed;
    if (i + 1 < requests) co_await sim.delay(think.sample(rng));
  }
}

} // namespace

int run_demo(const DemoOptions& o, std::ostream& out) {
  using namespace std::chrono_literals;
  const auto wall0 = std::chrono::steady_clock::now();
  Simulation sim(o.seed);
  std::vector<FifoDrive> drives;
  drives.reserve(o.drives);
  for (std::uint32_t d = 0; d < o.drives; ++d)
    drives.emplace_back(sim, "drive/d" + std::to_string(d), engine::Distribution::exponential(5ms));
  Totals totals;
  for (std::uint32_t c = 0; c < o.clients; ++c)
    engine::spawn(sim, client(sim, drives, sim.stream("client/c" + std::to_string(c)),
                              engine::Distribution::exponential(1ms), o.requests, totals));
  sim.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double mean_ms =
      totals.completed ? 1e-6 * static_cast<double>(totals.response_sum.count()) / static_cast<double>(totals.completed) : 0.0;
  char line[512];
  std::snprintf(line, sizeof line,
                "lunsim engine demo: drive-fifo, %u drives, %u clients x %u requests, seed %llu\n"
                "  completed        %llu requests\n"
                "  simulated time   %s s\n"
                "  mean response    %.4f ms (peers: about 81.0 ms at the default size)\n"
                "  events           %llu, fingerprint %016llx\n"
                "  wall time        %.3f s (%.2f M events/s)\n",
                o.drives, o.clients, o.requests, static_cast<unsigned long long>(o.seed),
                static_cast<unsigned long long>(totals.completed), base::format_seconds(sim.now()).c_str(), mean_ms,
                static_cast<unsigned long long>(sim.events_processed()),
                static_cast<unsigned long long>(sim.fingerprint()), wall,
                1e-6 * static_cast<double>(sim.events_processed()) / wall);
  out << line;
  return totals.completed == std::uint64_t{o.clients} * o.requests ? 0 : 3;
}

} // namespace sim::cli
