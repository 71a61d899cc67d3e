#include "sim/scenario/yaml_reader.hpp"

#include "sim/base/units.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/scenario/loader.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace sim::scenario::detail {

namespace {

bool contains(const YAML::Node& root, const YAML::Node& n) {
  if (root.is(n)) return true;
  if (root.IsMap()) {
    for (const auto& kv : root)
      if (contains(kv.first, n) || contains(kv.second, n)) return true;
  } else if (root.IsSequence()) {
    for (const auto& item : root)
      if (contains(item, n)) return true;
  }
  return false;
}

/// Offset of the scalar's text from its mark: 1 for quoted scalars.
std::size_t text_offset(const YAML::Node& v) { return v.Tag() == "!" ? 1 : 0; }

// -- YAML syntax errors in our words ---------------------------------------------------------

/// Offsets of the line starts of `text`.
std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

std::size_t offset_of(const std::vector<std::size_t>& starts, std::string_view text, int line, int column) {
  if (line < 0) return 0;
  const std::size_t l = std::min(static_cast<std::size_t>(line), starts.size() - 1);
  return std::min(starts[l] + static_cast<std::size_t>(std::max(column, 0)), text.size());
}

YamlError error_at_offset(const std::vector<std::size_t>& starts, std::size_t offset, std::string message) {
  const auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - starts.begin()) - 1;
  return YamlError{static_cast<int>(line), static_cast<int>(offset - starts[line]), std::move(message)};
}

/// The innermost flow bracket ('{' or '[') still open at `limit`, skipping comments and quoted
/// strings; npos when none. A bracket or quote opens only where a value may start (after
/// indentation, ':', '-', '?', ',' or another bracket), as in YAML.
std::size_t unclosed_bracket(std::string_view text, std::size_t limit) {
  std::vector<std::size_t> open;
  char prev = '\n';  // last non-blank character ('\n' at the start of a line)
  for (std::size_t i = 0; i < limit && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      prev = '\n';
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    const bool value_start = prev == '\n' || prev == ':' || prev == '-' || prev == '?' || prev == ',' ||
                             prev == '{' || prev == '[';
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < limit && text[i + 1] != '\n') ++i;
      continue;
    }
    if ((c == '"' || c == '\'') && value_start) {
      for (++i; i < limit; ++i) {
        if (c == '"' && text[i] == '\\') ++i;
        else if (c == '\'' && text[i] == '\'' && i + 1 < limit && text[i + 1] == '\'') ++i;
        else if (text[i] == c) break;
      }
      prev = c;
      continue;
    }
    if ((c == '{' || c == '[') && (value_start || !open.empty())) open.push_back(i);
    else if ((c == '}' || c == ']') && !open.empty()) open.pop_back();
    prev = c;
  }
  return open.empty() ? std::string_view::npos : open.back();
}

// -- bounds checked before yaml-cpp sees the text ----------------------------------------------

/// A scenario (or a --set value) larger than this is refused before parsing.
constexpr std::size_t max_yaml_bytes = std::size_t{16} << 20;
/// Flow collections ('[', '{') nested deeper than this are refused: yaml-cpp parses them by
/// recursion, so a long run of '[' would exhaust the stack.
constexpr std::size_t max_flow_depth = 64;
/// Nodes of the document counted with every alias expanded: nested anchors and aliases ("billion
/// laughs") make a few hundred bytes stand for billions of nodes, which every walk over the tree
/// would visit.
constexpr std::size_t max_expanded_nodes = 1'000'000;

