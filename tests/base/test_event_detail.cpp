// The events.csv detail grammar (sim/base/event_detail.hpp): one writer, one parser.
#include "sim/base/event_detail.hpp"
#include "sim/base/name_table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sim::base::EventDetail;
namespace key = sim::base::detail_key;

TEST_CASE("a detail is key=value fields separated by spaces, then an optional note", "[base][events]") {
  EventDetail d;
  d.field(key::status, "VDS_DRS_FAILED").field(key::health, "VDS_H_FAILED");
  CHECK(d.str() == "status=VDS_DRS_FAILED health=VDS_H_FAILED");
  d.note("(hot spare taken for shelf-1/3)");
  CHECK(d.str() == "status=VDS_DRS_FAILED health=VDS_H_FAILED (hot spare taken for shelf-1/3)");
  CHECK(EventDetail{}.note("replaced").str() == "replaced");
  CHECK(EventDetail{}.field(key::size, std::uint64_t{21474840576}).str() == "size=21474840576");
  CHECK(EventDetail{}.str().empty());
}

TEST_CASE("values with a space or a quote, and empty values, are quoted with doubled quotes", "[base][events]") {
  CHECK(EventDetail{}.field(key::lun, "my db").str() == "lun=\"my db\"");
  CHECK(EventDetail{}.field(key::lun, "a\"b c").str() == "lun=\"a\"\"b c\"");
  CHECK(EventDetail{}.field(key::lun, "").str() == "lun=\"\"");
  CHECK(EventDetail{}.field(key::lun, "\"x").str() == "lun=\"\"\"x\"");
  // Other punctuation stays bare: ';', '=', '>' and ':' are part of a value.
  CHECK(EventDetail{}.field(key::paths, "h0>c0p0:VDS_MPS_ONLINE;h1>c1p1:VDS_MPS_FAILED").str() ==
        "paths=h0>c0p0:VDS_MPS_ONLINE;h1>c1p1:VDS_MPS_FAILED");
  CHECK(EventDetail{}.field(key::lun, "a=b").str() == "lun=a=b");
}

TEST_CASE("parse reads back what str writes, for every form", "[base][events]") {
  const std::vector<EventDetail> details = {
      EventDetail{}.field(key::status, "VDS_LS_ONLINE").field(key::health, "VDS_H_HEALTHY"),
      EventDetail{}.field(key::rebuild, "start").field(key::lun, "my db"),
      EventDetail{}.field(key::lun, "say \"hi\" twice").field(key::size, std::uint64_t{7}),
      EventDetail{}.field(key::lun, "").note("trailing words"),
      EventDetail{}.field(key::flags, "0").note("(hot spare taken for d3)"),
      EventDetail{}.field(key::type, "VDS_LT_RAID5").field(key::size, std::uint64_t{4096}).note(
          "placement spread: 6 members over 3 enclosures"),
      EventDetail{}.note("data loss: 3 sector(s) unreadable during rebuild"),
      EventDetail{}.field(key::online, std::uint64_t{1}).field(key::standby, std::uint64_t{2}).field(key::failed, std::uint64_t{0})
          .field(key::paths, "h>c:VDS_MPS_ONLINE;h>d:VDS_MPS_STANDBY"),
      EventDetail{},
  };
  for (const EventDetail& d : details) {
    INFO(d.str());
    CHECK(EventDetail::parse(d.str()) == d);
    CHECK(EventDetail::parse(d.str()).str() == d.str());
  }
}

TEST_CASE("text that is not a field starts the note, and lookups find fields by key", "[base][events]") {
  const EventDetail d = EventDetail::parse("online=2 standby=1 failed=0 paths=x");
  CHECK(d.number(key::online) == 2u);
  CHECK(d.number(key::standby) == 1u);
  CHECK(d.get(key::paths) == "x");
  CHECK_FALSE(d.get(key::status));
  CHECK(d.note().empty());
  const EventDetail n = EventDetail::parse("flags=0 (hot spare taken for shelf-1/3)");
  CHECK(n.fields().size() == 1);
  CHECK(n.get(key::flags) == "0");
  CHECK(n.note() == "(hot spare taken for shelf-1/3)");
  CHECK(EventDetail::parse("restored after data loss").fields().empty());
  CHECK(EventDetail::parse("restored after data loss").note() == "restored after data loss");
  // Not fields: an upper-case key, no value, an unclosed quote, a quote followed by text.
  CHECK(EventDetail::parse("Status=1").note() == "Status=1");
  CHECK(EventDetail::parse("size= x").note() == "size= x");
  CHECK(EventDetail::parse("lun=\"open").note() == "lun=\"open");
  CHECK(EventDetail::parse("lun=\"a\"b").note() == "lun=\"a\"b");
  CHECK(EventDetail::parse("size=12x").number(key::size) == std::nullopt);
  CHECK(EventDetail::parse("size=12x").get(key::size) == "12x");
}

namespace {
enum class Colour { Red, Green, Blue };
constexpr sim::base::NameTable<Colour, 3> colour_names{{{{Colour::Red, "red"}, {Colour::Green, "green"}, {Colour::Blue, "blue"}}}};
} // namespace

TEST_CASE("a name table names, parses and lists an enum's values from one table", "[base][names]") {
  STATIC_REQUIRE(colour_names.name(Colour::Green) == "green");
  STATIC_REQUIRE(colour_names.parse("blue") == Colour::Blue);
  STATIC_REQUIRE(!colour_names.parse("Blue").has_value());
  CHECK(std::string(colour_names.c_str(Colour::Red)) == "red");
  CHECK(colour_names.accepted() == "red, green, blue");
  CHECK(colour_names.names() == std::vector<std::string>{"red", "green", "blue"});
  CHECK(colour_names.name(static_cast<Colour>(7)) == "unknown");
}
