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
