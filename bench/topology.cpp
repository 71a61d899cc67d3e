// Topology graph benchmark (issue 8): the scenario topology of one subsystem with 4,000
// enclosures of 25 drives (10^5 drives), 2 controllers with 2 ports each, one host with 2
// initiator ports on 2 fabrics (the TopologySpec defaults), built by scenario::build_topology
// into a storage::Topology (Boost.Graph) from a ScenarioSpec filled in code, no YAML.
//
// Each repetition builds a fresh topology and runs the same sequence on it, timed with
// steady_clock; the median (and min-max) over the repetitions is reported:
//   build                      `Topology t; build_topology(spec, t)`: 104,010 vertices (each
//                              with its name in the by-name index) and 108,010 links
//   first query after build    paths_to(a drive): includes the first component computation
//   cached query               paths_to(the same drive) again: no recomputation
//   recompute only             a change (enclosure down), then back_end_joined, an O(1)
//                              lookup: the component computation alone
//   change + query             a change, then paths_to(a drive): one recomputation plus the
//                              query; for an enclosure (down, then up again), a fabric, a
//                              controller and a back-end link (controller -- enclosure)
//   change + Q queries         a fabric down, then paths_to for Q = 1,000 drives spread over all
//                              enclosures: one recomputation (recomputations() is checked to
//                              grow by exactly 1), the rest read the cache
//   cached back_end_joined     what provider::Fabric asks after a change (joined, controller_of
//                              and back_end_joined are O(1) lookups in the cache; paths_to loops
//                              over host ports x controller ports), per query
// then the peak RSS (getrusage) and the process CPU time / wall time of the timed sections (< 1:
// the benchmark was preempted, figures are suspect).
//
// Correctness is checked on every repetition (exit status 1 on a failure): 4 paths to a drive
// with everything up, still 4 with another enclosure down and 0 to a drive of the downed
// enclosure, 2 with a fabric down, 2 with a controller down, the vertex and link counts, and
// one recomputation per change, 2 paths with the link ctl-0 -- the drive's enclosure down.
//
// Usage: bench_topology [--enclosures E] [--drives D] [--reps R] [--queries Q] [--smoke]
//        (default E = 4000, D = 25, R = 5, Q = 1000; --smoke: E = 40, D = 5, R = 3, Q = 20)
#include "bench/common.hpp"
#include "sim/scenario/spec.hpp"
#include "sim/scenario/topology.hpp"
#include "sim/storage/topology.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

using sim::storage::NodeKind;
using sim::storage::Topology;
using lunsim_bench::Checks;
using lunsim_bench::Clock;
using lunsim_bench::median;
using lunsim_bench::seconds_since;

struct Options {
  std::uint32_t enclosures = 4000;
  std::uint32_t drives = 25;  // per enclosure
  int reps = 5;
  std::uint32_t queries = 1000;
};

[[noreturn]] void usage(const char* msg, int status = 2) {
  std::fprintf(status == 0 ? stdout : stderr,
               "%s%s%s"
               "usage: bench_topology [--enclosures E] [--drives D] [--reps R] [--queries Q] [--smoke]\n"
               "  --enclosures  enclosures in the one subsystem (default 4000, at least 2)\n"
               "  --drives      drives per enclosure (default 25)\n"
               "  --reps        repetitions, each on a freshly built topology; medians are reported (default 5)\n"
               "  --queries     drives queried after one change (default 1000)\n"
               "  --smoke       tiny sizes (40 x 5 drives, 3 repetitions, 20 queries) for CI\n",
               status == 0 ? "" : "bench_topology: ", msg, status == 0 ? "" : "\n");
  std::exit(status);
}

Options parse(int argc, char** argv) {
  Options o;
  lunsim_bench::Args args(argc, argv, usage);
  auto count = [&](const char* what) { return static_cast<std::uint32_t>(args.count(what)); };
  while (args.next()) {
    if (args.is("--smoke")) {
      o.enclosures = 40;
      o.drives = 5;
      o.reps = 3;
      o.queries = 20;
    } else if (args.is("--enclosures")) {
      o.enclosures = count("enclosure count");
    } else if (args.is("--drives")) {
      o.drives = count("drive count");
    } else if (args.is("--reps")) {
      o.reps = static_cast<int>(std::min<std::uint32_t>(count("repetition count"), 101));
    } else if (args.is("--queries")) {
      o.queries = count("query count");
    } else {
      args.unknown();
    }
  }
  if (o.enclosures < 2) usage("--enclosures must be at least 2 (one goes down, another is queried)");
  return o;
}

