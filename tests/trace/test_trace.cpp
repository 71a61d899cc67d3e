#include "sim/trace/trace.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

using namespace sim::trace;
using namespace std::chrono_literals;
using sim::base::Duration;

namespace {

struct Row {
  Duration time;
  std::string device;
  Op op;
  std::uint64_t offset;
  std::uint64_t size;
  std::uint64_t line;
  bool operator==(const Row&) const = default;
};

std::vector<Row> rows(Reader& r) {
  std::vector<Row> out;
  Record rec;
  while (r.next(rec)) out.push_back(Row{rec.time, std::string(rec.device), rec.op, rec.offset, rec.size, rec.line});
  return out;
}

std::vector<Row> rows(const std::string& text, Format f) {
  Reader r = Reader::from_text(text, f, "t.log");
  return rows(r);
}

/// The formatted error reading `text` throws.
std::string error(const std::string& text, Format f) {
  try {
    Reader r = Reader::from_text(text, f, "t.log");
    rows(r);
  } catch (const TraceError& e) {
    return e.diagnostic().format();
  }
  return "(no error)";
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/lunsim-trace-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST_CASE("fio iolog version 3: timestamps in microseconds, read and write with offset and length, file actions ignored",
          "[trace][fio]") {
  // As fio 3.33 writes it (--write_iolog; timestamps from utime_since the log's start).
  const std::string log = "fio version 3 iolog\n"
                          "139 /tmp/fiof add\n"
                          "671 /tmp/fiof open\n"
                          "693 /tmp/fiof read 249856 4096\n"
                          "1443 /tmp/fiof write 1970176 8192\n"
                          "1500 /tmp/fiof trim 0 4096\n"
                          "1600 /tmp/fiof sync\n"
                          "2721 /tmp/fiof close\n";
  Reader r = Reader::from_text(log, Format::Fio, "t.log");
  CHECK(r.fio_version() == 3);
  const std::vector<Row> got = rows(r);
  const std::vector<Row> want{{693us, "/tmp/fiof", Op::Read, 249856, 4096, 4},
                              {1443us, "/tmp/fiof", Op::Write, 1970176, 8192, 5}};
  CHECK(got == want);
  CHECK(r.ignored() == 5);  // add, open, trim, sync, close

  // fio writes its syncs with an offset and a length ("sync 0 0": fio's log_file/log_io_piece)
  // and reads them with or without: both are ignored, as is sync_file_range.
  const std::string syncs = "fio version 2 iolog\n"
                            "/f add\n/f open\n/f sync 0 0\n/f datasync 0 0\n/f sync_file_range 0 4096\n/f sync\n"
                            "/f write 0 4096\n/f close\n";
  Reader s = Reader::from_text(syncs, Format::Fio, "t.log");
  CHECK(rows(s) == std::vector<Row>{{0us, "/f", Op::Write, 0, 4096, 8}});
  CHECK(s.ignored() == 7);
  // fio v2 waits that add up beyond the clock: an error, not a wrapped time.
  CHECK(error("fio version 2 iolog\nf wait 9000000000000000 0\nf wait 9000000000000000 0\n", Format::Fio) ==
        "t.log:3:8: error: trace fio: field 'offset': the waits add up beyond the simulated clock (292 years)");
}

TEST_CASE("fio iolog version 2: time advances by the waits, those below 100 us are discarded as fio does", "[trace][fio]") {
  const std::string log = "fio version 2 iolog\n"
                          "/dev/sdb add\n"
                          "/dev/sdb open\n"
                          "/dev/sdb read 0 4096\n"
                          "/dev/sdb wait 250 0\n"
                          "/dev/sdb write 4096 4096\n"
                          "/dev/sdb wait 99 0\n"  // discarded
                          "/dev/sdc read 8192 512\n"
                          "/dev/sdb wait 1000 0\n"
                          "/dev/sdb read 0 0\n"   // zero length: not a request
                          "/dev/sdb read 12288 4096\n";
  const std::vector<Row> want{{0us, "/dev/sdb", Op::Read, 0, 4096, 4},
                              {250us, "/dev/sdb", Op::Write, 4096, 4096, 6},
                              {250us, "/dev/sdc", Op::Read, 8192, 512, 8},
                              {1250us, "/dev/sdb", Op::Read, 12288, 4096, 11}};
  CHECK(rows(log, Format::Fio) == want);
}

TEST_CASE("blkparse's default output: D events are the requests, sectors of 512 bytes, the summary ends the trace",
          "[trace][blkparse]") {
  const std::string log = "  8,0    3        1     0.000000000   697  Q  WS 3417048 + 8 [kjournald]\n"
                          "  8,0    3        2     0.000001720   697  G  WS 3417048 + 8 [kjournald]\n"
                          "  8,0    3        4     0.000008410   697  D  WS 3417048 + 8 [kjournald]\n"
                          "  8,0    0        1     0.000366950     0  C  WS 3417048 + 8 [0]\n"
                          "  8,16   1        7     0.0012        12  D   R 2048 + 256 [dd]\n"
                          "  8,0    1        8     0.001300000    12  D  DS 4096 + 8 [fstrim]\n"   // discard
                          "  8,0    1        9     0.001400000    12  D  FN [kworker/1:1H]\n"      // flush, no data
                          "  8,0    2        3     0.002000000   700  D  RA 100 + 16 [cat]\n"
                          "  8,0    0        0     0.002100000     0  m   N cfq697 insert_request\n"
                          "\n"
                          "CPU0 (8,0):\n"
                          " Reads Queued:           0,        0KiB  Writes Queued:           1,        4KiB\n"
                          "Total (8,0):\n";
  Reader r = Reader::from_text(log, Format::Blkparse, "t.log");
  const std::vector<Row> want{{8410ns, "8,0", Op::Write, 3417048ULL * 512, 4096, 3},
                              {1200000ns, "8,16", Op::Read, 2048 * 512, 256 * 512, 5},
                              {2000000ns, "8,0", Op::Read, 100 * 512, 16 * 512, 8}};
  CHECK(rows(r) == want);
  CHECK(r.ignored() == 6);  // Q, G, C, the discard, the flush, the message
}

TEST_CASE("MSR Cambridge CSV: FILETIME ticks from the first line, Hostname_DiskNumber devices, any case of Type",
          "[trace][msr]") {
  // The first lines of hm_1.csv's shape (SNIA IOTTA, MSR Cambridge traces).
  const std::string log = "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n"
                          "128166372003061629,hm,1,Read,3154152960,32768,1290\n"
                          "128166372016382155,hm,1,Write,3154177536,4096,7048\n"
                          "128166372016382155,prxy,0,read,0,512,100\r\n"
                          "128166372016380000,hm,1,Write,0,4096,1\n";  // earlier: clamped
  Reader r = Reader::from_text(log, Format::Msr, "t.log");
  const std::vector<Row> want{{0ns, "hm_1", Op::Read, 3154152960ULL, 32768, 2},
                              {Duration(13320526 * 100), "hm_1", Op::Write, 3154177536ULL, 4096, 3},
                              {Duration(13320526 * 100), "prxy_0", Op::Read, 0, 512, 4},
                              {Duration(13320526 * 100), "hm_1", Op::Write, 0, 4096, 5}};
  CHECK(rows(r) == want);
  CHECK(r.clamped() == 1);
  CHECK(r.ignored() == 1);  // the header
}

TEST_CASE("a malformed trace line is an error at its line and field, naming what the field accepts", "[trace][errors]") {
  CHECK(error("fio version 3 iolog\n10 f read x 4096\n", Format::Fio) ==
        "t.log:2:11: error: trace fio: field 'offset': expected a byte offset (a whole number), found \"x\"");
  CHECK(error("fio version 3 iolog\n10 f read 0\n", Format::Fio) ==
        "t.log:2: error: trace fio: field 'length' is missing");
  CHECK(error("fio version 3 iolog\n10 f wait 100 0\n", Format::Fio) ==
        "t.log:2:6: error: trace fio: field 'action': 'wait' is not allowed in version 3 (its timestamps give the times)");
  CHECK(error("fio version 2 iolog\nf seek 0 1\n", Format::Fio) ==
        "t.log:2:3: error: trace fio: field 'action': expected read, write, trim, sync, datasync, sync_file_range, add, "
        "open, close or "
        "wait, found \"seek\"");
  CHECK(error("fio version 3 iolog\n10 f read 0 4096 extra\n", Format::Fio) ==
        "t.log:2:18: error: trace fio: unexpected field \"extra\" after the length");
  CHECK(error("fio version 3 iolog\n-5 f read 0 4096\n", Format::Fio) ==
        "t.log:2:1: error: trace fio: field 'timestamp': expected microseconds since the start (a whole number), "
        "found \"-5\"");
  CHECK(error("fio version 3 iolog\n10 f read 99999999999999999999 1\n", Format::Fio) ==
        "t.log:2:11: error: trace fio: field 'offset': \"99999999999999999999\" is too large (at most 2^64 - 1)");
  CHECK(error("fio version 3 iolog\n18446744073709551615 f read 0 1\n", Format::Fio) ==
        "t.log:2:1: error: trace fio: field 'timestamp': \"18446744073709551615\" microseconds is beyond the "
        "simulated clock (292 years)");
  CHECK(error("fio version 4 iolog\n", Format::Fio) ==
        "t.log:1:1: error: trace fio: the first line must be \"fio version 2 iolog\" or \"fio version 3 iolog\" "
        "(fio's write_iolog), found \"fio version 4 iolog\"");
  CHECK(error("", Format::Fio) ==
        "t.log:1:1: error: trace fio: empty trace: the first line must be \"fio version 2 iolog\" or \"fio version 3 "
        "iolog\"");
  CHECK(error("8:0 0 1 0.1 5 D R 0 + 8 [x]\n", Format::Blkparse) ==
        "t.log:1:1: error: trace blkparse: field 'device': expected MAJOR,MINOR (e.g. 8,0), found \"8:0\"");
  CHECK(error("8,0 0 1 0.1 5 D R 0 - 8 [x]\n", Format::Blkparse) ==
        "t.log:1:21: error: trace blkparse: expected '+' between the sector and the block count, found \"-\"");
  CHECK(error("8,0 0 1 1.5e3 5 D R 0 + 8 [x]\n", Format::Blkparse) ==
        "t.log:1:9: error: trace blkparse: field 'time': expected seconds with up to 9 decimals (e.g. 0.000137285), "
        "found \"1.5e3\"");
  CHECK(error("8,0 0 1 0.1 5 D Q 0 + 8 [x]\n", Format::Blkparse).starts_with(
        "t.log:1:17: error: trace blkparse: field 'rwbs': expected blkparse's RWBS letters"));
  CHECK(error("8,0 0 1 0.1 5 D W\n", Format::Blkparse) == "t.log:1: error: trace blkparse: field 'sector' is missing");
  CHECK(error("1,hm,1,Read,0,512\n", Format::Msr) ==
        "t.log:1: error: trace msr: expected 7 comma-separated fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,"
        "ResponseTime), found 6");
  CHECK(error("1,hm,1,Read,0,512,1,extra\n", Format::Msr) ==
        "t.log:1:21: error: trace msr: expected 7 comma-separated fields (Timestamp,Hostname,DiskNumber,Type,Offset,"
        "Size,ResponseTime), found 8");
  CHECK(error("1,hm,1,Trim,0,512,1\n", Format::Msr) ==
        "t.log:1:8: error: trace msr: field 'Type': expected Read or Write, found \"Trim\"");
  CHECK(error("1,hm,1,Read, 12x ,512,1\n", Format::Msr) ==
        "t.log:1:14: error: trace msr: field 'Offset': expected a byte offset (a whole number), found \"12x\"");
  const std::string long_value(5000, '7');
  CHECK(error("fio version 3 iolog\n1 f read " + long_value + " 1\n", Format::Fio) ==
        "t.log:2: error: trace fio: line longer than 4096 bytes");
  CHECK(error("1,hm,1,Read,0," + long_value.substr(0, 60) + "x,1\n", Format::Msr) ==
        "t.log:1:15: error: trace msr: field 'Size': expected a byte count (a whole number), found "
        "\"7777777777777777777777777777777777777777...\" (61 bytes)");
}

TEST_CASE("a trace file is read in chunks: lines across chunk boundaries, rewind, constant buffer", "[trace][file]") {
  TempDir dir;
  const auto path = dir.path / "big.log";
  {
    std::ofstream out(path);
    out << "fio version 3 iolog\n";
    for (int i = 0; i < 50000; ++i) out << i * 10 << " /dev/sdb " << (i % 3 == 0 ? "write" : "read") << ' ' << i * 4096 << " 4096\n";
  }
  REQUIRE(std::filesystem::file_size(path) > 3 * (1 << 16));
  Reader r(path, Format::Fio, "big.log");
  Record rec;
  std::uint64_t n = 0;
  std::uint64_t bytes = 0;
  bool ordered = true;
  while (r.next(rec)) {
    ordered = ordered && rec.offset == n * 4096 && rec.time == Duration(n * 10'000) && rec.line == n + 2 &&
              rec.op == (n % 3 == 0 ? Op::Write : Op::Read) && rec.device == "/dev/sdb";
    ++n;
    bytes += rec.size;
  }
  CHECK(n == 50000);
  CHECK(bytes == 50000ULL * 4096);
  CHECK(ordered);
  r.rewind();
  REQUIRE(r.next(rec));
  CHECK(rec.line == 2);
  CHECK(rec.offset == 0);
}

TEST_CASE("a trace path must name a regular file: missing, a directory and a FIFO are refused before reading",
          "[trace][file]") {
  TempDir dir;
  auto message = [](const std::filesystem::path& p) {
    try {
      Reader r(p, Format::Msr, "x.csv");
    } catch (const TraceError& e) {
      return e.diagnostic().format();
    }
    return std::string("(no error)");
  };
  CHECK(message(dir.path / "missing.csv") == "x.csv: error: cannot open the trace: no such file or directory");
  CHECK(message(dir.path) == "x.csv: error: cannot open the trace: is a directory");
  const auto fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(message(fifo) == "x.csv: error: cannot open the trace: is not a regular file (a device, FIFO or socket)");
  CHECK(message("/dev/zero") == "x.csv: error: cannot open the trace: is not a regular file (a device, FIFO or socket)");
}