/// What yaml-cpp must not be given: an oversized text, flow collections nested beyond
/// max_flow_depth, more than max_expanded_nodes entries (counted by their separators: ',' in a
/// flow collection, ': ', '- ', '[' and '{'; yaml-cpp keeps some 450 bytes per node, so a
/// megabyte of ',' would cost a gigabyte before any check ran). It also names the common shapes
/// of a ',' that belongs to no value (first in a document, after a closed top-level value, left of
/// the first key) with messages of their own; that LoadAll cannot loop on such a ',' is
/// parse_yaml's bounded first pass's job, not this scan's. Comments and quoted strings are
/// skipped as in unclosed_bracket.
std::optional<YamlError> prescan(std::string_view text, const std::vector<std::size_t>& starts) {
  if (text.size() > max_yaml_bytes)
    return YamlError{0, 0, "the text is " + std::to_string(text.size()) + " bytes; a scenario may have at most " +
                               std::to_string(max_yaml_bytes) + " (16 MiB)"};
  // yaml-cpp reads UTF-16 and UTF-32 too, detected from a byte-order mark or NUL bytes at the
  // start: every check here reads bytes as UTF-8, so such a text is refused, as is a NUL anywhere.
  if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0)
    return error_at_offset(starts, 0, "the text starts with a UTF-16 byte-order mark: a scenario is UTF-8 text "
                                      "(save it as UTF-8)");
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return error_at_offset(starts, nul, "a NUL byte: a scenario is UTF-8 text (a UTF-16 or UTF-32 file? save it as UTF-8)");
  std::size_t depth = 0;
  std::size_t entries = 0;
  bool document_start = true;  // no token yet in the current document
  bool value_ended = false;    // the last token closed a top-level flow collection or quoted scalar
  char token_first = '\n';     // the first character of the current token
  std::size_t root_column = 0; // the column of the document's first token
  char prev = '\n';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      prev = '\n';
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    const bool line_start = i == 0 || prev == '\n';
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (line_start && depth == 0 && (i == 0 || text[i - 1] == '\n')) {
      // Document markers and directives at the start of a line.
      const std::string_view rest = text.substr(i);
      const bool marker = (rest.rfind("---", 0) == 0 || rest.rfind("...", 0) == 0) &&
                          (rest.size() == 3 || rest[3] == ' ' || rest[3] == '\t' || rest[3] == '\n' || rest[3] == '\r');
      if (marker) {
        document_start = true;
        i += 2;
        prev = ' ';
        continue;
      }
      if (c == '%' && document_start) {
        while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
        continue;
      }
    }
    if (document_start && c == ',')
      return error_at_offset(starts, i, "unexpected ',' at the start of the document (a value cannot begin with ','; quote it)");
    // An anchor or a tag before the document's first value ("&a ,", "!x,b"): LoadAll loops on a
    // ',' after it as on a ',' first. Skip the property (it ends at a blank, a ',' or a bracket);
    // the document has not started yet.
    if (document_start && (c == '&' || c == '!') && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && std::string_view(" \t\r\n,[]{}").find(text[i + 1]) == std::string_view::npos) ++i;
      prev = ' ';
      continue;
    }
    // Only at a line's first token or a document's: the scan back stops at the line's start.
    auto column = [&] {
      const std::size_t nl = text.rfind('\n', i);
      return nl == std::string_view::npos ? i : i - nl - 1;
    };
    if (document_start) root_column = column();
    // A ',' left of the document's first key (the top-level collection has ended) makes LoadAll
    // loop as well.
    if (c == ',' && depth == 0 && line_start && column() < root_column)
      return error_at_offset(starts, i, "unexpected ',' left of the document's first key (column " +
                                            std::to_string(root_column + 1) + "): it belongs to no value; quote it or indent it");
    // After a complete top-level flow collection or quoted scalar, a ',' makes LoadAll loop too.
    if (value_ended && c == ',')
      return error_at_offset(starts, i, "unexpected ',' after a complete value (outside '[...]' and '{...}' a ',' "
                                        "cannot follow a quoted value or a closed bracket)");
    value_ended = false;
    document_start = false;
    // A token starts after white space; one after an anchor ("&a [") or a tag starts a value too.
    const bool token_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n';
    const bool after_property = token_start && (token_first == '&' || token_first == '!');
    if (token_start) token_first = c;
    const bool value_start = prev == '\n' || prev == ':' || prev == '-' || prev == '?' || prev == ',' || prev == '{' ||
                             prev == '[' || prev == ' ' || after_property;
    if ((c == '"' || c == '\'') && value_start) {
      for (++i; i < text.size(); ++i) {
        if (c == '"' && text[i] == '\\') ++i;
        else if (c == '\'' && text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
        else if (text[i] == c) break;
      }
      prev = c;
      value_ended = depth == 0;
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\n';
    const bool separated = next == ' ' || next == '\t' || next == '\n' || next == '\r';
    const bool opens = (c == '{' || c == '[') && (value_start || depth > 0);
    if (opens || (c == ',' && depth > 0) || (c == ':' && (separated || depth > 0)) || (c == '-' && value_start && separated))
      if (++entries > max_expanded_nodes)
        return error_at_offset(starts, i, "the document has more than " + std::to_string(max_expanded_nodes) +
                                              " entries (keys, values, list items); a scenario may have at most " +
                                              std::to_string(max_expanded_nodes));
    if (opens) {
      if (++depth > max_flow_depth)
        return error_at_offset(starts, i, "flow collections ('[' and '{') nested deeper than " +
                                              std::to_string(max_flow_depth) + " levels");
    } else if ((c == '}' || c == ']') && depth > 0) {
      value_ended = --depth == 0;
    }
    prev = c;
  }
  return std::nullopt;
}

