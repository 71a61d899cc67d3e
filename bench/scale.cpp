// Model-scale benchmark (issue 11, target 3): 10^6 drives and 10^5 LUNs in one World.
//
// The model, a ScenarioSpec filled in code (no YAML), no `topology:` section (so no Topology
// graph and no Fabric: the default topology, not simulated), no `failures:` lifetimes:
//   100 subsystems "array-<s>", each with 2 controllers and 400 enclosures "shelf-<e>" of 25
//   drives "shelf-<e>/<d>" (10,000 drives per array, 10^6 in all, no hot spares), one drive
//   model (16 TB, 250 MB/s, 4 ms constant read and write latency), 100 ms constant management
//   latency, 64 MiB initialisation chunks, balanced placement; `repair:` replace_after a
//   constant 1 h, rebuild mode io, policy sequential (the defaults otherwise).
//
// Each repetition builds a fresh engine::Simulation and scenario::World and runs, timed with
// steady_clock (medians over the repetitions, min-max in brackets):
//   build             `World world(sim, spec)`: the subsystems, their drives, slots and VDS
//                     objects, the ledger entries, the World's per-drive DriveInfo
//   provisioning      L LUNs (default 10^5) created at time 0 through Subsystem::create_lun
//                     (VDS_LT_PARITY, 64 MiB, hints maximum_drive_count 4: RAID-5 3+1, drives
//                     picked by the provider), round robin over the subsystems (LUN i on
//                     subsystem i mod S), each with its AsyncHandle held by the client "bench";
//                     then sim.run() until no event is left (management latency, then each
//                     member's ~21 MiB extent written in one background chunk). Timed: the L
//                     calls, the run, and both; events processed by the run, events per second
//                     of run wall time, simulated end time.
//   failure wave      F drives (default 1 % of the drives: 10^4) failed at one simulated instant
//                     (storage::Array::fail_drive, at the end of the provisioning wave), each one
//                     member drive of a distinct LUN (LUN k x L / F in creation order, member
//                     k mod 4), so every failure degrades a LUN and, as long as 4 L <= the
//                     drives (balanced placement then puts at most one member on a drive),
//                     none loses data; then
//                     sim.run() until no event is left: each failed drive is replaced after 1 h
//                     and its member rebuilt onto the replacement (reads of the 3 survivors, one
//                     write, through the drive queues). Timed: the F calls plus the run; events,
//                     events per second, rebuilds started and completed
//                     (Subsystem::reliability(), summed over the subsystems).
//   teardown          ~World, ~Simulation (not a target)
//
// Memory (first repetition only: later ones reuse the heap the first one freed):
//   per idle drive    resident set size (/proc/self/statm, field 2, x the page size) right after
//                     the build minus right before it (Simulation and spec already built),
//                     divided by the drive count; the target is <= 512 B. Also the heap in use
//                     (glibc mallinfo2: uordblks + hblkhd) over the same interval, which ignores
//                     pages the allocator keeps. Explained by a sizeof breakdown of what lunsim
//                     keeps per drive (storage::Drive, provider::DriveObject, its ledger entry,
//                     storage::Array::slot_bytes(), scenario::DriveInfo, with glibc malloc chunk overheads and
//                     the heap of strings beyond the 15-character SSO buffer, measured on the
//                     first drive), excluding vector and deque slack.
//   after provisioning the same, after the provisioning wave, per drive (includes the LUNs,
//                     handles and jobs, and the usage index the provider builds at the first
//                     create_lun)
// then the peak RSS (getrusage) and the process CPU time / wall time of the timed sections (< 1:
// the benchmark was preempted, figures are suspect).
//
// Correctness is checked on every repetition (exit status 1 on a failure): every create_lun
// returns S_OK, every handle ends S_OK at 100 % and every LUN is online; after the failure wave
// F drive failures and F replacements, rebuilds started == the LUN members on the failed drives,
// rebuilds completed == rebuilds started, none running, no data loss, every LUN online and
// healthy.
//
// Usage: bench_scale [--subsystems S] [--enclosures E] [--drives D] [--luns L] [--failures F]
//                    [--lun-mib M] [--reps R] [--smoke]
//        (default S = 100, E = 400, D = 25, L = 100000, F = 1 % of the drives, M = 64, R = 1;
//         --smoke: S = 4, E = 10, D = 25 (10^3 drives), L = 100, F = 10, R = 3)
#include "bench/common.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/subsystem.hpp"
#include "sim/scenario/spec.hpp"
#include "sim/scenario/world.hpp"
#include "sim/storage/drive.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace sim::base::size_literals;
using sim::provider::Subsystem;
using lunsim_bench::Checks;
using lunsim_bench::Clock;
using lunsim_bench::median;
using lunsim_bench::seconds_since;

