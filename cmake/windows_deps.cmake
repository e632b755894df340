# The Windows cross build's dependencies. Only header-only libraries exist for it on Debian (toml11, nlohmann-json,
# CLI11); the Linux-only ones (libseccomp, libidn2, Hyperscan, libsodium) are not used by what it builds. The
# headers are staged in a directory of their own so that the host's /usr/include (glibc's headers) never reaches
# the mingw compiler.
set(CORDON_WIN_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${CORDON_WIN_HEADERS})
foreach(entry toml.hpp toml nlohmann CLI)
  if(NOT EXISTS /usr/include/${entry})
    message(FATAL_ERROR "/usr/include/${entry} is missing: run scripts/install-deps.sh")
  endif()
  file(CREATE_LINK /usr/include/${entry} ${CORDON_WIN_HEADERS}/${entry} SYMBOLIC)
endforeach()
foreach(target toml11::toml11 nlohmann_json::nlohmann_json CLI11::CLI11)
  string(MAKE_C_IDENTIFIER ${target} name)
  add_library(${name} INTERFACE)
  target_include_directories(${name} SYSTEM INTERFACE ${CORDON_WIN_HEADERS})
  add_library(${target} ALIAS ${name})
endforeach()
# Vista+ APIs (inet_pton, job and token calls); static C++ runtime so cordon.exe needs no mingw DLLs.
add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE NOMINMAX WIN32_LEAN_AND_MEAN)
add_link_options(-static -static-libgcc -static-libstdc++)
# GCC 12 at -O3 reports false -Wrestrict overlaps inside std::string (GCC bug 105329).
add_compile_options(-Wno-restrict -include ${CMAKE_SOURCE_DIR}/cmake/mingw_compat.h)