const std::string sub_name = "array";

std::string enclosure_name(std::uint32_t e) { return "shelf-" + std::to_string(e); }
std::string drive_name(std::uint32_t e, std::uint32_t i) {
  return sub_name + "/" + enclosure_name(e) + "/" + std::to_string(i);
}

// One subsystem, `enclosures` x `drives`, default controllers (2) and default topology (2 host
// ports, 2 fabrics, 2 ports per controller).
sim::scenario::ScenarioSpec make_spec(const Options& o) {
  sim::scenario::ScenarioSpec spec;
  spec.name = "bench-topology";
  spec.topology.present = true;
  sim::scenario::SubsystemSpec sub;
  sub.name = sub_name;
  sub.enclosures.reserve(o.enclosures);
  for (std::uint32_t e = 0; e < o.enclosures; ++e) {
    sim::scenario::EnclosureSpec enc;
    enc.name = enclosure_name(e);
    // enc.model stays empty: build_topology does not read drive models.
    enc.count = o.drives;
    sub.enclosures.push_back(std::move(enc));
  }
  spec.subsystems.push_back(std::move(sub));
  return spec;
}

// ---- checks --------------------------------------------------------------------------------

// A path's ends must be an initiator port and a controller port.
bool well_formed(const Topology& t, const std::vector<Topology::Path>& paths) {
  return std::all_of(paths.begin(), paths.end(), [&](const Topology::Path& p) {
    return t.kind(p.initiator) == NodeKind::HostPort && t.kind(p.controller_port) == NodeKind::ControllerPort;
  });
}

Topology::Vertex must_find(const Topology& t, const std::string& name) {
  const Topology::Vertex v = t.find(name);
  if (v == Topology::npos) {
    std::fprintf(stderr, "bench_topology: no vertex named '%s'\n", name.c_str());
    std::exit(1);
  }
  return v;
}

// ---- timing --------------------------------------------------------------------------------

struct Series {
  const char* label;
  const char* unit;  // "ms" or "us"
  std::vector<double> s;  // seconds, one per repetition
};

void print(const Series& x) {
  const double k = std::strcmp(x.unit, "us") == 0 ? 1e6 : 1e3;
  const auto [lo, hi] = std::minmax_element(x.s.begin(), x.s.end());
  std::printf("%-58s %10.3f %-2s  (%.3f-%.3f)\n", x.label, k * median(x.s), x.unit, k * *lo, k * *hi);
}

} // namespace