/// True when yaml-cpp 0.7's LoadAll is certain to end on `text`: the text is UTF-8 (no NUL byte:
/// prescan refuses them and UTF-16 marks) with no lone CR (yaml-cpp breaks lines at LF and CRLF
/// only), its first token is a plain key at column 0 ("name: ..."; before it only blank lines,
/// comment lines, '%' directives and '---' lines), and no later line starts with "---", "..." or
/// '%'. The block map at column 0 is then the last document's root, and its indentation is only
/// popped by a document marker, a directive or the end of the text, so the root ends with the
/// text. Otherwise a token left over after the root (a ',' after a block scalar that ends the
/// root, "a\n#\n,", ...) makes LoadAll start empty documents without end: such texts get
/// parse_yaml's bounded first pass. Sound rather than exact: a text it doubts is only parsed twice.
bool one_root_map(std::string_view text) {
  for (std::size_t r = text.find('\r'); r != std::string_view::npos; r = text.find('\r', r + 1))
    if (r + 1 == text.size() || text[r + 1] != '\n') return false;
  std::size_t i = 0;
  bool key = false;
  while (i < text.size() && !key) {
    const std::size_t end = std::min(text.find('\n', i), text.size());
    const std::string_view line = text.substr(i, end - i);
    const std::size_t first = line.find_first_not_of(" \t\r");
    const bool marker = line.rfind("---", 0) == 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    const std::size_t after_marker = marker ? line.find_first_not_of(" \t\r", 3) : 0;
    if (first == std::string_view::npos || line[first] == '#' || (first == 0 && line[0] == '%') ||
        (marker && (after_marker == std::string_view::npos || line[after_marker] == '#'))) {
      i = end + 1;
      continue;
    }
    // The key: a letter or '_', then letters, digits, '_' and '-', then ':' and a blank or the end.
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!word(line[0])) return false;
    std::size_t k = 1;
    while (k < line.size() && (word(line[k]) || (line[k] >= '0' && line[k] <= '9') || line[k] == '-')) ++k;
    if (k == line.size() || line[k] != ':') return false;
    // (A CR here ends the line: every CR is followed by LF.)
    if (k + 1 < line.size() && line[k + 1] != ' ' && line[k + 1] != '\t' && line[k + 1] != '\r') return false;
    key = true;
    i = end + 1;
  }
  if (!key) return false;
  for (; i < text.size(); i = std::min(text.find('\n', i), text.size()) + 1) {
    const std::string_view rest = text.substr(i, 3);
    if (rest == "---" || rest == "..." || text[i] == '%') return false;
  }
  return true;
}

/// Parser events that only note where each document starts (parse_yaml's bounded first pass).
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Counts `n`'s nodes with aliases expanded, stopping past `budget`; true when within it.
bool within_nodes(const YAML::Node& n, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  if (n.IsMap()) {
    for (const auto& kv : n)
      if (!within_nodes(kv.first, budget) || !within_nodes(kv.second, budget)) return false;
  } else if (n.IsSequence()) {
    for (const auto& item : n)
      if (!within_nodes(item, budget)) return false;
  }
  return true;
}

