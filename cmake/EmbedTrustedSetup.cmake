# Embeds the Ethereum mainnet KZG trusted setup (c-kzg text format) into a target.
#
# The setup is never committed to the repository. At configure time it comes from, in order:
#   1. -DKZG_TRUSTED_SETUP_FILE=/path/to/trusted_setup.txt (no network needed);
#   2. the copy cached in this build directory by an earlier configure;
#   3. the npm registry: `npm pack c-kzg@4.1.0`, whose tarball ships deps/c-kzg/trusted_setup.txt;
#   4. only when npm fails: ../shared/trusted_setup.txt beside the checkout, with a warning.
# Whatever the source, its SHA-256 must equal the pinned mainnet hash or configure stops.
#
# The text is linked in with the assembler's .incbin (no multi-megabyte generated array to compile)
# and reached through kzg::embedded_trusted_setup_text() declared in engine/setup/embedded_setup.hpp.

set(KZG_TRUSTED_SETUP_SHA256 "d39b9f2d047cc9dca2de58f264b6a09448ccd34db967881a6713eacacf0f26b7"
    CACHE INTERNAL "SHA-256 of the Ethereum mainnet trusted_setup.txt")
set(KZG_TRUSTED_SETUP_NPM_PACKAGE "c-kzg@4.1.0" CACHE INTERNAL "npm package that ships the mainnet setup")
set(KZG_TRUSTED_SETUP_FILE "" CACHE FILEPATH
    "Local copy of the mainnet trusted_setup.txt (skips the npm download; must match the pinned SHA-256)")

set(_kzg_setup_dir "${CMAKE_BINARY_DIR}/trusted-setup")
set(_kzg_setup_cached "${_kzg_setup_dir}/trusted_setup.txt")

# Sets ${out_var} to TRUE when `path` exists and hashes to the pinned value.
function(_kzg_setup_hash_matches path out_var)
  set(${out_var} FALSE PARENT_SCOPE)
  if(EXISTS "${path}" AND NOT IS_DIRECTORY "${path}")
    file(SHA256 "${path}" _hash)
    if(_hash STREQUAL KZG_TRUSTED_SETUP_SHA256)
      set(${out_var} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

# Stops configure after a failed download, unless the project's shared data beside the checkout
# (../shared/trusted_setup.txt, the same pinned file) can stand in; then sets ${out_var} to it.
function(_kzg_setup_download_failed why out_var)
  cmake_path(SET _shared NORMALIZE "${CMAKE_SOURCE_DIR}/../shared/trusted_setup.txt")
  _kzg_setup_hash_matches("${_shared}" _shared_ok)
  if(_shared_ok)
    message(WARNING "${why}\nUsing ${_shared} instead (SHA-256 verified).")
    set(${out_var} "${_shared}" PARENT_SCOPE)
    return()
  endif()
  message(FATAL_ERROR
    "${why}\n"
    "Without access to the npm registry, pass -DKZG_TRUSTED_SETUP_FILE=/path/to/trusted_setup.txt "
    "(the Ethereum mainnet setup, SHA-256 ${KZG_TRUSTED_SETUP_SHA256}).")
endfunction()

# Downloads the npm tarball into the build directory and extracts the setup into `dest`.
function(_kzg_setup_fetch_from_npm dest)
  find_program(KZG_NPM_EXECUTABLE npm)
  if(NOT KZG_NPM_EXECUTABLE)
    _kzg_setup_download_failed("The mainnet trusted setup is fetched with npm, and npm was not found "
                               "(scripts/install-deps.sh installs it)." _fallback)
    file(COPY_FILE "${_fallback}" "${dest}")
    return()
  endif()
  set(_npm_dir "${_kzg_setup_dir}/npm")
  file(REMOVE_RECURSE "${_npm_dir}")
  file(MAKE_DIRECTORY "${_npm_dir}")
  message(STATUS "Fetching the mainnet trusted setup: npm pack ${KZG_TRUSTED_SETUP_NPM_PACKAGE}")
  execute_process(
    COMMAND "${KZG_NPM_EXECUTABLE}" pack "${KZG_TRUSTED_SETUP_NPM_PACKAGE}" --silent --pack-destination "${_npm_dir}"
    WORKING_DIRECTORY "${_npm_dir}"
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _err
    TIMEOUT 300)
  file(GLOB _tarballs "${_npm_dir}/*.tgz")
  if(NOT _rc EQUAL 0 OR NOT _tarballs)
    file(REMOVE_RECURSE "${_npm_dir}")
    _kzg_setup_download_failed("`npm pack ${KZG_TRUSTED_SETUP_NPM_PACKAGE}` failed (exit ${_rc}):\n${_err}" _fallback)
    file(COPY_FILE "${_fallback}" "${dest}")
    return()
  endif()
  list(GET _tarballs 0 _tarball)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -E tar xzf "${_tarball}" package/deps/c-kzg/trusted_setup.txt
    WORKING_DIRECTORY "${_npm_dir}"
    RESULT_VARIABLE _rc
    ERROR_VARIABLE _err)
  set(_extracted "${_npm_dir}/package/deps/c-kzg/trusted_setup.txt")
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_extracted}")
    message(FATAL_ERROR "${_tarball} has no package/deps/c-kzg/trusted_setup.txt:\n${_err}")
  endif()
  file(COPY_FILE "${_extracted}" "${dest}")
  file(REMOVE_RECURSE "${_npm_dir}")
