#include "sim/trace/trace.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sim::trace {

namespace {

constexpr std::size_t chunk = std::size_t{1} << 16;

struct Field {
  std::string_view text;
  int column = 0;  // 1-based
};

std::string shown(std::string_view s) {
  constexpr std::size_t limit = 40;
  if (s.size() <= limit) return "\"" + std::string(s) + "\"";
  return "\"" + std::string(s.substr(0, limit)) + "...\" (" + std::to_string(s.size()) + " bytes)";
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool all_digits(std::string_view d) {
  return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

struct Reader::Impl {
  Format format = Format::Fio;
  std::string name;
  int fd = -1;
  std::string text;        // from_text: the whole trace; else the read buffer
  std::size_t begin = 0;   // unread part of `text`: [begin, end)
  std::size_t end = 0;
  bool eof = false;
  std::uint64_t line = 0;
  int version = 0;         // fio
  bool summary = false;    // blkparse: its closing summary reached
  std::uint64_t ignored = 0;
  std::uint64_t clamped = 0;
  base::Duration last{};   // the previous record's time
  base::Duration waited{}; // fio v2: the sum of the waits so far
  std::uint64_t msr_first = 0;
  bool msr_started = false;
  std::string device;      // msr: Hostname_DiskNumber
  std::vector<Field> fields;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  [[noreturn]] void fail(int column, std::string message) const {
    const int shown_line = line > static_cast<std::uint64_t>(INT32_MAX) ? INT32_MAX : static_cast<int>(line);
    throw TraceError(base::Diagnostic::error(base::SourceLoc{name, shown_line, column},
                                             "trace " + std::string(format_names.name(format)) + ": " + message));
  }
  [[noreturn]] void fail_file(std::string message) const {
    throw TraceError(base::Diagnostic::error(base::SourceLoc{name, 0, 0}, std::move(message)));
  }

  // Reads more of the file into `text`; false at its end.
  bool fill() {
    if (fd < 0 || eof) return false;
    if (begin > 0) {
      text.erase(0, begin);
      end -= begin;
      begin = 0;
    }
    text.resize(end + chunk);
    for (;;) {
      const ssize_t n = ::read(fd, text.data() + end, chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int e = errno;
        text.resize(end);
        fail_file("cannot read the trace: " + std::string(std::strerror(e)));
      }
      text.resize(end + static_cast<std::size_t>(n));
      end += static_cast<std::size_t>(n);
      if (n == 0) eof = true;
      return n > 0;
    }
  }

  // The next line without its end ("\n" or "\r\n"); false at the end of the input.
  bool getline(std::string_view& out) {
    for (;;) {
      const char* start = text.data() + begin;
      const void* nl = std::memchr(start, '\n', end - begin);
      if (nl != nullptr || (fd < 0 || eof)) {
        if (nl == nullptr && begin == end) return false;
        const std::size_t len = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : end - begin;
        ++line;
        out = std::string_view(start, len);
        begin += len + (nl != nullptr ? 1 : 0);
        if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
        if (out.size() > max_line) fail(0, "line longer than " + std::to_string(max_line) + " bytes");
        return true;
      }
      if (end - begin > max_line + 1) {
        ++line;
        fail(0, "line longer than " + std::to_string(max_line) + " bytes");
      }
      fill();
    }
  }

  void split(std::string_view s, char comma) {
    fields.clear();
    std::size_t i = 0;
    if (comma == 0) {
      while (i < s.size()) {
        while (i < s.size() && is_blank(s[i])) ++i;
        if (i == s.size()) break;
        const std::size_t j = i;
        while (i < s.size() && !is_blank(s[i])) ++i;
        fields.push_back(Field{s.substr(j, i - j), static_cast<int>(j + 1)});
      }
      return;
    }
    for (;;) {
      const std::size_t j = s.find(comma, i);
      const std::size_t stop = j == std::string_view::npos ? s.size() : j;
      std::string_view f = s.substr(i, stop - i);
      std::size_t lead = 0;
      while (lead < f.size() && is_blank(f[lead])) ++lead;
      f.remove_prefix(lead);
      while (!f.empty() && is_blank(f.back())) f.remove_suffix(1);
      fields.push_back(Field{f, static_cast<int>(i + lead + 1)});
      if (j == std::string_view::npos) break;
      i = j + 1;
    }
  }

  std::uint64_t number(const Field& f, const char* what, const char* accepted) const {
    std::uint64_t v = 0;
    const char* begin_at = f.text.data();
    const char* end_at = begin_at + f.text.size();
    const auto [p, ec] = std::from_chars(begin_at, end_at, v);
    if (f.text.empty() || ec == std::errc::invalid_argument || p != end_at)
      fail(f.column, std::string("field '") + what + "': expected " + accepted + ", found " + shown(f.text));
    if (ec == std::errc::result_out_of_range)
      fail(f.column, std::string("field '") + what + "': " + shown(f.text) + " is too large (at most 2^64 - 1)");
    return v;
  }

  const Field& field(std::size_t i, const char* what) const {
    if (i >= fields.size()) fail(0, std::string("field '") + what + "' is missing");
    return fields[i];
  }

  // `t` as a record time, never earlier than the previous record's.
  base::Duration stamp(base::Duration t) {
    if (t < last) {
      ++clamped;
      return last;
    }
    last = t;
    return t;
  }

  base::Duration micros(std::uint64_t us, const Field& f, const char* what) const {
    if (us > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000))
      fail(f.column, std::string("field '") + what + "': " + shown(f.text) + " microseconds is beyond the simulated clock (292 years)");
    return std::chrono::microseconds(static_cast<std::int64_t>(us));
  }

  void header() {
    if (format != Format::Fio) return;
    std::string_view first;
    if (!getline(first)) {
      line = 1;
      fail(1, "empty trace: the first line must be \"fio version 2 iolog\" or \"fio version 3 iolog\"");
    }
    if (first == "fio version 2 iolog") version = 2;
    else if (first == "fio version 3 iolog") version = 3;
    else
      fail(1, "the first line must be \"fio version 2 iolog\" or \"fio version 3 iolog\" (fio's write_iolog), found " +
                  shown(first));
  }

  void reset() {
    begin = end = 0;
    eof = false;
    line = 0;
    version = 0;
    summary = false;
    ignored = clamped = 0;
    last = waited = base::Duration::zero();
    msr_first = 0;
    msr_started = false;
    if (fd >= 0) {
      if (::lseek(fd, 0, SEEK_SET) != 0) fail_file("cannot rewind the trace: " + std::string(std::strerror(errno)));
      text.clear();
    } else {
      end = text.size();
    }
    header();
  }

  bool next_fio(Record& r) {
    std::string_view s;
    while (getline(s)) {
      split(s, 0);
      if (fields.empty()) continue;
      std::size_t at = 0;
      base::Duration t = waited;
      if (version == 3) {
        const Field& ts = field(0, "timestamp");
        t = micros(number(ts, "timestamp", "microseconds since the start (a whole number)"), ts, "timestamp");
        at = 1;
      }
      const Field& file = field(at, "filename");
      const Field& action = field(at + 1, "action");
      const std::string_view a = action.text;
      const bool io = a == "read" || a == "write";
      // fio writes its syncs with an offset and a length (0 0) and reads them with or without.
      const bool sync = a == "sync" || a == "datasync" || a == "sync_file_range";
      const bool with_range = io || a == "trim" || (version == 2 && a == "wait") || (sync && fields.size() > at + 2);
      const bool file_action = a == "add" || a == "open" || a == "close" || sync;
      if (!io && !with_range && !file_action) {
        if (a == "wait")
          fail(action.column, "field 'action': 'wait' is not allowed in version 3 (its timestamps give the times)");
        fail(action.column, "field 'action': expected read, write, trim, sync, datasync, sync_file_range, add, open, close" +
                                std::string(version == 2 ? " or wait" : "") + ", found " + shown(a));
      }
      const std::size_t want = at + (with_range ? 4 : 2);
      if (fields.size() > want)
        fail(fields[want].column, "unexpected field " + shown(fields[want].text) + " after the " +
                                      (with_range ? "length" : "action"));
      if (!with_range) {
        ++ignored;
        continue;
      }
      const Field& off = field(at + 2, "offset");
      const Field& len = field(at + 3, "length");
      const std::uint64_t offset = number(off, "offset", "a byte offset (a whole number)");
      const std::uint64_t length = number(len, "length", "a byte count (a whole number)");
      if (a == "wait") {
        // fio: "Wait for `offset` microseconds. Everything below 100 is discarded."
        if (offset >= 100) {
          const base::Duration w = micros(offset, off, "offset");
          if (w > base::Duration::max() - waited)
            fail(off.column, "field 'offset': the waits add up beyond the simulated clock (292 years)");
          waited += w;
        }
        ++ignored;
        continue;
      }
      if (!io || length == 0) {
        ++ignored;
        continue;
      }
      r.time = stamp(t);
      r.device = file.text;
      r.op = a == "read" ? Op::Read : Op::Write;
      r.offset = offset;
      r.size = length;
      r.line = line;
      return true;
    }
    return false;
  }

  bool next_blkparse(Record& r) {
    std::string_view s;
    while (!summary && getline(s)) {
      split(s, 0);
      if (fields.empty()) continue;
      const std::string_view head = fields[0].text;
      if (head.starts_with("CPU") || head == "Total" || head == "Throughput" || head == "Events" || head == "Skips") {
        summary = true;
        break;
      }
      // MAJ,MIN
      const std::size_t comma = head.find(',');
      if (comma == std::string_view::npos || !all_digits(head.substr(0, comma)) || !all_digits(head.substr(comma + 1)))
        fail(fields[0].column, "field 'device': expected MAJOR,MINOR (e.g. 8,0), found " + shown(head));
      number(field(1, "cpu"), "cpu", "a CPU number");
      number(field(2, "sequence"), "sequence", "a sequence number");
      const Field& tf = field(3, "time");
      const base::Duration t = seconds(tf);
      const Field& action = field(5, "action");
      if (action.text != "D") {
        ++ignored;
        continue;
      }
      number(field(4, "pid"), "pid", "a process id");
      const Field& rwbs = field(6, "rwbs");
      const std::string_view flags = rwbs.text;
      if (flags.empty() || !std::all_of(flags.begin(), flags.end(), [](char c) { return std::strchr("RWDNFSMAB", c) != nullptr; }))
        fail(rwbs.column, "field 'rwbs': expected blkparse's RWBS letters (R read, W write, D discard, F flush, N none, "
                          "S sync, M metadata, A read-ahead, B barrier), found " + shown(flags));
      const bool discard = flags.find('D') != std::string_view::npos;
      const bool read = flags.find('R') != std::string_view::npos;
      const bool write = flags.find('W') != std::string_view::npos;
      if (discard || (!read && !write)) {
        ++ignored;
        continue;
      }
      const Field& sector = field(7, "sector");
      const std::uint64_t first = number(sector, "sector", "a sector number (512-byte units)");
      const Field& plus = field(8, "'+'");
      if (plus.text != "+") fail(plus.column, "expected '+' between the sector and the block count, found " + shown(plus.text));
      const Field& blocks = field(9, "blocks");
      const std::uint64_t count = number(blocks, "blocks", "a block count (512-byte units)");
      if (first > std::numeric_limits<std::uint64_t>::max() / 512 || count > std::numeric_limits<std::uint64_t>::max() / 512)
        fail(sector.column, "field 'sector': the request lies beyond 2^64 bytes");
      if (count == 0) {
        ++ignored;
        continue;
      }
      r.time = stamp(t);
      r.device = head;
      r.op = read ? Op::Read : Op::Write;
      r.offset = first * 512;
      r.size = count * 512;
      r.line = line;
      return true;
    }
    return false;
  }

  // "SECONDS.NANOSECONDS" (1 to 9 fraction digits).
  base::Duration seconds(const Field& f) const {
    const std::string_view t = f.text;
    const std::size_t dot = t.find('.');
    if (dot == std::string_view::npos || !all_digits(t.substr(0, dot)) || !all_digits(t.substr(dot + 1)) || t.size() - dot - 1 > 9)
      fail(f.column, "field 'time': expected seconds with up to 9 decimals (e.g. 0.000137285), found " + shown(t));
    std::uint64_t whole = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + dot, whole);
    if (ec != std::errc() || whole > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1))
      fail(f.column, "field 'time': " + shown(t) + " is beyond the simulated clock (292 years)");
    std::uint64_t ns = 0;
    for (std::size_t k = dot + 1; k < dot + 10; ++k) ns = ns * 10 + (k < t.size() ? static_cast<std::uint64_t>(t[k] - '0') : 0);
    return base::Duration(static_cast<std::int64_t>(whole * 1'000'000'000 + ns));
  }

  bool next_msr(Record& r) {
    std::string_view s;
    while (getline(s)) {
      if (s.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (line == 1 && s.starts_with("Timestamp,")) {
        ++ignored;
        continue;
      }
      split(s, ',');
      if (fields.size() != 7)
        fail(fields.size() > 7 ? fields[7].column : 0,
             "expected 7 comma-separated fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), found " +
                 std::to_string(fields.size()));
      const Field& ts = fields[0];
      const std::uint64_t ticks = number(ts, "Timestamp", "Windows FILETIME ticks of 100 ns (a whole number)");
      const Field& host = fields[1];
      if (host.text.empty() || host.text.find_first_of(" \t") != std::string_view::npos)
        fail(host.column, "field 'Hostname': expected a host name without blanks, found " + shown(host.text));
      const Field& disk = fields[2];
      number(disk, "DiskNumber", "a disk number (a whole number)");
      const Field& type = fields[3];
      auto is = [&](std::string_view want) {
        return type.text.size() == want.size() &&
               std::equal(want.begin(), want.end(), type.text.begin(),
                          [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b); });
      };
      const bool read = is("read");
      if (!read && !is("write")) fail(type.column, "field 'Type': expected Read or Write, found " + shown(type.text));
      const std::uint64_t offset = number(fields[4], "Offset", "a byte offset (a whole number)");
      const std::uint64_t size = number(fields[5], "Size", "a byte count (a whole number)");
      number(fields[6], "ResponseTime", "ticks of 100 ns (a whole number)");
      if (!msr_started) {
        msr_started = true;
        msr_first = ticks;
      }
      base::Duration t = last;
      if (ticks >= msr_first) {
        const std::uint64_t d = ticks - msr_first;
        if (d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 100))
          fail(ts.column, "field 'Timestamp': " + shown(ts.text) + " is more than 29,000 years after the first line's");
        t = base::Duration(static_cast<std::int64_t>(d) * 100);
      } else {
        t = base::Duration(-1);  // before the first line: clamped
      }
      if (size == 0) {
        ++ignored;
        continue;
      }
      device.assign(host.text);
      device += '_';
      device.append(disk.text);
      r.time = stamp(t);
      r.device = device;
      r.op = read ? Op::Read : Op::Write;
      r.offset = offset;
      r.size = size;
      r.line = line;
      return true;
    }
    return false;
  }
};

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Reader::Reader(const std::filesystem::path& path, Format format, std::string name) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.format = format;
  m.name = name.empty() ? path.string() : std::move(name);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    m.fail_file("cannot open the trace: " + std::string(e == ENOENT ? "no such file or directory" : std::strerror(e)));
  }
  m.fd = fd;
  struct stat st {};
  if (::fstat(fd, &st) != 0) m.fail_file("cannot open the trace: " + std::string(std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    m.fail_file(std::string("cannot open the trace: ") +
                (S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file (a device, FIFO or socket)"));
  m.text.reserve(chunk + max_line + 2);
  m.reset();
}

Reader Reader::from_text(std::string text, Format format, std::string name) {
  auto m = std::make_unique<Impl>();
  m->format = format;
  m->name = std::move(name);
  m->text = std::move(text);
  m->reset();
  return Reader(std::move(m));
}

Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

bool Reader::next(Record& r) {
  switch (impl_->format) {
    case Format::Fio: return impl_->next_fio(r);
    case Format::Blkparse: return impl_->next_blkparse(r);
    case Format::Msr: return impl_->next_msr(r);
  }
  return false;
}

void Reader::rewind() { impl_->reset(); }
Format Reader::format() const { return impl_->format; }
int Reader::fio_version() const { return impl_->version; }
std::uint64_t Reader::ignored() const { return impl_->ignored; }
std::uint64_t Reader::clamped() const { return impl_->clamped; }
const std::string& Reader::name() const { return impl_->name; }

} // namespace sim::trace
