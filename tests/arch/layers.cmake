# arch.layers: fails when a layer reaches up or sideways
# (docs/ARCHITECTURE.md has the rules and the reason for each).
#
#   cmake -DSRC=<source root> -DLINKS=<links.txt> -P layers.cmake
#
# SRC is scanned for #include lines and direct slot calls; LINKS (written by
# tests/arch/CMakeLists.txt at generate time) holds one line per library
# target: its name, a tab, its LINK_LIBRARIES.  Every violation is printed,
# then the script fails if there was any.

if(NOT DEFINED SRC OR NOT DEFINED LINKS)
  message(FATAL_ERROR "usage: cmake -DSRC=<root> -DLINKS=<links.txt> -P layers.cmake")
endif()

set(violations 0)
macro(violation text)
  message("arch.layers: ${text}")
  math(EXPR violations "${violations} + 1")
endmacro()

set(layers base backends core vectors bench apps tests)

# Headers of the crypto libraries: only backends/ include them.
set(crypto_re "^(openssl/|mbedtls/|gmp\\.h$|nettle/|gcrypt\\.h$|bearssl|wolfssl/|tomcrypt|tommath|botan/)")
# A test folder of one backend's internals (tests/<backend>/) may include
# that backend's own library header, and no other.
set(own_lib_gmp "^gmp\\.h$")

# What base/ may include besides base/: the C library and POSIX.
set(system_re "^(assert|complex|ctype|errno|fenv|float|inttypes|iso646|limits|locale|math|setjmp|signal|stdalign|stdarg|stdatomic|stdbool|stddef|stdint|stdio|stdlib|stdnoreturn|string|tgmath|threads|time|uchar|wchar|wctype|strings|unistd|fcntl|pthread|dirent|poll|sched|termios|sys/[a-z_]+|netinet/[a-z_]+|arpa/inet|netdb)\\.h$")

# Project folders each layer must not include (downward only).
set(forbid_base "backends/|core/|vectors/|bench/|apps/|tests/")
set(forbid_backends "core/|vectors/|bench/|apps/|tests/")
set(forbid_core "vectors/|bench/|apps/|tests/")
set(forbid_vectors "apps/|tests/")
set(forbid_bench "apps/|tests/")

# ---- includes ---------------------------------------------------------------

set(globs "")
foreach(l ${layers})
  foreach(ext c h cc cpp hpp)
    list(APPEND globs "${SRC}/${l}/*.${ext}")
  endforeach()
endforeach()
file(GLOB_RECURSE files RELATIVE "${SRC}" ${globs})
list(SORT files)
list(LENGTH files n_files)
if(n_files LESS 50)
  message(FATAL_ERROR "arch.layers: only ${n_files} source files under ${SRC}: wrong SRC?")
endif()

