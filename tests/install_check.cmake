# Installs the build into a temporary DESTDIR and checks every file lands in
# its usual place: run by CTest as
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -P install_check.cmake
# Fails (FATAL_ERROR) naming the first missing or broken file.
set(prefix /usr/local)
set(root ${WORK_DIR}/destdir)
file(REMOVE_RECURSE ${root})
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env DESTDIR=${root} ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
  RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${errors}")
endif()

foreach(file
    bin/nsearch
    bin/nsearch-index
    libexec/nsearch/nsearch-parse
    bin/nsearch-serve
    share/man/man1/nsearch.1
    share/man/man1/nsearch-index.1
    share/bash-completion/completions/nsearch
    share/bash-completion/completions/nsearch-index
    share/zsh/site-functions/_nsearch
    share/zsh/site-functions/_nsearch-index
    share/zsh/site-functions/_nsearch-serve)
  if(NOT EXISTS ${root}${prefix}/${file})
    message(FATAL_ERROR "not installed: ${prefix}/${file}")
  endif()
endforeach()

# The installed programs run.
foreach(program nsearch nsearch-index)
  execute_process(COMMAND ${root}${prefix}/bin/${program} --version
                  RESULT_VARIABLE status OUTPUT_VARIABLE version)
  if(NOT status EQUAL 0 OR NOT version MATCHES "^${program} ")
    message(FATAL_ERROR "installed ${program} --version failed (${status}): ${version}")
  endif()
endforeach()

# The installed nsearch-index finds its installed parse worker (in a new
# index: one left by an earlier run may be of an older schema).
file(REMOVE_RECURSE ${WORK_DIR}/pdf-index)
execute_process(COMMAND ${root}${prefix}/bin/nsearch-index --quiet --db ${WORK_DIR}/pdf-index
                        ${CMAKE_CURRENT_LIST_DIR}/fixtures/formats/documents/harbour-wall.pdf
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "installed nsearch-index could not index a PDF (${status}): ${errors}")
endif()

# nsearch serve runs the nsearch-serve installed beside it.
execute_process(COMMAND ${root}${prefix}/bin/nsearch serve --help
                RESULT_VARIABLE status OUTPUT_VARIABLE help ERROR_VARIABLE errors)
if(NOT status EQUAL 0 OR NOT help MATCHES "^nsearch serve: ")
  message(FATAL_ERROR "installed nsearch serve --help failed (${status}): ${help}${errors}")
endif()

# The installed man pages format without a warning, when man is there.
find_program(MAN man)
if(MAN)
  foreach(page nsearch nsearch-index)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env MANWIDTH=80 ${MAN} --warnings -l ${root}${prefix}/share/man/man1/${page}.1
      RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE warnings)
    if(NOT status EQUAL 0 OR NOT warnings STREQUAL "")
      message(FATAL_ERROR "man ${page}.1 (${status}): ${warnings}")
    endif()
  endforeach()
endif()
file(REMOVE_RECURSE ${root})