YamlError describe(const YAML::ParserException& e, std::string_view text) {
  namespace msg = YAML::ErrorMsg;
  const auto starts = line_starts(text);
  const std::size_t at = offset_of(starts, text, e.mark.line, e.mark.column);
  const std::string& m = e.msg;
  auto here = [&](std::string message) { return error_at_offset(starts, at, std::move(message)); };
  const char c = at < text.size() ? text[at] : '\0';
  const std::string ch = c == '\0' || c == '\n' ? std::string("the end of the line") : q(std::string(1, c));

  // A tab in the indentation confuses yaml-cpp into unrelated messages: say so first.
  if (e.mark.line >= 0) {
    const std::size_t line_start = starts[std::min(static_cast<std::size_t>(e.mark.line), starts.size() - 1)];
    for (std::size_t i = line_start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t')
        return error_at_offset(starts, i, "tab character in the indentation (YAML indents with spaces only)");
  }
  if (m == msg::TAB_IN_INDENTATION)
    return here("tab character in the indentation (YAML indents with spaces only)");
  if (m == msg::END_OF_MAP_FLOW || m == msg::END_OF_SEQ_FLOW) {
    const std::size_t open = unclosed_bracket(text, at);
    const bool map = open != std::string_view::npos ? text[open] == '{' : m == msg::END_OF_MAP_FLOW;
    const std::string message = map ? "this '{' is never closed: expected '}' after the last 'key: value' of the map"
                                    : "this '[' is never closed: expected ']' after the last item of the list";
    return open != std::string_view::npos ? error_at_offset(starts, open, message) : here(message);
  }
  if (m == msg::FLOW_END) return here("unexpected " + ch + ": it closes no '{' or '['");
  if (m == msg::END_OF_MAP)
    return here("unexpected " + ch + " in a map: check the indentation (the keys of one map line up) and do not "
                "mix 'key: value' entries with '- ' list items at one level");
  if (m == msg::END_OF_SEQ)
    return here("unexpected " + ch + " in a list: check the indentation (the '- ' items of one list line up)");
  if (m == msg::MAP_VALUE)
    return here("unexpected ':': a 'key:' cannot follow a value on the same line, nor be indented under a plain "
                "value (quote a value that contains ': ')");
  if (m == msg::MAP_KEY) return here("unexpected '?' (complex map key): scenario keys are plain words");
  if (m == msg::BLOCK_ENTRY)
    return here("unexpected '- ' list item: check its indentation (a list cannot start on the line of another "
                "item's value)");
  if (m == msg::UNKNOWN_TOKEN)
    return here("unexpected character " + ch + " (quote a value that starts with it)");
  if (m == msg::UNKNOWN_ANCHOR) {
    std::size_t end = at + 1;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != ',' && text[end] != '}' &&
           text[end] != ']')
      ++end;
    const std::string alias(text.substr(at, end - at));
    return here("alias " + q(alias) + " refers to no anchor defined before it (define one with '&" +
                alias.substr(std::min<std::size_t>(1, alias.size())) + "')");
  }
  if (m.rfind(msg::INVALID_ESCAPE, 0) == 0)
    return here("unknown escape sequence '\\" + m.substr(std::string_view(msg::INVALID_ESCAPE).size()) +
                "' in a double-quoted value (write '\\\\' for a backslash, or use single quotes)");
  if (m == msg::INVALID_HEX || m.rfind(msg::INVALID_UNICODE, 0) == 0)
    return here("bad \\x, \\u or \\U escape in a double-quoted value (expected hexadecimal digits)");
  if (m == msg::EOF_IN_SCALAR) return here("the file ends inside a quoted value (add the closing quote)");
  if (m == msg::DOC_IN_SCALAR) return here("a document marker ('---' or '...') inside a quoted value");
  if (m == msg::CHAR_IN_SCALAR || m == msg::SINGLE_QUOTED_CHAR) return here("unexpected character " + ch + " in a value");
  if (m == msg::ZERO_INDENT_IN_BLOCK || m == msg::CHAR_IN_BLOCK)
    return here("bad block scalar header after '|' or '>' (accepted: an indentation digit 1-9 and '+' or '-')");
  if (m == msg::YAML_DIRECTIVE_ARGS || m.rfind(msg::YAML_VERSION, 0) == 0 || m == msg::YAML_MAJOR_VERSION ||
      m == msg::REPEATED_YAML_DIRECTIVE)
    return here("bad %YAML directive (accepted: one '%YAML 1.x' line before '---')");
  if (m == msg::TAG_DIRECTIVE_ARGS || m == msg::REPEATED_TAG_DIRECTIVE)
    return here("bad %TAG directive (scenarios need no tags)");
  if (m == msg::CHAR_IN_TAG_HANDLE || m == msg::TAG_WITH_NO_SUFFIX || m == msg::END_OF_VERBATIM_TAG ||
      m == msg::MULTIPLE_TAGS)
    return here("bad '!' tag (scenarios need no tags; quote a value that starts with '!')");
  if (m == msg::MULTIPLE_ANCHORS || m == msg::MULTIPLE_ALIASES || m == msg::ALIAS_CONTENT ||
      m == msg::ALIAS_NOT_FOUND || m == msg::ANCHOR_NOT_FOUND || m == msg::CHAR_IN_ALIAS ||
      m == msg::CHAR_IN_ANCHOR || m == msg::AMBIGUOUS_ANCHOR)
    return here("bad '&' anchor or '*' alias (quote a value that starts with '&' or '*')");
  return here("the text here is not valid YAML");
}

/// A quoted scalar under `n` whose closing quote is missing (yaml-cpp reads such a string to the
/// end of the file without complaint); npos when none.
std::size_t unterminated_quote(const YAML::Node& n, std::string_view text, const std::vector<std::size_t>& starts) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      const std::size_t a = unterminated_quote(kv.first, text, starts);
      if (a != std::string_view::npos) return a;
      const std::size_t b = unterminated_quote(kv.second, text, starts);
      if (b != std::string_view::npos) return b;
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      const std::size_t a = unterminated_quote(item, text, starts);
      if (a != std::string_view::npos) return a;
    }
  } else if (n.IsScalar() && n.Tag() == "!" && n.Mark().line >= 0) {
    const std::size_t at = offset_of(starts, text, n.Mark().line, n.Mark().column);
    const char quote = at < text.size() ? text[at] : '\0';
    if (quote != '"' && quote != '\'') return std::string_view::npos;
    for (std::size_t i = at + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') ++i;
      else if (quote == '\'' && text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
      else if (text[i] == quote) return std::string_view::npos;
    }
    return at;
  }
  return std::string_view::npos;
}

} // namespace