struct Options {
  std::uint32_t subsystems = 100;
  std::uint32_t enclosures = 400;  // per subsystem
  std::uint32_t drives = 25;       // per enclosure
  std::uint32_t luns = 100000;
  std::uint32_t failures = 0;      // 0: 1 % of the drives (at least 1)
  std::uint32_t lun_mib = 64;
  int reps = 1;
};

[[noreturn]] void usage(const char* msg, int status = 2) {
  std::fprintf(status == 0 ? stdout : stderr,
               "%s%s%s"
               "usage: bench_scale [--subsystems S] [--enclosures E] [--drives D] [--luns L] [--failures F]\n"
               "                   [--lun-mib M] [--reps R] [--smoke]\n"
               "  --subsystems  subsystems (default 100)\n"
               "  --enclosures  enclosures per subsystem (default 400)\n"
               "  --drives      drives per enclosure (default 25)\n"
               "  --luns        LUNs of the provisioning wave, RAID-5 of 4 drives (default 100000)\n"
               "  --failures    drives failed at once, each in a distinct LUN (default 1 %% of the drives; at most L)\n"
               "  --lun-mib     LUN size in MiB (default 64)\n"
               "  --reps        repetitions, each on a fresh world; medians are reported (default 1)\n"
               "  --smoke       tiny sizes (4 x 10 x 25 = 1,000 drives, 100 LUNs, 10 failures, 3 repetitions) for CI\n",
               status == 0 ? "" : "bench_scale: ", msg, status == 0 ? "" : "\n");
  std::exit(status);
}

Options parse(int argc, char** argv) {
  Options o;
  lunsim_bench::Args args(argc, argv, usage);
  auto count = [&](const char* what) { return static_cast<std::uint32_t>(args.count(what)); };
  while (args.next()) {
    if (args.is("--smoke")) {
      o.subsystems = 4;
      o.enclosures = 10;
      o.drives = 25;
      o.luns = 100;
      o.failures = 10;
      o.reps = 3;
    } else if (args.is("--subsystems")) {
      o.subsystems = count("subsystem count");
    } else if (args.is("--enclosures")) {
      o.enclosures = count("enclosure count");
    } else if (args.is("--drives")) {
      o.drives = count("drive count");
    } else if (args.is("--luns")) {
      o.luns = count("LUN count");
    } else if (args.is("--failures")) {
      o.failures = count("failure count");
    } else if (args.is("--lun-mib")) {
      o.lun_mib = count("LUN size");
    } else if (args.is("--reps")) {
      o.reps = static_cast<int>(std::min<std::uint32_t>(count("repetition count"), 101));
    } else {
      args.unknown();
    }
  }
  const std::uint64_t total = std::uint64_t{o.subsystems} * o.enclosures * o.drives;
  if (o.enclosures > INT16_MAX) usage("at most 32767 enclosures per subsystem (VDS bus numbers are int16)");
  if (o.failures == 0) o.failures = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, total / 100));
  if (o.failures > o.luns) usage("--failures must not exceed --luns (each failure hits a distinct LUN)");
  if (std::uint64_t{o.enclosures} * o.drives < 4) usage("a subsystem needs at least 4 drives (RAID-5 of 4)");
  return o;
}

