#include "sim/base/diagnostic.hpp"
#include "sim/base/sha256.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using namespace sim::base;

TEST_CASE("a diagnostic formats as file:line:column: severity: message", "[base]") {
  REQUIRE(Diagnostic::error({"raid6.yaml", 14, 9}, "unknown key 'latncy'").format() ==
          "raid6.yaml:14:9: error: unknown key 'latncy'");
  REQUIRE(Diagnostic::warning({"a.yaml", 1, 1}, "unused key").format() == "a.yaml:1:1: warning: unused key");
  REQUIRE(Diagnostic::note({"a.yaml", 2, 3}, "defined here").format() == "a.yaml:2:3: note: defined here");
}

TEST_CASE("a diagnostic leaves out the parts of its position that are unknown", "[base]") {
  REQUIRE(Diagnostic::error({}, "no scenario given").format() == "error: no scenario given");
  REQUIRE(Diagnostic::error({"", 3, 4}, "bad").format() == "error: bad");
  REQUIRE(Diagnostic::error({"a.yaml", 0, 0}, "empty file").format() == "a.yaml: error: empty file");
  REQUIRE(Diagnostic::error({"a.yaml", 3, 0}, "bad").format() == "a.yaml:3: error: bad");
  REQUIRE(Diagnostic::error({"a.yaml", 0, 7}, "bad").format() == "a.yaml: error: bad");
}

TEST_CASE("a diagnostic streams as its formatted text", "[base]") {
  std::ostringstream os;
  os << Diagnostic::error({"a.yaml", 2, 5}, "bad");
  REQUIRE(os.str() == "a.yaml:2:5: error: bad");
  REQUIRE(std::string(to_string(Severity::Error)) == "error");
  REQUIRE(std::string(to_string(Severity::Warning)) == "warning");
  REQUIRE(std::string(to_string(Severity::Note)) == "note");
}

TEST_CASE("diagnostics sort by file, line and column, keeping the order of equal positions", "[base]") {
  std::vector<Diagnostic> ds = {
      Diagnostic::error({"b.yaml", 1, 1}, "b"),        Diagnostic::error({"a.yaml", 10, 2}, "a10"),
      Diagnostic::error({"a.yaml", 2, 9}, "a2-first"), Diagnostic::note({"a.yaml", 2, 9}, "a2-second"),
      Diagnostic::error({"a.yaml", 2, 3}, "a2c3"),     Diagnostic::warning({"a.yaml", 2, 9}, "a2-third"),
  };
  sort_by_position(ds);
  std::vector<std::string> order;
  for (const auto& d : ds)
    order.push_back(d.message);
  REQUIRE(order == std::vector<std::string>{"a2c3", "a2-first", "a2-second", "a2-third", "a10", "b"});
}

TEST_CASE("has_errors is true only when some diagnostic is an error", "[base]") {
  REQUIRE_FALSE(has_errors({}));
  REQUIRE_FALSE(has_errors({Diagnostic::warning({}, "w"), Diagnostic::note({}, "n")}));
  REQUIRE(has_errors({Diagnostic::warning({}, "w"), Diagnostic::error({}, "e")}));
}


TEST_CASE("sha256 matches the FIPS 180-4 test vectors", "[base][sha256]") {
  using sim::base::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
