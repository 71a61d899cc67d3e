// What every fuzz target shares (fuzz/CMakeLists.txt builds each fuzz_<name>.cpp twice: as a
// libFuzzer binary and, with replay_main.cpp, as a driver that runs saved inputs).
//
// A target hands its input to one of lunsim's readers of hostile input and catches exactly the
// exceptions that reader documents for bad input. Everything else is a finding, and libFuzzer
// keeps the input as crash-*, timeout-* or oom-*: an unexpected exception (std::terminate), a
// crash, an ASan or UBSan report, more than -timeout seconds for one input, more than
// -rss_limit_mb of memory (or one allocation beyond it), and a broken contract, which a target
// reports through finding().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string_view>
#include <vector>

/// The entry point libFuzzer (and replay_main.cpp) calls once per input; returns 0.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace sim::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A contract the API states was broken: says which on stderr and aborts (a crash to libFuzzer).
[[noreturn]] inline void finding(std::string_view what) {
  std::fprintf(stderr, "lunsim fuzz finding: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

/// An std::ostream that discards everything (reports are produced for their code paths only).
class NullStream : public std::ostream {
public:
  NullStream() : std::ostream(&buf_) {}

private:
  struct Discard : std::streambuf {
    int overflow(int c) override { return c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
  };
  Discard buf_;
};

/// The inputs of the option targets (set, grid): option lines, then optionally a line "%%" and
/// a scenario that replaces the target's base scenario. At most `max_lines` lines are taken.
struct OptionInput {
  std::vector<std::string_view> lines;
  std::optional<std::string_view> scenario;
};

inline OptionInput split_option_input(std::string_view text, std::size_t max_lines) {
  OptionInput in;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (line == "%%") {
      in.scenario = end < text.size() ? text.substr(end + 1) : std::string_view();
      break;
    }
    if (in.lines.size() < max_lines && !(end == text.size() && line.empty())) in.lines.push_back(line);
    start = end + 1;
  }
  return in;
}

} // namespace sim::fuzz