// ---- the model -------------------------------------------------------------------------------

std::string subsystem_name(std::uint32_t s) { return "array-" + std::to_string(s); }
std::string enclosure_name(std::uint32_t e) { return "shelf-" + std::to_string(e); }

sim::scenario::ScenarioSpec make_spec(const Options& o) {
  using sim::engine::Distribution;
  sim::scenario::ScenarioSpec spec;
  spec.name = "bench-scale";
  sim::scenario::DriveModelSpec model;
  model.name = "nl-sas-16tb";
  model.capacity = 16_TB;
  model.bandwidth = sim::base::Rate{250'000'000};
  model.read_latency = Distribution::constant(std::chrono::milliseconds(4));
  model.write_latency = Distribution::constant(std::chrono::milliseconds(4));
  spec.drive_models.push_back(model);
  spec.subsystems.reserve(o.subsystems);
  for (std::uint32_t s = 0; s < o.subsystems; ++s) {
    sim::scenario::SubsystemSpec sub;
    sub.name = subsystem_name(s);
    sub.management_latency = Distribution::constant(std::chrono::milliseconds(100));
    sub.enclosures.reserve(o.enclosures);
    for (std::uint32_t e = 0; e < o.enclosures; ++e) {
      sim::scenario::EnclosureSpec enc;
      enc.name = enclosure_name(e);
      enc.model.value = model.name;
      enc.count = o.drives;
      sub.enclosures.push_back(std::move(enc));
    }
    spec.subsystems.push_back(std::move(sub));
  }
  // Failed drives are replaced after 1 h; their members rebuild onto the replacement.
  spec.repair.replace_after = Distribution::constant(std::chrono::hours(1));
  spec.repair_section = true;
  return spec;
}

// ---- memory ----------------------------------------------------------------------------------

/// Resident set size now: /proc/self/statm field 2 (pages) x the page size.
std::uint64_t rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  unsigned long long size = 0, resident = 0;
  const bool ok = f != nullptr && std::fscanf(f, "%llu %llu", &size, &resident) == 2;
  if (f != nullptr) std::fclose(f);
  if (!ok) {
    std::fprintf(stderr, "bench_scale: cannot read /proc/self/statm\n");
    std::exit(1);
  }
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

/// Heap bytes in use (glibc): small chunks plus mmapped ones.
std::uint64_t heap_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

/// What a glibc malloc(n) takes on the heap: n plus the 8-byte size field, rounded up to 16,
/// at least 32 (64-bit).
std::size_t malloc_chunk(std::size_t n) { return std::max<std::size_t>(32, (n + 8 + 15) / 16 * 16); }

/// Heap a std::string holds besides itself: none within the SSO buffer (15 characters).
std::size_t string_heap(const std::string& s) { return s.capacity() > 15 ? malloc_chunk(s.capacity() + 1) : 0; }

struct PerDriveItem {
  std::string what;
  std::size_t bytes;
};

/// What lunsim keeps per drive right after the build, measured on the world's first drive.
std::vector<PerDriveItem> per_drive_items(const sim::scenario::World& world) {
  const sim::scenario::DriveInfo& info = world.drives().front();
  const sim::provider::DriveObject& obj = *info.object;
  const sim::provider::Ledger::Object entry = world.ledger().object(obj.ledger_id());
  std::vector<PerDriveItem> v;
  v.push_back({"storage::Drive (the Array's drives, a deque)", sizeof(sim::storage::Drive)});
  v.push_back({"  its name's heap ('" + obj.drive().name() + "')", string_heap(obj.drive().name())});
  v.push_back({"provider::DriveObject (own malloc chunk of " + std::to_string(sizeof(sim::provider::DriveObject)) + " B)",
               malloc_chunk(sizeof(sim::provider::DriveObject))});
  v.push_back({"  its unique_ptr in Subsystem::drive_objects_", sizeof(std::unique_ptr<sim::provider::DriveObject>)});
  v.push_back({"  its name's heap (VdsObject::name_, '" + obj.name() + "')", string_heap(obj.name())});
  v.push_back({"ledger entry (Ledger::objects_; the kind interned)", sim::provider::Ledger::entry_bytes()});
  v.push_back({"  its name's characters (Ledger::names_)", entry.name.size()});
  v.push_back({"storage::Array slot records (index, failure processes, repair)", sim::storage::Array::slot_bytes()});
  v.push_back({"  its first name's heap (DriveIndex)", string_heap(obj.drive().name())});  // a copy of the first name
  v.push_back({"scenario::DriveInfo (World::drives_)", sizeof(sim::scenario::DriveInfo)});
  return v;
}

