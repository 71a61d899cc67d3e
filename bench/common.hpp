// Pieces every lunsim benchmark uses: its command line, counts, medians, wall-clock spans and
// correctness checks that count their failures (a benchmark exits 1 when one failed).
#pragma once

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace lunsim_bench {

using Clock = std::chrono::steady_clock;

/// A positive decimal count at most `max`; anything else calls usage(message) (which must not
/// return), the message naming `what` and the text.
template <class Usage>
std::uint64_t parse_count(const char* s, const char* what, std::uint64_t max, Usage&& usage) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v == 0 || v > max || s[0] == '-')
    usage((std::string("bad ") + what + " '" + s + "' (a positive integer)").c_str());
  return v;
}

/// A benchmark's command line, option by option:
///
///   lunsim_bench::Args args(argc, argv, usage);
///   while (args.next())
///     if (args.is("--reps")) o.reps = args.count("repetition count");
///     else if (...) ...
///     else args.unknown();
///
/// `usage(message, status)` prints the program's usage (after `message` unless it is empty) and
/// exits with `status`; it must not return. --help and -h print the usage and exit 0.
class Args {
public:
  using Usage = void (*)(const char* message, int status);
  Args(int argc, char** argv, Usage usage) : argc_(argc), argv_(argv), usage_(usage) {}

  /// Moves to the next option; false after the last.
  bool next() {
    if (++i_ >= argc_) return false;
    name_ = argv_[i_];
    if (name_ == "--help" || name_ == "-h") usage_("", 0);
    return true;
  }
  bool is(const char* name) const { return name_ == name; }
  /// The option's value: the next argument (a usage error when there is none).
  const char* value() {
    if (i_ + 1 >= argc_) fail(name_ + " needs a value");
    return argv_[++i_];
  }
  /// The option's value as a positive count at most `max`.
  std::uint64_t count(const char* what, std::uint64_t max = UINT32_MAX) { return count_of(value(), what, max); }
  /// `text` as a positive count at most `max` (for items of a list value).
  std::uint64_t count_of(const char* text, const char* what, std::uint64_t max) const {
    return parse_count(text, what, max, [this](const char* m) { usage_(m, 2); });
  }
  /// A usage error: the option is not one of the program's.
  [[noreturn]] void unknown() const { fail("unknown option '" + name_ + "'"); }
  [[noreturn]] void fail(const std::string& message) const {
    usage_(message.c_str(), 2);
    std::abort();  // usage does not return
  }

private:
  int argc_;
  char** argv_;
  Usage usage_;
  int i_ = 0;
  std::string name_;
};

/// The median (the mean of the middle two for an even count). Requires a non-empty vector.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Correctness checks of one benchmark run: each failure is printed (the first 20) as
/// "PROGRAM: CHECK FAILED (repetition R): WHAT" on stderr and counted.
class Checks {
public:
  explicit Checks(const char* program) : program_(program) {}
  void check(bool ok, int rep, const std::string& what) {
    if (ok) return;
    if (++failures_ <= 20) std::fprintf(stderr, "%s: CHECK FAILED (repetition %d): %s\n", program_, rep + 1, what.c_str());
  }
  void count(std::uint64_t got, std::uint64_t want, int rep, const std::string& what) {
    check(got == want, rep, what + ": got " + std::to_string(got) + ", expected " + std::to_string(want));
  }
  int failures() const { return failures_; }

private:
  const char* program_;
  int failures_ = 0;
};

} // namespace lunsim_bench