foreach(f ${files})
  string(REGEX MATCH "^[a-z]+" layer "${f}")
  set(sub "")
  if(f MATCHES "^(backends|tests)/([a-z0-9_]+)/")
    set(sub "${CMAKE_MATCH_2}")
  endif()
  file(STRINGS "${SRC}/${f}" incs REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  foreach(line ${incs})
    if(NOT line MATCHES "#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      continue()
    endif()
    set(delim "${CMAKE_MATCH_1}")
    set(path "${CMAKE_MATCH_2}")

    # One style of path: quoted includes are root-relative.
    if(delim STREQUAL "\"" AND NOT path MATCHES "^(base|backends|core|vectors|bench|apps|tests)/")
      violation("${f}: \"${path}\" is not a root-relative project path")
    endif()

    # base/: the leaf includes only base/ and the system.
    if(layer STREQUAL "base")
      if(delim STREQUAL "\"" AND NOT path MATCHES "^base/")
        violation("${f}: base/ includes \"${path}\" from outside base/")
      elseif(delim STREQUAL "<" AND NOT path MATCHES "${system_re}")
        violation("${f}: base/ includes <${path}>, not a C library or POSIX header")
      endif()
    endif()

    # Each layer includes only layers below it.
    if(DEFINED forbid_${layer} AND path MATCHES "^(${forbid_${layer}})")
      violation("${f}: ${layer}/ includes ${path}, a layer above it")
    endif()

    # A backend includes no other backend's internals.
    if(layer STREQUAL "backends" AND NOT sub STREQUAL "" AND
       path MATCHES "^backends/([a-z0-9_]+)/" AND NOT CMAKE_MATCH_1 STREQUAL sub)
      violation("${f}: backend ${sub} includes ${path} of another backend")
    endif()

    # Crypto library headers only inside backends/.
    if(NOT layer STREQUAL "backends" AND path MATCHES "${crypto_re}")
      set(ok 0)
      if(layer STREQUAL "tests" AND DEFINED own_lib_${sub})
        if(path MATCHES "${own_lib_${sub}}")
          set(ok 1)
        endif()
      endif()
      if(NOT ok)
        violation("${f}: includes the crypto library header ${path} outside backends/")
      endif()
    endif()
  endforeach()
endforeach()

# ---- slot calls ----------------------------------------------------------------

# The slots of struct rlab_backend, read from backend.h itself.
file(STRINGS "${SRC}/backends/backend.h" decls REGEX "\\(\\*[a-z_0-9]+\\)[ \t]*\\(")
set(slots "")
foreach(d ${decls})
  string(REGEX MATCH "\\(\\*([a-z_0-9]+)\\)" m "${d}")
  list(APPEND slots "${CMAKE_MATCH_1}")
endforeach()
list(REMOVE_DUPLICATES slots)
# version() is metadata with no contract to check (a static string);
# callers read it directly.  Every operation goes through backends/ops.h.
list(REMOVE_ITEM slots version)
list(LENGTH slots n_slots)
if(n_slots LESS 20)
  message(FATAL_ERROR "arch.layers: found only ${n_slots} slots in backend.h: ${slots}")
endif()
string(REPLACE ";" "|" slots_re "${slots}")

foreach(f ${files})
  if(f MATCHES "^backends/")
    continue()
  endif()
  file(STRINGS "${SRC}/${f}" calls REGEX "(->|\\.)(${slots_re})[ \t]*\\)?[ \t]*\\(")
  foreach(c ${calls})
    string(REGEX MATCH "[A-Za-z_0-9)]*(->|\\.)(${slots_re})[ \t]*\\)?[ \t]*\\(" m "${c}")
    if(NOT m STREQUAL "")
      violation("${f}: calls the slot ${CMAKE_MATCH_2} directly (`${m}`): use backends/ops.h")
    endif()
  endforeach()
endforeach()

# ---- link edges -------------------------------------------------------------

# The project libraries each library may link; anything else named rlab_* or
# rsalab is an upward (or sideways) edge.
set(allow_rlab_base "")
# A backend folder may also link rlab_keycodec, the shared key codec
# (backends/keycodec.h), which itself links only rlab_base: no cycle, and
# still no backend reaches another.
set(allow_backend "rlab_base|rlab_keycodec")
set(allow_rlab_keycodec "rlab_base")
set(allow_rlab_backends "rlab_base|rlab_backend_[a-z0-9]+")
set(allow_rlab_core "rlab_base|rlab_backends")
set(allow_rlab_vectors "rlab_base|rlab_backends|rlab_core")
set(allow_rlab_bench "rlab_base|rlab_backends|rlab_core")

file(STRINGS "${LINKS}" link_lines)
list(LENGTH link_lines n_links)
if(n_links LESS 6)
  message(FATAL_ERROR "arch.layers: ${LINKS} lists ${n_links} targets")
endif()
foreach(line ${link_lines})
  # file(STRINGS) split the line at the ;s of the list: rejoin with |.
  string(REPLACE ";" "|" line "${line}")
  if(NOT line MATCHES "^([a-z_0-9]+)\t(.*)$")
    continue()
  endif()
  set(tgt "${CMAKE_MATCH_1}")
  string(REPLACE "|" ";" libs "${CMAKE_MATCH_2}")
  if(tgt MATCHES "^rlab_backend_")
    set(allow "${allow_backend}")
  elseif(DEFINED allow_${tgt})
    set(allow "${allow_${tgt}}")
  else()
    violation("${tgt}: no link rule for this target")
    continue()
  endif()
  foreach(lib ${libs})
    # $<LINK_ONLY:x> and similar wrappers: look at the name inside.
    string(REGEX REPLACE "^\\$<[A-Z_]+:(.*)>$" "\\1" lib "${lib}")
    if(NOT lib MATCHES "^(rlab_|rsalab)")
      continue()
    endif()
    if(allow STREQUAL "" OR NOT lib MATCHES "^(${allow})$")
      violation("${tgt} links ${lib}: an upward or sideways edge")
    endif()
  endforeach()
endforeach()

if(violations GREATER 0)
  message(FATAL_ERROR "arch.layers: ${violations} violation(s); see docs/ARCHITECTURE.md")
endif()
list(LENGTH files n)
message(STATUS "arch.layers: ${n} files, ${n_slots} slots, ${n_links} library targets: one-way")
