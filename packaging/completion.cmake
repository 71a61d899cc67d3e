# Build-time script (cmake -P): the bash completion of lunsim from the built lunsim's help.
#   -DLUNSIM=<lunsim binary> -DTEMPLATE=<lunsim.bash.in> -DOUT=<file>
include(${CMAKE_CURRENT_LIST_DIR}/LunsimHelp.cmake)

lunsim_subcommands(subs descs)
set(option_cases "")
set(valued_cases "")
foreach(sub IN LISTS subs)
  lunsim_help(text ${sub})
  lunsim_options("${text}" all valued)
  list(JOIN all " " all)
  list(JOIN valued " " valued)
  string(APPEND option_cases "    ${sub}) echo \"${all}\" ;;\n")
  string(APPEND valued_cases "    ${sub}) echo \"${valued}\" ;;\n")
endforeach()
string(REGEX REPLACE "\n$" "" LUNSIM_OPTION_CASES "${option_cases}")
string(REGEX REPLACE "\n$" "" LUNSIM_VALUED_CASES "${valued_cases}")
list(JOIN subs " " LUNSIM_SUBCOMMANDS)
configure_file(${TEMPLATE} ${OUT} @ONLY)
