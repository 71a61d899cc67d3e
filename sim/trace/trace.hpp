// Block I/O traces, read one request at a time: memory stays constant whatever the trace's length.
//
// Formats (the `format:` names of a scenario's trace load):
//   fio       fio's iolog, version 2 or 3 (the first line says which: "fio version 2 iolog" /
//             "fio version 3 iolog"; fio's HOWTO, "Trace file format"):
//               v2  `FILENAME ACTION [OFFSET LENGTH]`; time advances by `wait` actions
//                   (`FILENAME wait USEC 0`, relative to the previous wait; fio discards waits
//                   below 100 µs, and so does this reader)
//               v3  `TIMESTAMP FILENAME ACTION [OFFSET LENGTH]`, TIMESTAMP in microseconds since
//                   the run's start (as fio's write_iolog writes it: utime_since the log's start)
//             `read` and `write` are requests; `add`, `open`, `close`, `sync`, `datasync` and
//             `trim` are counted as ignored. Device: FILENAME.
//   blkparse  blkparse's default text output:
//               `MAJ,MIN CPU SEQUENCE SECONDS.NANOSECONDS PID ACTION RWBS SECTOR + BLOCKS [PROCESS]`
//             only D events (issued to the device) are requests; RWBS with R: read, with W: write;
//             discards (D in RWBS), flushes without data and every other action are ignored.
//             SECTOR and BLOCKS are 512-byte units. The summary blkparse prints at the end
//             ("CPU0 (8,0):", "Total (8,0):", "Throughput ...") ends the trace. Device: "MAJ,MIN".
//   msr       the MSR Cambridge traces (SNIA IOTTA): CSV lines
//               `Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime`
//             Timestamp in Windows FILETIME ticks (100 ns), Type `Read` or `Write` (any case),
//             Offset and Size in bytes; ResponseTime is read and checked but not used (the
//             simulated drives give their own). Times count from the first line's. A header line
//             starting "Timestamp," is skipped. Device: "Hostname_DiskNumber" (the traces' file
//             names: hm_1, prxy_0).
//
// Record times are never earlier than the previous record's: a line stamped earlier (traces merged
// from several CPUs or hosts) takes the previous time, and clamped() counts it.
//
// Errors: a malformed line throws TraceError with `file:line:column` (the column of the field)
// and a message naming the field and what it accepts; a line longer than 4096 bytes is one too.
// The file must be a regular file (a directory, FIFO or device is refused before reading).
#pragma once

#include "sim/base/diagnostic.hpp"
#include "sim/base/name_table.hpp"
#include "sim/base/time.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sim::trace {

enum class Format : std::uint8_t { Fio, Blkparse, Msr };
inline constexpr base::NameTable<Format, 3> format_names{
    {{{Format::Fio, "fio"}, {Format::Blkparse, "blkparse"}, {Format::Msr, "msr"}}}};

enum class Op : std::uint8_t { Read, Write };

struct Record {
  base::Duration time{};      ///< since the trace's start (see the formats above)
  std::string_view device;    ///< valid until the next call of Reader::next
  Op op = Op::Read;
  std::uint64_t offset = 0;   ///< bytes
  std::uint64_t size = 0;     ///< bytes, > 0
  std::uint64_t line = 0;     ///< 1-based line of the file
};

/// A malformed trace: the diagnostic is positioned at the line and field.
class TraceError : public std::runtime_error {
public:
  explicit TraceError(base::Diagnostic d) : std::runtime_error(d.format()), diagnostic_(std::move(d)) {}
  const base::Diagnostic& diagnostic() const { return diagnostic_; }

private:
  base::Diagnostic diagnostic_;
};

/// Longest line accepted, in bytes (without its line end).
inline constexpr std::size_t max_line = 4096;

class Reader {
public:
  /// Opens `path` and reads the fio header. Throws TraceError (line 0 when no line is at fault)
  /// for a path that is not a readable regular file or a missing or unknown fio header.
  /// `name` is the file as messages show it (default: the path).
  Reader(const std::filesystem::path& path, Format format, std::string name = {});
  /// Reads `text` instead of a file (tests and fuzzing); `name` as above.
  static Reader from_text(std::string text, Format format, std::string name);
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  /// The next request in file order; false at the end of the trace. Throws TraceError.
  bool next(Record& r);
  /// Back to the first record (a second pass: a closed-loop replay reads each device's requests
  /// through its own reader). Counters restart.
  void rewind();

  Format format() const;
  int fio_version() const;          ///< 2 or 3 for fio; 0 otherwise
  std::uint64_t ignored() const;    ///< lines that are not requests (see the formats), so far
  std::uint64_t clamped() const;    ///< records stamped earlier than the one before, so far
  const std::string& name() const;

private:
  struct Impl;
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace sim::trace
