# CPack: Debian packages from a build directory, after `cmake --build`:
#   cpack -G DEB      lunsim_<version>-1_<arch>.deb       the tool: bin/lunsim, man pages, bash
#                                                         completion, README, example scenarios
#                     lunsim-dev_<version>-1_<arch>.deb   headers, static libraries, CMake package,
#                                                         lunsim.pc (Depends: lunsim of the same version)
# The packages install under /usr. Build them from a Release build: the preset `package`
# (cmake --workflow --preset package) configures, builds and packages in build-package/.
set(CPACK_PACKAGE_NAME lunsim)
set(CPACK_PACKAGE_VENDOR "lunsim")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "discrete-event simulator of storage arrays managed through a VDS-style API")
# Lines under 80 columns: CPackDeb does not wrap them.
set(CPACK_PACKAGE_DESCRIPTION "\
lunsim simulates storage arrays managed through a VDS-style hardware-provider\n\
API: drive latencies, RAID, drive failures and rebuilds, LUN provisioning jobs\n\
and errant providers, from YAML scenarios, with metrics written as CSV. It runs\n\
replications and parameter sweeps (threads or MPI ranks), estimates\n\
reliability, judges VDS clients against the array's truth, compares runs\n\
statistically and writes HTML reports.")
set(LUNSIM_PACKAGE_MAINTAINER "lunsim maintainers <lunsim@localhost>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${LUNSIM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # executables only; static libraries keep their symbols

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <package>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LUNSIM_PACKAGE_MAINTAINER}")
# Description: CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY first (the synopsis, the same for
# both packages), then the component's text; an empty line separates paragraphs (" .").
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}\n\n\
This package holds the lunsim command, its man pages and bash completion, and\n\
example scenarios.")
set(CPACK_DEBIAN_DEV_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}\n\n\
This package holds the development files, for programs of your own: the\n\
headers (include/lunsim), the static libraries, the CMake package\n\
(find_package(lunsim): lunsim::runner, lunsim::scenario, ...) and lunsim.pc.")

# lunsim: Depends from dpkg-shlibdeps (dpkg-dev) on the binary: libc6, libstdc++6, libgcc-s1,
# libyaml-cpp0.7, and libopenmpi3 when built with MPI. Without dpkg-shlibdeps, the same list by hand
# (Debian 12's package names).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME lunsim)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
find_program(LUNSIM_DPKG_SHLIBDEPS dpkg-shlibdeps)
mark_as_advanced(LUNSIM_DPKG_SHLIBDEPS)
if(LUNSIM_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
else()
  set(lunsim_deb_depends "libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), libyaml-cpp0.7 (>= 0.7.0)")
  if(LUNSIM_HAVE_MPI)
    string(APPEND lunsim_deb_depends ", libopenmpi3 (>= 4.1.4)")
  endif()
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "${lunsim_deb_depends}")
  message(STATUS "lunsim: dpkg-shlibdeps not found (Debian: dpkg-dev): the .deb's Depends are listed by hand")
endif()
if(LUNSIM_HAVE_MPI)
  # `lunsim sweep` over MPI ranks is started with mpirun.
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "openmpi-bin")
endif()

# lunsim-dev: what find_package(lunsim) / pkg-config lunsim need to link the static libraries.
set(CPACK_DEBIAN_DEV_PACKAGE_NAME lunsim-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(lunsim_dev_depends "libyaml-cpp-dev (>= 0.7)")
if(LUNSIM_HAVE_MPI)
  string(APPEND lunsim_dev_depends ", libopenmpi-dev")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${lunsim_dev_depends}")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # lunsim-dev Depends: lunsim (= version)

include(CPack)
cpack_add_component(runtime DISPLAY_NAME "lunsim" DESCRIPTION "the lunsim command, man pages, bash completion")
cpack_add_component(dev DISPLAY_NAME "lunsim development files" DEPENDS runtime
                    DESCRIPTION "headers, static libraries and CMake package of lunsim's libraries")
