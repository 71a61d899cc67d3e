# Build-time script (cmake -P): man pages from the built lunsim's help, with help2man.
#   -DLUNSIM=<lunsim binary> -DHELP2MAN=<help2man> [-DGZIP=<gzip>] -DOUT=<dir> -DSTAMP=<file>
# Writes OUT/lunsim.1 and OUT/lunsim-SUB.1 for every subcommand of `lunsim help` but help
# (gzip -9n'ed when GZIP is given), and nothing else: OUT is emptied first, so a removed
# subcommand loses its page. The subcommands' pages are `lunsim help SUB` through help2man, then
# titled LUNSIM-SUB with the subcommand in bold in the synopsis.
include(${CMAKE_CURRENT_LIST_DIR}/LunsimHelp.cmake)

lunsim_subcommands(subs descs)
lunsim_help(main_help)
string(REGEX MATCH "^lunsim: ([^\n]*)" _ "${main_help}")
set(main_name "${CMAKE_MATCH_1}")
if(NOT main_name)
  set(main_name "storage array simulator")
endif()

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(work ${OUT}.work)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

# The pages: lunsim, then lunsim-SUB in the help's order.
set(pages lunsim)
foreach(sub IN LISTS subs)
  if(NOT sub STREQUAL "help")
    list(APPEND pages lunsim-${sub})
  endif()
endforeach()

# SEE ALSO of a page: every other page.
function(see_also page out)
  set(refs "")
  foreach(p IN LISTS pages)
    if(NOT p STREQUAL page)
      list(APPEND refs ".BR ${p} (1)")
    endif()
  endforeach()
  list(JOIN refs ",\n" refs)
  set(${out} "[SEE ALSO]\n${refs}\n" PARENT_SCOPE)
endfunction()

function(help2man page help_option name)
  see_also(${page} include)
  if(page STREQUAL "lunsim")
    string(APPEND include ".PP\nThe full manual is README.md in share/doc/lunsim under the installation prefix.\n")
  endif()
  file(WRITE ${work}/${page}.h2m "${include}")
  execute_process(COMMAND ${HELP2MAN} --no-info --help-option=${help_option}
                          --name=${name} --section=1 --include=${work}/${page}.h2m
                          --output=${work}/${page}.1 ${LUNSIM}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${page} (${rc}): ${err}")
  endif()
endfunction()

help2man(lunsim help "${main_name}")
list(LENGTH subs n)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET subs ${i} sub)
  list(GET descs ${i} desc)
  if(sub STREQUAL "help")
    continue()
  endif()
  # help2man runs "PROGRAM OPTION" through the shell: "help run" is two words.
  help2man(lunsim-${sub} "help ${sub}" "${desc}")
  file(READ ${work}/lunsim-${sub}.1 page)
  string(TOUPPER "lunsim-${sub}" title)
  string(REGEX REPLACE "\n\\.TH LUNSIM " "\n.TH ${title} " page "${page}")
  string(REPLACE "\n.SH NAME\nlunsim \\- " "\n.SH NAME\nlunsim-${sub} \\- " page "${page}")
  string(REPLACE "\n.B lunsim\n\\fI\\,${sub} \\/\\fR" "\n.B lunsim ${sub}\n" page "${page}")
  string(REPLACE "\n.B lunsim\n\\fI\\,${sub}\\/\\fR" "\n.B lunsim ${sub}\n" page "${page}")
  file(WRITE ${work}/lunsim-${sub}.1 "${page}")
endforeach()

foreach(page IN LISTS pages)
  if(GZIP)
    execute_process(COMMAND ${GZIP} -9n ${work}/${page}.1 RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gzip failed for ${page}.1")
    endif()
    file(RENAME ${work}/${page}.1.gz ${OUT}/${page}.1.gz)
  else()
    file(RENAME ${work}/${page}.1 ${OUT}/${page}.1)
  endif()
endforeach()
file(REMOVE_RECURSE ${work})
list(JOIN pages " " all)
file(WRITE ${STAMP} "${all}\n")
