// io_timeseries.csv (RunResult::io_timeseries): host I/O per sampling interval, load and
// direction. Interval k holds the completions at (k - 1) dt < t <= k dt, whatever the order of
// events at equal times; its row is written at the sampler's tick k dt (the ticks of
// timeseries.csv), with count 0 and empty latencies when nothing completed.
//
// The exact cases use constant drive latencies, unlimited bandwidth and no think time, so every
// completion time is known by hand; several of them fall exactly on a tick, after the tick's
// own event (a request completing at 1.000 s was scheduled at 0.990 s, the tick at 0 s: it
// fires after the tick), which is where an "as processed" attribution would be off by one.
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"

#include "sim/metrics/run_directory.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace sim;
namespace fs = std::filesystem;

namespace {

using sim::testing::load_ok;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Every file under `dir` (relative path -> bytes); meta.csv without its wall time.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string text = read_file(e.path());
    if (e.path().filename() == "meta.csv") text.erase(text.find("wall_time_s,"));
    out[fs::relative(e.path(), dir).string()] = text;
  }
  return out;
}

/// io_timeseries.csv as write_tables writes it for `r` (empty: not written).
std::string io_timeseries_csv(const runner::RunResult& r, const scenario::ScenarioSpec& spec) {
  const fs::path dir = fs::temp_directory_path() / ("lunsim-io-timeseries-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    auto out = metrics::RunDirectory::create_exact(dir);
    runner::write_tables(r, spec, runner::summarize(r), out);
    out.commit();
  }
  std::string text;
  if (fs::exists(dir / "io_timeseries.csv")) text = read_file(dir / "io_timeseries.csv");
  fs::remove_all(dir);
  return text;
}

/// The rows of one load and kind, in time order.
std::vector<runner::IoTimeseriesRow> series(const runner::RunResult& r, const std::string& load, const std::string& kind) {
  std::vector<runner::IoTimeseriesRow> out;
  for (const auto& row : r.io_timeseries)
    if (row.load == load && row.kind == kind) out.push_back(row);
  return out;
}

/// The rows' count and errors summed per (load, kind) equal io.csv's, summed over targets.
void check_sums_match_io(const runner::RunResult& r) {
  std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, std::uint64_t>> rows, io;
  std::map<std::pair<std::string, std::string>, std::uint64_t> row_bytes, io_bytes;
  for (const auto& row : r.io_timeseries) {
    rows[{row.load, row.kind}].first += row.count;
    rows[{row.load, row.kind}].second += row.errors;
    row_bytes[{row.load, row.kind}] += row.bytes;
  }
  for (const auto& rec : r.io) {
    io[{rec.load, rec.kind}].first += rec.responses.size();
    io[{rec.load, rec.kind}].second += rec.errors;
    io_bytes[{rec.load, rec.kind}] += rec.bytes;
  }
  for (const auto& [key, sums] : io) {
    INFO(key.first << " " << key.second);
    REQUIRE(rows.contains(key));
    CHECK(rows.at(key) == sums);
    CHECK(row_bytes.at(key) == io_bytes.at(key));
  }
}

base::Duration ms(std::int64_t n) { return base::Duration{n * 1'000'000}; }

} // namespace

