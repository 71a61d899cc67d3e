// The replay driver: runs a fuzz target's LLVMFuzzerTestOneInput once on each input, without
// libFuzzer, so any compiler can build it and ctest can run saved inputs in every build.
//
//   fuzz_<name>_replay PATH...   PATH is a file, or a directory whose regular files (not those
//                                starting with '.') are run in name order
//
// Each input's name goes to stderr before it runs, so a failure names its input. The limits of
// bench/fuzz.sh hold here too, checked by a watchdog thread every 50 ms: an input that runs for
// more than 10 s, or a resident set beyond 2 GiB, aborts the replay with a message (a hang or
// an unbounded allocation fails the test quickly instead of stalling or exhausting the machine).
// Exit status: 0 when every input ran; 2 when a path cannot be read or no input was found;
// anything else is a finding (abort, a sanitizer's report).
#include "fuzz/fuzz_target.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr auto max_time_per_input = std::chrono::seconds(10);
constexpr long max_rss_mib = 2048;

long rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

} // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().filename().string().front() != '.') files.push_back(e.path());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(p, ec)) {
      inputs.push_back(p);
    } else {
      std::cerr << "replay: " << p.string() << ": no such file or directory\n";
      return 2;
    }
    if (ec) {
      std::cerr << "replay: " << p.string() << ": " << ec.message() << '\n';
      return 2;
    }
  }
  if (inputs.empty()) {
    std::cerr << "usage: " << (argc > 0 ? argv[0] : "replay") << " FILE|DIRECTORY... (no input found)\n";
    return 2;
  }

  using Clock = std::chrono::steady_clock;
  std::atomic<Clock::rep> started{Clock::now().time_since_epoch().count()};
  std::atomic<std::size_t> current{0};
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const auto running = Clock::now() - Clock::time_point(Clock::duration(started.load()));
      const long rss = rss_mib();
      if (running > max_time_per_input || rss > max_rss_mib) {
        std::cerr << "replay: " << inputs[current.load()].string() << ": "
                  << (rss > max_rss_mib ? "resident set of " + std::to_string(rss) + " MiB (limit " + std::to_string(max_rss_mib) + ")"
                                        : "still running after " + std::to_string(max_time_per_input.count()) + " s")
                  << ": a hang or an unbounded allocation\n";
        std::abort();
      }
    }
  });
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const fs::path& p = inputs[i];
    std::ifstream in(p, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in && !in.eof()) {
      std::cerr << "replay: " << p.string() << ": cannot read\n";
      done = true;
      watchdog.join();
      return 2;
    }
    std::cerr << "replay: " << p.string() << " (" << bytes.size() << " bytes)\n";
    current = i;
    started = Clock::now().time_since_epoch().count();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  done = true;
  watchdog.join();
  std::cerr << "replay: " << inputs.size() << " input(s) ran\n";
  return 0;
}