std::optional<YAML::Node> parse_yaml(std::string_view text, YamlError& error) {
  const auto starts = line_starts(text);
  if (auto bad = prescan(text, starts)) {
    error = std::move(*bad);
    return std::nullopt;
  }
  std::vector<YAML::Node> docs;
  try {
    // A token yaml-cpp's parser never consumes at the document level (a ',' after the root
    // ends) makes LoadAll start empty documents without end. Unless LoadAll is certain to end
    // (one_root_map), the text is first parsed for its events only, at most two documents: a
    // second one is an error, wherever it starts. (Scenarios begin with a key at column 0 and
    // skip this pass.)
    if (!one_root_map(text)) {
      std::istringstream in{std::string(text)};
      YAML::Parser parser(in);
      DocumentStarts seen;
      while (seen.marks.size() < 2 && parser.HandleNextDocument(seen)) {
      }
      if (seen.marks.size() > 1) {
        const std::size_t at = offset_of(starts, text, seen.marks[1].line, seen.marks[1].column);
        const bool marker = text.substr(at).rfind("---", 0) == 0;
        error = error_at_offset(starts, at, marker ? "a second YAML document starts here: a scenario file holds one document "
                                                     "(remove this '---')"
                                                   : "unexpected " + q(std::string(1, at < text.size() ? text[at] : ' ')) +
                                                         " after the document's value: it belongs to no key or list (quote it)");
        return std::nullopt;
      }
    }
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::ParserException& e) {
    error = describe(e, text);
    return std::nullopt;
  }
  for (const auto& doc : docs) {
    std::size_t budget = max_expanded_nodes;
    if (!within_nodes(doc, budget)) {
      // Point at the first alias: the expansion starts there.
      std::size_t at = 0;
      for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] == '*' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '[' || text[i - 1] == ',')) {
          at = i;
          break;
        }
      error = error_at_offset(starts, at, "anchors and aliases expand this document beyond " +
                                              std::to_string(max_expanded_nodes) +
                                              " values (nested aliases: refused, whatever key they are under)");
      return std::nullopt;
    }
  }
  for (const auto& doc : docs) {
    const std::size_t at = unterminated_quote(doc, text, starts);
    if (at != std::string_view::npos) {
      error = error_at_offset(starts, at, std::string("this quoted value is never closed: add the closing ") + text[at]);
      return std::nullopt;
    }
  }
  if (docs.size() > 1) {
    // The '---' that starts the second document: the first one after some content.
    bool content = false;
    std::size_t at = 0;
    for (std::size_t line = 0; line < starts.size(); ++line) {
      const std::string_view l = text.substr(starts[line], (line + 1 < starts.size() ? starts[line + 1] : text.size()) - starts[line]);
      if (l.rfind("---", 0) == 0 && (l.size() == 3 || l[3] == ' ' || l[3] == '\n' || l[3] == '\r')) {
        if (content) {
          at = starts[line];
          break;
        }
        content = true;  // a leading '---' starts the first document
        continue;
      }
      const auto first = l.find_first_not_of(" \t\r\n");
      if (first != std::string_view::npos && l[first] != '#' && l[first] != '%') content = true;
    }
    error = error_at_offset(starts, at, "a second YAML document starts here: a scenario file holds one document (remove this '---')");
    return std::nullopt;
  }
  return docs.empty() ? YAML::Node() : docs.front();
}

std::string describe_kind(const YAML::Node& v) {
  if (v.IsMap()) return "a map";
  if (v.IsSequence()) return "a list";
  if (!v || v.IsNull()) return "nothing";
  return q(v.Scalar());
}

base::SourceLoc Reader::loc(const YAML::Node& n, std::size_t offset) const {
  const YAML::Mark m = n.Mark();
  for (const auto& o : overrides_)
    if (contains(o.node, n)) {
      if (o.fixed) return *o.fixed;
      const int col = m.line == 0 && m.column >= 0 ? m.column : 0;
      return base::SourceLoc{o.label, 1, static_cast<int>(o.value_column) + col + static_cast<int>(offset) + 1};
    }
  if (m.line < 0) return base::SourceLoc{file_, 0, 0};
  return base::SourceLoc{file_, m.line + 1, m.column + 1 + static_cast<int>(offset)};
}

void Reader::error(base::SourceLoc at, std::string message) {
  if (++errors_ <= max_kept_errors) diagnostics_.push_back(base::Diagnostic::error(std::move(at), std::move(message)));
}

