# One static library per capability (docs/adr/0003-build-targets.md).
#
#   ihos_capability(<name> [DEPS <capability>...] [PKGS <pkg-config module>...]
#                   [UNITY_SKIP <file.cpp>...])
#
# builds src/domain/<name>/*.cpp except api.cpp into ihos_<name>, linked to the store and to the
# capabilities named in DEPS (which must be declared before it: a cycle cannot be declared), and
# to the pkg-config modules in PKGS (e.g. `PKGS fasttext opencc`). src/domain/<name>/api.cpp, when
# present, becomes ihos_<name>_api over ihos_<name> and the http library. tests/unit/shape_test.cpp
# checks that DEPS names exactly the capabilities a capability's files include. With IHOS_UNITY
# (default on) a capability's files are compiled IHOS_UNITY_BATCH at a time in one translation
# unit; a file whose file-local names clash with another's is listed in UNITY_SKIP (compiled alone)
# until the clash is removed.
#
# ihos_domain links every capability (tests, benches, the CLI); ihos_api every api library (the app).

option(IHOS_UNITY "unity builds for the capability libraries" ON)
set(IHOS_UNITY_BATCH 8 CACHE STRING "source files per unity translation unit in a capability library")

add_library(ihos_domain INTERFACE)
add_library(ihos_api INTERFACE)

# The precompiled header every capability library reuses: compiled once, by this object library,
# with the same flags as the capabilities (it links what they all link).
set(IHOS_DOMAIN_PCH_CPP ${CMAKE_BINARY_DIR}/generated/domain_pch.cpp)
if(NOT EXISTS ${IHOS_DOMAIN_PCH_CPP})
  file(WRITE ${IHOS_DOMAIN_PCH_CPP} "// owns the domain precompiled header (cmake/capability.cmake)\n")
endif()
add_library(ihos_domain_pch OBJECT ${IHOS_DOMAIN_PCH_CPP})
target_link_libraries(ihos_domain_pch PRIVATE ihos_store)
target_precompile_headers(ihos_domain_pch PRIVATE ${CMAKE_SOURCE_DIR}/src/domain/pch.hpp)

function(ihos_capability name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEPS;PKGS;UNITY_SKIP")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ihos_capability(${name}): unexpected ${arg_UNPARSED_ARGUMENTS} (DEPS or PKGS?)")
  endif()
  set(dir ${CMAKE_SOURCE_DIR}/src/domain/${name})
  if(NOT IS_DIRECTORY ${dir})
    message(FATAL_ERROR "ihos_capability(${name}): no folder src/domain/${name}")
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "/api\\.cpp$")
  set(lib ihos_${name})
  add_library(${lib} STATIC ${sources})
  target_link_libraries(${lib} PUBLIC ihos_store)
  foreach(dep IN LISTS arg_DEPS)
    if(NOT TARGET ihos_${dep})
      message(FATAL_ERROR "ihos_capability(${name}): ${dep} is not declared before it "
                          "(declare ${dep} first; if ${dep} uses ${name}, that is a cycle to remove)")
    endif()
    target_link_libraries(${lib} PUBLIC ihos_${dep})
  endforeach()
  foreach(pkg IN LISTS arg_PKGS)
    string(MAKE_C_IDENTIFIER "${pkg}" id)
    string(TOUPPER "IHOS_PKG_${id}" prefix)
    if(NOT TARGET PkgConfig::${prefix})
      pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET GLOBAL ${pkg})
    endif()
    target_link_libraries(${lib} PUBLIC PkgConfig::${prefix})
  endforeach()
  target_precompile_headers(${lib} REUSE_FROM ihos_domain_pch)
  foreach(file IN LISTS arg_UNITY_SKIP)
    set_source_files_properties(${dir}/${file} TARGET_DIRECTORY ${lib} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
  set_target_properties(${lib} PROPERTIES UNITY_BUILD ${IHOS_UNITY} UNITY_BUILD_BATCH_SIZE ${IHOS_UNITY_BATCH})
  target_link_libraries(ihos_domain INTERFACE ${lib})
  if(EXISTS ${dir}/api.cpp)
    add_library(${lib}_api STATIC ${dir}/api.cpp)
    target_link_libraries(${lib}_api PUBLIC ${lib} ihos_http_base)
    target_precompile_headers(${lib}_api REUSE_FROM ihos_http_base)
    target_link_libraries(ihos_api INTERFACE ${lib}_api)
  endif()
endfunction()