// ---- checks ----------------------------------------------------------------------------------

// ---- timing ----------------------------------------------------------------------------------

struct Series {
  const char* label;
  const char* unit;   // "ms", "M/s", "s sim", "" (a count)
  double scale = 1;   // printed value = scale x sample
  std::vector<double> s;
};

void print(const Series& x) {
  const auto [lo, hi] = std::minmax_element(x.s.begin(), x.s.end());
  const int digits = x.unit[0] == '\0' ? 0 : 3;  // counts are whole numbers
  std::printf("%-52s %14.*f %-6s (%.*f-%.*f)\n", x.label, digits, x.scale * median(x.s), x.unit, digits, x.scale * *lo,
              digits, x.scale * *hi);
}

double sim_seconds(sim::base::Time t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// ---- one repetition ---------------------------------------------------------------------------

struct Memory {
  std::uint64_t rss_before = 0, rss_built = 0, rss_provisioned = 0;
  std::uint64_t heap_before = 0, heap_built = 0, heap_provisioned = 0;
  std::vector<PerDriveItem> items;
};

struct Figures {
  Series build{"build: World(sim, spec)", "ms", 1e3, {}};
  Series prov_calls{"provisioning: L create_lun calls", "ms", 1e3, {}};
  Series prov_run{"provisioning: sim.run()", "ms", 1e3, {}};
  Series prov_total{"provisioning: calls + run", "ms", 1e3, {}};
  Series prov_events{"provisioning: events processed", "", 1, {}};
  Series prov_rate{"provisioning: events per run second", "M/s", 1e-6, {}};
  Series prov_end{"provisioning: simulated end time", "s sim", 1, {}};
  Series fail_total{"failure wave: F fail_drive calls + run", "ms", 1e3, {}};
  Series fail_events{"failure wave: events processed", "", 1, {}};
  Series fail_rate{"failure wave: events per second", "M/s", 1e-6, {}};
  Series fail_span{"failure wave: simulated span", "s sim", 1, {}};
  Series rebuilds{"failure wave: rebuilds completed", "", 1, {}};
  Series teardown{"teardown: ~World, ~Simulation (not a target)", "ms", 1e3, {}};
};

void run_once(const Options& o, const sim::scenario::ScenarioSpec& spec, int rep, Figures& f, Memory* mem, Checks& checks,
              double& timed_wall, std::clock_t& timed_cpu) {
  auto timed = [&](auto&& fn) {
    const std::clock_t c0 = std::clock();
    const auto t0 = Clock::now();
    fn();
    const double s = seconds_since(t0);
    timed_cpu += std::clock() - c0;
    timed_wall += s;
    return s;
  };

  auto sim = std::make_unique<sim::engine::Simulation>(spec.seed, 0);
  std::unique_ptr<sim::scenario::World> world;
  if (mem != nullptr) {
    mem->rss_before = rss_bytes();
    mem->heap_before = heap_bytes();
  }
  f.build.s.push_back(timed([&] { world = std::make_unique<sim::scenario::World>(*sim, spec); }));
  if (mem != nullptr) {
    mem->rss_built = rss_bytes();
    mem->heap_built = heap_bytes();
    mem->items = per_drive_items(*world);
  }
  const std::uint64_t total_drives = std::uint64_t{o.subsystems} * o.enclosures * o.drives;
  checks.count(world->drives().size(), total_drives, rep, "drives in the world");
  checks.count(world->subsystems().size(), o.subsystems, rep, "subsystems in the world");
  const auto& subs = world->subsystems();

  // 1. Provisioning wave: L LUNs at time 0, round robin over the subsystems.
  const sim::provider::Holder client = sim::provider::Holder::client("bench");
  sim::provider::Hints hints;
  hints.maximum_drive_count = 4;
  const sim::base::Bytes lun_size{std::uint64_t{o.lun_mib} << 20};
  std::vector<sim::provider::AsyncHandle*> handles(o.luns, nullptr);
  std::uint64_t refused = 0;
  const double calls = timed([&] {
    for (std::uint32_t i = 0; i < o.luns; ++i) {
      const sim::provider::HResult h = subs[i % o.subsystems]->create_lun(
          static_cast<std::int32_t>(sim::provider::LunType::Parity), lun_size, {}, &hints, &handles[i], client);
      if (h != sim::provider::hr::s_ok) {
        if (refused++ == 0)
          checks.check(false, rep, "create_lun " + std::to_string(i) + " returned " + sim::provider::describe(h));
      }
    }
  });
  checks.count(refused, 0, rep, "create_lun calls refused");
  const std::uint64_t ev0 = sim->events_processed();
  const double run = timed([&] { sim->run(); });
  const std::uint64_t prov_events = sim->events_processed() - ev0;
  const sim::base::Time prov_end = sim->now();
  f.prov_calls.s.push_back(calls);
  f.prov_run.s.push_back(run);
  f.prov_total.s.push_back(calls + run);
  f.prov_events.s.push_back(static_cast<double>(prov_events));
  f.prov_rate.s.push_back(static_cast<double>(prov_events) / run);
  f.prov_end.s.push_back(sim_seconds(prov_end));
  std::uint64_t not_ok = 0;
  for (sim::provider::AsyncHandle* h : handles) {
    sim::provider::HResult op = sim::provider::hr::vds_e_operation_pending;
    std::uint32_t pct = 0;
    if (h == nullptr || h->query_status(&op, &pct) != sim::provider::hr::s_ok || op != sim::provider::hr::s_ok || pct != 100)
      ++not_ok;
  }
  checks.count(not_ok, 0, rep, "handles not ended S_OK at 100 %");
  std::uint64_t luns = 0, online = 0;
  for (const auto& s : subs)
    for (const auto& l : s->luns()) {
      ++luns;
      online += l->status() == sim::provider::LunStatus::Online ? 1 : 0;
    }
  checks.count(luns, o.luns, rep, "LUN objects");
  checks.count(online, o.luns, rep, "LUNs online after provisioning");
  if (mem != nullptr) {
    mem->rss_provisioned = rss_bytes();
    mem->heap_provisioned = heap_bytes();
  }

  // 2. Failure wave: F drives at once, member k mod 4 of LUN k x L / F (creation order), so each
  //    in a distinct LUN. The expected rebuilds: every (LUN, member) on a failed drive.
  std::vector<sim::provider::DriveObject*> victims;
  victims.reserve(o.failures);
  std::vector<std::vector<char>> failed(o.subsystems);
  for (std::uint32_t s = 0; s < o.subsystems; ++s) failed[s].assign(subs[s]->drive_count(), 0);
  for (std::uint32_t k = 0; k < o.failures; ++k) {
    const std::uint64_t g = std::uint64_t{k} * o.luns / o.failures;  // global creation index
    const std::uint32_t s = static_cast<std::uint32_t>(g % o.subsystems);
    const sim::provider::LunObject& lun = *subs[s]->luns()[static_cast<std::size_t>(g / o.subsystems)];
    const auto& members = lun.lun_model()->members();
    sim::storage::Drive* d = members[k % members.size()];
    failed[s][d->tag()] = 1;
    victims.push_back(&subs[s]->drive(d->tag()));
  }
  std::uint64_t expected_rebuilds = 0;
  for (std::uint32_t s = 0; s < o.subsystems; ++s)
    for (const auto& l : subs[s]->luns())
      for (const sim::storage::Drive* d : l->lun_model()->members()) expected_rebuilds += failed[s][d->tag()];
  const std::uint64_t ev1 = sim->events_processed();
  const double wave = timed([&] {
    for (sim::provider::DriveObject* d : victims) d->subsystem().array().fail_drive(d->slot());
    sim->run();
  });
  const std::uint64_t fail_events = sim->events_processed() - ev1;
  f.fail_total.s.push_back(wave);
  f.fail_events.s.push_back(static_cast<double>(fail_events));
  f.fail_rate.s.push_back(static_cast<double>(fail_events) / wave);
  f.fail_span.s.push_back(sim_seconds(sim->now()) - sim_seconds(prov_end));
  sim::storage::ReliabilityStats sum;
  std::uint64_t running = 0, losses = 0;
  for (const auto& s : subs) {
    const sim::storage::ReliabilityStats& r = s->reliability();
    sum.drive_failures += r.drive_failures;
    sum.replacements += r.replacements;
    sum.rebuilds_started += r.rebuilds_started;
    sum.rebuilds_completed += r.rebuilds_completed;
    losses += r.losses.size();
    running += s->array().rebuilds_running();
  }
  f.rebuilds.s.push_back(static_cast<double>(sum.rebuilds_completed));
  checks.count(sum.drive_failures, o.failures, rep, "drive failures");
  checks.count(sum.replacements, o.failures, rep, "replacements");
  checks.count(sum.rebuilds_started, expected_rebuilds, rep, "rebuilds started (LUN members on the failed drives)");
  checks.count(sum.rebuilds_completed, sum.rebuilds_started, rep, "rebuilds completed (vs started)");
  checks.count(running, 0, rep, "rebuilds still running");
  checks.count(losses, 0, rep, "data losses");
  std::uint64_t healthy = 0;
  for (const auto& s : subs)
    for (const auto& l : s->luns())
      healthy += l->status() == sim::provider::LunStatus::Online && l->health() == sim::provider::Health::Healthy ? 1 : 0;
  checks.count(healthy, o.luns, rep, "LUNs online and healthy after the failure wave");

  // Teardown, World first (the Simulation must outlive it).
  f.teardown.s.push_back(timed([&] {
    world.reset();
    sim.reset();
  }));
}

} // namespace