TEST_CASE("io_timeseries: constant response times give exact rows per interval, zero rows before a start and after the last request") {
  // Three loads, one drive each, 1 MB (10^6 B) requests, interval 1 s, horizon 3 s (events at
  // 3 s still run):
  //   steady: 1 client, reads, 10 ms: completions at 0.01 i s, i = 1..300 (the one at 3.000 s
  //           too): 100 in each of (0,1], (1,2], (2,3] -> iops 100, mb_per_s 100 x 10^6 / 10^6 / 1
  //           = 100, mean = p50 = p99 = max = 0.010000000.
  //   late:   starts at 1.5 s, writes only (read: 0%: no read rows), 20 ms: completions at
  //           1.5 + 0.02 i s: none in (0,1]; i = 1..25 (1.52..2.00) in (1,2]; i = 26..75
  //           (2.02..3.00) in (2,3].
  //   short:  30 reads of 10 ms: completions at 0.01..0.30 s, all in (0,1]; then empty rows.
  const auto spec = load_ok(R"(
name: exact
seed: 3
horizon: 3s
drive_models:
  fast: {capacity: 1TB, bandwidth: unlimited, latency: {dist: constant, value: 10ms}}
  slow: {capacity: 1TB, bandwidth: unlimited, latency: {dist: constant, value: 20ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: fast, count: 2}}
      - {name: slow-shelf, drives: {model: slow, count: 1}}
workload:
  - io: {name: steady, clients: 1, size: 1MB, read: 100%, targets: [shelf/0]}
  - io: {name: late, clients: 1, size: 1MB, read: 0%, start: 1.5s, targets: [slow-shelf/0]}
  - io: {name: short, clients: 1, requests: 30, size: 1MB, read: 100%, targets: [shelf/1]}
metrics: {interval: 1s}
)");
  const runner::RunResult r = runner::run_scenario(spec);

  // Rows: per tick (1, 2, 3 s, as timeseries.csv: one row per subsystem each) the loads in
  // scenario order, read before write, only the directions a load issues.
  REQUIRE(r.timeseries.size() == 3);
  REQUIRE(r.io_timeseries.size() == 9);
  const auto steady = series(r, "steady", "read");
  REQUIRE(steady.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    INFO("steady, interval " << k + 1);
    CHECK(steady[k].time == r.timeseries[k].time);
    CHECK(steady[k].time == base::at(base::Duration{static_cast<std::int64_t>(k + 1) * 1'000'000'000}));
    CHECK(steady[k].count == 100);
    CHECK(steady[k].errors == 0);
    CHECK(steady[k].bytes == 100'000'000);
    CHECK(steady[k].iops == 100.0);
    CHECK(steady[k].mb_per_s == 100.0);
    CHECK(steady[k].mean == ms(10));
    CHECK(steady[k].p50 == ms(10));
    CHECK(steady[k].p99 == ms(10));
    CHECK(steady[k].max == ms(10));
  }
  CHECK(series(r, "late", "read").empty());
  CHECK(series(r, "short", "write").empty());
  const auto late = series(r, "late", "write");
  REQUIRE(late.size() == 3);
  CHECK(late[0].count == 0);
  CHECK(late[1].count == 25);
  CHECK(late[2].count == 50);
  CHECK(late[1].max == ms(20));
  const auto short_reads = series(r, "short", "read");
  REQUIRE(short_reads.size() == 3);
  CHECK(short_reads[0].count == 30);
  CHECK(short_reads[1].count == 0);
  CHECK(short_reads[2].count == 0);
  check_sums_match_io(r);

  // The file, byte for byte: latencies in exact seconds, empty without completions.
  CHECK(io_timeseries_csv(r, spec) ==
        "time_s,load,kind,count,errors,iops,mb_per_s,mean_s,p50_s,p99_s,max_s\n"
        "1.000000000,steady,read,100,0,100,100,0.010000000,0.010000000,0.010000000,0.010000000\n"
        "1.000000000,late,write,0,0,0,0,,,,\n"
        "1.000000000,short,read,30,0,30,30,0.010000000,0.010000000,0.010000000,0.010000000\n"
        "2.000000000,steady,read,100,0,100,100,0.010000000,0.010000000,0.010000000,0.010000000\n"
        "2.000000000,late,write,25,0,25,25,0.020000000,0.020000000,0.020000000,0.020000000\n"
        "2.000000000,short,read,0,0,0,0,,,,\n"
        "3.000000000,steady,read,100,0,100,100,0.010000000,0.010000000,0.010000000,0.010000000\n"
        "3.000000000,late,write,50,0,50,50,0.020000000,0.020000000,0.020000000,0.020000000\n"
        "3.000000000,short,read,0,0,0,0,,,,\n");
}

TEST_CASE("io_timeseries: without a horizon the rows run to the sampler's last tick and sum to io.csv") {
  // 250 reads of 10 ms: completions at 0.01 i s, i = 1..250, the last at 2.5 s. The sampler
  // stops at the first tick with nothing left to run: 3 s. Rows: 100, 100, 50.
  const auto spec = load_ok(R"(
name: no-horizon
seed: 3
drive_models:
  fast: {capacity: 1TB, bandwidth: unlimited, latency: 10ms}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: fast, count: 1}}
workload:
  - io: {name: reads, clients: 1, requests: 250, size: 4KiB, read: 100%, targets: [shelf/0]}
metrics: {interval: 1s}
)");
  const runner::RunResult r = runner::run_scenario(spec);
  REQUIRE(r.io_timeseries.size() == 3);
  CHECK(r.io_timeseries[0].count == 100);
  CHECK(r.io_timeseries[1].count == 100);
  CHECK(r.io_timeseries[2].count == 50);
  CHECK(r.io_timeseries[2].time == base::at(base::Duration{3'000'000'000}));
  CHECK(r.io_timeseries[2].iops == 50.0);
  CHECK(r.io_timeseries[2].mb_per_s == 50.0 * 4096 / 1e6);
  check_sums_match_io(r);
}

namespace {

/// test_fabric.cpp's array: a RAID-5 LUN "data" on SSDs of 1 ms, one reader thinking 9 ms, so
/// requests start at 0, 10 ms, 20 ms, ... and complete 1 ms later; `controllers` controllers,
/// then `topology` (indented under `topology:`). Interval 1 s, horizon 60 s.
std::string array_text(int controllers, const std::string& topology) {
  return "name: t\nseed: 7\nhorizon: 60s\n"
         "drive_models:\n  ssd: {capacity: 1TB, latency: 1ms}\n"
         "subsystems:\n  - name: array\n    management_latency: 0s\n    init: none\n    controllers: " +
         std::to_string(controllers) +
         "\n    enclosures:\n      - {name: shelf-1, drives: {model: ssd, count: 8}}\n"
         "workload:\n  - {at: 0s, op: create_lun, name: data, type: raid5, size: 100GB, drives: 4}\n"
         "  - io: {name: host, clients: 1, think: 9ms, read: 100%, size: 4KiB, targets: [data]}\n"
         "metrics: {interval: 1s}\n"
         "topology:\n" +
         topology;
}

} // namespace

TEST_CASE("io_timeseries: a fail-over stall is a gap in IOPS, then a jump in max latency") {
  // ctl-0 fails at 20.005 s with a 5 s fail-over. Until then 100 completions per second
  // (0.001 + 0.01 m s), each 1 ms. (20,21]: the request of 20.000 s completes at 20.001 s; the
  // one of 20.010 s stalls until 25.005 s and completes at 25.006 s (4.996 s). (21,22] ..
  // (24,25]: nothing. (25,26]: 25.006 + 0.01 m s for m = 0..99: 100 completions, one of
  // 4.996 s and 99 of 1 ms: p50 = p99 (rank 99 of 100) = 1 ms, max 4.996 s, mean
  // (4.996 + 99 x 0.001) / 100 = 0.05095 s. (26,27]: m = 100..199, 100 of 1 ms.
  const auto spec = load_ok(array_text(2, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 40.005s, repair: array/ctl-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const auto rows = series(r, "host", "read");
  REQUIRE(rows.size() == 60);
  CHECK(series(r, "host", "write").empty());
  for (std::size_t k = 0; k < 20; ++k) {
    INFO("interval ending at " << k + 1 << " s");
    CHECK(rows[k].count == 100);
    CHECK(rows[k].max == ms(1));
  }
  CHECK(rows[20].count == 1);  // (20,21]
  CHECK(rows[20].mean == ms(1));
  CHECK(rows[20].max == ms(1));
  for (std::size_t k = 21; k < 25; ++k) {
    INFO("interval ending at " << k + 1 << " s");
    CHECK(rows[k].count == 0);
    CHECK(rows[k].errors == 0);
    CHECK(rows[k].iops == 0.0);
  }
  const runner::IoTimeseriesRow& after = rows[25];  // (25,26]
  CHECK(after.count == 100);
  CHECK(after.iops == 100.0);
  CHECK(after.p50 == ms(1));
  CHECK(after.p99 == ms(1));
  CHECK(after.max == base::Duration{4'996'000'000});
  CHECK(after.mean == base::Duration{50'950'000});
  CHECK(rows[26].count == 100);
  CHECK(rows[26].max == ms(1));
  check_sums_match_io(r);

  const std::string csv = io_timeseries_csv(r, spec);
  CHECK(csv.find("\n22.000000000,host,read,0,0,0,0,,,,\n") != std::string::npos);
  CHECK(csv.find("\n26.000000000,host,read,100,0,100,0.4096,0.050950000,0.001000000,0.001000000,4.996000000\n") !=
        std::string::npos);
}

TEST_CASE("io_timeseries: failed requests count in errors, in the interval they fail in") {
  // One controller: nothing to fail over to, so requests fail at once (in no time) from
  // 20.005 s until the repair at 40.005 s: attempts at 20.010 + 0.009 k s. (20,21]: the 1 ms
  // read completing at 20.001 s, and attempts k = 0..110 (the last at exactly 21.000 s): 111
  // errors. (21,22]: k = 111..221 (21.009 .. 21.999 s): 111 errors, nothing completed.
  const auto spec = load_ok(array_text(1, R"(  failover_delay: 5s
  events:
    - {at: 20.005s, fail: array/ctl-0}
    - {at: 40.005s, repair: array/ctl-0}
)"));
  const runner::RunResult r = runner::run_scenario(spec);
  const auto rows = series(r, "host", "read");
  REQUIRE(rows.size() == 60);
  CHECK(rows[20].count == 1);
  CHECK(rows[20].errors == 111);
  CHECK(rows[21].count == 0);
  CHECK(rows[21].errors == 111);
  CHECK(rows[21].iops == 0.0);
  check_sums_match_io(r);  // 2,222 errors in all (test_fabric.cpp)
  std::uint64_t errors = 0;
  for (const auto& row : rows) errors += row.errors;
  CHECK(errors == 2222);
  CHECK(io_timeseries_csv(r, spec).find("\n22.000000000,host,read,0,111,0,0,,,,\n") != std::string::npos);
}

TEST_CASE("io_timeseries: mixed loads over several targets sum to io.csv per load and kind, and no file without the time series") {
  const std::string text = R"(
name: mixed
seed: 9
horizon: 20s
drive_models:
  hdd: {capacity: 1TB, bandwidth: 200MB/s, latency: {dist: lognormal, median: 4ms, p99: 20ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: hdd, count: 4}}
workload:
  - io: {name: oltp, clients: 8, size: 8KiB, read: 70%, think: {dist: exponential, mean: 5ms}, targets: [shelf]}
  - io: {name: scan, rate: 50/s, size: 1MiB, read: 100%, targets: [shelf/0, shelf/1], stop: 15s}
metrics: {interval: 2s}
)";
  const auto spec = load_ok(text);
  const runner::RunResult r = runner::run_scenario(spec);
  // 10 ticks x (oltp read, oltp write, scan read).
  REQUIRE(r.io_timeseries.size() == 30);
  CHECK(r.io_timeseries[0].load == "oltp");
  CHECK(r.io_timeseries[0].kind == "read");
  CHECK(r.io_timeseries[1].kind == "write");
  CHECK(r.io_timeseries[2].load == "scan");
  for (const auto& row : r.io_timeseries) {
    INFO(row.load << " " << row.kind << " at " << base::format_seconds(row.time));
    if (row.count == 0) continue;
    CHECK(row.p50 <= row.p99);
    CHECK(row.p99 <= row.max);
    CHECK(row.iops == static_cast<double>(row.count) / 2.0);
  }
  // The open loop stops issuing at 15 s: its last interval (18,20] is empty.
  CHECK(r.io_timeseries[29].load == "scan");
  CHECK(r.io_timeseries[29].count == 0);
  check_sums_match_io(r);

  // metrics: {timeseries: false}: neither time series file.
  std::string off = text;
  off.replace(off.find("metrics: {interval: 2s}"), 23, "metrics: {interval: 2s, timeseries: false}");
  const auto spec_off = load_ok(off);
  const runner::RunResult r_off = runner::run_scenario(spec_off);
  CHECK(r_off.io_timeseries.empty());
  CHECK(io_timeseries_csv(r_off, spec_off).empty());
  CHECK(r_off.fingerprint != r.fingerprint);  // (the sampler's own events are gone)

  // RunOptions::tables off (--summary-only): nothing accumulated, and the run is the same.
  runner::RunOptions brief;
  brief.tables = false;
  const runner::RunResult r_brief = runner::run_scenario(spec, brief);
  CHECK(r_brief.io_timeseries.empty());
  CHECK(r_brief.fingerprint == r.fingerprint);
}

TEST_CASE("io_timeseries: every rep-NNN directory has its own, the same bytes for any thread count") {
  const auto spec = load_ok(R"(
name: reps
seed: 4
horizon: 6s
drive_models:
  hdd: {capacity: 1TB, bandwidth: 200MB/s, latency: {dist: exponential, mean: 4ms}}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: hdd, count: 2}}
workload:
  - io: {name: mix, clients: 4, size: 8KiB, read: 50%, think: {dist: exponential, mean: 2ms}, targets: [shelf]}
metrics: {interval: 1s}
)");
  const fs::path tmp = fs::temp_directory_path() / ("lunsim-io-timeseries-reps-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  std::map<std::string, std::string> first;
  for (const unsigned threads : {1u, 2u}) {
    INFO(threads << " threads");
    auto dir = metrics::RunDirectory::create_exact(tmp / std::to_string(threads));
    runner::ReplicatedRunOptions options;
    options.replications = 3;
    options.threads = threads;
    runner::run_replications(spec, options, {"test", "test"}, dir);
    dir.commit();
    const auto files = files_under(tmp / std::to_string(threads));
    CHECK(!files.contains("io_timeseries.csv"));  // as timeseries.csv: per replication only
    for (const char* rep : {"rep-001", "rep-002", "rep-003"}) {
      INFO(rep);
      REQUIRE(files.contains(std::string(rep) + "/io_timeseries.csv"));
      CHECK(files.contains(std::string(rep) + "/timeseries.csv"));
    }
    CHECK(files.at("rep-001/io_timeseries.csv") != files.at("rep-002/io_timeseries.csv"));
    if (threads == 1) first = files;
    else CHECK(files == first);
  }
  // rep-001 is the plain run of the same seed.
  const runner::RunResult plain = runner::run_scenario(spec);
  CHECK(first.at("rep-001/io_timeseries.csv") == io_timeseries_csv(plain, spec));
  fs::remove_all(tmp);
}

TEST_CASE("a closed loop of 10^11 requests cut by a 1 s horizon runs (no reservation for every request)") {
  // The response samples were reserved for clients x requests (8 x 10^11 values: bad_alloc at the
  // first response); now for at most 2^22 values, the rest grown as needed. The horizon ends it.
  const auto spec = load_ok(R"(
name: huge-requests
horizon: 1s
drive_models:
  d: {capacity: 100GB, bandwidth: unlimited, latency: {dist: constant, value: 10ms}}
subsystems:
  - name: a
    init: none
    enclosures: [{name: e, drives: {model: d, count: 4}}]
metrics: {timeseries: false}
workload:
  - io: {name: load, clients: 8, requests: 100000000000, size: 4KiB, read: 100%, targets: [e]}
)");
  const runner::RunResult r = runner::run_scenario(spec);
  std::uint64_t completed = 0;
  for (const auto& io : r.io) completed += io.responses.size();
  // 8 clients, each one 10 ms request at a time on its own drive queue or behind another: at
  // most 100 completions per client in 1 s, and some certainly complete.
  CHECK(completed > 0);
  CHECK(completed <= 800);
}

namespace {

/// Counts the rows it is given and keeps the last of each kind, nothing more.
struct CountingSink final : runner::SeriesSink {
  std::uint64_t series = 0, io = 0;
  runner::TimeseriesRow last_series;
  runner::IoTimeseriesRow last_io;
  void add(const runner::TimeseriesRow& row) override {
    ++series;
    last_series = row;
  }
  void add(const runner::IoTimeseriesRow& row) override {
    ++io;
    last_io = row;
  }
};

} // namespace

TEST_CASE("time series stream: a sink gets every row in order, the result keeps none, and the files are the same bytes") {
  // 2 h at a 1 s interval: 7200 ticks, one subsystem, one load issuing reads and writes.
  const std::string text = R"(
name: long
seed: 5
horizon: 2h
drive_models:
  hdd: {capacity: 1TB, bandwidth: 200MB/s, latency: 4ms}
subsystems:
  - name: array
    enclosures:
      - {name: shelf, drives: {model: hdd, count: 2}}
workload:
  - io: {name: trickle, rate: 2/s, size: 4KiB, read: 50%, targets: [shelf]}
)";
  const auto spec = load_ok(text);
  const runner::RunResult kept = runner::run_scenario(spec);
  REQUIRE(kept.timeseries.size() == 7200);
  REQUIRE(kept.io_timeseries.size() == 2 * 7200);
  CHECK_FALSE(kept.series_streamed);

  CountingSink sink;
  runner::RunOptions options;
  options.series = &sink;
  const runner::RunResult streamed = runner::run_scenario(spec, options);
  CHECK(streamed.series_streamed);
  CHECK(streamed.timeseries.empty());
  CHECK(streamed.io_timeseries.empty());
  CHECK(sink.series == 7200);
  CHECK(sink.io == 2 * 7200);
  CHECK(sink.last_series.time == kept.timeseries.back().time);
  CHECK(sink.last_io.time == kept.io_timeseries.back().time);
  CHECK(sink.last_io.kind == "write");
  CHECK(streamed.fingerprint == kept.fingerprint);

  // Without tables nothing reaches the sink (nothing would write it).
  CountingSink unused;
  options.series = &unused;
  options.tables = false;
  runner::run_scenario(spec, options);
  CHECK(unused.series == 0);
  CHECK(unused.io == 0);

  // `lunsim run`'s path (SeriesCsv during the run, write_tables after) writes the bytes that
  // writing the kept rows gives.
  const fs::path base = fs::temp_directory_path() / ("lunsim-series-stream-" + std::to_string(::getpid()));
  fs::remove_all(base);
  {
    auto dir = metrics::RunDirectory::create_exact(base / "kept");
    runner::write_tables(kept, spec, runner::summarize(kept), dir);
    dir.commit();
  }
  {
    auto dir = metrics::RunDirectory::create_exact(base / "streamed");
    runner::SeriesCsv csv(spec, dir);
    runner::RunOptions o;
    o.series = &csv;
    const runner::RunResult r = runner::run_scenario(spec, o);
    runner::write_tables(r, spec, runner::summarize(r), dir);
    dir.commit();
  }
  CHECK(files_under(base / "kept") == files_under(base / "streamed"));
  fs::remove_all(base);
}
