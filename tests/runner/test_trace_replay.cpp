// Trace loads (`io: {trace: FILE, ...}`): the trace's requests replayed with their sizes and
// offsets, at their recorded times (scaled by `speed`) or closed loop per device (`depth`), each
// counted once in replays.csv as replayed, skipped (beyond its target) or cut (horizon).
//
// Exact times: drives of constant latency 1 ms and bandwidth 10^8 B/s, so a 4096-byte request is
// served in 1 ms + 40.96 us = 1.04096 ms and a 8192-byte one in 1.08192 ms; one drive serves one
// request at a time, FIFO.
#include "sim/runner/run.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace sim;
namespace fs = std::filesystem;
using sim::testing::load_ok;

namespace {

struct TraceFile {
  fs::path path;
  explicit TraceFile(const std::string& text, const std::string& name = "t.log") {
    path = fs::temp_directory_path() / ("lunsim-replay-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
  }
  ~TraceFile() { fs::remove(path); }
};

/// A scenario of one array (shelf: 2 drives of 1 MB, see the file comment) replaying `trace`
/// with the load keys `keys` (after `trace:`), horizon `horizon`.
std::string scenario_text(const fs::path& trace, const std::string& keys, const std::string& horizon = "1s") {
  return "name: replay\nhorizon: " + horizon + R"(
drive_models:
  d: {capacity: 1MB, bandwidth: 100MB/s, latency: {dist: constant, value: 1ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: d, count: 2}}
workload:
  - io: {name: replay, trace: )" + trace.string() + ", " + keys + "}\n";
}

base::Duration ns(std::int64_t n) { return base::Duration{n}; }

const runner::IoRecord& io_of(const runner::RunResult& r, const std::string& target, const std::string& kind) {
  for (const auto& rec : r.io)
    if (rec.target == target && rec.kind == kind) return rec;
  FAIL("no io record for " << target << " " << kind);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("a recorded fio trace replays at its timestamps: queueing behind earlier requests, sizes and offsets kept",
          "[runner][trace]") {
  // t = 0: read 4096 -> 0 .. 1.04096 ms; t = 0.5 ms: write 8192, waits, 1.04096 .. 2.12288 ms
  // (response 1.62288 ms); t = 5 ms: read 4096 on the other device's drive, 5 .. 6.04096 ms.
  const TraceFile t("fio version 3 iolog\n"
                    "1 /dev/a add\n"
                    "0 /dev/a read 0 4096\n"
                    "500 /dev/a write 4096 8192\n"
                    "5000 /dev/b read 65536 4096\n");
  const auto spec = load_ok(scenario_text(t.path, "format: fio, map: {/dev/a: shelf/0, /dev/b: shelf/1}"));
  REQUIRE(spec.io[0].trace);
  CHECK(spec.io[0].trace->records == 3);
  CHECK(spec.io[0].trace->devices == std::vector<std::string>{"/dev/a", "/dev/b"});
  const runner::RunResult r = runner::run_scenario(spec);
  const auto& read0 = io_of(r, "shelf/0", "read");
  const auto& write0 = io_of(r, "shelf/0", "write");
  const auto& read1 = io_of(r, "shelf/1", "read");
  CHECK(read0.responses.quantile_ns(10000) == 1'040'960);
  CHECK(write0.responses.quantile_ns(10000) == 1'622'880);
  CHECK(write0.bytes == 8192);
  CHECK(read1.responses.quantile_ns(10000) == 1'040'960);
  CHECK(read1.first_start == base::at(ns(5'000'000)));
  REQUIRE(r.replays.size() == 1);
  const runner::ReplayRecord& rep = r.replays[0];
  CHECK(rep.records == 3);
  CHECK(rep.replayed == 3);
  CHECK(rep.skipped == 0);
  CHECK(rep.cut == 0);
  CHECK(rep.bytes == 4096 + 8192 + 4096);
  CHECK(rep.format == "fio");
  CHECK(rep.timing == "recorded");
}

TEST_CASE("speed 2 replays a recorded trace twice as fast, the horizon cuts what it does not reach, and a request "
          "beyond its target is skipped", "[runner][trace]") {
  // speed 2: the write at 0.25 ms (waits until 1.04096: response 1.87288 ms), the read on /dev/b
  // at 2.5 ms; horizon 2.4 ms: /dev/b's read is cut; the read at 1046528 does not fit in 1 MB: skipped.
  const TraceFile t("fio version 3 iolog\n"
                    "0 /dev/a read 0 4096\n"
                    "100 /dev/a read 1046528 4096\n"
                    "500 /dev/a write 4096 8192\n"
                    "5000 /dev/b read 65536 4096\n");
  const auto spec = load_ok(scenario_text(t.path, "format: fio, speed: 2, map: {\"*\": shelf/0}", "2400us"));
  const runner::RunResult r = runner::run_scenario(spec);
  CHECK(io_of(r, "shelf/0", "write").responses.quantile_ns(10000) == 1'872'880);
  const runner::ReplayRecord& rep = r.replays.at(0);
  CHECK(rep.records == 4);
  CHECK(rep.replayed == 2);
  CHECK(rep.skipped == 1);
  CHECK(rep.cut == 1);

  // A request in flight at the horizon is cut too: horizon 2 ms, the write ends at 2.12288 ms.
  const auto short_spec = load_ok(scenario_text(t.path, "format: fio, speed: 2, map: {\"*\": shelf/0}", "2ms"));
  const runner::RunResult s = runner::run_scenario(short_spec);
  CHECK(s.replays.at(0).replayed == 1);
  CHECK(s.replays.at(0).skipped == 1);
  CHECK(s.replays.at(0).cut == 2);
}

TEST_CASE("a closed-loop replay issues each device's requests in order, depth of them in flight", "[runner][trace]") {
  // Three 4096-byte reads on one drive: depth 1 serves them back to back (each 1.04096 ms,
  // the last ending at 3.12288 ms); depth 2 issues two at once (responses 1.04096 and 2.08192 ms),
  // the third when the first completes (1.04096 .. 3.12288 ms: 2.08192 ms).
  const TraceFile t("fio version 3 iolog\n"
                    "0 /dev/a read 0 4096\n"
                    "90000 /dev/a read 8192 4096\n"
                    "900000 /dev/a read 16384 4096\n");
  {
    const runner::RunResult r = runner::run_scenario(load_ok(scenario_text(t.path, "format: fio, timing: closed, map: {/dev/a: shelf/0}")));
    const auto& rec = io_of(r, "shelf/0", "read");
    CHECK(rec.responses.size() == 3);
    CHECK(rec.responses.quantile_ns(0) == 1'040'960);
    CHECK(rec.responses.quantile_ns(10000) == 1'040'960);
    CHECK(rec.last_end == base::at(ns(3'122'880)));
  }
  {
    const runner::RunResult r =
        runner::run_scenario(load_ok(scenario_text(t.path, "format: fio, timing: closed, depth: 2, map: {/dev/a: shelf/0}")));
    const auto& rec = io_of(r, "shelf/0", "read");
    CHECK(rec.responses.size() == 3);
    CHECK(rec.responses.quantile_ns(0) == 1'040'960);
    CHECK(rec.responses.quantile_ns(10000) == 2'081'920);
    CHECK(rec.last_end == base::at(ns(3'122'880)));
    CHECK(r.replays.at(0).replayed == 3);
    CHECK(r.replays.at(0).timing == "closed");
  }
}

TEST_CASE("an MSR Cambridge trace replays onto a RAID LUN once it is created", "[runner][trace]") {
  const TraceFile t("128166372003061629,hm,1,Read,0,4096,1290\n"
                    "128166372003161629,hm,1,Write,8192,4096,7048\n",
                    "hm_1.csv");
  const auto spec = load_ok("name: msr\nhorizon: 1s\n" + std::string(R"(
drive_models:
  d: {capacity: 1GB, bandwidth: 100MB/s, latency: {dist: constant, value: 1ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: d, count: 4}}
workload:
  - {op: create_lun, name: lun-a, type: raid5, size: 64MB, drives: 4}
  - io: {name: replay, trace: )") + t.path.string() + ", format: msr, map: {hm_1: lun-a}}\n");
  const runner::RunResult r = runner::run_scenario(spec);
  const runner::ReplayRecord& rep = r.replays.at(0);
  CHECK(rep.records == 2);
  CHECK(rep.replayed == 2);
  CHECK(rep.bytes == 8192);
  CHECK(io_of(r, "lun-a", "read").responses.size() == 1);
  CHECK(io_of(r, "lun-a", "write").responses.size() == 1);
  // The load starts when lun-a's creation completes; the write comes 10 ms (10^5 ticks) later.
  CHECK(io_of(r, "lun-a", "write").first_start - io_of(r, "lun-a", "read").first_start == ns(10'000'000));
}
