# Install rules (included by the top-level CMakeLists.txt when LUNSIM_INSTALL is on).
#
# Two install components, which are also the two Debian packages (cmake/LunsimPackaging.cmake):
#   runtime  bin/lunsim, man pages, bash completion, share/doc/lunsim, share/lunsim/scenarios
#   dev      the static libraries as the CMake package `lunsim` (targets lunsim::base ...
#            lunsim::reports, header-only lunsim::compat, the executable as lunsim::lunsim),
#            their headers under include/lunsim (so "sim/engine/simulation.hpp" resolves), and
#            lunsim.pc for pkg-config.
# `cmake --install build --prefix DIR` installs both; `--component runtime` only the tool.
include(CMakePackageConfigHelpers)

set(LUNSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/lunsim
    CACHE STRING "Where lunsimConfig.cmake is installed (relative to the prefix)")
mark_as_advanced(LUNSIM_INSTALL_CMAKEDIR)

# --- the executable -------------------------------------------------------------------------
install(TARGETS lunsim EXPORT lunsimTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# --- libraries: lunsim_<layer> is exported as lunsim::<layer> (the in-tree alias names) -------
set(lunsim_exported_libraries base engine storage provider metrics trace scenario com runner reports compat)
set(lunsim_exported_targets "")
foreach(layer IN LISTS lunsim_exported_libraries)
  set_target_properties(lunsim_${layer} PROPERTIES EXPORT_NAME ${layer})
  list(APPEND lunsim_exported_targets lunsim_${layer})
endforeach()
set_target_properties(lunsim PROPERTIES EXPORT_NAME lunsim)
install(TARGETS ${lunsim_exported_targets} EXPORT lunsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)

# --- headers: every public header of sim/ and reports/, keeping the source layout ----------------
# Not installed: sim/cli (the executable's own code, not a library) and the scenario loader's
# yaml-cpp plumbing (yaml_reader.hpp, loader_sections.hpp: internal, and yaml-cpp must stay a
# private dependency). No installed header may include one of them (.ci/run checks it).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lunsim/sim COMPONENT dev
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h"
        PATTERN "cli" EXCLUDE
        PATTERN "yaml_reader.hpp" EXCLUDE
        PATTERN "loader_sections.hpp" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/reports/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lunsim/reports COMPONENT dev
        FILES_MATCHING PATTERN "*.hpp")

# --- CMake package ------------------------------------------------------------------------------
install(EXPORT lunsimTargets NAMESPACE lunsim:: FILE lunsimTargets.cmake
        DESTINATION ${LUNSIM_INSTALL_CMAKEDIR} COMPONENT dev)
# The config needs to know what the exported link interfaces name: yaml-cpp (linked by the static
# lunsim::scenario), Threads, MPI when lunsim was built with it.
set(LUNSIM_CONFIG_HAVE_MPI ${LUNSIM_HAVE_MPI})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lunsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/lunsimConfig.cmake
                              INSTALL_DESTINATION ${LUNSIM_INSTALL_CMAKEDIR})
# 0.x: every minor version may break the API, so 0.1 accepts 0.1.*; from 1.0 on, same major.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(lunsim_compatibility SameMinorVersion)
else()
  set(lunsim_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lunsimConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY ${lunsim_compatibility})
install(FILES ${PROJECT_BINARY_DIR}/lunsimConfig.cmake ${PROJECT_BINARY_DIR}/lunsimConfigVersion.cmake
        DESTINATION ${LUNSIM_INSTALL_CMAKEDIR} COMPONENT dev)

# --- pkg-config -------------------------------------------------------------------------------------
# Static libraries only: Libs lists them in link order (dependents first) and Requires the
# libraries they link (yaml-cpp; ompi-cxx when built with MPI), so a plain
# `pkg-config --cflags --libs lunsim` links (no --static needed).
set(LUNSIM_PC_LIBS "")
foreach(layer reports runner scenario com provider trace metrics storage engine base)
  string(APPEND LUNSIM_PC_LIBS " -llunsim_${layer}")
endforeach()
set(LUNSIM_PC_REQUIRES "yaml-cpp >= 0.7")
if(LUNSIM_HAVE_MPI)
  string(APPEND LUNSIM_PC_REQUIRES ", ompi-cxx")
endif()
# GNUInstallDirs paths may be absolute (say, -DCMAKE_INSTALL_LIBDIR=/usr/lib64).
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(LUNSIM_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(LUNSIM_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(LUNSIM_PC_PREFIX "@LUNSIM_PC_PREFIX@")  # filled in at install time, below
# lunsim.pc, and lunsim-compat.pc for lunsim::compat's include directory (<windows.h>, "vds.h").
# The prefix is the one given at install time (cmake --install --prefix), not at configure time.
foreach(pc lunsim lunsim-compat)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc.in @ONLY)
  install(CODE "
    file(READ \"${PROJECT_BINARY_DIR}/${pc}.pc.in\" pc)
    string(REPLACE \"@LUNSIM_PC_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
    file(WRITE \"${PROJECT_BINARY_DIR}/${pc}.pc\" \"\${pc}\")" COMPONENT dev)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()

# --- documentation and example scenarios (runtime) -------------------------------------------------
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/lunsim/scenarios
        COMPONENT runtime FILES_MATCHING PATTERN "*.yaml" REGEX "/traces/[^/]+$")
