// The HTML report (reports/html_report.hpp) from small fixed run directories written here:
// which charts appear for which files, exact fragments of what they draw, escaping of every
// user-provided string, the downsampling bound, replications (rep-001), the comparison table,
// and malformed input (InputError naming the file and column).
#include "reports/html_report.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace sim::reports;

namespace {

/// A run directory in a fresh temporary folder, filled file by file.
struct Dir {
  fs::path path;
  explicit Dir(const std::string& name) {
    path = fs::temp_directory_path() / ("lunsim-html-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  void write(const std::string& file, const std::string& text) const {
    fs::create_directories((path / file).parent_path());
    std::ofstream(path / file, std::ios::binary) << text;
  }
  /// meta.csv and summary.csv: the files every run directory has.
  void basics(const std::string& scenario = "demo", const std::string& prefix = "") const {
    write(prefix + "meta.csv", "key,value\ncsv_schema,1\nscenario_name," + scenario +
                                   "\nseed,7\nreplications,1\nsim_end_s,10.000000000\nhorizon_s,10.000000000\nlunsim_version,0.1.0\n");
    write(prefix + "summary.csv", "metric,unit,better,n,mean,p50,p90,p99,max\nio.read.response,s,lower,3,0.002,0.002,0.003,"
                                  "0.003,0.003\n");
    write(prefix + "replications.csv",
          "replication,seed,metric,unit,better,n,mean,p50,p90,p99\n0,7,io.read.response,s,lower,3,0.002,0.002,0.003,0.003\n");
  }
};

std::string report(const Dir& d, HtmlReportOptions o = {}) {
  std::ostringstream out;
  write_html_report(out, d.path, o);
  return out.str();
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

} // namespace

TEST_CASE("a report of a run with only meta.csv and summary.csv is a complete page with the summary table") {
  Dir d("basic");
  d.basics();
  const std::string html = report(d);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(html.ends_with("</html>\n"));
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);  // nothing fetched: no URL at all
  CHECK(html.find("<caption>summary.csv</caption>") != std::string::npos);
  CHECK(html.find("<td>io.read.response</td><td>s</td><td>3</td><td>2 ms</td>") != std::string::npos);
  CHECK(html.find("No latency.csv") != std::string::npos);
  CHECK(count(html, "<figure class=\"chart\"") == 0);
}

TEST_CASE("latency CDFs per kind from latency.csv, one step series per load and target") {
  Dir d("latency");
  d.basics();
  d.write("latency.csv", "source,load,target,kind,quantile,latency_s\n"
                         "io,oltp,db,read,0,0.001\nio,oltp,db,read,0.5,0.002\nio,oltp,db,read,1,0.004\n"
                         "io,oltp,db,write,0,0.003\nio,oltp,db,write,1,0.005\n"
                         "op,,,create_lun,0,1.5\nop,,,create_lun,1,2.5\n");
  const std::string html = report(d);
  CHECK(html.find("data-chart=\"latency-read\"") != std::string::npos);
  CHECK(html.find("data-chart=\"latency-write\"") != std::string::npos);
  CHECK(html.find("data-chart=\"latency-op\"") != std::string::npos);
  CHECK(html.find("Host I/O reads: response-time CDF") != std::string::npos);
  CHECK(html.find("oltp \u2192 db") != std::string::npos);
  CHECK(html.find("create_lun") != std::string::npos);
  CHECK(count(html, "<svg") >= 3);
}

TEST_CASE("the jobs Gantt colours by status, or by verdict where a fault fired, with tooltips") {
  Dir d("jobs");
  d.basics();
  d.write("ops.csv", "op_id,op,target,name,submitted_s,started_s,completed_s,latency_s,status,op_hresult,fault,verdict\n"
                     "1,create_lun,a,db,0,0.000000000,2.000000000,2,ok,S_OK,,\n"
                     "2,create_lun,a,bad,0,1.000000000,,,in_flight,,never_completes,hang\n"
                     "3,delete_lun,a,gone,0,,,,skipped,,,\n");
  const std::string html = report(d);
  CHECK(html.find("data-chart=\"jobs\"") != std::string::npos);
  CHECK(html.find("create_lun db: ok, S_OK, 2 s") != std::string::npos);
  // In flight at the end: the bar runs to the simulated end (10 s), coloured as a hang.
  CHECK(html.find("create_lun bad: in_flight, fault never_completes, verdict hang, 9 s") != std::string::npos);
  CHECK(html.find("bad [never_completes]") != std::string::npos);
  CHECK(html.find(">gone<") == std::string::npos);  // never started: no row
  CHECK(html.find("coloured by verdict where an errant-provider fault fired") != std::string::npos);
}

TEST_CASE("the drive timeline follows failures, replacements, spares, rebuilds and outages per slot") {
  Dir d("drives");
  d.basics();
  d.write("drives.csv", "drive,subsystem,enclosure,hot_spare\ns/0,a,s,false\ns/1,a,s,false\ns/2,a,s,false\n");
  d.write("events.csv", "time_s,event,object_type,object,object_id,detail\n"
                        "1.000000000,VDS_NF_DRIVE_MODIFY,VDS_OT_DRIVE,a/s/0,{X},status=VDS_DRS_FAILED health=VDS_H_FAILED\n"
                        "2.000000000,VDS_NF_DRIVE_DEPART,VDS_OT_DRIVE,a/s/0,{X},replaced\n"
                        "2.000000000,VDS_NF_DRIVE_ARRIVE,VDS_OT_DRIVE,a/s/0#2,{Y},replacement of s/0\n"
                        "2.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/0#2,{Y},rebuild=start lun=db\n"
                        "5.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/0#2,{Y},rebuild=end lun=db\n"
                        "3.000000000,VDS_NF_DRIVE_REMOVED,VDS_OT_DRIVE,a/s/1,{Z},status=VDS_DRS_OFFLINE\n");
  const std::string html = report(d);
  CHECK(html.find("data-chart=\"drives\"") != std::string::npos);
  // Two slots changed (s/2 stayed online and has no row); s/0 keeps one row through #2.
  CHECK(html.find(">a/s/0<") != std::string::npos);
  CHECK(html.find(">a/s/1<") != std::string::npos);
  CHECK(html.find(">a/s/2<") == std::string::npos);
  CHECK(html.find("a/s/0#2") == std::string::npos);
  // The segments of each row, exactly (each bar's tooltip): the slot through its replacement.
  for (const char* bar : {"<title>a/s/0: online, 0 s – 1 s</title>", "<title>a/s/0: failed, 1 s – 2 s</title>",
                          "<title>a/s/0: rebuilding, 2 s – 5 s</title>", "<title>a/s/0: online, 5 s – 10 s</title>",
                          "<title>a/s/1: online, 0 s – 3 s</title>", "<title>a/s/1: offline, 3 s – 10 s</title>"})
    CHECK(html.find(bar) != std::string::npos);
}

TEST_CASE("queue depth and utilisation per subsystem from timeseries.csv, paths per LUN from path rows") {
  Dir d("queues");
  d.basics();
  d.write("timeseries.csv", "time_s,subsystem,mean_queue_depth,max_queue_depth,utilization\n"
                            "1.000000000,a,0.5,2,0.25\n2.000000000,a,1.5,4,0.75\n");
  d.write("events.csv", "time_s,event,object_type,object,object_id,detail\n"
                        "0.000000000,LUNSIM_NF_PATH_MODIFY,VDS_OT_LUN,a/lun1,{L},online=2 standby=2 failed=0 paths=x\n"
                        "4.000000000,LUNSIM_NF_PATH_MODIFY,VDS_OT_LUN,a/lun1,{L},online=1 standby=1 failed=2 paths=x\n");
  const std::string html = report(d);
  CHECK(html.find("data-chart=\"queue-depth\"") != std::string::npos);
  CHECK(html.find("data-chart=\"utilization\"") != std::string::npos);
  CHECK(html.find("data-chart=\"paths\"") != std::string::npos);
  CHECK(html.find("a/lun1 online + standby") != std::string::npos);
}

TEST_CASE("the survival curve: fraction of replications without loss by t, with its Clopper–Pearson band") {
  Dir d("survival");
  d.basics();
  d.write("reliability.csv", "replication,seed,first_loss_s\n0,1,\n1,1,4.000000000\n2,1,\n3,1,8.000000000\n");
  const std::string html = report(d);
  CHECK(html.find("data-chart=\"survival\"") != std::string::npos);
  CHECK(html.find("4 replications, 2 with a loss") != std::string::npos);
  // Golden fragments (plot area 644 x 226 px, y from 0 to 1, x from 0 to the 10 s horizon): the
  // curve steps 1 -> 3/4 at 4 s (56.5 px down) -> 1/2 at 8 s (113 px); the band is the exact
  // Clopper–Pearson interval of k survivors in 4: k = 4: [0.3976, 1], k = 3: [0.1941, 0.9937],
  // k = 2: [0.0676, 0.9324] (0.9937 -> 1.43 px, 0.1941 -> 182.13 px, ...).
  CHECK(html.find("<path d=\"M0 0H257.6V56.5H515.2V113H644V113\"") != std::string::npos);
  CHECK(html.find("<path d=\"M0 0L257.6 0L257.6 1.43L515.2 1.43L515.2 15.27L644 15.27L644 15.27L644 210.73L644 210.73"
                  "L515.2 210.73L515.2 182.13L257.6 182.13L257.6 136.13L0 136.13Z\"") != std::string::npos);
}

TEST_CASE("a run with replications shows its first replication's per-run data and says so") {
  Dir d("reps");
  d.basics();
  d.basics("demo", "rep-001/");
  d.write("rep-001/ops.csv", "op,name,started_s,completed_s,status\ncreate_lun,db,0,1,ok\n");
  const std::string html = report(d);
  CHECK(html.find("replication 1 (rep-001)") != std::string::npos);
  CHECK(html.find("Management operations (replication 1)") != std::string::npos);
}

TEST_CASE("every user-provided string is escaped: a scenario named <script> renders as text") {
  Dir d("escape");
  d.basics("<script>alert(1)</script>");
  d.write("ops.csv", "op,name,started_s,completed_s,status\ncreate_lun,<img src=x onerror=alert(2)>,0,1,ok\n");
  d.write("latency.csv", "source,load,target,kind,quantile,latency_s\nio,\"a&b\",<t>,read,0,0.001\nio,\"a&b\",<t>,read,1,0.002\n");
  const std::string html = report(d);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<t>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  CHECK(html.find("a&amp;b") != std::string::npos);
}

TEST_CASE("long time series are downsampled to the point budget, and the chart says so") {
  Dir d("large");
  d.basics();
  std::string ts = "time_s,subsystem,mean_queue_depth,max_queue_depth,utilization\n";
  for (int i = 1; i <= 20000; ++i)
    ts += std::to_string(i) + ".000000000,a," + std::to_string(i % 7) + "," + std::to_string(i % 11) + ",0.5\n";
  d.write("timeseries.csv", ts);
  HtmlReportOptions o;
  o.max_points = 500;
  const std::string html = report(d, o);
  CHECK(html.find("downsampled") != std::string::npos);
  // Three series of 20,000 points at most 500 points each: far below the raw size.
  CHECK(html.size() < 120'000);
}

TEST_CASE("with --compare: both runs' headers, dashed overlays and the comparison table") {
  Dir a("cmp-a"), b("cmp-b");
  a.basics("A");
  b.basics("B");
  const std::string lat = "source,load,target,kind,quantile,latency_s\nio,l,t,read,0,0.001\nio,l,t,read,1,0.002\n";
  a.write("latency.csv", lat);
  b.write("latency.csv", lat);
  HtmlReportOptions o;
  o.compare = b.path;
  const std::string html = report(a, o);
  CHECK(html.find("<caption>run: ") != std::string::npos);
  CHECK(html.find("<caption>other: ") != std::string::npos);
  CHECK(html.find("l \u2192 t (other, dashed)") != std::string::npos);
  CHECK(html.find("comparison (lunsim compare)") != std::string::npos);
  CHECK(html.find("<td>io.read.response</td>") != std::string::npos);
}

TEST_CASE("malformed run directories are InputErrors naming the file and the column") {
  SECTION("no such directory") {
    std::ostringstream out;
    CHECK_THROWS_WITH(write_html_report(out, "/nonexistent/lunsim-run"), Catch::Contains("no such run directory"));
  }
  SECTION("no meta.csv") {
    Dir d("nometa");
    d.write("summary.csv", "metric,unit,n,mean\n");
    CHECK_THROWS_WITH(report(d), Catch::Contains("meta.csv: cannot read"));
  }
  SECTION("a missing column") {
    Dir d("nocol");
    d.basics();
    d.write("timeseries.csv", "time_s,subsystem\n1,a\n");
    CHECK_THROWS_WITH(report(d), Catch::Contains("timeseries.csv:1: missing column 'mean_queue_depth'"));
  }
  SECTION("a non-number") {
    Dir d("nan");
    d.basics();
    d.write("latency.csv", "source,load,target,kind,quantile,latency_s\nio,l,t,read,0,fast\n");
    CHECK_THROWS_WITH(report(d), Catch::Contains("latency.csv:2: column 'latency_s': 'fast' is not a number"));
  }
  SECTION("a truncated CSV") {
    Dir d("trunc");
    d.basics();
    d.write("ops.csv", "op,name,started_s,completed_s,status\ncreate_lun,\"db,0,1,ok\n");
    CHECK_THROWS_WITH(report(d), Catch::Contains("ops.csv:2: unterminated quoted field"));
  }
}

TEST_CASE("a run of 10^5 management operations keeps the file small: the Gantt keeps every failure, samples the rest, and says so") {
  Dir d("many-ops");
  d.basics();
  std::string ops = "op,name,started_s,completed_s,status\n";
  for (int i = 0; i < 100000; ++i)
    ops += "create_lun,l" + std::to_string(i) + "," + std::to_string(i) + ".000000000," + std::to_string(i + 2) + ".000000000,ok\n";
  ops += "create_lun,late-failure,100000.000000000,100001.000000000,failed\n";
  d.write("ops.csv", ops);
  const std::string html = report(d);
  CHECK(html.find("showing 60 of 100,001 operations: the failed or faulted ones first (1), then evenly spaced others") !=
        std::string::npos);
  CHECK(html.find(">late-failure<") != std::string::npos);  // the failure is never cut
  CHECK(html.find(">l0<") != std::string::npos);            // nor the start of the run
  CHECK(html.size() < 200'000);
}

TEST_CASE("drive timeline: a rebuild target that fails stays failed, a rebuild ends only with the last one, a spare from the start is a spare") {
  Dir d("drives2");
  d.basics();
  d.write("drives.csv", "drive,subsystem,enclosure,hot_spare\ns/0,a,s,false\ns/9,a,s,false\n");
  d.write("events.csv", "time_s,event,object_type,object,object_id,detail\n"
                        // s/9 was a spare from the start (no event) until taken at 1 s
                        "1.000000000,VDS_NF_DRIVE_MODIFY,VDS_OT_DRIVE,a/s/9,{S},flags=0 (hot spare taken for s/0)\n"
                        "1.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/9,{S},rebuild=start lun=x\n"
                        "1.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/9,{S},rebuild=start lun=y\n"
                        "2.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/9,{S},rebuild=end lun=x\n"
                        "3.000000000,VDS_NF_DRIVE_MODIFY,VDS_OT_DRIVE,a/s/9,{S},status=VDS_DRS_FAILED health=VDS_H_FAILED\n"
                        "3.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/9,{S},rebuild=end lun=y\n");
  const std::string html = report(d);
  for (const char* bar : {"<title>a/s/9: spare, 0 s \u2013 1 s</title>", "<title>a/s/9: rebuilding, 1 s \u2013 3 s</title>",
                          "<title>a/s/9: failed, 3 s \u2013 10 s</title>"})
    CHECK(html.find(bar) != std::string::npos);
  CHECK(html.find("a/s/9: online") == std::string::npos);
}

TEST_CASE("with --compare, the comparison's warnings are on the page") {
  Dir a("w-a"), b("w-b");
  a.basics("A");
  b.basics("B");
  a.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,A\nscenario_sha256,aaa\nseed,7\nreplications,1\nsim_end_s,1\n");
  b.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,B\nscenario_sha256,bbb\nseed,7\nreplications,1\nsim_end_s,1\n");
  HtmlReportOptions o;
  o.compare = b.path;
  const std::string html = report(a, o);
  CHECK(html.find("<p class=\"warning\">warning: ") != std::string::npos);
}

// ---- issue 23: latency over time, intervals, fitted axes, names, short states, sweeps ---------

namespace {

/// The `<figure>` of the first chart named `name` (data-chart), or "".
std::string figure_of(const std::string& html, const std::string& name) {
  const std::size_t at = html.find("data-chart=\"" + name + "\"");
  if (at == std::string::npos) return "";
  return html.substr(at, html.find("</figure>", at) - at);
}

} // namespace

TEST_CASE("latency over time per load from io_timeseries.csv: mean, p99 and max with gaps, IOPS on its own chart") {
  Dir d("io-ts");
  d.basics();
  // Reads every second for 4 s; nothing completes in (1 s, 2 s] (a fail-over stall): a gap.
  d.write("io_timeseries.csv", "time_s,load,kind,count,errors,iops,mb_per_s,mean_s,p50_s,p99_s,max_s\n"
                               "1.000000000,oltp,read,10,0,10,0.04,0.001,0.001,0.002,0.002\n"
                               "2.000000000,oltp,read,0,0,0,0,,,,\n"
                               "3.000000000,oltp,read,20,0,20,0.08,0.003,0.002,0.004,0.004\n"
                               "4.000000000,oltp,read,10,0,10,0.04,0.001,0.001,0.002,0.002\n");
  const std::string html = report(d);
  const std::string lat = figure_of(html, "latency-over-time");
  const std::string ops = figure_of(html, "iops-over-time");
  INFO(lat);
  REQUIRE(!lat.empty());
  REQUIRE(!ops.empty());
  CHECK(lat.find("data-load=\"oltp\"") != std::string::npos);
  CHECK(lat.find("Response time over time: oltp") != std::string::npos);
  for (const char* name : {"<title>read mean</title>", "<title>read p99</title>", "<title>read max</title>"})
    CHECK(lat.find(name) != std::string::npos);
  CHECK(lat.find("gaps: intervals in which no request completed (count 0), not zero latency") != std::string::npos);
  // Golden: the plot is 638 x 214 px; x from 1 to 4 s (212.67 px per second), y fitted to the
  // means, p99 and max (1 ms .. 4 ms: within a factor of 3 of 0, so from 0 to 4 ms, 53.5 px per
  // ms). The mean is a dot at 1 s (alone before the gap), then a line from 3 s to 4 s: nothing
  // at 2 s, and no point at 0 ms (y = 214 px).
  CHECK(lat.find("<circle cx=\"0\" cy=\"160.5\" r=\"1.5\" fill=\"#0072B2\"/>") != std::string::npos);
  CHECK(lat.find("<path d=\"M425.33 53.5L638 160.5\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"1.5\" "
                 "stroke-linejoin=\"round\"><title>read mean</title>") != std::string::npos);
  CHECK(lat.find(" 214") == std::string::npos);
  CHECK(lat.find(">read max: identical to read p99 (drawn over it)</text>") != std::string::npos);
  // IOPS: 0 in the stall is a value (a dip to 0), drawn through.
  CHECK(ops.find("<title>read IOPS</title>") != std::string::npos);
  CHECK(ops.find("Throughput over time: oltp") != std::string::npos);
  // The page has the section and a log scale only when the values span more than two decades.
  CHECK(html.find("<h2>Host I/O over time</h2>") != std::string::npos);
  CHECK(lat.find("log scale") == std::string::npos);
  d.write("io_timeseries.csv", "time_s,load,kind,count,errors,iops,mb_per_s,mean_s,p50_s,p99_s,max_s\n"
                               "1.000000000,oltp,write,10,2,10,0.04,0.001,0.001,0.002,0.002\n"
                               "2.000000000,oltp,write,5,0,5,0.02,11.5,10.5,29.4,30\n");
  const std::string stall = report(d);
  CHECK(figure_of(stall, "latency-over-time").find("; log scale") != std::string::npos);
  CHECK(figure_of(stall, "iops-over-time").find("<title>write errors/s</title>") != std::string::npos);
}

TEST_CASE("a replicated run: intervals in the summary table, bands from the other replications, and captions that say so") {
  Dir d("rep-bands");
  d.basics();
  d.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,demo\nseed,7\nreplications,3\nsim_end_s,10.000000000\n");
  d.write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99,max,ci95_low,ci95_high\n"
                         "io.read.response,s,lower,30,0.03241,0.03,0.04,0.05,0.06,0.03182,0.03300\n"
                         "drive.utilization,ratio,none,3,0.007941,0.0079,0.008,0.008,0.008,0.007897,0.007984\n");
  for (int k = 1; k <= 3; ++k) {
    const std::string rep = "rep-00" + std::to_string(k) + "/";
    d.basics("demo", rep);
    const std::string shift = std::to_string(k);  // replication k: latencies k ms, 2k ms
    d.write(rep + "latency.csv", "source,load,target,kind,quantile,latency_s\nio,l,t,read,0,0.00" + shift +
                                     "\nio,l,t,read,0.5,0.00" + std::to_string(2 * k) + "\nio,l,t,read,1,0.00" +
                                     std::to_string(2 * k + 1) + "\n");
    d.write(rep + "timeseries.csv", "time_s,subsystem,mean_queue_depth,max_queue_depth,utilization\n"
                                    "1.000000000,a,1,2,0.00" + shift + "\n2.000000000,a,2,3,0.00" + shift + "5\n");
  }
  const std::string html = report(d);
  // The summary table: mean [interval], rounded to the interval.
  CHECK(html.find("<td>32.4 [31.8, 33.0] ms</td>") != std::string::npos);
  CHECK(html.find("<td>0.00794 [0.00790, 0.00798]</td>") != std::string::npos);
  CHECK(html.find("<th>mean [95 % interval]</th>") != std::string::npos);
  CHECK(html.find("Student t over the replications") != std::string::npos);
  CHECK(html.find("<th>bands</th><td>min\u2013max over replications 1\u20133 at each point</td>") != std::string::npos);
  // The CDF: replication 1's line with the band of each quantile over replications 1-3, in x:
  // quantile 0 from 1 to 3 ms, 0.5 from 2 to 6 ms, 1 from 3 to 7 ms.
  const std::string cdf = figure_of(html, "latency-read");
  INFO(cdf);
  CHECK(cdf.find("band: each quantile&#39;s min\u2013max over replications 1\u20133") != std::string::npos);
  CHECK(cdf.find("fill-opacity=\"0.2\" stroke=\"none\"/>") != std::string::npos);
  // Utilisation: replication 1's line, the band over the replications (1 .. 3 ms at 1 s, 1.5 ..
  // 3.5 ms at 2 s) and a y axis fitted to them (0.001 .. 0.0035: within a factor of 3 of 0).
  const std::string util = figure_of(html, "utilization");
  CHECK(util.find("band: min\u2013max over replications 1\u20133 at each sample") != std::string::npos);
  CHECK(util.find("fill-opacity=\"0.2\" stroke=\"none\"/>") != std::string::npos);
  CHECK(util.find(">0.004</text>") != std::string::npos);
  CHECK(util.find(">1</text>") == std::string::npos);  // not the fixed 0..1 axis of old
  // Band bounds of more replications than the cap: the caption says which.
  HtmlReportOptions o;
  o.max_band_replications = 2;
  CHECK(figure_of(report(d, o), "latency-read").find("min\u2013max over replications 1\u20132 (of 3)") != std::string::npos);
}

TEST_CASE("the utilisation chart fits its y axis to the data: 0.0068 .. 0.0092 is not a flat line at the bottom") {
  Dir d("util-fit");
  d.basics();
  d.write("timeseries.csv", "time_s,subsystem,mean_queue_depth,max_queue_depth,utilization\n"
                            "1.000000000,a,0,0,0.0075\n2.000000000,a,0,0,0.0092\n3.000000000,a,0,0,0.0068\n");
  const std::string util = figure_of(report(d), "utilization");
  INFO(util);
  CHECK(util.find(">0.0065</text>") != std::string::npos);
  CHECK(util.find(">0.0095</text>") != std::string::npos);
  CHECK(util.find("text-anchor=\"end\">0</text>") == std::string::npos);
  // Golden: ticks 0.0065 .. 0.0095 over the 625 x 206 px plot; 0.0075 is 137.33 px from the
  // top, 0.0092 20.6, 0.0068 185.4.
  CHECK(util.find("<path d=\"M0 137.33L312.5 20.6L625 185.4\"") != std::string::npos);
}

TEST_CASE("reliability: p_loss with its Clopper-Pearson interval and tiny NOMDL in scientific notation") {
  Dir d("rel-table");
  d.basics();
  d.write("summary.csv", "metric,unit,better,n,mean,p50,p90,p99,max,ci95_low,ci95_high,percentiles,se,relative_error,ess\n"
                         "reliability.p_loss,ratio,lower,20,0.3,,,,,0.1189,0.5428,,0.1025,0.3416,6\n"
                         "reliability.nomdl,ratio,lower,20,7.1e-12,,,,,2.3e-12,1.19e-11,,2.29e-12,0.3225,\n"
                         "reliability.mttdl_lower95,h,higher,0,1170465.07,,,,,,,,,,0\n");
  d.write("reliability.csv", "replication,seed,first_loss_s\n0,1,\n1,1,4.000000000\n");
  const std::string html = report(d);
  CHECK(html.find("data-table=\"reliability\"") != std::string::npos);
  CHECK(html.find("<td>reliability.p_loss</td><td>ratio</td><td>20</td><td>0.30 [0.12, 0.54]</td><td>0.1025</td>") !=
        std::string::npos);
  CHECK(html.find("<td>7.1e-12 [2.3e-12, 1.19e-11]</td><td>2.29e-12</td>") != std::string::npos);
  CHECK(html.find("0.0000") == std::string::npos);
  CHECK(html.find("<td>1.17M</td>") != std::string::npos);  // no interval: the value alone
  CHECK(figure_of(html, "survival").find("reliability.p_loss (a loss by the horizon): 0.30 [0.12, 0.54]") !=
        std::string::npos);
}

TEST_CASE("the paths chart names LUNs as the scenario does (luns.csv), and identical lines stay visible") {
  Dir d("paths-names");
  d.basics();
  d.write("luns.csv", "lun,object,object_id\ndb,a/lun1,{L1}\nlogs,a/lun2,{L2}\n");
  d.write("events.csv", "time_s,event,object_type,object,object_id,detail\n"
                        "0.000000000,LUNSIM_NF_PATH_MODIFY,VDS_OT_LUN,a/lun1,{L1},online=2 standby=2 failed=0 paths=x\n"
                        "0.000000000,LUNSIM_NF_PATH_MODIFY,VDS_OT_LUN,a/lun2,{L2},online=2 standby=2 failed=0 paths=x\n");
  const std::string paths = figure_of(report(d), "paths");
  INFO(paths);
  CHECK(paths.find(">db online</text>") != std::string::npos);
  CHECK(paths.find(">logs online + standby</text>") != std::string::npos);
  CHECK(paths.find("a/lun1") == std::string::npos);
  CHECK(paths.find(">logs online: identical to db online (drawn over it)</text>") != std::string::npos);
  CHECK(paths.find("stroke-dashoffset=\"3\"") != std::string::npos);  // the second dashed line
  CHECK(paths.find("fill=\"#0072B2\" stroke=\"#ffffff\" stroke-width=\"0.75\"><title>db online</title>") != std::string::npos);
}

TEST_CASE("the drive timeline of a 5-year run shows a failure of a few hours: at least 2 px, on top, and says so") {
  Dir d("drives-5y");
  d.basics();
  d.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,demo\nseed,7\nreplications,1\nsim_end_s,157680000.000000000\n");
  d.write("drives.csv", "drive,subsystem,enclosure,hot_spare\ns/0,a,s,false\n");
  d.write("events.csv", "time_s,event,object_type,object,object_id,detail\n"
                        "86400000.000000000,VDS_NF_DRIVE_MODIFY,VDS_OT_DRIVE,a/s/0,{X},status=VDS_DRS_FAILED health=VDS_H_FAILED\n"
                        "86410800.000000000,VDS_NF_DRIVE_DEPART,VDS_OT_DRIVE,a/s/0,{X},replaced\n"
                        "86410800.000000000,VDS_NF_DRIVE_ARRIVE,VDS_OT_DRIVE,a/s/0#2,{Y},replacement of s/0\n"
                        "86410800.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/0#2,{Y},rebuild=start lun=db\n"
                        "86450000.000000000,LUNSIM_NF_DRIVE_REBUILD,VDS_OT_DRIVE,a/s/0#2,{Y},rebuild=end lun=db\n");
  const std::string drives = figure_of(report(d), "drives");
  INFO(drives);
  // Three hours of 5 years over 654 px is 0.045 px: drawn 2 px wide, after both online bars.
  const std::size_t failed = drives.find("width=\"2\" height=\"14\" fill=\"#D55E00\"><title>a/s/0: failed");
  const std::size_t rebuilding = drives.find("width=\"2\" height=\"14\" fill=\"#0072B2\"><title>a/s/0: rebuilding");
  REQUIRE(failed != std::string::npos);
  REQUIRE(rebuilding != std::string::npos);
  CHECK(drives.rfind("a/s/0: online", failed) != std::string::npos);
  CHECK(drives.find("a/s/0: online", failed) == std::string::npos);  // every online bar before it
  CHECK(drives.find("failed, rebuilding and offline are drawn on top, at least 2 px wide however short") != std::string::npos);
}

namespace {

/// A complete sweep of 2 x 2 points written by hand: clients (numbers) x lifetime (categories).
void write_sweep(const Dir& d, const std::string& extra_meta = "") {
  d.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,study\nseed,1\nseeds,common\nreplications,3\nkeep_runs,false\n"
                      "points,4\npoints_done,4\nstatus,complete\n" + extra_meta);
  const std::string head = "point,point_seed,workload.1.io.clients,failures.lifetime,metric,unit,better,n,mean,ci95_low,ci95_high,se\n";
  std::string points = head, wide = "point,point_seed,workload.1.io.clients,failures.lifetime,io.read.response.mean,"
                                    "io.read.response.ci95_low,io.read.response.ci95_high,reliability.p_loss.mean,"
                                    "reliability.p_loss.ci95_low,reliability.p_loss.ci95_high,op.x.latency.mean,"
                                    "op.x.latency.ci95_low,op.x.latency.ci95_high\n";
  const char* clients[] = {"4", "4", "8", "8"};
  const char* life[] = {"\"{afr: 1%}\"", "\"{afr: 2%}\"", "\"{afr: 1%}\"", "\"{afr: 2%}\""};
  const char* response[] = {"0.01", "0.012", "0.02", "0.024"};
  const char* p_loss[] = {"1e-5", "2e-5", "1e-4", "2e-3"};
  for (int p = 0; p < 4; ++p) {
    const std::string pre = std::to_string(p) + ",1," + clients[p] + "," + life[p] + ",";
    points += pre + "io.read.response,s,lower,3," + response[p] + ",0.009,0.03,\n";
    points += pre + "reliability.p_loss,ratio,lower,3," + p_loss[p] + ",1e-6,0.01,0.001\n";
    points += pre + "op.x.latency,s,lower,3,0.5,0.5,0.5,\n";
    wide += pre + response[p] + ",0.009,0.03," + p_loss[p] + ",1e-6,0.01,0.5,0.5,0.5\n";
  }
  d.write("points.csv", points);
  d.write("sweep.csv", wide);
}

} // namespace

TEST_CASE("a sweep directory: each varying metric against each axis with its intervals, heat maps, the points table") {
  Dir d("sweep");
  write_sweep(d);
  const std::string html = report(d);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<h1>lunsim sweep report: study</h1>") != std::string::npos);
  CHECK(html.find("<th>axis failures.lifetime</th><td>{afr: 1%}, {afr: 2%}</td>") != std::string::npos);
  // Two varying metrics (reliability first), each with a heat map and a chart per axis; the
  // constant one is named, not charted.
  CHECK(count(html, "data-chart=\"sweep-heatmap\"") == 2);
  CHECK(count(html, "data-chart=\"sweep-axis\"") == 4);
  CHECK(html.find("The same at every point: op.x.latency.") != std::string::npos);
  CHECK(html.find("<h2>reliability.p_loss (ratio)</h2>") < html.find("<h2>io.read.response (s)</h2>"));
  // The heat map of p_loss: log colours (1e-5 .. 2e-3), the interval in each cell's tooltip.
  const std::string heat = figure_of(html, "sweep-heatmap");
  INFO(heat);
  CHECK(heat.find("data-metric=\"reliability.p_loss\"") != std::string::npos);
  CHECK(heat.find(">colour: log scale (ratio)</text>") != std::string::npos);
  CHECK(heat.find("<title>workload.1.io.clients=8, failures.lifetime={afr: 2%}: 0.002 [1e-6, 0.01] (n = 3)</title>") !=
        std::string::npos);
  CHECK(heat.find("fill=\"#440154\" stroke=\"#ffffff\"><title>workload.1.io.clients=4, failures.lifetime={afr: 1%}") !=
        std::string::npos);  // the smallest value: the dark end of viridis
  // p_loss by clients (a numeric axis from 3.8 to 8.2): one line per lifetime, error bars.
  const std::size_t by_clients = html.find("data-axis=\"workload.1.io.clients\"");
  REQUIRE(by_clients != std::string::npos);
  const std::string chart = html.substr(by_clients, html.find("</figure>", by_clients) - by_clients);
  CHECK(chart.find("reliability.p_loss by workload.1.io.clients") != std::string::npos);
  CHECK(chart.find(">failures.lifetime={afr: 1%}</text>") != std::string::npos);
  CHECK(chart.find("error bars: its 95 % interval (points.csv)") != std::string::npos);
  CHECK(chart.find("stroke-width=\"1.2\"/>") != std::string::npos);  // the whiskers
  // By lifetime: categories in grid order, equally spaced.
  const std::size_t by_life = html.find("data-axis=\"failures.lifetime\"");
  REQUIRE(by_life != std::string::npos);
  const std::string cat = html.substr(by_life, html.find("</figure>", by_life) - by_life);
  CHECK(cat.find(">{afr: 1%}</text>") < cat.find(">{afr: 2%}</text>"));
  CHECK(cat.find("x: the axis&#39; values in grid order, equally spaced (not all numbers)") != std::string::npos);
  // The points table.
  CHECK(html.find("<tr><td>3</td><td>8</td><td>{afr: 2%}</td><td>0.002 [1e-6, 0.01]</td><td>24 [9, 30] ms</td></tr>") !=
        std::string::npos);
  // At most max_sweep_metrics charted; the others named.
  HtmlReportOptions o;
  o.max_sweep_metrics = 1;
  const std::string capped = report(d, o);
  CHECK(count(capped, "data-chart=\"sweep-heatmap\"") == 1);
  CHECK(capped.find("Not charted: io.read.response.") != std::string::npos);
}

TEST_CASE("sweep reports refuse what they cannot show: --compare, an incomplete sweep") {
  Dir d("sweep-bad"), run("sweep-run");
  write_sweep(d);
  run.basics();
  HtmlReportOptions o;
  o.compare = run.path;
  std::ostringstream out;
  CHECK_THROWS_WITH(write_html_report(out, d.path, o), Catch::Contains("a sweep directory: --compare takes two runs"));
  o.compare = d.path;
  CHECK_THROWS_WITH(write_html_report(out, run.path, o), Catch::Contains("a sweep directory: --compare takes two runs"));
  d.write("meta.csv", "key,value\ncsv_schema,1\nscenario_name,study\nreplications,3\nkeep_runs,false\npoints,4\n"
                      "points_done,2\nstatus,incomplete\n");
  CHECK_THROWS_WITH(report(d), Catch::Contains("the sweep is not complete"));
}
