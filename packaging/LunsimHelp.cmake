# Helpers shared by the build-time scripts of packaging/ (cmake -P): they read the CLI definitions
# from the built lunsim's own help (`lunsim help`, `lunsim help SUB`), so the man pages and the
# bash completion cannot drift from the command line.

# lunsim_help(<out-var> [SUB]): the text of `lunsim help [SUB]`; fails on a non-zero exit.
function(lunsim_help out)
  execute_process(COMMAND ${LUNSIM} help ${ARGN} OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "`${LUNSIM} help ${ARGN}` failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# lunsim_lines(<out-var> <text>): the lines of text as a list. ';' becomes ',' and square
# brackets become '<' '>' (CMake does not split a list inside brackets); nothing parsed here
# needs them.
function(lunsim_lines out text)
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "<" text "${text}")
  string(REPLACE "]" ">" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# lunsim_subcommands(<names-var> <descriptions-var>): the subcommands in the order of
# `lunsim help`'s "Subcommands:" section, and their one-line descriptions (a list each).
function(lunsim_subcommands names_var descs_var)
  lunsim_help(text)
  lunsim_lines(lines "${text}")
  set(in_section OFF)
  set(names "")
  set(descs "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Subcommands:")
      set(in_section ON)
    elseif(in_section AND line MATCHES "^  ([a-z][a-z0-9-]*)  +(.*)$")
      list(APPEND names "${CMAKE_MATCH_1}")
      list(APPEND descs "${CMAKE_MATCH_2}")
    elseif(in_section AND NOT line MATCHES "^ ")
      set(in_section OFF)
    endif()
  endforeach()
  if(NOT names)
    message(FATAL_ERROR "no subcommands in `${LUNSIM} help`:\n${text}")
  endif()
  set(${names_var} "${names}" PARENT_SCOPE)
  set(${descs_var} "${descs}" PARENT_SCOPE)
endfunction()

# lunsim_options(<help-text> <all-var> <valued-var>): the option names of an "Options:" section
# (CLI11's format: "  -o,--output TEXT   description", a flag has no type word) and those that
# take a value.
function(lunsim_options text all_var valued_var)
  lunsim_lines(lines "${text}")
  set(in_section OFF)
  set(all "")
  set(valued "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Options:")
      set(in_section ON)
    elseif(in_section AND line MATCHES "^  (-[-A-Za-z0-9_,]+)(.*)$")
      string(REPLACE "," ";" names "${CMAKE_MATCH_1}")
      list(APPEND all ${names})
      # A type word (TEXT, UINT, INT, FLOAT, ...) right after the names: the option takes a value.
      if(CMAKE_MATCH_2 MATCHES "^ [A-Z][A-Z0-9_]*([ =]|$)")
        list(APPEND valued ${names})
      endif()
    elseif(in_section AND NOT line MATCHES "^ ")
      set(in_section OFF)
    endif()
  endforeach()
  set(${all_var} "${all}" PARENT_SCOPE)
  set(${valued_var} "${valued}" PARENT_SCOPE)
endfunction()