std::vector<base::Diagnostic> Reader::take_diagnostics() {
  std::vector<base::Diagnostic> d = std::move(diagnostics_);
  diagnostics_.clear();
  base::sort_by_position(d);
  if (errors_ > max_kept_errors)
    d.push_back(base::Diagnostic::note(base::SourceLoc{file_, 0, 0},
                                       std::to_string(errors_ - max_kept_errors) + " more errors not shown (the first " +
                                           std::to_string(max_kept_errors) + " found are)"));
  return d;
}

void Reader::add_override(YAML::Node node, std::string label, std::size_t value_column) {
  overrides_.push_back(OverrideNode{std::move(node), std::move(label), value_column, std::nullopt});
}

void Reader::relocate(YAML::Node node, base::SourceLoc at) {
  overrides_.push_back(OverrideNode{std::move(node), std::string(), 0, std::move(at)});
}

MapReader::MapReader(Reader& r, const YAML::Node& node, std::string what, std::vector<std::string> known)
    : r_(&r), node_(node), what_(std::move(what)) {
  if (!node) return;  // absent (MapReader::required has said so): an invalid node
  if (!node.IsMap()) {
    r.error(node, what_ + ": expected a map of keys (" + join(known) + "), found " + describe_kind(node));
    return;
  }
  ok_ = true;
  std::map<std::string, base::SourceLoc> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      r.error(kv.first, what_ + ": keys must be plain words");
      continue;
    }
    const std::string& key = kv.first.Scalar();
    if (const auto [first, fresh] = seen.emplace(key, r.loc(kv.first)); !fresh) {
      r.error(kv.first, what_ + ": duplicate key " + q(key) + " (first given at line " +
                            std::to_string(first->second.line) + ")");
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const std::string hint = did_you_mean(key, known);
      r.error(kv.first, what_ + ": unknown key " + q(key) +
                            (hint.empty() ? "" : " (did you mean " + q(hint) + "?)") + "; accepted: " + join(known));
    }
  }
}

bool MapReader::has(std::string_view key) const { return ok_ && static_cast<bool>(node_[std::string(key)]); }

YAML::Node MapReader::get(std::string_view key) const {
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& n = node_;
  return n[std::string(key)];
}

YAML::Node MapReader::required(std::string_view key) const {
  YAML::Node v = get(key);
  if (ok_ && !v) r_->error(node_, what_ + ": missing required key " + q(key));
  return v;
}

base::SourceLoc MapReader::key_loc(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return r_->loc(kv.first);
  return r_->loc(node_);
}

std::optional<std::string> get_string(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a text value, found " + describe_kind(v));
    return std::nullopt;
  }
  if (v.Scalar().empty()) {
    r.error(v, "key " + q(key) + ": must not be empty");
    return std::nullopt;
  }
  return v.Scalar();
}

std::optional<std::uint64_t> get_count(Reader& r, const YAML::Node& v, std::string_view key, std::uint64_t min,
                                       std::uint64_t max) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a whole number" + range + ", found " + describe_kind(v));
    return std::nullopt;
  }
  const std::string& s = v.Scalar();
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc::result_out_of_range) {
    r.error(v, "key " + q(key) + ": " + q(s) + " is out of range (accepted:" + range + ")", text_offset(v));
    return std::nullopt;
  }
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    r.error(v, "key " + q(key) + ": expected a whole number" + range + ", got " + q(s), text_offset(v));
    return std::nullopt;
  }
  if (n < min || n > max) {
    r.error(v, "key " + q(key) + ": " + s + " is out of range (accepted:" + range + ")", text_offset(v));
    return std::nullopt;
  }
  return n;
}

std::optional<double> get_number(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a number, found " + describe_kind(v));
    return std::nullopt;
  }
  const std::string& s = v.Scalar();
  bool negative = !s.empty() && s[0] == '-';
  const auto d = base::parse_decimal(negative ? std::string_view(s).substr(1) : std::string_view(s));
  if (!d) {
    r.error(v, "key " + q(key) + ": expected a plain number such as 1.5, got " + q(s), text_offset(v));
    return std::nullopt;
  }
  const double x = d->to_double();
  return negative ? -x : x;
}

std::optional<bool> get_bool(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (v.IsScalar()) {
    const std::string& s = v.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  r.error(v, "key " + q(key) + ": expected true or false, found " + describe_kind(v));
  return std::nullopt;
}

template <class T, class F>
std::optional<T> get_unit(Reader& r, const YAML::Node& v, std::string_view key, const char* example, F parse) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (!v.IsScalar()) {
    r.error(v, "key " + q(key) + ": expected a value with a unit such as " + example + ", found " + describe_kind(v));
    return std::nullopt;
  }
  auto result = parse(v.Scalar());
  if (!result) {
    r.error(v, "key " + q(key) + ": " + result.error().message, text_offset(v) + result.error().offset);
    return std::nullopt;
  }
  return *result;
}