int main(int argc, char** argv) {
  Checks checks("bench_scale");
  const Options o = parse(argc, argv);
  const sim::scenario::ScenarioSpec spec = make_spec(o);
  const std::uint64_t drives = std::uint64_t{o.subsystems} * o.enclosures * o.drives;

  Figures f;
  Memory mem;
  double timed_wall = 0;
  std::clock_t timed_cpu = 0;
  for (int r = 0; r < o.reps; ++r) run_once(o, spec, r, f, r == 0 ? &mem : nullptr, checks, timed_wall, timed_cpu);

  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const auto per_drive = [&](std::uint64_t after, std::uint64_t before) {
    return (static_cast<double>(after) - static_cast<double>(before)) / static_cast<double>(drives);
  };
  const double idle_rss = per_drive(mem.rss_built, mem.rss_before);
  const double idle_heap = per_drive(mem.heap_built, mem.heap_before);
  std::size_t accounted = 0;
  for (const PerDriveItem& i : mem.items) accounted += i.bytes;

  std::printf("model: %u subsystems x %u enclosures x %u drives = %llu drives (2 controllers each, no topology, "
              "no spares)\n",
              o.subsystems, o.enclosures, o.drives, static_cast<unsigned long long>(drives));
  std::printf("waves: %u LUNs RAID-5 3+1 of %u MiB at time 0, round robin; then %u drives failed at once "
              "(distinct LUNs), replaced after 1 h, rebuilt (mode io)\n",
              o.luns, o.lun_mib, o.failures);
  std::printf("median of %d repetition(s) (min-max), each on a fresh Simulation and World\n\n", o.reps);
  for (const Series* x : {&f.build, &f.prov_calls, &f.prov_run, &f.prov_total, &f.prov_events, &f.prov_rate, &f.prov_end,
                          &f.fail_total, &f.fail_events, &f.fail_rate, &f.fail_span, &f.rebuilds, &f.teardown})
    print(*x);

  std::printf("\nper-drive objects after the build (sizeof, glibc chunk sizes; vector/deque slack excluded):\n");
  for (const PerDriveItem& i : mem.items) std::printf("  %-66s %5zu B\n", i.what.c_str(), i.bytes);
  std::printf("  %-66s %5zu B\n", "accounted", accounted);
  std::printf("\nmemory per idle drive (first repetition, after the build minus before it, / %llu drives):\n",
              static_cast<unsigned long long>(drives));
  std::printf("  RSS (/proc/self/statm)                %8.1f B   (target <= 512 B: %s)\n", idle_rss,
              idle_rss <= 512.0 ? "met" : "NOT met");
  std::printf("  heap in use (mallinfo2)               %8.1f B\n", idle_heap);
  std::printf("  after provisioning, RSS / heap        %8.1f B / %.1f B per drive (LUNs, handles, jobs, usage index)\n",
              per_drive(mem.rss_provisioned, mem.rss_before), per_drive(mem.heap_provisioned, mem.heap_before));

  const double cpu_wall = static_cast<double>(timed_cpu) / CLOCKS_PER_SEC / timed_wall;
  std::printf("\npeak RSS: %ld kB (%.1f MiB); CPU/wall over the timed sections: %.2f\n", ru.ru_maxrss,
              static_cast<double>(ru.ru_maxrss) / 1024.0, cpu_wall);

  // Summary table.
  std::printf("\n%-44s %14s\n", "summary", "value");
  std::printf("%-44s %14llu\n", "drives", static_cast<unsigned long long>(drives));
  std::printf("%-44s %14.3f\n", "build time (s)", median(f.build.s));
  std::printf("%-44s %14.1f\n", "RSS per idle drive (B, target <= 512)", idle_rss);
  std::printf("%-44s %14.1f\n", "heap per idle drive (B)", idle_heap);
  std::printf("%-44s %14zu\n", "sizeof-accounted per drive (B)", accounted);
  std::printf("%-44s %14.3f\n", "provisioning wall (s)", median(f.prov_total.s));
  std::printf("%-44s %14.0f\n", "provisioning events", median(f.prov_events.s));
  std::printf("%-44s %14.3f\n", "provisioning events/s (M)", 1e-6 * median(f.prov_rate.s));
  std::printf("%-44s %14.3f\n", "failure wave wall (s)", median(f.fail_total.s));
  std::printf("%-44s %14.0f\n", "failure wave events", median(f.fail_events.s));
  std::printf("%-44s %14.3f\n", "failure wave events/s (M)", 1e-6 * median(f.fail_rate.s));
  std::printf("%-44s %14.0f\n", "rebuilds completed", median(f.rebuilds.s));
  std::printf("%-44s %14.1f\n", "peak RSS (MiB)", static_cast<double>(ru.ru_maxrss) / 1024.0);
  std::printf("%-44s %14.2f\n", "CPU/wall", cpu_wall);
  std::printf("build_s=%.3f rss_per_idle_drive_b=%.1f heap_per_idle_drive_b=%.1f provisioning_s=%.3f failure_wave_s=%.3f "
              "peak_rss_kb=%ld checks=%s\n",
              median(f.build.s), idle_rss, idle_heap, median(f.prov_total.s), median(f.fail_total.s), ru.ru_maxrss,
              checks.failures() == 0 ? "ok" : "FAILED");
  if (checks.failures() != 0) {
    std::fprintf(stderr, "bench_scale: %d check(s) failed\n", checks.failures());
    return 1;
  }
  return 0;
}