endfunction()

# Puts a verified copy of the setup at ${_kzg_setup_cached}.
function(_kzg_setup_obtain)
  file(MAKE_DIRECTORY "${_kzg_setup_dir}")
  if(KZG_TRUSTED_SETUP_FILE)
    _kzg_setup_hash_matches("${KZG_TRUSTED_SETUP_FILE}" _ok)
    if(NOT _ok)
      if(EXISTS "${KZG_TRUSTED_SETUP_FILE}")
        file(SHA256 "${KZG_TRUSTED_SETUP_FILE}" _hash)
      else()
        set(_hash "(file does not exist)")
      endif()
      message(FATAL_ERROR
        "KZG_TRUSTED_SETUP_FILE=${KZG_TRUSTED_SETUP_FILE} is not the Ethereum mainnet trusted setup:\n"
        "  SHA-256 expected ${KZG_TRUSTED_SETUP_SHA256}\n"
        "          actual   ${_hash}")
    endif()
    _kzg_setup_hash_matches("${_kzg_setup_cached}" _cached_ok)
    if(NOT _cached_ok)
      file(REMOVE "${_kzg_setup_cached}")
      file(COPY_FILE "${KZG_TRUSTED_SETUP_FILE}" "${_kzg_setup_cached}")
    endif()
    return()
  endif()
  _kzg_setup_hash_matches("${_kzg_setup_cached}" _cached_ok)
  if(_cached_ok)
    return()
  endif()
  file(REMOVE "${_kzg_setup_cached}" "${_kzg_setup_cached}.download")
  _kzg_setup_fetch_from_npm("${_kzg_setup_cached}.download")
  _kzg_setup_hash_matches("${_kzg_setup_cached}.download" _ok)
  if(NOT _ok)
    file(SHA256 "${_kzg_setup_cached}.download" _hash)
    file(REMOVE "${_kzg_setup_cached}.download")
    message(FATAL_ERROR
      "The trusted_setup.txt in ${KZG_TRUSTED_SETUP_NPM_PACKAGE} is not the pinned mainnet setup:\n"
      "  SHA-256 expected ${KZG_TRUSTED_SETUP_SHA256}\n"
      "          actual   ${_hash}\n"
      "Pass a verified copy with -DKZG_TRUSTED_SETUP_FILE=/path/to/trusted_setup.txt.")
  endif()
  file(RENAME "${_kzg_setup_cached}.download" "${_kzg_setup_cached}")
endfunction()

# kzg_embed_trusted_setup(<target>): adds the generated source that defines
# kzg::embedded_trusted_setup_text() to <target>.
function(kzg_embed_trusted_setup target)
  _kzg_setup_obtain()
  if(_kzg_setup_cached MATCHES "[\"\\\\\n]")
    message(FATAL_ERROR "The build directory path must not contain quotes or backslashes: ${_kzg_setup_cached}")
  endif()
  set(KZG_EMBEDDED_SETUP_PATH "${_kzg_setup_cached}")
  set(_generated "${CMAKE_BINARY_DIR}/generated/embedded_setup.cpp")
  configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embedded_setup.cpp.in" "${_generated}" @ONLY)
  target_sources(${target} PRIVATE "${_generated}")
  # .incbin reads the file at assembly time; recompile when it changes.
  set_source_files_properties("${_generated}" PROPERTIES OBJECT_DEPENDS "${_kzg_setup_cached}")
endfunction()