std::optional<base::Duration> get_duration(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Duration>(r, v, key, "250ms", base::parse_duration);
}
std::optional<base::Bytes> get_bytes(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Bytes>(r, v, key, "4KiB", base::parse_bytes);
}
std::optional<base::Rate> get_rate(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::Rate>(r, v, key, "250MB/s", base::parse_rate);
}
std::optional<base::OpRate> get_op_rate(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<base::OpRate>(r, v, key, "150/s", base::parse_op_rate);
}
std::optional<double> get_percent(Reader& r, const YAML::Node& v, std::string_view key) {
  return get_unit<double>(r, v, key, "70%", base::parse_percent);
}

namespace {

std::optional<engine::Distribution> empirical(Reader& r, const MapReader& m) {
  const auto file = get_string(r, m.required("file"), "file");
  if (!file) return std::nullopt;
  const std::filesystem::path path = r.base_dir / *file;
  const auto text = metrics::read_regular_file(path, std::uintmax_t{256} << 20);
  if (!text) {
    r.error(m.get("file"), "key 'file': cannot read " + q(path.string()) + ": " + text.error().reason);
    return std::nullopt;
  }
  std::vector<std::vector<std::string>> rows;
  try {
    rows = metrics::parse_csv(*text);
  } catch (const metrics::CsvParseError& e) {
    r.error(m.get("file"), "key 'file': " + q(path.string()) + " is not a CSV file of samples: " + e.what());
    return std::nullopt;
  }
  if (rows.size() < 2) {
    r.error(m.get("file"), "key 'file': " + q(path.string()) + " has no data rows (a header row, then samples)");
    return std::nullopt;
  }
  std::size_t col = 0;
  if (m.has("column")) {
    const auto name = get_string(r, m.get("column"), "column");
    if (!name) return std::nullopt;
    const auto it = std::find(rows[0].begin(), rows[0].end(), *name);
    if (it == rows[0].end()) {
      r.error(m.get("column"), "key 'column': no column " + q(*name) + " in " + q(path.string()) +
                                   " (columns: " + join(rows[0]) + ")");
      return std::nullopt;
    }
    col = static_cast<std::size_t>(it - rows[0].begin());
  }
  std::vector<base::Duration> samples;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].size() == 1 && rows[i][0].empty()) continue;
    if (col >= rows[i].size()) {
      r.error(m.get("file"), path.string() + ":" + std::to_string(i + 1) + ": missing column " + std::to_string(col + 1));
      return std::nullopt;
    }
    const auto d = base::parse_duration(rows[i][col]);
    if (!d) {
      r.error(m.get("file"), path.string() + ":" + std::to_string(i + 1) + ": sample " + q(rows[i][col]) + ": " +
                                 d.error().message);
      return std::nullopt;
    }
    samples.push_back(*d);
  }
  if (samples.empty()) {
    r.error(m.get("file"), "key 'file': " + q(path.string()) + " has no samples");
    return std::nullopt;
  }
  return engine::Distribution::empirical(std::move(samples));
}

} // namespace