int main(int argc, char** argv) {
  Checks checks("bench_topology");
  const Options o = parse(argc, argv);
  const sim::scenario::ScenarioSpec spec = make_spec(o);
  const std::uint64_t drives = std::uint64_t{o.enclosures} * o.drives;
  // 2 host ports + 2 fabrics + 2 controllers x (1 + 2 ports) + enclosures + drives;
  // host-fabric 2 + per controller 2 x (port-controller, port-fabric) + 2 per enclosure + drives.
  const std::uint64_t want_vertices = 2 + 2 + 2 * 3 + o.enclosures + drives;
  const std::uint64_t want_links = 2 + 2 * 4 + 2 * std::uint64_t{o.enclosures} + drives;

  // Drives and enclosures used by the sequence (names resolved untimed, through Topology::find).
  const std::uint32_t target_enc = o.enclosures / 2;                 // the queried drive's enclosure
  const std::uint32_t other_enc = 0;                                  // another enclosure, downed
  const std::string target_drive = drive_name(target_enc, o.drives / 2);
  std::vector<std::string> spread;  // Q drives over all enclosures
  spread.reserve(o.queries);
  for (std::uint32_t k = 0; k < o.queries; ++k)
    spread.push_back(drive_name(static_cast<std::uint32_t>(std::uint64_t{k} * o.enclosures / o.queries), k % o.drives));

  Series build{"build_topology (Topology + vertices + links)", "ms", {}};
  Series first{"first paths_to after build (incl. components)", "ms", {}};
  Series cached{"paths_to, cached (no change since last query)", "us", {}};
  Series recompute{"recompute only: enclosure down, back_end_joined", "ms", {}};
  Series enc_down{"change + paths_to: another enclosure down", "ms", {}};
  Series enc_up{"change + paths_to: that enclosure up again", "ms", {}};
  Series fab_many{"change + paths_to x Q: fabric down, Q drives", "ms", {}};
  Series fab_cached{"  of which per cached paths_to (the Q-1 after the first)", "us", {}};
  Series bej_cached{"back_end_joined, cached (per query, Q queries)", "us", {}};
  Series ctl_down{"change + paths_to: controller down", "ms", {}};
  Series link_down{"change + paths_to: link controller -- enclosure down", "ms", {}};
  Series destroy{"~Topology (not a target)", "ms", {}};
  std::size_t link_paths = 0;  // informational: paths with the back-end link down

  double timed_wall = 0;
  std::clock_t timed_cpu = 0;
  // Times f() and adds its wall and CPU time to the preemption tally.
  auto timed = [&](auto&& f) {
    const std::clock_t c0 = std::clock();
    const auto t0 = Clock::now();
    f();
    const double s = seconds_since(t0);
    timed_cpu += std::clock() - c0;
    timed_wall += s;
    return s;
  };

  for (int r = 0; r < o.reps; ++r) {
    std::unique_ptr<Topology> tp;
    build.s.push_back(timed([&] {
      tp = std::make_unique<Topology>();
      sim::scenario::build_topology(spec, *tp);
    }));
    Topology& t = *tp;
    checks.count(t.vertex_count(), want_vertices, r, "vertex count");
    checks.count(t.link_count(), want_links, r, "link count");
    checks.count(t.recomputations(), 0, r, "recomputations before the first query");

    const Topology::Vertex drive = must_find(t, target_drive);
    const Topology::Vertex other = must_find(t, sub_name + "/" + enclosure_name(other_enc));
    const Topology::Vertex other_drive = must_find(t, drive_name(other_enc, 0));
    const Topology::Vertex fabric1 = must_find(t, "fabric-1");
    const Topology::Vertex ctl0 = must_find(t, sub_name + "/ctl-0");
    const Topology::Vertex target_encv = must_find(t, sub_name + "/" + enclosure_name(target_enc));
    const Topology::Link ctl0_link = t.find_link(ctl0, target_encv);
    checks.check(ctl0_link != Topology::npos, r, "a link between ctl-0 and the queried drive's enclosure");
    std::vector<Topology::Vertex> many;
    many.reserve(spread.size());
    for (const auto& n : spread) many.push_back(must_find(t, n));

    std::vector<Topology::Path> p;
    std::uint64_t rc = 0;

    // 1. The first query: components computed for the first time.
    first.s.push_back(timed([&] { p = t.paths_to(drive); }));
    checks.count(p.size(), 4, r, "paths to a drive, everything up");
    checks.check(well_formed(t, p), r, "paths are (host port, controller port) pairs");
    checks.count(t.recomputations(), 1, r, "recomputations after the first query");

    // 2. The same query again: the cache.
    cached.s.push_back(timed([&] { p = t.paths_to(drive); }));
    checks.count(p.size(), 4, r, "paths to a drive, cached");
    checks.count(t.recomputations(), 1, r, "recomputations after a cached query");

    // 3. The component computation alone: a change, then an O(1) query.
    bool joined = false;
    recompute.s.push_back(timed([&] {
      t.set_up(other, false);
      joined = t.back_end_joined(ctl0, drive);
    }));
    checks.check(joined, r, "ctl-0 joins the queried drive with another enclosure down");
    checks.count(t.recomputations(), 2, r, "recomputations after a change and back_end_joined");
    t.set_up(other, true);
    checks.count(t.path_count(drive), 4, r, "paths with that enclosure up again");
    rc = t.recomputations();

    // 4. A change, then a query: one recomputation and the query.
    enc_down.s.push_back(timed([&] {
      t.set_up(other, false);
      p = t.paths_to(drive);
    }));
    checks.count(p.size(), 4, r, "paths to a drive with another enclosure down");
    checks.count(t.path_count(other_drive), 0, r, "paths to a drive of the downed enclosure");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after enclosure down + 2 queries");
    rc = t.recomputations();

    enc_up.s.push_back(timed([&] {
      t.set_up(other, true);
      p = t.paths_to(other_drive);
    }));
    checks.count(p.size(), 4, r, "paths to a drive of that enclosure, up again");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after enclosure up + query");
    rc = t.recomputations();

    // 5. One change, then Q queries over all enclosures: one recomputation, Q - 1 cache reads.
    std::size_t total = 0;
    double first_of_many = 0;
    fab_many.s.push_back(timed([&] {
      const auto t0 = Clock::now();
      t.set_up(fabric1, false);
      total += t.path_count(many[0]);
      first_of_many = seconds_since(t0);
      for (std::size_t k = 1; k < many.size(); ++k) total += t.path_count(many[k]);
    }));
    fab_cached.s.push_back(many.size() > 1 ? (fab_many.s.back() - first_of_many) / static_cast<double>(many.size() - 1) : 0);
    checks.count(total, 2 * many.size(), r, "paths summed over the queried drives with fabric-1 down (2 each)");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after fabric down + Q queries");
    std::size_t reached = 0;
    bej_cached.s.push_back(timed([&] {
      for (const Topology::Vertex v : many) reached += t.back_end_joined(ctl0, v) ? 1 : 0;
    }) / static_cast<double>(many.size()));
    checks.count(reached, many.size(), r, "drives joined to ctl-0 through the back end");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after Q back_end_joined");
    t.set_up(fabric1, true);
    checks.count(t.path_count(drive), 4, r, "paths with fabric-1 up again");
    rc = t.recomputations();

    // 6. A controller down.
    ctl_down.s.push_back(timed([&] {
      t.set_up(ctl0, false);
      p = t.paths_to(drive);
    }));
    checks.count(p.size(), 2, r, "paths to a drive with ctl-0 down");
    checks.check(std::none_of(p.begin(), p.end(), [&](const Topology::Path& x) { return t.controller_of(x.controller_port) == ctl0; }), r,
          "no path through the downed controller");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after controller down + query");
    t.set_up(ctl0, true);
    checks.count(t.path_count(drive), 4, r, "paths with ctl-0 up again");
    rc = t.recomputations();

    // 7. A back-end link down: ctl-0 no longer reaches the enclosure (no detour through another
    //    enclosure and ctl-1), so the 2 paths through ctl-0 go.
    link_down.s.push_back(timed([&] {
      t.set_link_up(ctl0_link, false);
      p = t.paths_to(drive);
    }));
    link_paths = p.size();
    checks.count(link_paths, 2, r, "paths with the link ctl-0 -- the drive's enclosure down");
    checks.count(t.recomputations(), rc + 1, r, "recomputations after link down + query");
    t.set_link_up(ctl0_link, true);
    checks.count(t.path_count(drive), 4, r, "paths with the link up again");

    destroy.s.push_back(timed([&] { tp.reset(); }));
  }

  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);

  std::printf("topology: 1 subsystem, %u enclosures x %u drives = %llu drives, 2 controllers x 2 ports, "
              "2 host ports on 2 fabrics\n",
              o.enclosures, o.drives, static_cast<unsigned long long>(drives));
  std::printf("graph: %llu vertices, %llu links; median of %d repetitions (min-max), each on a fresh topology; "
              "Q = %u\n\n",
              static_cast<unsigned long long>(want_vertices), static_cast<unsigned long long>(want_links), o.reps,
              o.queries);
  for (const Series* x : {&build, &first, &cached, &recompute, &enc_down, &enc_up, &fab_many, &fab_cached, &bej_cached, &ctl_down,
                          &link_down, &destroy})
    print(*x);
  std::printf("\npaths to a drive with the link ctl-0 -- its enclosure down: %zu\n", link_paths);
  std::printf("peak RSS: %ld kB (%.1f MiB); CPU/wall over the timed sections: %.2f\n", ru.ru_maxrss,
              static_cast<double>(ru.ru_maxrss) / 1024.0,
              static_cast<double>(timed_cpu) / CLOCKS_PER_SEC / timed_wall);
  std::printf("build_ms=%.3f first_query_ms=%.3f change_query_ms=%.3f change_%u_queries_ms=%.3f peak_rss_kb=%ld checks=%s\n",
              1e3 * median(build.s), 1e3 * median(first.s), 1e3 * median(enc_down.s), o.queries,
              1e3 * median(fab_many.s), ru.ru_maxrss, checks.failures() == 0 ? "ok" : "FAILED");
  if (checks.failures() != 0) {
    std::fprintf(stderr, "bench_topology: %d check(s) failed\n", checks.failures());
    return 1;
  }
  return 0;
}
