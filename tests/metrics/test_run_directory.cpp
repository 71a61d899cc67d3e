#include "sim/metrics/run_directory.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <string>
#include <csignal>
#include <cstring>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sim::metrics;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temporary folder, removed with everything in it.
class TempFolder {
public:
  TempFolder() {
    const std::string stem = "lunsim-test-metrics-" + std::to_string(::getpid()) + "-";
    for (int i = 0;; ++i) {
      path_ = fs::temp_directory_path() / (stem + std::to_string(i));
      if (fs::create_directory(path_))
        break;
    }
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

TEST_CASE("numbered run directories count up from 001", "[metrics][run_directory]") {
  TempFolder tmp;
  const fs::path runs = tmp.path() / "runs";

  RunDirectory first = RunDirectory::create_numbered(runs, "raid6 provisioning");
  CHECK(first.final_path() == runs / "raid6_provisioning-001");
  first.open("summary.csv") << "metric\n";
  first.commit();
  CHECK(first.path() == runs / "raid6_provisioning-001");
  CHECK(read_file(runs / "raid6_provisioning-001" / "summary.csv") == "metric\n");

  RunDirectory second = RunDirectory::create_numbered(runs, "raid6 provisioning");
  second.commit();
  CHECK(second.final_path() == runs / "raid6_provisioning-002");
  CHECK(entries(runs) == std::set<std::string>{"raid6_provisioning-001", "raid6_provisioning-002"});
}

TEST_CASE("a run is written in a hidden partial directory and appears only at commit",
          "[metrics][run_directory]") {
  TempFolder tmp;
  RunDirectory run = RunDirectory::create_numbered(tmp.path(), "demo");
  const std::string temp_name = run.path().filename().string();
  CHECK(temp_name == ".demo-001.partial-" + std::to_string(::getpid()));
  CHECK(run.path().parent_path() == tmp.path());
  CHECK(fs::is_directory(run.path()));
  CHECK_FALSE(fs::exists(run.final_path()));
  CHECK_FALSE(run.committed());

  std::ostream& ops = run.open("ops.csv");
  ops << "op,status\ncreate_lun,ok\n";
  CHECK(fs::exists(run.path() / "ops.csv"));
  CHECK_FALSE(fs::exists(run.final_path()));

  run.commit();
  CHECK(run.committed());
  CHECK(entries(tmp.path()) == std::set<std::string>{"demo-001"});
  CHECK(read_file(tmp.path() / "demo-001" / "ops.csv") == "op,status\ncreate_lun,ok\n");
}

TEST_CASE("a run directory destroyed without commit leaves nothing behind",
          "[metrics][run_directory]") {
  TempFolder tmp;
  {
    RunDirectory run = RunDirectory::create_numbered(tmp.path(), "failing");
    run.open("ops.csv") << "half a file";
    fs::create_directory(run.path() / "nested");
    REQUIRE_FALSE(entries(tmp.path()).empty());
  }
  CHECK(entries(tmp.path()).empty());
  {
    RunDirectory run = RunDirectory::create_exact(tmp.path() / "out");
    run.open("meta.csv") << "x";
  }
  CHECK(entries(tmp.path()).empty());
}

TEST_CASE("create_exact refuses an existing non-empty directory", "[metrics][run_directory]") {
  TempFolder tmp;
  const fs::path out = tmp.path() / "out";
  fs::create_directory(out);
  std::ofstream(out / "keep.txt") << "precious";
  REQUIRE_THROWS_WITH(RunDirectory::create_exact(out),
                      Catch::Contains(out.string()) && Catch::Contains("not empty"));
  CHECK(entries(out) == std::set<std::string>{"keep.txt"});
  CHECK(entries(tmp.path()) == std::set<std::string>{"out"});

  SECTION("a plain file in the way is refused too") {
    std::ofstream(tmp.path() / "file") << "x";
    REQUIRE_THROWS_WITH(RunDirectory::create_exact(tmp.path() / "file"),
                        Catch::Contains("not a directory"));
  }
}

TEST_CASE("create_exact fills an empty or missing directory, creating parents",
          "[metrics][run_directory]") {
  TempFolder tmp;
  const fs::path empty = tmp.path() / "empty";
  fs::create_directory(empty);
  RunDirectory a = RunDirectory::create_exact(empty);
  a.open("summary.csv") << "a";
  a.commit();
  CHECK(read_file(empty / "summary.csv") == "a");

  const fs::path deep = tmp.path() / "x" / "y" / "run";
  RunDirectory b = RunDirectory::create_exact(deep / "");
  CHECK(b.final_path() == deep);
  CHECK(b.path().filename().string().starts_with(".run.partial-"));
  b.commit();
  CHECK(fs::is_directory(deep));
  CHECK(entries(tmp.path() / "x" / "y") == std::set<std::string>{"run"});
}

TEST_CASE("create_exact does not overwrite a directory that filled up before commit",
          "[metrics][run_directory]") {
  TempFolder tmp;
  const fs::path out = tmp.path() / "out";
  {
    RunDirectory run = RunDirectory::create_exact(out);
    fs::create_directory(out);
    std::ofstream(out / "other.txt") << "someone else";
    REQUIRE_THROWS_WITH(run.commit(), Catch::Contains("not empty"));
    CHECK_FALSE(run.committed());
  }
  CHECK(entries(tmp.path()) == std::set<std::string>{"out"});
  CHECK(entries(out) == std::set<std::string>{"other.txt"});
}

TEST_CASE("a numbered run takes the next number when its own was taken meanwhile",
          "[metrics][run_directory]") {
  TempFolder tmp;
  RunDirectory run = RunDirectory::create_numbered(tmp.path(), "x");
  REQUIRE(run.final_path() == tmp.path() / "x-001");
  fs::create_directory(tmp.path() / "x-001");
  fs::create_directory(tmp.path() / "x-002");
  std::ofstream(tmp.path() / "x-002" / "f") << "f";
  run.commit();
  CHECK(run.final_path() == tmp.path() / "x-003");
  CHECK(entries(tmp.path()) == std::set<std::string>{"x-001", "x-002", "x-003"});
}

TEST_CASE("runs in progress reserve their numbers", "[metrics][run_directory]") {
  TempFolder tmp;
  RunDirectory a = RunDirectory::create_numbered(tmp.path(), "x");
  RunDirectory b = RunDirectory::create_numbered(tmp.path(), "x");
  CHECK(a.final_path().filename() == "x-001");
  CHECK(b.final_path().filename() == "x-002");
  CHECK(a.path() != b.path());
  b.commit();
  a.commit();
  CHECK(entries(tmp.path()) == std::set<std::string>{"x-001", "x-002"});
}

TEST_CASE("numbering continues above the highest run and grows past 999",
          "[metrics][run_directory]") {
  TempFolder tmp;
  for (const char* name : {"x-001", "x-005", "x-01", "x-abc", "xy-900", "x-12a", ".x-7.partial-1"})
    fs::create_directory(tmp.path() / name);
  CHECK(RunDirectory::create_numbered(tmp.path(), "x").final_path().filename() == "x-006");
  fs::create_directory(tmp.path() / "x-999");
  CHECK(RunDirectory::create_numbered(tmp.path(), "x").final_path().filename() == "x-1000");
  fs::create_directory(tmp.path() / ".x-1400.partial-99");
  CHECK(RunDirectory::create_numbered(tmp.path(), "x").final_path().filename() == "x-1401");
}

TEST_CASE("files are opened by plain name, once, and only before commit",
          "[metrics][run_directory]") {
  TempFolder tmp;
  RunDirectory run = RunDirectory::create_numbered(tmp.path(), "files");
  CHECK_THROWS_AS(run.open(""), std::invalid_argument);
  CHECK_THROWS_AS(run.open("."), std::invalid_argument);
  CHECK_THROWS_AS(run.open(".."), std::invalid_argument);
  CHECK_THROWS_AS(run.open("../escape.csv"), std::invalid_argument);
  CHECK_THROWS_AS(run.open("a/b.csv"), std::invalid_argument);
  run.open("ops.csv") << "1";
  CHECK_THROWS_AS(run.open("ops.csv"), std::invalid_argument);
  run.commit();
  CHECK_THROWS_AS(run.open("late.csv"), std::logic_error);
  CHECK_THROWS_AS(run.commit(), std::logic_error);
  CHECK(entries(tmp.path()) == std::set<std::string>{"files-001"});
}

TEST_CASE("a moved run directory keeps its open files and commits once",
          "[metrics][run_directory]") {
  TempFolder tmp;
  RunDirectory original = RunDirectory::create_numbered(tmp.path(), "moved");
  std::ostream& out = original.open("a.csv");
  RunDirectory moved = std::move(original);
  out << "still open";
  RunDirectory other = RunDirectory::create_numbered(tmp.path(), "other");
  other = std::move(moved);
  other.commit();
  CHECK(entries(tmp.path()) == std::set<std::string>{"moved-001"});
  CHECK(read_file(tmp.path() / "moved-001" / "a.csv") == "still open");
}

TEST_CASE("sanitize_name keeps safe characters and replaces the rest", "[metrics][run_directory]") {
  CHECK(sanitize_name("raid6-provisioning_v2.1") == "raid6-provisioning_v2.1");
  CHECK(sanitize_name("<script>alert(1)</script>") == "script_alert_1_script");
  CHECK(sanitize_name("a b/c") == "a_b_c");
  CHECK(sanitize_name("a  //  b") == "a_b");
  CHECK(sanitize_name("") == "run");
  CHECK(sanitize_name("...") == "run");
  CHECK(sanitize_name("___") == "run");
  CHECK(sanitize_name("../../etc/passwd") == "etc_passwd");
  CHECK(sanitize_name(".hidden") == "hidden");
  CHECK(sanitize_name("-rf") == "rf");
  CHECK(sanitize_name("café crème") == "caf_cr_me");
  CHECK(sanitize_name(std::string(100, 'a')) == std::string(64, 'a'));
  CHECK(sanitize_name(std::string(63, 'a') + " b") == std::string(63, 'a'));
}

namespace {

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("lunsim-atomic-" + std::to_string(::getpid()));
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("write_file_atomically creates or replaces only regular files, and leaves nothing else behind") {
  Scratch s;
  write_file_atomically(s.dir / "report.txt", "first\n");
  write_file_atomically(s.dir / "report.txt", "second\n");
  CHECK(slurp(s.dir / "report.txt") == "second\n");
  CHECK(s.names() == std::set<std::string>{"report.txt"});
  // A symbolic link, a directory, a device: refused before anything is written.
  fs::create_symlink(s.dir / "report.txt", s.dir / "link");
  fs::create_directory(s.dir / "sub");
  CHECK_THROWS_WITH(write_file_atomically(s.dir / "link", "x"), Catch::Contains("a symbolic link"));
  CHECK_THROWS_WITH(write_file_atomically(s.dir / "sub", "x"), Catch::Contains("a directory"));
  CHECK_THROWS_WITH(write_file_atomically("/dev/null", "x"), Catch::Contains("/dev/null: exists and is not a regular file"));
  CHECK_THROWS_WITH(write_file_atomically("", "x"), Catch::Contains("empty output path"));
  CHECK_THROWS_WITH(write_file_atomically(s.dir / "absent" / "x", "x"), Catch::Contains("does not exist"));
  CHECK(fs::is_symlink(s.dir / "link"));
  CHECK(slurp(s.dir / "report.txt") == "second\n");
  CHECK(s.names() == std::set<std::string>{"report.txt", "link", "sub"});
  // A name at the file system's limit: the temporary name is short, so it works.
  const std::string longest(255, 'n');
  write_file_atomically(s.dir / longest, "long\n");
  CHECK(slurp(s.dir / longest) == "long\n");
}

TEST_CASE("write_file_atomically reports a write error with the system's reason and removes its temporary file") {
  // A file-size limit makes write(2) fail with EFBIG the way a full disk fails with ENOSPC: the
  // same path, the same message shape. Run in a child so the limit does not outlive the test.
  Scratch s;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomically(s.dir / "big.txt", std::string(1 << 20, 'x'));
      ::_exit(10);
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      const bool named = what.find("big.txt: write failed: " + std::string(std::strerror(EFBIG))) != std::string::npos;
      ::_exit(named ? 0 : 11);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(s.names().empty());  // neither the file nor the temporary one
}