std::optional<engine::Distribution> get_distribution(Reader& r, const YAML::Node& v, std::string_view key) {
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (v.IsScalar()) {
    const auto d = get_duration(r, v, key);
    if (!d) return std::nullopt;
    return engine::Distribution::constant(*d);
  }
  static const std::vector<std::string> kinds = {"constant", "uniform", "exponential", "normal",
                                                 "lognormal", "weibull", "empirical"};
  if (!v.IsMap()) {
    r.error(v, "key " + q(key) + ": expected a duration such as 5ms or a map {dist: " + join(kinds) + ", ...}, found " +
                   describe_kind(v));
    return std::nullopt;
  }
  const YAML::Node kind_node = v["dist"];
  if (!kind_node) {
    r.error(v, "key " + q(key) + ": missing required key 'dist' (accepted: " + join(kinds) + ")");
    return std::nullopt;
  }
  const auto kind = get_string(r, kind_node, "dist");
  if (!kind) return std::nullopt;
  const std::string what = "key " + q(key) + " (" + *kind + ")";
  auto positive = [&](const YAML::Node& n, std::string_view k) -> std::optional<base::Duration> {
    auto d = get_duration(r, n, k);
    if (d && d->count() <= 0) {
      r.error(n, "key " + q(k) + ": must be greater than 0");
      return std::nullopt;
    }
    return d;
  };
  if (*kind == "constant") {
    MapReader m(r, v, what, {"dist", "value"});
    const auto d = get_duration(r, m.required("value"), "value");
    if (!d) return std::nullopt;
    return engine::Distribution::constant(*d);
  }
  if (*kind == "uniform") {
    MapReader m(r, v, what, {"dist", "min", "max"});
    const YAML::Node lo_node = m.required("min"), hi_node = m.required("max");
    if (!lo_node || !hi_node) return std::nullopt;
    const auto lo = get_duration(r, lo_node, "min");
    const auto hi = get_duration(r, hi_node, "max");
    if (!lo || !hi) return std::nullopt;
    if (*hi < *lo) {
      r.error(hi_node, "key 'max': " + hi_node.Scalar() + " is below 'min' (" + lo_node.Scalar() +
                           "); a uniform distribution needs min <= max");
      return std::nullopt;
    }
    return engine::Distribution::uniform(*lo, *hi);
  }
  if (*kind == "exponential") {
    MapReader m(r, v, what, {"dist", "mean"});
    const YAML::Node n = m.required("mean");
    if (!n) return std::nullopt;
    const auto mean = positive(n, "mean");
    if (!mean) return std::nullopt;
    return engine::Distribution::exponential(*mean);
  }
  if (*kind == "normal") {
    MapReader m(r, v, what, {"dist", "mean", "stddev"});
    const YAML::Node mn = m.required("mean"), sn = m.required("stddev");
    if (!mn || !sn) return std::nullopt;
    const auto mean = get_duration(r, mn, "mean");
    const auto sd = get_duration(r, sn, "stddev");
    if (!mean || !sd) return std::nullopt;
    return engine::Distribution::normal(*mean, *sd);
  }
  if (*kind == "lognormal") {
    MapReader m(r, v, what, {"dist", "median", "p99", "mu", "sigma"});
    if (m.has("median") || m.has("p99")) {
      const YAML::Node med = m.required("median"), p99 = m.required("p99");
      if (!med || !p99) return std::nullopt;
      const auto a = positive(med, "median");
      const auto b = positive(p99, "p99");
      if (!a || !b) return std::nullopt;
      if (*b <= *a) {
        r.error(p99, "key 'p99': " + p99.Scalar() + " must be greater than 'median' (" + med.Scalar() + ")");
        return std::nullopt;
      }
      return engine::Distribution::lognormal_median_p99(*a, *b);
    }
    const YAML::Node mu_n = m.required("mu"), sigma_n = m.required("sigma");
    if (!mu_n || !sigma_n) return std::nullopt;
    const auto mu = get_number(r, mu_n, "mu");
    const auto sigma = get_number(r, sigma_n, "sigma");
    if (!mu || !sigma) return std::nullopt;
    if (*sigma < 0) {
      r.error(sigma_n, "key 'sigma': must not be negative");
      return std::nullopt;
    }
    return engine::Distribution::lognormal(*mu, *sigma);
  }
  if (*kind == "weibull") {
    MapReader m(r, v, what, {"dist", "shape", "scale", "location"});
    const YAML::Node sh = m.required("shape"), sc = m.required("scale");
    if (!sh || !sc) return std::nullopt;
    const auto shape = get_number(r, sh, "shape");
    const auto scale = positive(sc, "scale");
    if (!shape || !scale) return std::nullopt;
    if (!(*shape > 0)) {
      r.error(sh, "key 'shape': must be greater than 0");
      return std::nullopt;
    }
    base::Duration location{};
    if (m.has("location")) {
      const auto loc = get_duration(r, m.get("location"), "location");
      if (!loc) return std::nullopt;
      location = *loc;
    }
    return engine::Distribution::weibull(*shape, *scale, location);
  }
  if (*kind == "empirical") {
    MapReader m(r, v, what, {"dist", "file", "column"});
    return empirical(r, m);
  }
  const std::string hint = did_you_mean(*kind, kinds);
  r.error(kind_node, "key 'dist': unknown distribution " + q(*kind) +
                         (hint.empty() ? "" : " (did you mean " + q(hint) + "?)") + "; accepted: " + join(kinds));
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, base::SourceLoc>>> get_names(Reader& r, const YAML::Node& v,
                                                                               std::string_view key) {
  std::vector<std::pair<std::string, base::SourceLoc>> out;
  if (!v) return std::nullopt;  // absent (MapReader::required has said so): an invalid node
  if (v.IsScalar()) {
    const auto s = get_string(r, v, key);
    if (!s) return std::nullopt;
    out.emplace_back(*s, r.loc(v));
    return out;
  }
  if (!v.IsSequence()) {
    r.error(v, "key " + q(key) + ": expected a name or a list of names, found " + describe_kind(v));
    return std::nullopt;
  }
  for (const auto& item : v) {
    const auto s = get_string(r, item, key);
    if (!s) return std::nullopt;
    out.emplace_back(*s, r.loc(item));
  }
  return out;
}

} // namespace sim::scenario::detail
