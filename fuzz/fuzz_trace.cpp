// Fuzz target "trace": a block trace as a trace load reads it (`io: {trace: FILE, format: ...}`).
//
// The first byte picks the format (its value modulo 3: fio, blkparse, msr); the rest is the
// trace's text, read through trace::Reader::from_text (TraceError is its documented answer to a
// malformed line). The file path (open, fstat, chunked reads) is the same reader's and is
// covered by the unit tests.
//
// Findings, beyond those of fuzz_target.hpp:
//   - a TraceError whose line is beyond the text's lines;
//   - a record breaking the reader's contract: size 0, an empty device, a line not after the
//     previous record's, a time before the previous record's (they are clamped);
//   - rewind() not giving the same records again.
#include "fuzz/fuzz_target.hpp"

#include "sim/trace/trace.hpp"

#include <string>
#include <vector>

namespace {

namespace trace = sim::trace;

struct Seen {
  std::int64_t time;
  std::string device;
  trace::Op op;
  std::uint64_t offset, size, line;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> read_all(trace::Reader& r, std::size_t lines) {
  std::vector<Seen> out;
  trace::Record rec;
  std::int64_t last_time = 0;
  std::uint64_t last_line = 0;
  while (r.next(rec)) {
    if (rec.size == 0) sim::fuzz::finding("a record of size 0");
    if (rec.device.empty()) sim::fuzz::finding("a record without a device");
    if (rec.line <= last_line || rec.line > lines) sim::fuzz::finding("record line " + std::to_string(rec.line) + " out of order");
    if (rec.time.count() < last_time) sim::fuzz::finding("a record earlier than the one before");
    last_time = rec.time.count();
    last_line = rec.line;
    out.push_back(Seen{rec.time.count(), std::string(rec.device), rec.op, rec.offset, rec.size, rec.line});
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto format = static_cast<trace::Format>(data[0] % 3);
  const std::string text(sim::fuzz::as_text(data + 1, size - 1));
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  try {
    trace::Reader r = trace::Reader::from_text(text, format, "fuzz");
    const std::vector<Seen> first = read_all(r, lines);
    r.rewind();
    if (read_all(r, lines) != first) sim::fuzz::finding("rewind() gave other records");
  } catch (const trace::TraceError& e) {
    const int line = e.diagnostic().loc.line;
    if (line < 0 || static_cast<std::size_t>(line) > lines)
      sim::fuzz::finding("TraceError names line " + std::to_string(line) + " of " + std::to_string(lines) + ": " + e.what());
  }
  return 0;
}
